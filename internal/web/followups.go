package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// followupsPage is the agents' follow-up call queue (回访): calls due
// now, oldest first; or every open call, or the done ones.
type followupsPage struct {
	Base
	View     string // due, all, done
	Tabs     []Tab
	Items    []model.Followup
	NextURL  string
	FirstURL string
}

// followupQueue renders one page of the follow-up queue.
func (s *server) followupQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	view := q.Get("view")
	if view != "all" && view != "done" {
		view = "due"
	}
	f := model.FollowupFilter{Status: model.FollowupOpen, Limit: 50, Cursor: q.Get("cursor")}
	if view == "done" {
		f.Status = model.FollowupDone
	}
	res, err := s.d.Feedback.Followups(r.Context(), *principalOf(r), f, view == "all")
	if model.ErrorCode(err) == model.EINVALID && f.Cursor != "" {
		http.Redirect(w, r, "/followups?view="+view, http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := followupsPage{Base: s.base(r, "followups"), View: view, Items: res.Items}
	for _, v := range []string{"due", "all", "done"} {
		page.Tabs = append(page.Tabs, Tab{Label: s.tr(r, "followups.tab."+v), URL: "/followups?view=" + v, Active: v == view})
	}
	if res.NextCursor != "" {
		page.NextURL = "/followups?" + url.Values{"view": {view}, "cursor": {res.NextCursor}}.Encode()
	}
	if f.Cursor != "" {
		page.FirstURL = "/followups?view=" + view
	}
	s.render(w, r, http.StatusOK, "followups", page)
}

// followupPage is the call screen of one follow-up: who to call, the
// request, earlier attempts, and the form recording this call with the
// survey's questions.
type followupPage struct {
	Base
	F            *model.Followup
	Attempts     []model.FollowupAttempt
	Reachability []Option
	Note         string
	Questions    []questionView
	Errors       FieldErrors
	MaxAttempts  int
}

func (s *server) loadFollowup(r *http.Request, values url.Values, fe FieldErrors) (*followupPage, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, model.Errorf(model.ENOTFOUND, "%s not found", "follow-up")
	}
	f, atts, t, err := s.d.Feedback.Followup(r.Context(), *principalOf(r), id)
	if err != nil {
		return nil, err
	}
	page := &followupPage{Base: s.base(r, "followups"), F: f, Attempts: atts, Errors: fe, Note: values.Get("note"),
		Questions: s.questionViews(t, langOf(r), values, fe), MaxAttempts: survey.MaxCallAttempts}
	chosen := values.Get("reachability")
	for _, rc := range model.Reachabilities() {
		page.Reachability = append(page.Reachability, Option{Value: string(rc), Label: s.tr(r, "followup.reach."+string(rc)),
			Selected: string(rc) == chosen})
	}
	return page, nil
}

// followupShow renders the call screen.
func (s *server) followupShow(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadFollowup(r, url.Values{}, FieldErrors{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "followup", page)
}

// followupCall records one call: its reachability and note and, when the
// customer was reached and answered, the survey's answers (a response
// from the phone channel).
func (s *server) followupCall(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	form := r.PostForm
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	in := survey.CallInput{Reachability: model.Reachability(form.Get("reachability")), Note: form.Get("note")}
	answers, fe := s.answersFrom(r, form)
	answered := answers.CSAT != nil || answers.NPS != nil || answers.CES != nil || strings.TrimSpace(answers.Comment) != ""
	for _, v := range answers.Dimensions {
		answered = answered || v != nil
	}
	if answered {
		in.Answers = &answers
	}
	var err error
	if !fe.Any() {
		_, err = s.d.Feedback.RecordCall(r.Context(), *principalOf(r), id, in)
		if err == nil {
			s.flash(r, "flash.call_recorded")
			http.Redirect(w, r, "/followups/"+itoa(id), http.StatusSeeOther)
			return
		}
		switch model.ErrorCode(err) {
		case model.EINVALID, model.ECONFLICT:
			fe = s.errorsFrom(r, err, append(surveyFields(), "reachability", "note")...)
		default:
			s.fail(w, r, err)
			return
		}
	}
	page, lerr := s.loadFollowup(r, form, fe)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	status := http.StatusUnprocessableEntity
	if err != nil {
		status = statusOf(err)
	}
	s.render(w, r, status, "followup", page)
}
