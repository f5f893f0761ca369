package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
)

// RevenueRow is one group of the revenue report; money in minor units.
type RevenueRow struct {
	Centre       string `json:"centre,omitempty" doc:"group_by=centre: the centre's code (empty: plans sold by no centre)."`
	Month        string `json:"month,omitempty" doc:"group_by=month: YYYY-MM in the store's time zone."`
	Repairs      int    `json:"repairs" doc:"Repairs completed."`
	PaidRepairs  int64  `json:"paid_repairs" doc:"What customers paid for them: approved totals, and inspection fees after a decline."`
	PartsRevenue int64  `json:"parts_revenue" doc:"Of which the part lines."`
	PlanSales    int64  `json:"plan_sales" doc:"Extended-warranty plans sold."`
	PartsCost    int64  `json:"parts_cost" doc:"Cost of the parts those repairs consumed."`
}

func toRevenueRow(groupBy string, r repair.RevenueRow) RevenueRow {
	out := RevenueRow{Repairs: r.Repairs, PaidRepairs: r.PaidRepairs, PartsRevenue: r.PartsRevenue, PlanSales: r.PlanSales,
		PartsCost: r.PartsCost}
	if groupBy == "month" {
		out.Month = r.Key
	} else {
		out.Centre = r.Key
	}
	return out
}

type revenueInput struct {
	From    string `query:"from" format:"date" doc:"First day (store's time zone); default the first day of the month a year ago."`
	To      string `query:"to" format:"date" doc:"Last day, inclusive; default the end of this month."`
	GroupBy string `query:"group_by" enum:"centre,month," doc:"Default centre."`
}

type revenueOutput struct {
	Body struct {
		From     string       `json:"from" format:"date"`
		To       string       `json:"to" format:"date"`
		GroupBy  string       `json:"group_by" enum:"centre,month"`
		Currency string       `json:"currency"`
		Rows     []RevenueRow `json:"rows"`
		Total    RevenueRow   `json:"total"`
	}
}

func (s *server) registerRevenue() {
	register(s, huma.Operation{
		OperationID: "revenue-report", Method: http.MethodGet, Path: "/api/v1/reports/revenue",
		Summary: "Revenue per centre or month", Tags: []string{"repairs"},
		Description: "Paid repairs (completed in the period), parts revenue, extended-warranty sales and the cost of parts used, " +
			"in minor units of the store's currency.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermRevenueRead), func(ctx context.Context, in *revenueInput) (*revenueOutput, error) {
		rep, err := s.d.Repairs.Revenue(ctx, principalFrom(ctx), in.From, in.To, in.GroupBy)
		if err != nil {
			return nil, at("query", err)
		}
		out := &revenueOutput{}
		b := &out.Body
		b.From, b.To, b.GroupBy, b.Currency = rep.From.Format("2006-01-02"), rep.To.Format("2006-01-02"), rep.GroupBy, rep.Currency
		b.Rows = make([]RevenueRow, len(rep.Rows))
		for i, r := range rep.Rows {
			b.Rows[i] = toRevenueRow(rep.GroupBy, r)
		}
		b.Total = toRevenueRow("", rep.Total)
		return out, nil
	})
}
