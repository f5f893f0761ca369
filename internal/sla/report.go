package sla

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// ReportRow compares what a tier promised with what its customers got in
// one month: the promised response and resolution times (business
// minutes, nil when the tier promises none), and per clock the requests
// on time and late, with the median and 90th percentile of the achieved
// business times. Requests without a tier report under Tier "".
type ReportRow struct {
	Tier  string
	Month string // "2026-03", in the store's time zone
	// Requests opened in the month with SLA clocks.
	Requests          int
	PromisedResponse  *int
	PromisedResolved  *int
	Response, Resolve Achieved
}

// Achieved is one clock's outcome over a month: met on time, late
// (breached), and the achieved business minutes (median, P90) of the
// requests where it was reached.
type Achieved struct {
	OnTime, Late int
	Median, P90  *float64
}

// Rate is OnTime / (OnTime + Late) as a percentage; nil when neither.
func (a Achieved) Rate() *float64 {
	if a.OnTime+a.Late == 0 {
		return nil
	}
	v := 100 * float64(a.OnTime) / float64(a.OnTime+a.Late)
	return &v
}

// Report returns promised against achieved per tier and month for the
// requests opened in the months months up to and including this one
// (model.PermSLARead), months newest first, tiers in their order.
func (s *Service) Report(ctx context.Context, p model.Principal, months int) ([]ReportRow, error) {
	if !p.Can(model.PermSLARead) {
		return nil, forbidden()
	}
	if months < 1 || months > 36 {
		return nil, model.FieldError("months", "must be between 1 and 36")
	}
	loc := s.store.Location()
	today := s.now().In(loc)
	to := time.Date(today.Year(), today.Month()+1, 1, 0, 0, 0, 0, loc)
	from := to.AddDate(0, -months, 0)
	tiers, err := s.store.Tiers(ctx)
	if err != nil {
		return nil, err
	}
	type key struct{ tier, month string }
	type acc struct {
		requests    int
		resp, res   Achieved
		respM, resM []float64
	}
	groups := map[key]*acc{}
	now := s.now()
	err = s.store.SLAReportRows(ctx, from, to, func(x store.SLAReportRow) error {
		k := key{x.Tier, x.CreatedAt.In(loc).Format("2006-01")}
		a := groups[k]
		if a == nil {
			a = &acc{}
			groups[k] = a
		}
		c := x.Clock
		out, mins, biz := &a.resp, &a.respM, x.FirstResponseBiz
		if c.Kind == model.ClockResolution {
			out, mins, biz = &a.res, &a.resM, x.FirstResolutionBiz
		} else {
			a.requests++ // one first-response clock per request
		}
		switch {
		case c.MetAt != nil && c.DueAt != nil && !c.MetAt.After(*c.DueAt):
			out.OnTime++
		case c.Breached(now):
			out.Late++
		}
		if biz != nil {
			*mins = append(*mins, *biz/60)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	order := map[string]int{"": len(tiers)}
	promised := map[string]model.Tier{}
	for i, t := range tiers {
		order[t.Key] = i
		promised[t.Key] = t
	}
	var out []ReportRow
	for k, a := range groups {
		row := ReportRow{Tier: k.tier, Month: k.month, Requests: a.requests, Response: a.resp, Resolve: a.res}
		if t, ok := promised[k.tier]; ok {
			row.PromisedResponse, row.PromisedResolved = t.ResponseMinutes, t.ResolutionMinutes
		}
		row.Response.Median, row.Response.P90 = quantile(a.respM, .5), quantile(a.respM, .9)
		row.Resolve.Median, row.Resolve.P90 = quantile(a.resM, .5), quantile(a.resM, .9)
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b ReportRow) int {
		if a.Month != b.Month {
			if a.Month > b.Month {
				return -1
			}
			return 1
		}
		rank := func(t string) int {
			if o, ok := order[t]; ok {
				return o
			}
			return len(tiers) + 1 // a tier deleted since
		}
		return rank(a.Tier) - rank(b.Tier)
	})
	return out, nil
}

// quantile is the q-quantile of xs (nearest rank); nil when empty.
func quantile(xs []float64, q float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	v := s[max(i, 0)]
	return &v
}
