package analytics

import (
	"context"
	"math"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// TrendPoint is one week's or month's CSAT share on a p-chart: n answers,
// Satisfied of them 4 or 5, P = Satisfied/n, and the 3σ control limits
// of its n around the centre line.
type TrendPoint struct {
	Key       string  `json:"key"`
	N         int     `json:"n"`
	Satisfied int     `json:"satisfied"`
	P         float64 `json:"p"`
	LCL       float64 `json:"lcl"`
	UCL       float64 `json:"ucl"`
	// Alert is "above" or "below" when P leaves its limits, else "".
	Alert string `json:"alert"`
}

// Trend is a p-chart of the CSAT share over a period.
type Trend struct {
	Interval string       `json:"interval" enum:"week,month"`
	GroupBy  GroupBy      `json:"group_by"`
	Key      string       `json:"key"`
	CL       float64      `json:"cl"`
	N        int          `json:"n"`
	Points   []TrendPoint `json:"points"`
	Alerts   int          `json:"alerts"`
}

// DefaultInterval is the p-chart's interval for a period: weeks up to
// half a year, months beyond.
func DefaultInterval(period model.Period) string {
	if period.To.Sub(period.From) <= 183*24*time.Hour {
		return "week"
	}
	return "month"
}

// Trend charts the CSAT share of period by week (starting Monday, in the
// store's time zone) or month as a p-chart (Shewhart; Montgomery,
// Introduction to Statistical Quality Control, §7.2):
//
//	p̄ = Σ satisfied / Σ n      (the centre line, CL)
//	UCL_i, LCL_i = p̄ ± 3 sqrt(p̄(1 − p̄)/n_i), clipped to [0, 1]
//
// and marks a point outside its limits as an alert. When g is set only
// the responses of group key count (e.g. one centre's trend). Intervals
// without answers are left out.
func (s *Service) Trend(ctx context.Context, p model.Principal, period model.Period, interval string, g GroupBy, key, lang string) (Trend, error) {
	if interval == "" {
		interval = DefaultInterval(period)
	}
	if interval != "week" && interval != "month" {
		return Trend{}, model.FieldError("interval", "must be week or month")
	}
	rs, err := s.load(ctx, p, period)
	if err != nil {
		return Trend{}, err
	}
	loc := s.Location()
	out := Trend{Interval: interval, GroupBy: g, Key: key, Points: []TrendPoint{}}
	idx := map[string]int{}
	for i := len(rs) - 1; i >= 0; i-- { // oldest first
		r := &rs[i]
		if g != ByNone {
			if k, _ := keyOf(g, r, lang, loc); k != key {
				continue
			}
		}
		k := intervalKey(r.AnsweredAt, interval, loc)
		j, ok := idx[k]
		if !ok {
			j = len(out.Points)
			idx[k] = j
			out.Points = append(out.Points, TrendPoint{Key: k})
		}
		out.Points[j].N++
		if r.CSAT >= 4 {
			out.Points[j].Satisfied++
		}
	}
	sat := 0
	for _, pt := range out.Points {
		out.N += pt.N
		sat += pt.Satisfied
	}
	if out.N == 0 {
		return out, nil
	}
	out.CL = float64(sat) / float64(out.N)
	for i := range out.Points {
		pt := &out.Points[i]
		pt.P = float64(pt.Satisfied) / float64(pt.N)
		sigma := math.Sqrt(out.CL * (1 - out.CL) / float64(pt.N))
		pt.LCL, pt.UCL = max(0, out.CL-3*sigma), min(1, out.CL+3*sigma)
		switch {
		case pt.P > pt.UCL:
			pt.Alert = "above"
		case pt.P < pt.LCL:
			pt.Alert = "below"
		}
		if pt.Alert != "" {
			out.Alerts++
		}
	}
	return out, nil
}

// intervalKey names the week (its Monday, 2026-03-02) or month (2026-03)
// of t in loc.
func intervalKey(t time.Time, interval string, loc *time.Location) string {
	t = t.In(loc)
	if interval == "month" {
		return t.Format("2006-01")
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)).Format("2006-01-02")
}

// periodKeys lists the weeks or months of period in order.
func periodKeys(period model.Period, interval string, loc *time.Location) []string {
	var out []string
	for d := period.From; !d.After(period.To); d = d.AddDate(0, 0, 1) {
		k := intervalKey(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc), interval, loc)
		if n := len(out); n == 0 || out[n-1] != k {
			out = append(out, k)
		}
	}
	return out
}
