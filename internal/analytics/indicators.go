package analytics

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// IndicatorDef is one indicator computed from the work itself (product.md
// capability 7): its service-quality dimension, its unit (rate: a
// fraction; hours: the median, with P90; count), whether smaller is
// better, and where its data comes from. Available is false while that
// data has not landed in the product: such an indicator is absent from
// every result, never shown as zero.
type IndicatorDef struct {
	Key       string          `json:"key"`
	Dimension model.Dimension `json:"dimension"`
	Unit      string          `json:"unit" enum:"rate,hours,count"`
	Cost      bool            `json:"cost" doc:"Smaller is better."`
	Source    string          `json:"source"`
	Available bool            `json:"available"`
}

// IndicatorRegistry lists the work indicators of product.md's table in
// dimension order. Rates and durations are over the requests resolved
// (repairs completed) in the period; durations are business hours (the
// working time of the request's SLA calendar) as the SLA capability
// stored them when the request was answered and resolved.
func IndicatorRegistry() []IndicatorDef {
	return []IndicatorDef{
		{Key: "first_contact_resolution", Dimension: model.DimTechnical, Unit: "rate", Source: "requests"},
		{Key: "reopen_rate", Dimension: model.DimTechnical, Unit: "rate", Cost: true, Source: "requests"},
		{Key: "rework_rate", Dimension: model.DimTechnical, Unit: "rate", Cost: true, Source: "repairs"},
		{Key: "qa_first_pass", Dimension: model.DimTechnical, Unit: "rate", Source: "repairs"},
		{Key: "first_response_hours", Dimension: model.DimEfficiency, Unit: "hours", Cost: true, Source: "SLA metrics"},
		{Key: "resolution_hours", Dimension: model.DimEfficiency, Unit: "hours", Cost: true, Source: "SLA metrics"},
		{Key: "sla_compliance", Dimension: model.DimEfficiency, Unit: "rate", Source: "SLA clocks"},
		{Key: "requests", Dimension: model.DimNetwork, Unit: "count", Source: "requests"},
		{Key: "quote_acceptance", Dimension: model.DimPrice, Unit: "rate", Source: "repairs"},
		{Key: "complaint_rate", Dimension: model.DimLoyalty, Unit: "rate", Cost: true, Source: "requests"},
	}
}

// AvailableIndicators are the registry's indicators whose data has landed
// in the product: today all of them.
func AvailableIndicators() []IndicatorDef {
	out := IndicatorRegistry()
	for i := range out {
		out[i].Available = true
	}
	return out
}

// IndicatorValue is one unit's value of an indicator: Value (a fraction,
// the median hours, or a count), N what it is computed over, P90 for
// durations. A unit with nothing to compute an indicator on (N 0) has no
// value for it.
type IndicatorValue struct {
	Value float64  `json:"value"`
	N     int      `json:"n"`
	P90   *float64 `json:"p90,omitempty"`
}

// IndicatorRow is one unit's indicators, by key.
type IndicatorRow struct {
	Key    string                    `json:"key"`
	Label  string                    `json:"label"`
	Values map[string]IndicatorValue `json:"values"`
}

// WorkIndicators are the work indicators of a period by unit.
type WorkIndicators struct {
	Level      GroupBy        `json:"level"`
	Indicators []IndicatorDef `json:"indicators"`
	Absent     []IndicatorDef `json:"absent" doc:"Indicators whose data has not landed in the product: absent, not zero."`
	Overall    IndicatorRow   `json:"overall"`
	Rows       []IndicatorRow `json:"rows"`
}

// WorkLevels are the units the work indicators are given by.
func WorkLevels() []GroupBy { return []GroupBy{ByCentre, ByTeam, ByAgent, ByMonth} }

// accum gathers one unit's work.
type accum struct {
	key, label                        string
	resolved, reopened, complain      int
	fcr, replied                      int
	firstReply, resolution            []float64
	withSLA, onTime                   int
	repairs, rework, quoted, approved int
	tested, firstPass                 int
}

// Indicators computes the available work indicators of period, overall
// and by level (centre of the repair order, team, agent or month of
// resolution; by centre, requests without a repair order form the "no
// centre" row, key ""):
//
//	first_contact_resolution = resolved requests in which the customer
//	    never wrote again after the first public staff reply ÷ resolved
//	    requests with such a reply (evaluation.md §4)
//	reopen_rate      = resolved requests reopened at least once ÷ resolved
//	rework_rate      = completed repairs that are rework ÷ completed repairs
//	qa_first_pass    = completed repairs whose final test never sent them
//	    back to repairing ÷ completed repairs that were tested
//	first_response_hours, resolution_hours = median (and P90) business
//	    hours from creation to the first response, and to the last
//	    resolution, as stored by the SLA clocks (requests without stored
//	    business times, e.g. older than the SLA capability, do not count)
//	sla_compliance   = resolved requests whose first-response and
//	    resolution clocks both ended by their due time ÷ resolved requests
//	    with a resolution clock
//	requests         = requests resolved
//	quote_acceptance = quotes approved ÷ quotes approved or declined
//	complaint_rate   = complaints ÷ resolved requests
func (s *Service) Indicators(ctx context.Context, p model.Principal, period model.Period, level GroupBy) (WorkIndicators, error) {
	if !p.Can(model.PermFeedbackAnalyze) {
		return WorkIndicators{}, forbidden()
	}
	if !slices.Contains(WorkLevels(), level) {
		return WorkIndicators{}, model.FieldError("level", "must be centre, team, agent or month")
	}
	from, to := period.Bounds()
	reqs, err := s.store.ResolvedWork(ctx, from, to)
	if err != nil {
		return WorkIndicators{}, err
	}
	repairs, err := s.store.CompletedRepairs(ctx, from, to)
	if err != nil {
		return WorkIndicators{}, err
	}
	loc := s.Location()
	out := WorkIndicators{Level: level, Indicators: AvailableIndicators(), Rows: []IndicatorRow{}, Absent: []IndicatorDef{}}
	unitOf := func(centre *int64, centreName string, team *int64, teamName string, agent *int64, agentName string, at time.Time) (string, string) {
		id := func(p *int64, name string) (string, string) {
			if p == nil {
				return "", "—"
			}
			return fmt.Sprint(*p), name
		}
		switch level {
		case ByAgent:
			return id(agent, agentName)
		case ByMonth:
			m := at.In(loc).Format("2006-01")
			return m, m
		case ByCentre:
			return id(centre, centreName)
		}
		return id(team, teamName)
	}
	all := &accum{}
	units := map[string]*accum{}
	get := func(k, l string) *accum {
		a := units[k]
		if a == nil {
			a = &accum{key: k, label: l}
			units[k] = a
		}
		return a
	}
	for i := range reqs {
		w := &reqs[i]
		a := get(unitOf(w.CentreID, w.CentreName, w.TeamID, w.TeamName, w.AgentID, w.AgentName, w.ResolvedAt))
		compliant, withSLA := slaOnTime(w.Clocks)
		for _, a := range []*accum{all, a} {
			a.resolved++
			if w.Reopened {
				a.reopened++
			}
			if w.Type == model.TypeComplaint {
				a.complain++
			}
			if w.ResolutionBizSecs != nil {
				a.resolution = append(a.resolution, *w.ResolutionBizSecs/3600)
			}
			if w.FirstResponseBizSecs != nil {
				a.firstReply = append(a.firstReply, *w.FirstResponseBizSecs/3600)
			}
			if w.FirstReply != nil {
				a.replied++
				if !w.CustomerAfterReply {
					a.fcr++
				}
			}
			if withSLA {
				a.withSLA++
				if compliant {
					a.onTime++
				}
			}
		}
	}
	for i := range repairs {
		w := &repairs[i]
		a := get(unitOf(&w.CentreID, w.CentreName, w.TeamID, w.TeamName, w.AgentID, w.AgentName, w.CompletedAt))
		for _, a := range []*accum{all, a} {
			a.repairs++
			if w.Rework {
				a.rework++
			}
			if w.Tested {
				a.tested++
				if !w.FailedTest {
					a.firstPass++
				}
			}
			switch w.Approval {
			case model.ApprovalApproved:
				a.quoted++
				a.approved++
			case model.ApprovalDeclined:
				a.quoted++
			}
		}
	}
	out.Overall = all.row("", "")
	keys := make([]string, 0, len(units))
	for k := range units {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := units[keys[i]], units[keys[j]]
		if (a.key == "") != (b.key == "") {
			return b.key == ""
		}
		if level == ByMonth {
			return a.key < b.key
		}
		return a.label < b.label || (a.label == b.label && a.key < b.key)
	})
	for _, k := range keys {
		out.Rows = append(out.Rows, units[k].row(units[k].key, units[k].label))
	}
	return out, nil
}

// row computes a unit's values; indicators with nothing to count are left
// out.
func (a *accum) row(key, label string) IndicatorRow {
	r := IndicatorRow{Key: key, Label: label, Values: map[string]IndicatorValue{}}
	rate := func(k string, num, den int) {
		if den > 0 {
			r.Values[k] = IndicatorValue{Value: float64(num) / float64(den), N: den}
		}
	}
	hours := func(k string, xs []float64) {
		if len(xs) == 0 {
			return
		}
		slices.Sort(xs)
		p90 := quantile(xs, 0.9)
		r.Values[k] = IndicatorValue{Value: quantile(xs, 0.5), N: len(xs), P90: &p90}
	}
	rate("first_contact_resolution", a.fcr, a.replied)
	rate("reopen_rate", a.reopened, a.resolved)
	rate("rework_rate", a.rework, a.repairs)
	rate("qa_first_pass", a.firstPass, a.tested)
	hours("first_response_hours", a.firstReply)
	hours("resolution_hours", a.resolution)
	rate("sla_compliance", a.onTime, a.withSLA)
	if a.resolved > 0 {
		r.Values["requests"] = IndicatorValue{Value: float64(a.resolved), N: a.resolved}
	}
	rate("quote_acceptance", a.approved, a.quoted)
	rate("complaint_rate", a.complain, a.resolved)
	return r
}

// slaOnTime reports whether a request's SLA was kept — its first-response
// clock (if it has one) and its resolution clock each ended, met or
// stopped, no later than their due time (a clock standing paused has no
// due time and so was not late) — and whether it had a resolution clock
// to judge by.
func slaOnTime(clocks []model.SLAClock) (onTime, judged bool) {
	onTime = true
	for _, c := range clocks {
		if c.Kind == model.ClockResolution {
			judged = true
		}
		end := c.MetAt
		if end == nil {
			end = c.StoppedAt
		}
		if end == nil || (c.DueAt != nil && end.After(*c.DueAt)) {
			onTime = false
		}
	}
	return onTime && judged, judged
}

// quantile is the q-quantile of sorted xs by linear interpolation between
// closest ranks (Hyndman and Fan 1996, type 7, as R and NumPy default).
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 1 {
		return xs[0]
	}
	h := q * float64(len(xs)-1)
	lo := int(h)
	if lo+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}
