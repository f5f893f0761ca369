package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
)

// analyticsPage is the satisfaction dashboard: each section has a chart
// (drawn by static/analytics.js with the vendored ECharts from the JSON
// in its data-chart attribute), the table the chart shows, and its
// exports.
type analyticsPage struct {
	Base
	From, To, GroupBy, Level, Interval, Focus string
	FocusLabel                                string
	GroupBys, Levels                          []string
	Error                                     string

	Overall      analytics.Summary
	Satisfaction aTable
	SatChart     string

	Drivers      aTable
	DriversError string
	FixFirst     []string
	IPAChart     string
	R2           float64
	DriversN     int

	Index      aTable
	AHP        string
	AHPDefault string
	Expert     *analytics.ExpertWeights
	// Stored are the expert weights an admin entered (nil: none);
	// admins get the form that stores them, which keeps what they typed
	// (WeightsMatrix) and says what is wrong (WeightsError).
	Stored          *analytics.ExpertWeights
	CanStoreWeights bool
	WeightsMatrix   string
	WeightsError    string
	EntropyURL      string
	Indicators      []string
	IndexError      string
	IndexChart      string
	Excluded        []analytics.IndexExcluded

	Trend      aTable
	TrendChart string
	Alerts     []analytics.TrendPoint

	Scorecards aTable

	Work             aTable
	AbsentIndicators []string

	Faults      aTable
	FaultsChart string
	FaultSpikes []string

	Comments      analytics.Comments
	Aspects       aTable
	Evidence      aTable
	AspectChart   string
	AspectNames   []string
	Aspect        string
	Polarity      string
	CommentsClear string
}

// analyticsParams are the dashboard's parameters with their defaults.
type analyticsParams struct {
	period          model.Period
	groupBy, level  analytics.GroupBy
	interval, focus string
	ahp             string
	expert          *analytics.ExpertWeights
	entropy         bool // entropy weights even when expert weights are stored
}

// readAnalyticsParams reads ?from=&to=&group_by=&level=&interval=&focus=;
// a bad one is reported and replaced by its default.
func (s *server) readAnalyticsParams(r *http.Request) (analyticsParams, error) {
	q := r.URL.Query()
	var firstErr error
	keep := func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}
	var a analyticsParams
	var err error
	a.period, err = model.ParsePeriod(q.Get("from"), q.Get("to"), s.d.Store.Location(), s.d.Store.Now())
	if err != nil {
		keep(err)
		a.period, _ = model.ParsePeriod("", "", s.d.Store.Location(), s.d.Store.Now())
	}
	// Team by default: only repair requests have a centre (their repair
	// order's), so most responses would fall under "no centre".
	a.groupBy = analytics.ByTeam
	if g := q.Get("group_by"); g != "" {
		if gb, err := analytics.ParseGroupBy(g); err != nil || gb == analytics.ByNone {
			keep(model.FieldError("group_by", "must be one of product, category, centre, team, agent, channel, month"))
		} else {
			a.groupBy = gb
		}
	}
	a.level = analytics.ByTeam
	if l := analytics.GroupBy(q.Get("level")); l != "" {
		if slices.Contains(analytics.IndexLevels(), l) {
			a.level = l
		} else {
			keep(model.FieldError("level", "must be centre, team or month"))
		}
	}
	a.interval = analytics.DefaultInterval(a.period)
	if i := q.Get("interval"); i == "week" || i == "month" {
		a.interval = i
	}
	a.focus = q.Get("focus")
	a.entropy = q.Get("weights") == "entropy"
	if m := strings.TrimSpace(q.Get("ahp")); m != "" {
		a.ahp = m
		if ew, err := analytics.ParseExpertWeights("ahp", m); err != nil {
			keep(err)
		} else {
			a.expert = &ew
		}
	}
	return a, firstErr
}

func (a analyticsParams) query() url.Values {
	v := url.Values{"from": {a.period.From.Format("2006-01-02")}, "to": {a.period.To.Format("2006-01-02")},
		"group_by": {string(a.groupBy)}, "level": {string(a.level)}, "interval": {a.interval}}
	if a.focus != "" {
		v.Set("focus", a.focus)
	}
	if a.expert != nil {
		v.Set("ahp", a.ahp)
	}
	if a.entropy {
		v.Set("weights", "entropy")
	}
	return v
}

// analyticsData is everything the page and its exports show.
type analyticsData struct {
	sat, staff analytics.Satisfaction
	drivers    analytics.Drivers
	driversErr error
	index      analytics.Index
	indexErr   error
	trend      analytics.Trend
	focusLabel string
	comments   analytics.Comments
	work       analytics.WorkIndicators
	staffWork  analytics.WorkIndicators
	faults     analytics.FaultSpikes
	stored     *analytics.ExpertWeights
}

// loadAnalytics computes the dashboard; drivers and index may fail alone
// (too few answers), which their sections say.
func (s *server) loadAnalytics(r *http.Request, a analyticsParams) (analyticsData, error) {
	ctx, p, lang := r.Context(), *principalOf(r), langOf(r)
	var d analyticsData
	var err error
	if d.sat, err = s.d.Analytics.Satisfaction(ctx, p, a.period, a.groupBy, lang); err != nil {
		return d, err
	}
	if d.staff, err = s.d.Analytics.Satisfaction(ctx, p, a.period, analytics.ByAgent, lang); err != nil {
		return d, err
	}
	d.drivers, d.driversErr = s.d.Analytics.Drivers(ctx, p, a.period)
	if d.stored, err = s.d.Analytics.StoredWeights(ctx, p); err != nil {
		return d, err
	}
	expert := a.expert
	if expert == nil && !a.entropy {
		expert = d.stored
	}
	d.index, d.indexErr = s.d.Analytics.IndexWith(ctx, p, a.period, a.level, expert, lang)
	focusBy := analytics.ByNone
	if a.focus != "" {
		for _, g := range d.sat.Groups {
			if g.Key == a.focus {
				focusBy, d.focusLabel = a.groupBy, g.Label
			}
		}
	}
	if d.trend, err = s.d.Analytics.Trend(ctx, p, a.period, a.interval, focusBy, a.focus, lang); err != nil {
		return d, err
	}
	if d.comments, err = s.d.Analytics.Comments(ctx, p, a.period, commentsFilter(r)); err != nil {
		return d, err
	}
	if d.work, err = s.d.Analytics.Indicators(ctx, p, a.period, a.level); err != nil {
		return d, err
	}
	if d.staffWork, err = s.d.Analytics.Indicators(ctx, p, a.period, analytics.ByAgent); err != nil {
		return d, err
	}
	if d.faults, err = s.d.Analytics.FaultSpikes(ctx, p, a.period, a.interval, lang); err != nil {
		return d, err
	}
	return d, nil
}

// analyticsPageView renders the dashboard.
func (s *server) analyticsPageView(w http.ResponseWriter, r *http.Request) {
	s.renderAnalytics(w, r, "", nil)
}

// renderAnalytics renders the dashboard of r's parameters; typed and
// formErr are the expert-weights form's input and error when it is
// re-rendered after a refused save.
func (s *server) renderAnalytics(w http.ResponseWriter, r *http.Request, typed string, formErr error) {
	a, perr := s.readAnalyticsParams(r)
	d, err := s.loadAnalytics(r, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := analyticsPage{Base: s.base(r, "analytics"), From: a.period.From.Format("2006-01-02"), To: a.period.To.Format("2006-01-02"),
		GroupBy: string(a.groupBy), Level: string(a.level), Interval: a.interval, Focus: a.focus, FocusLabel: d.focusLabel,
		Overall: d.sat.Overall}
	for _, g := range analytics.GroupBys() {
		page.GroupBys = append(page.GroupBys, string(g))
	}
	for _, l := range analytics.IndexLevels() {
		page.Levels = append(page.Levels, string(l))
	}
	status := http.StatusOK
	if perr != nil {
		page.Error, status = s.errText(r, perr), http.StatusUnprocessableEntity
	}
	s.weightsForm(r, &page, a, d.stored, typed)
	if formErr != nil {
		page.WeightsError, status = s.errText(r, formErr), http.StatusUnprocessableEntity
	}
	groupHead := s.tr(r, "analytics.by."+string(a.groupBy))
	page.Satisfaction = s.satisfactionTable(r, "satisfaction", groupHead, d.sat, true)
	page.SatChart = s.satChart(r, d.sat)
	if d.driversErr != nil {
		page.DriversError = s.errText(r, d.driversErr)
	} else {
		page.Drivers, page.R2, page.DriversN = s.driversTable(r, d.drivers), d.drivers.R2, d.drivers.N
		for _, p := range d.drivers.FixFirst() {
			page.FixFirst = append(page.FixFirst, s.dimensionLabel(r, p.Name))
		}
		page.IPAChart = s.ipaChart(r, d.drivers)
	}
	if d.indexErr != nil {
		page.IndexError = s.errText(r, d.indexErr)
	} else {
		page.Index = s.indexTable(r, d.index, s.tr(r, "analytics.by."+string(a.level)))
		page.IndexChart = s.indexChart(r, d.index)
		page.Excluded = d.index.Excluded
	}
	page.AHP, page.Expert, page.AHPDefault = a.ahp, d.index.Expert, identityMatrix(len(analytics.IndexIndicators()))
	for i, k := range analytics.IndexIndicators() {
		page.Indicators = append(page.Indicators, fmt.Sprintf("%d. %s", i+1, s.indicatorLabel(r, k)))
	}
	page.Trend = s.trendTable(r, d.trend)
	page.TrendChart = s.trendChart(r, d.trend)
	for _, p := range d.trend.Points {
		if p.Alert != "" {
			page.Alerts = append(page.Alerts, p)
		}
	}
	page.Scorecards = s.scorecardTable(r, d.staff, d.staffWork)
	page.Work = s.workTable(r, d.work, s.tr(r, "analytics.by."+string(a.level)))
	page.AbsentIndicators = s.absentIndicators(r, d.work)
	page.Faults, page.FaultsChart, page.FaultSpikes = s.faultsTable(r, d.faults), s.faultsChart(r, d.faults), faultSpikeList(d.faults)
	page.Comments, page.AspectNames = d.comments, commentAspects()
	page.Aspects, page.Evidence, page.AspectChart = s.aspectTable(r, d.comments), s.evidenceTable(r, d.comments), s.aspectChart(r, d.comments)
	page.Aspect, page.Polarity = r.URL.Query().Get("aspect"), r.URL.Query().Get("polarity")
	page.CommentsClear = "/analytics?" + a.query().Encode() + "#comments"
	for _, t := range []*aTable{&page.Satisfaction, &page.Drivers, &page.Index, &page.Trend, &page.Scorecards, &page.Aspects, &page.Evidence, &page.Work, &page.Faults} {
		v := a.query()
		v.Set("table", t.ID)
		v.Set("format", "csv")
		t.ExportCSV = "/analytics/export?" + v.Encode()
		v.Set("format", "xlsx")
		t.ExportXLSX = "/analytics/export?" + v.Encode()
	}
	s.render(w, r, status, "analytics", page)
}

// analyticsExport downloads one of the dashboard's tables (?table=) as
// CSV or XLSX, recorded in the audit log.
func (s *server) analyticsExport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format, err := export.ParseFormat(q.Get("format"))
	table := q.Get("table")
	if err != nil || !slices.Contains([]string{"satisfaction", "drivers", "index", "trend", "scorecards", "aspects", "evidence", "work", "faults"}, table) {
		s.notFound(w, r)
		return
	}
	a, perr := s.readAnalyticsParams(r)
	if perr != nil {
		http.Redirect(w, r, "/analytics", http.StatusSeeOther)
		return
	}
	d, err := s.loadAnalytics(r, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var t aTable
	switch table {
	case "satisfaction":
		t = s.satisfactionTable(r, table, s.tr(r, "analytics.by."+string(a.groupBy)), d.sat, true)
	case "scorecards":
		t = s.scorecardTable(r, d.staff, d.staffWork)
	case "drivers":
		if d.driversErr != nil {
			s.fail(w, r, d.driversErr)
			return
		}
		t = s.driversTable(r, d.drivers)
	case "index":
		if d.indexErr != nil {
			s.fail(w, r, d.indexErr)
			return
		}
		t = s.indexTable(r, d.index, s.tr(r, "analytics.by."+string(a.level)))
	case "trend":
		t = s.trendTable(r, d.trend)
	case "aspects":
		t = s.aspectTable(r, d.comments)
	case "evidence":
		t = s.evidenceTable(r, d.comments)
	case "work":
		t = s.workTable(r, d.work, s.tr(r, "analytics.by."+string(a.level)))
	case "faults":
		t = s.faultsTable(r, d.faults)
	}
	what := fmt.Sprintf("analytics %s %s to %s", table, a.period.From.Format("2006-01-02"), a.period.To.Format("2006-01-02"))
	if err := s.d.Analytics.RecordExport(r.Context(), *principalOf(r), what, string(format)); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="aftercare-%s-%s-%s.%s"`, table,
		a.period.From.Format("20060102"), a.period.To.Format("20060102"), format))
	w.Header().Set("Cache-Control", "no-store")
	ew, err := export.New(format, w, table)
	if err == nil {
		err = writeTable(ew, t)
		if cerr := ew.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		s.log.Error("analytics export", "err", err)
	}
}

// writeTable writes t's heading and rows (values, not display texts).
func writeTable(w export.Writer, t aTable) error {
	head := make([]any, len(t.Head))
	for i, h := range t.Head {
		head[i] = h
	}
	if err := w.Row(head...); err != nil {
		return err
	}
	for _, row := range t.Rows {
		vals := make([]any, len(row.Cells))
		for i, c := range row.Cells {
			vals[i] = c.Value
		}
		if err := w.Row(vals...); err != nil {
			return err
		}
	}
	return nil
}

// chartJSON encodes a chart's data for its data-chart attribute.
func chartJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// identityMatrix is the AHP matrix of equal importance, the form's
// starting point: n rows of n ones.
func identityMatrix(n int) string {
	row := strings.TrimSuffix(strings.Repeat("1,", n), ",")
	return strings.TrimSuffix(strings.Repeat(row+";\n", n), "\n")
}
