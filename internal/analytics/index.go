package analytics

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/evaluate"
	"github.com/aftercare/aftercare/internal/model"
)

// IndexLevels are the units the composite index ranks.
func IndexLevels() []GroupBy { return []GroupBy{ByCentre, ByTeam, ByMonth} }

// IndexIndicators are the indicators of the composite index, one per
// service-quality dimension: the mean rating of each of the five
// dimensions and, for satisfaction and loyalty, the CSAT share. All are
// benefit indicators.
func IndexIndicators() []string {
	return append(DriverNames(), "csat")
}

// IndexRow is one ranked unit: its indicator values (IndexIndicators
// order), the composite score on 0–100 and its rank (1 best).
type IndexRow struct {
	Key    string    `json:"key"`
	Label  string    `json:"label"`
	N      int       `json:"n"`
	Values []float64 `json:"values"`
	Score  float64   `json:"score"`
	Rank   int       `json:"rank"`
	// Fuzzy is the fuzzy comprehensive grade of the unit's dimension
	// ratings (see Index).
	Fuzzy *evaluate.FuzzyResult `json:"fuzzy,omitempty"`
	dist  [][]float64
}

// IndexExcluded is a unit left out of the ranking, and why.
type IndexExcluded struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	N      int    `json:"n"`
	Reason string `json:"reason"`
}

// Index is a composite service-quality index of centres, teams or
// months.
type Index struct {
	Level        GroupBy   `json:"level"`
	Indicators   []string  `json:"indicators"`
	Weights      []float64 `json:"weights"`
	WeightSource string    `json:"weight_source" enum:"entropy,given"`
	Entropy      []float64 `json:"entropy,omitempty"`
	// Expert is the AHP judgement behind given weights, with its
	// consistency ratio (nil for entropy weights).
	Expert   *ExpertWeights  `json:"expert,omitempty"`
	Rows     []IndexRow      `json:"rows"`
	Excluded []IndexExcluded `json:"excluded"`
}

// Index ranks the units of level (centre, team or month) by a composite
// index of IndexIndicators. Units with fewer than MinReliableN responses
// or a dimension nobody rated are excluded (and listed). The values are
// min–max normalised per indicator, x′ = (x − min)/(max − min), and
//
//	score_i = 100 Σ_j w_j x′_ij
//
// where w are the entropy weights of x′ (evaluate.Entropy with minmax,
// as "aftercare analyze entropy --normalize minmax" computes them on the
// index table's export) or, when weights is not nil, those weights (one
// per indicator, e.g. from AHP) rescaled to sum 1. Ranks follow the
// score, ties sharing the better rank.
//
// Each ranked unit also gets a fuzzy comprehensive grade (模糊综合评价,
// evaluate.Fuzzy with M(·,⊕)): factors the five dimensions weighted as in
// the index, grades "very satisfied" (5) … "very dissatisfied" (1), r_ij
// the share of the unit's ratings of dimension i at grade j, and the score
// S = B·(100, 80, 60, 40, 20) after normalising B.
func (s *Service) Index(ctx context.Context, p model.Principal, period model.Period, level GroupBy, weights []float64, lang string) (Index, error) {
	if !slices.Contains(IndexLevels(), level) {
		return Index{}, model.FieldError("level", "must be centre, team or month")
	}
	rs, err := s.load(ctx, p, period)
	if err != nil {
		return Index{}, err
	}
	ind := IndexIndicators()
	out := Index{Level: level, Indicators: ind, Rows: []IndexRow{}, Excluded: []IndexExcluded{}}
	var x [][]float64
	for _, b := range groupResponses(rs, level, lang, s.Location()) {
		if b.key == "" {
			continue
		}
		sum := summarize(b.rs)
		if sum.N < MinReliableN {
			out.Excluded = append(out.Excluded, IndexExcluded{Key: b.key, Label: b.label, N: sum.N, Reason: "small_sample"})
			continue
		}
		row := make([]float64, 0, len(ind))
		for _, name := range DriverNames() {
			if m := sum.Dimensions[name].Mean; m != nil {
				row = append(row, *m)
			}
		}
		if len(row) < len(DriverNames()) {
			out.Excluded = append(out.Excluded, IndexExcluded{Key: b.key, Label: b.label, N: sum.N, Reason: "unrated_dimension"})
			continue
		}
		row = append(row, *sum.CSAT.Value)
		out.Rows = append(out.Rows, IndexRow{Key: b.key, Label: b.label, N: sum.N, Values: row, dist: membership(b.rs)})
		x = append(x, row)
	}
	if len(x) < 2 {
		return Index{}, model.FieldError("from", "the period has %d units with at least %d responses; the index compares at least 2: choose a longer period",
			len(x), MinReliableN)
	}
	norm := make([][]float64, len(x))
	for i := range x {
		norm[i] = slices.Clone(x[i])
	}
	for j := range ind {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, r := range x {
			lo, hi = min(lo, r[j]), max(hi, r[j])
		}
		for i, r := range x {
			if hi > lo {
				norm[i][j] = (r[j] - lo) / (hi - lo)
			} else {
				norm[i][j] = 0
			}
		}
	}
	if weights == nil {
		res, err := evaluate.Entropy(x, evaluate.NormalizeMinMax, nil)
		if err != nil {
			return Index{}, model.FieldError("from", "the index of this period cannot be computed: %v", err)
		}
		out.Weights, out.Entropy, out.WeightSource = res.Weights, res.Entropy, "entropy"
	} else {
		if len(weights) != len(ind) {
			return Index{}, model.FieldError("weights", "give %d weights, one per indicator", len(ind))
		}
		var sum float64
		for _, w := range weights {
			if !(w >= 0) || math.IsInf(w, 0) {
				return Index{}, model.FieldError("weights", "must be non-negative numbers")
			}
			sum += w
		}
		if sum == 0 {
			return Index{}, model.FieldError("weights", "must not all be zero")
		}
		out.Weights, out.WeightSource = make([]float64, len(weights)), "given"
		for j, w := range weights {
			out.Weights[j] = w / sum
		}
	}
	for i := range out.Rows {
		var sc float64
		for j, w := range out.Weights {
			sc += w * norm[i][j]
		}
		out.Rows[i].Score = 100 * sc
		// The five dimensions' weights, rescaled to sum 1.
		a := slices.Clone(out.Weights[:len(DriverNames())])
		var sa float64
		for _, w := range a {
			sa += w
		}
		for j := range a {
			if sa > 0 {
				a[j] /= sa
			}
		}
		if fz, err := evaluate.Fuzzy(a, out.Rows[i].dist, evaluate.FuzzyWeighted, nil); err == nil {
			out.Rows[i].Fuzzy = &fz
		}
	}
	slices.SortStableFunc(out.Rows, func(a, b IndexRow) int { return cmp.Compare(b.Score, a.Score) })
	for i := range out.Rows {
		out.Rows[i].Rank = i + 1
		if i > 0 && out.Rows[i].Score == out.Rows[i-1].Score {
			out.Rows[i].Rank = out.Rows[i-1].Rank
		}
	}
	return out, nil
}

// FuzzyGrades are the grades of the fuzzy evaluation, best first: the
// rating each stands for.
func FuzzyGrades() []int { return []int{5, 4, 3, 2, 1} }

// membership is the fuzzy membership matrix of rs: one row per dimension,
// the share of its ratings at each of FuzzyGrades.
func membership(rs []*model.SurveyResponse) [][]float64 {
	keys := model.DimensionKeys()
	out := make([][]float64, len(keys))
	for i, k := range keys {
		out[i] = make([]float64, 5)
		n := 0
		for _, r := range rs {
			if v := r.Rating(k); v != nil {
				out[i][5-*v]++
				n++
			}
		}
		for j := range out[i] {
			if n > 0 {
				out[i][j] /= float64(n)
			}
		}
	}
	return out
}

// ExpertWeights are index weights an analyst entered as an AHP pairwise
// comparison matrix of IndexIndicators (Saaty's 1–9 scale, rows ';',
// cells ',', fractions allowed: "1,3,…;1/3,1,…"): the principal
// eigenvector weights with λmax and the consistency ratio.
type ExpertWeights struct {
	Matrix string `json:"matrix"`
	evaluate.AHPResult
	// Stored marks the weights an admin entered for everyone (see
	// SaveWeights), with who entered them and when.
	Stored    bool       `json:"stored"`
	EnteredBy string     `json:"entered_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// ParseExpertWeights reads and weighs an AHP matrix for the index. A
// matrix of the wrong size, not reciprocal, or inconsistent (CR ≥ 0.10:
// the judgements contradict each other) is EINVALID naming field, with
// the consistency ratio, so that the analyst can revise it; every message
// is translatable (its format is a catalog key).
func ParseExpertWeights(field, matrix string) (ExpertWeights, error) {
	a, err := evaluate.ParseMatrix(matrix)
	if err != nil {
		return ExpertWeights{}, matrixError(field, err)
	}
	if n := len(IndexIndicators()); len(a) != n {
		return ExpertWeights{}, model.FieldError(field, "give a %d×%d matrix, one row and column per indicator", n, n)
	}
	res, err := evaluate.AHP(a, evaluate.AHPEigen, nil)
	if err != nil {
		return ExpertWeights{}, matrixError(field, err)
	}
	if !res.Consistent {
		return ExpertWeights{}, model.FieldError(field, "the judgements are inconsistent (CR %.3f, must be below 0.10): revise them", res.CR)
	}
	return ExpertWeights{Matrix: matrix, AHPResult: res}, nil
}

// matrixError turns the evaluation's matrix error into a field error
// with the same, translatable, message.
func matrixError(field string, err error) error {
	var me *evaluate.MatrixError
	if errors.As(err, &me) {
		return model.FieldError(field, me.Format, me.Args...)
	}
	return model.FieldError(field, "%v", err)
}

// IndexWith is Index with the weights of an expert judgement (nil:
// entropy weights), kept in the result with its consistency ratio.
func (s *Service) IndexWith(ctx context.Context, p model.Principal, period model.Period, level GroupBy, expert *ExpertWeights, lang string) (Index, error) {
	if expert == nil {
		return s.Index(ctx, p, period, level, nil, lang)
	}
	idx, err := s.Index(ctx, p, period, level, expert.Weights, lang)
	if err == nil {
		idx.Expert = expert
	}
	return idx, err
}
