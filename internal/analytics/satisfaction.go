package analytics

import (
	"cmp"
	"context"
	"slices"

	"github.com/aftercare/aftercare/internal/evaluate"
	"github.com/aftercare/aftercare/internal/model"
)

// MinReliableN is the smallest sample whose score is shown as reliable
// (evaluation.md section 1, the rule of "aftercare analyze").
const MinReliableN = 30

// maxHalfFraction is the widest interval, either side, of a score kept as
// a fraction (CSAT, CES agree); maxHalfPoints of NPS, in points.
const (
	maxHalfFraction = 0.10
	maxHalfPoints   = 10
)

// Score is one single-question score: CSAT (a fraction, Wilson
// interval), NPS (points) or CES (the mean, z interval; Agree the share
// answering 5–7). Value and the interval are nil when n is 0.
// Unreliable is set, as by "aftercare analyze", when the interval is
// wider than ±10 points (for CES: the agree interval) or n is below 30:
// screens grey such a figure out and say why.
type Score struct {
	N           int      `json:"n"`
	Value       *float64 `json:"value"`
	CILow       *float64 `json:"ci_low"`
	CIHigh      *float64 `json:"ci_high"`
	Agree       *float64 `json:"agree,omitempty"`
	Wide        bool     `json:"wide"`
	SmallSample bool     `json:"small_sample"`
	Unreliable  bool     `json:"unreliable"`
}

// DimensionMean is the mean of one dimension's 1–5 ratings.
type DimensionMean struct {
	N    int      `json:"n"`
	Mean *float64 `json:"mean"`
}

// Summary is the satisfaction of a set of responses.
type Summary struct {
	N          int                      `json:"n"`
	CSAT       Score                    `json:"csat"`
	NPS        Score                    `json:"nps"`
	CES        Score                    `json:"ces"`
	Dimensions map[string]DimensionMean `json:"dimensions"`
}

// Group is the satisfaction of one group.
type Group struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Summary
}

// Satisfaction is the answer of the satisfaction analytics.
type Satisfaction struct {
	GroupBy GroupBy `json:"group_by"`
	Overall Summary `json:"overall"`
	Groups  []Group `json:"groups"`
}

// Satisfaction computes the satisfaction of the responses answered in
// period, overall and by g (ByNone: no groups); lang names categories.
func (s *Service) Satisfaction(ctx context.Context, p model.Principal, period model.Period, g GroupBy, lang string) (Satisfaction, error) {
	rs, err := s.load(ctx, p, period)
	if err != nil {
		return Satisfaction{}, err
	}
	all := make([]*model.SurveyResponse, len(rs))
	for i := range rs {
		all[i] = &rs[i]
	}
	out := Satisfaction{GroupBy: g, Overall: summarize(all), Groups: []Group{}}
	if g == ByNone {
		return out, nil
	}
	for _, b := range groupResponses(rs, g, lang, s.Location()) {
		out.Groups = append(out.Groups, Group{Key: b.key, Label: b.label, Summary: summarize(b.rs)})
	}
	return out, nil
}

// summarize computes a Summary with evaluate's CSAT, NPS and CES.
func summarize(rs []*model.SurveyResponse) Summary {
	var csat, nps, ces []float64
	sums := map[model.QuestionKey]float64{}
	ns := map[model.QuestionKey]int{}
	for _, r := range rs {
		csat = append(csat, float64(r.CSAT))
		if r.NPS != nil {
			nps = append(nps, float64(*r.NPS))
		}
		if r.CES != nil {
			ces = append(ces, float64(*r.CES))
		}
		for _, k := range model.DimensionKeys() {
			if v := r.Rating(k); v != nil {
				sums[k] += float64(*v)
				ns[k]++
			}
		}
	}
	out := Summary{N: len(rs), CSAT: CSATScore(csat), NPS: NPSScore(nps), CES: CESScore(ces),
		Dimensions: map[string]DimensionMean{}}
	for _, k := range model.DimensionKeys() {
		d := DimensionMean{N: ns[k]}
		if d.N > 0 {
			m := sums[k] / float64(d.N)
			d.Mean = &m
		}
		out.Dimensions[string(k)] = d
	}
	return out
}

func ptr(v float64) *float64 { return &v }

// flag sets the reliability flags of s from the half-width of the
// interval that decides it.
func (s *Score) flag(half, limit float64) {
	s.Wide = half > limit
	s.SmallSample = s.N < MinReliableN
	s.Unreliable = s.Wide || s.SmallSample
}

// CSATScore is evaluate.CSAT of answers on 1–5 (no answers: n 0).
func CSATScore(xs []float64) Score {
	r, err := evaluate.CSAT(xs)
	if err != nil {
		return Score{N: len(xs)}
	}
	s := Score{N: r.N, Value: ptr(r.Value), CILow: ptr(r.CI.Low), CIHigh: ptr(r.CI.High)}
	s.flag((r.CI.High-r.CI.Low)/2, maxHalfFraction)
	return s
}

// NPSScore is evaluate.NPS of answers on 0–10, in points.
func NPSScore(xs []float64) Score {
	r, err := evaluate.NPS(xs)
	if err != nil {
		return Score{N: len(xs)}
	}
	s := Score{N: r.N, Value: ptr(r.Value), CILow: ptr(r.CI.Low), CIHigh: ptr(r.CI.High)}
	s.flag((r.CI.High-r.CI.Low)/2, maxHalfPoints)
	return s
}

// CESScore is evaluate.CES of answers on 1–7: the mean with its interval,
// and the share who agree.
func CESScore(xs []float64) Score {
	r, err := evaluate.CES(xs)
	if err != nil {
		return Score{N: len(xs)}
	}
	s := Score{N: r.N, Value: ptr(r.Mean), CILow: ptr(r.CI.Low), CIHigh: ptr(r.CI.High), Agree: ptr(r.Agree)}
	s.flag((r.AgreeCI.High-r.AgreeCI.Low)/2, maxHalfFraction)
	return s
}

// sortBuckets orders groups: months and channels by key, others by
// label, the group without a key last.
func sortBuckets(bs []*bucket, g GroupBy) {
	slices.SortStableFunc(bs, func(a, b *bucket) int {
		if (a.key == "") != (b.key == "") {
			if a.key == "" {
				return 1
			}
			return -1
		}
		if g == ByMonth || g == ByChannel {
			return cmp.Compare(a.key, b.key)
		}
		return cmp.Or(cmp.Compare(a.label, b.label), cmp.Compare(a.key, b.key))
	})
}
