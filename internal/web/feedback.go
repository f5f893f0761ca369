package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
)

// feedbackPage is the managers' Feedback section: the period's response
// rate, its survey responses (newest first, a page at a time, with their
// comments' sentiment), exports, and compensation waiting for approval.
type feedbackPage struct {
	Base
	From, To   string
	Error      string
	Stats      model.SurveyStats
	Rate       string
	Items      []model.SurveyResponse
	NextURL    string
	FirstURL   string
	ExportCSV  string
	ExportXLSX string
	Pending    []model.Compensation
	CanApprove bool
	Currency   string
}

// feedback renders the Feedback section for ?from=&to= (default: the
// last 90 days).
func (s *server) feedback(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	q := r.URL.Query()
	page := feedbackPage{Base: s.base(r, "feedback"), From: q.Get("from"), To: q.Get("to"), CanApprove: p.Can(model.PermCompensationApprove)}
	status := http.StatusOK
	period, err := model.ParsePeriod(page.From, page.To, s.d.Store.Location(), s.d.Store.Now())
	if err != nil {
		page.Error, status = s.errText(r, err), http.StatusUnprocessableEntity
		period, _ = model.ParsePeriod("", "", s.d.Store.Location(), s.d.Store.Now())
	}
	page.From, page.To = period.From.Format("2006-01-02"), period.To.Format("2006-01-02")
	cursor := q.Get("cursor")
	res, err := s.d.Feedback.Responses(r.Context(), *p, period, 50, cursor)
	if model.ErrorCode(err) == model.EINVALID && cursor != "" {
		res, err = s.d.Feedback.Responses(r.Context(), *p, period, 50, "")
		cursor = ""
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Items = res.Items
	if page.Stats, err = s.d.Feedback.Stats(r.Context(), *p, period); err != nil {
		s.fail(w, r, err)
		return
	}
	page.Rate = fmt.Sprintf("%.0f%%", 100*page.Stats.ResponseRate())
	v := url.Values{"from": {page.From}, "to": {page.To}}
	if res.NextCursor != "" {
		nv := url.Values{"from": {page.From}, "to": {page.To}, "cursor": {res.NextCursor}}
		page.NextURL = "/feedback?" + nv.Encode()
	}
	if cursor != "" {
		page.FirstURL = "/feedback?" + v.Encode()
	}
	v.Set("format", "csv")
	page.ExportCSV = "/feedback/export?" + v.Encode()
	v.Set("format", "xlsx")
	page.ExportXLSX = "/feedback/export?" + v.Encode()
	if page.CanApprove {
		if page.Pending, err = s.d.Feedback.PendingCompensations(r.Context(), *p); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	page.Currency = s.d.Feedback.Currency()
	s.render(w, r, status, "feedback", page)
}

// feedbackExport downloads the period's responses, one row per response
// with the columns of survey.ExportColumns, audited.
func (s *server) feedbackExport(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	q := r.URL.Query()
	format, err := export.ParseFormat(q.Get("format"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	period, err := model.ParsePeriod(q.Get("from"), q.Get("to"), s.d.Store.Location(), s.d.Store.Now())
	if err != nil {
		http.Redirect(w, r, "/feedback", http.StatusSeeOther)
		return
	}
	if err := s.d.Feedback.StartExport(r.Context(), *p, period, format); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="aftercare-survey-responses-%s-%s.%s"`,
		period.From.Format("20060102"), period.To.Format("20060102"), format))
	w.Header().Set("Cache-Control", "no-store")
	ew, err := export.New(format, w, "responses")
	if err == nil {
		err = s.d.Feedback.WriteExport(r.Context(), period, langOf(r), ew)
		if cerr := ew.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		s.log.Error("feedback export", "err", err)
	}
}
