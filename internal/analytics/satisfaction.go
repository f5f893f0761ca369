package analytics

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/evaluate"
	"github.com/aftercare/aftercare/internal/i18n"
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
// The database counts the answers by value (store.TallyResponses) and
// the scores are computed from the counts, which give exactly the
// figures of the responses themselves (summarizeTally): a year of a
// million requests is a few aggregate queries, not 390,000 rows read.
func (s *Service) Satisfaction(ctx context.Context, p model.Principal, period model.Period, g GroupBy, lang string) (Satisfaction, error) {
	if !p.Can(model.PermFeedbackAnalyze) {
		return Satisfaction{}, forbidden()
	}
	groups, err := s.tally(ctx, period, g, lang)
	if err != nil {
		return Satisfaction{}, fmt.Errorf("analytics: %w", err)
	}
	all := model.NewTally()
	for _, b := range groups {
		all.Merge(b.tally)
	}
	out := Satisfaction{GroupBy: g, Overall: summarizeTally(&all), Groups: []Group{}}
	if g == ByNone {
		return out, nil
	}
	for _, b := range groups {
		out.Groups = append(out.Groups, Group{Key: b.key, Label: b.label, Summary: summarizeTally(&b.tally)})
	}
	return out, nil
}

// tallied is one group's counts with its key and label (as keyOf names
// them).
type tallied struct {
	key, label string
	tally      model.Tally
}

// tally counts the responses of period by g, in the order of
// sortBuckets. Months are counted month by month over the period's
// part of each (in the store's zone), the others in one query.
func (s *Service) tally(ctx context.Context, period model.Period, g GroupBy, lang string) ([]tallied, error) {
	from, to := period.Bounds()
	var out []tallied
	if g == ByMonth {
		loc := s.Location()
		l := from.In(loc)
		for m := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc); m.Before(to); m = m.AddDate(0, 1, 0) {
			ts, err := s.store.TallyResponses(ctx, maxTime(m, from), minTime(m.AddDate(0, 1, 0), to), "")
			if err != nil {
				return nil, err
			}
			for _, t := range ts {
				key := m.Format("2006-01")
				out = append(out, tallied{key: key, label: key, tally: t})
			}
		}
		return out, nil
	}
	by := string(g)
	ts, err := s.store.TallyResponses(ctx, from, to, by)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		b := tallied{tally: t}
		switch {
		case g == ByChannel && t.Key != nil:
			b.key, b.label = *t.Key, *t.Key
		case t.Key == nil:
			b.label = "—"
		default:
			b.key, b.label = *t.Key, t.Name
			if g == ByCategory && lang == i18n.En && t.NameEn != "" {
				b.label = t.NameEn
			}
			if b.label == "" {
				b.label = b.key
			}
		}
		out = append(out, b)
	}
	slices.SortStableFunc(out, func(a, b tallied) int { return compareGroups(g, a.key, a.label, b.key, b.label) })
	return out, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// summarize computes a Summary of responses.
func summarize(rs []*model.SurveyResponse) Summary {
	t := model.NewTally()
	for _, r := range rs {
		t.Add(&r.Scores)
	}
	return summarizeTally(&t)
}

// summarizeTally computes a Summary with evaluate's CSAT, NPS and CES
// from the counts of t. evaluate's scores depend on the counts of each
// value alone and the dimension means are sums of small integers (exact
// in float64), so the figures equal those of the responses counted.
func summarizeTally(t *model.Tally) Summary {
	out := Summary{N: t.N, CSAT: CSATScore(t.Answers(model.QCSAT)), NPS: NPSScore(t.Answers(model.QNPS)),
		CES: CESScore(t.Answers(model.QCES)), Dimensions: map[string]DimensionMean{}}
	for _, k := range model.DimensionKeys() {
		lo, _ := k.Range()
		var d DimensionMean
		var sum float64
		for i, c := range t.Counts[k] {
			d.N += c
			sum += float64((lo + i) * c)
		}
		if d.N > 0 {
			m := sum / float64(d.N)
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
	slices.SortStableFunc(bs, func(a, b *bucket) int { return compareGroups(g, a.key, a.label, b.key, b.label) })
}

// compareGroups orders two groups of g by key and label as sortBuckets
// says.
func compareGroups(g GroupBy, ak, al, bk, bl string) int {
	if (ak == "") != (bk == "") {
		if ak == "" {
			return 1
		}
		return -1
	}
	if g == ByMonth || g == ByChannel {
		return cmp.Compare(ak, bk)
	}
	return cmp.Or(cmp.Compare(al, bl), cmp.Compare(ak, bk))
}
