package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/sla"
)

// slaReportPage compares what each tier promised with what its customers
// got, month by month.
type slaReportPage struct {
	Base
	Months     int
	MonthOpts  []Option
	Rows       []reportLine
	ExportCSV  string
	ExportXLSX string
}

// reportLine is a report row with its figures in words.
type reportLine struct {
	Tier, Month                               string
	Requests                                  int
	PromisedResponse, PromisedResolution      string
	ResponseMedian, ResponseP90, ResponseRate string
	ResolveMedian, ResolveP90, ResolveRate    string
	ResponseBar, ResolveBar                   int // 0–100, for the bars
	ResponseLate, ResolveLate                 int
}

// reportMonths reads ?months= (default 6).
func reportMonths(r *http.Request) int {
	if n, err := strconv.Atoi(r.URL.Query().Get("months")); err == nil && n >= 1 && n <= 36 {
		return n
	}
	return 6
}

func (s *server) reportLines(r *http.Request, rows []sla.ReportRow) ([]reportLine, error) {
	tiers, err := s.d.SLA.Tiers(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, t := range tiers {
		names[t.Key] = tierLabel(langOf(r), t)
	}
	num := func(v *float64) string {
		if v == nil {
			return "—"
		}
		return fmt.Sprintf("%.0f", *v)
	}
	pct := func(v *float64) (string, int) {
		if v == nil {
			return "—", 0
		}
		return fmt.Sprintf("%.1f%%", *v), int(*v + .5)
	}
	promised := func(v *int) string {
		if v == nil {
			return "—"
		}
		return strconv.Itoa(*v)
	}
	var out []reportLine
	for _, row := range rows {
		name := names[row.Tier]
		switch {
		case row.Tier == "":
			name = s.tr(r, "sla.report.no_tier")
		case name == "":
			name = row.Tier
		}
		l := reportLine{Tier: name, Month: row.Month, Requests: row.Requests,
			PromisedResponse: promised(row.PromisedResponse), PromisedResolution: promised(row.PromisedResolved),
			ResponseMedian: num(row.Response.Median), ResponseP90: num(row.Response.P90),
			ResolveMedian: num(row.Resolve.Median), ResolveP90: num(row.Resolve.P90),
			ResponseLate: row.Response.Late, ResolveLate: row.Resolve.Late}
		l.ResponseRate, l.ResponseBar = pct(row.Response.Rate())
		l.ResolveRate, l.ResolveBar = pct(row.Resolve.Rate())
		out = append(out, l)
	}
	return out, nil
}

// slaReport renders the report, or downloads it with ?format=csv|xlsx.
func (s *server) slaReport(w http.ResponseWriter, r *http.Request) {
	months := reportMonths(r)
	rows, err := s.d.SLA.Report(r.Context(), *principalOf(r), months)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lines, err := s.reportLines(r, rows)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f := r.URL.Query().Get("format"); f != "" {
		format, err := export.ParseFormat(f)
		if err != nil {
			s.notFound(w, r)
			return
		}
		ew, err := s.startExport(w, r, format, "sla-report", "months="+strconv.Itoa(months), s.tr(r, "sla.report.sheet"))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		tr := func(k string) string { return s.tr(r, k) }
		ew.Row(tr("sla.report.col.month"), tr("sla.report.col.tier"), tr("sla.report.col.requests"),
			tr("sla.report.col.promised_response"), tr("sla.report.col.response_median"), tr("sla.report.col.response_p90"),
			tr("sla.report.col.response_rate"), tr("sla.report.col.response_late"),
			tr("sla.report.col.promised_resolution"), tr("sla.report.col.resolve_median"), tr("sla.report.col.resolve_p90"),
			tr("sla.report.col.resolve_rate"), tr("sla.report.col.resolve_late"))
		for _, l := range lines {
			ew.Row(l.Month, l.Tier, l.Requests, l.PromisedResponse, l.ResponseMedian, l.ResponseP90, l.ResponseRate, l.ResponseLate,
				l.PromisedResolution, l.ResolveMedian, l.ResolveP90, l.ResolveRate, l.ResolveLate)
		}
		s.closeExport(r, ew)
		return
	}
	page := &slaReportPage{Base: s.base(r, "sla"), Months: months, Rows: lines,
		ExportCSV:  fmt.Sprintf("/sla/report?months=%d&format=csv", months),
		ExportXLSX: fmt.Sprintf("/sla/report?months=%d&format=xlsx", months)}
	for _, m := range []int{3, 6, 12, 24} {
		page.MonthOpts = append(page.MonthOpts, Option{Value: strconv.Itoa(m), Label: s.tr(r, "sla.report.months", m), Selected: m == months})
	}
	s.render(w, r, http.StatusOK, "sla_report", page)
}
