package repair

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// RevenueRow is one group of the revenue report; money in minor units.
type RevenueRow struct {
	Key          string // centre code ("" for plans sold by no centre) or month (2026-03)
	Repairs      int    // completed repairs
	PaidRepairs  int64  // what customers paid for them
	PartsRevenue int64  // of which parts
	PlanSales    int64  // extended-warranty plans sold
	PartsCost    int64  // cost of the parts those repairs consumed
}

// Revenue is the revenue report of a period.
type Revenue struct {
	From, To time.Time // dates, inclusive
	GroupBy  string    // centre or month
	Currency string
	Rows     []RevenueRow
	Total    RevenueRow
}

// MaxRevenueDays bounds a report's period.
const MaxRevenueDays = 3 * 366

// Revenue reports paid repairs, parts revenue, plan sales and the cost of
// parts used between two dates (inclusive, in the store's time zone),
// grouped by centre or by month (model.PermRevenueRead).
func (s *Service) Revenue(ctx context.Context, p model.Principal, from, to, groupBy string) (*Revenue, error) {
	if !p.IsStaff() || !p.Can(model.PermRevenueRead) {
		return nil, forbidden()
	}
	loc := s.store.Location()
	y, m, _ := s.now().In(loc).Date()
	rep := &Revenue{GroupBy: strings.TrimSpace(groupBy), Currency: s.currency}
	if rep.GroupBy == "" {
		rep.GroupBy = "centre"
	}
	if rep.GroupBy != "centre" && rep.GroupBy != "month" {
		return nil, model.FieldError("group_by", "must be centre or month")
	}
	var err error
	if rep.From, err = day("from", from, time.Date(y-1, m+1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		return nil, err
	}
	if rep.To, err = day("to", to, time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)); err != nil {
		return nil, err
	}
	if rep.To.Before(rep.From) {
		return nil, model.FieldError("to", "must not be before from")
	}
	if rep.To.Sub(rep.From) > MaxRevenueDays*24*time.Hour {
		return nil, model.FieldError("to", "a report covers at most %d days", MaxRevenueDays)
	}
	start := time.Date(rep.From.Year(), rep.From.Month(), rep.From.Day(), 0, 0, 0, 0, loc)
	end := time.Date(rep.To.Year(), rep.To.Month(), rep.To.Day()+1, 0, 0, 0, 0, loc)
	facts, err := s.store.RevenueFacts(ctx, start.UTC(), end.UTC(), rep.From, rep.To)
	if err != nil {
		return nil, err
	}
	groups := map[string]*RevenueRow{}
	for _, f := range facts {
		key := f.Centre
		if rep.GroupBy == "month" {
			at := f.At.In(loc)
			if f.Dated {
				at = f.At.UTC()
			}
			key = at.Format("2006-01")
		}
		g := groups[key]
		if g == nil {
			g = &RevenueRow{Key: key}
			groups[key] = g
		}
		for _, r := range []*RevenueRow{g, &rep.Total} {
			if f.Repair {
				r.Repairs++
			}
			r.PaidRepairs += f.Paid
			r.PartsRevenue += f.PartsRevenue
			r.PlanSales += f.PlanSales
			r.PartsCost += f.PartsCost
		}
	}
	for _, g := range groups {
		rep.Rows = append(rep.Rows, *g)
	}
	sort.Slice(rep.Rows, func(i, j int) bool { return rep.Rows[i].Key < rep.Rows[j].Key })
	return rep, nil
}

func day(field, v string, def time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		if field == "from" {
			return time.Time{}, model.FieldError(field, "The start date (from) must be a date such as 2026-03-01.")
		}
		return time.Time{}, model.FieldError(field, "The end date (to) must be a date such as 2026-03-01.")
	}
	return d, nil
}
