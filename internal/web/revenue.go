package web

import (
	"net/http"
	"time"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
)

// revenuePage is the revenue report with its period and grouping.
type revenuePage struct {
	Base
	Report   *repair.Revenue
	From, To string
	GroupBy  string
	Error    string
	// Max is the largest paid amount of a row, for the bars.
	Max int64
}

// revenuePage renders the revenue report; ?format=csv|xlsx downloads it.
func (s *server) revenuePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := &revenuePage{Base: s.base(r, "revenue"), From: q.Get("from"), To: q.Get("to"), GroupBy: q.Get("group_by")}
	rep, err := s.d.Repairs.Revenue(r.Context(), *principalOf(r), page.From, page.To, page.GroupBy)
	if err != nil {
		if code := model.ErrorCode(err); code != model.EINVALID {
			s.fail(w, r, err)
			return
		}
		page.Error = s.errText(r, err)
		if page.GroupBy != "month" {
			page.GroupBy = "centre"
		}
		s.render(w, r, http.StatusUnprocessableEntity, "revenue", page)
		return
	}
	if format := q.Get("format"); format != "" {
		s.revenueExport(w, r, format, rep)
		return
	}
	page.Report, page.GroupBy = rep, rep.GroupBy
	page.From, page.To = rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly)
	for _, row := range rep.Rows {
		page.Max = max(page.Max, row.PaidRepairs+row.PlanSales)
	}
	s.render(w, r, http.StatusOK, "revenue", page)
}

func (s *server) revenueExport(w http.ResponseWriter, r *http.Request, format string, rep *repair.Revenue) {
	ft, err := export.ParseFormat(format)
	if err != nil {
		s.notFound(w, r)
		return
	}
	ew, err := s.startExport(w, r, ft, "revenue", rep.From.Format(time.DateOnly)+"/"+rep.To.Format(time.DateOnly), s.tr(r, "revenue.sheet"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tr := func(k string) string { return s.tr(r, k) }
	ew.Row(tr("revenue.col."+rep.GroupBy), tr("revenue.col.repairs"), tr("revenue.col.paid_repairs"), tr("revenue.col.parts_revenue"),
		tr("revenue.col.plan_sales"), tr("revenue.col.parts_cost"), tr("revenue.col.currency"))
	major := func(v int64) string { return model.FormatMinor(v, rep.Currency) }
	for _, row := range append(rep.Rows, rep.Total) {
		key := row.Key
		if row == rep.Total {
			key = tr("revenue.total")
		}
		ew.Row(key, row.Repairs, major(row.PaidRepairs), major(row.PartsRevenue), major(row.PlanSales), major(row.PartsCost), rep.Currency)
	}
	s.closeExport(r, ew)
}
