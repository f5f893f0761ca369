package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// feedbackPanel is what the staff request page shows of the request's
// feedback: its survey (status, link while usable, answers), its
// follow-up call, and for a complaint its severity, deadline, escalation
// and compensation, with the forms the viewer's role allows.
type feedbackPanel struct {
	Number     string
	Survey     *survey.View
	Complaint  *survey.ComplaintView
	Severities []Option
	Kinds      []Option
	CanHandle  bool
	CanApprove bool
	CanCall    bool
	Currency   string
	Threshold  int64
	Errors     FieldErrors
	// Comp is the compensation being recorded, kept after an error.
	Comp compensationForm
}

// compensationForm is the compensation form as typed.
type compensationForm struct {
	Kind, Amount, Currency, Note string
}

// loadFeedbackPanel loads the panel of request req for the viewer of r.
func (s *server) loadFeedbackPanel(r *http.Request, req *model.Request) (*feedbackPanel, error) {
	p := principalOf(r)
	panel := &feedbackPanel{Number: req.Number, CanHandle: p.Can(model.PermComplaintHandle),
		CanApprove: p.Can(model.PermCompensationApprove), CanCall: p.Can(model.PermFollowupCall),
		Currency: s.d.Feedback.Currency(), Threshold: s.d.Feedback.ApprovalThreshold()}
	if !p.Can(model.PermSurveyRead) {
		return panel, nil
	}
	v, err := s.d.Feedback.RequestFeedback(r.Context(), *p, req.Number)
	if err != nil {
		return nil, err
	}
	panel.Survey = v
	if req.Type != model.TypeComplaint {
		return panel, nil
	}
	if panel.Complaint, err = s.d.Feedback.Complaint(r.Context(), *p, req.Number); err != nil {
		return nil, err
	}
	for sev := 1; sev <= 3; sev++ {
		panel.Severities = append(panel.Severities, Option{Value: strconv.Itoa(sev), Label: s.tr(r, "complaint.severity."+strconv.Itoa(sev)),
			Selected: sev == panel.Complaint.Complaint.Severity})
	}
	for _, k := range model.CompensationKinds() {
		panel.Kinds = append(panel.Kinds, Option{Value: string(k), Label: s.tr(r, "compensation.kind."+string(k))})
	}
	return panel, nil
}

// rerenderFeedback shows the request page again after a failed feedback
// action, with the error beside its field and the reply being written.
func (s *server) rerenderFeedback(w http.ResponseWriter, r *http.Request, err error, draft replyForm, comp compensationForm) {
	if c := model.ErrorCode(err); c != model.EINVALID && c != model.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	s.rerenderRequest(w, r, statusOf(err), nil, func(pg *requestPage) {
		pg.Reply = draft
		if pg.Feedback != nil {
			pg.Feedback.Errors = s.errorsFrom(r, err, "severity", "kind", "amount", "currency", "note")
			pg.Feedback.Comp = comp
		}
	})
}

// complaintSeverity sets a complaint's severity (and so its deadline).
func (s *server) complaintSeverity(w http.ResponseWriter, r *http.Request) {
	form, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	draft := draftOf(form)
	sev, _ := strconv.Atoi(form.Get("severity"))
	if _, err := s.d.Feedback.SetSeverity(r.Context(), *principalOf(r), number, sev); err != nil {
		s.rerenderFeedback(w, r, err, draft, compensationForm{})
		return
	}
	s.keepDraft(r, number, draft)
	s.flash(r, "flash.severity_saved")
	http.Redirect(w, r, requestURL(number)+"#feedback", http.StatusSeeOther)
}

// compensationAdd records compensation on a complaint; the amount is
// typed in major units (199.50).
func (s *server) compensationAdd(w http.ResponseWriter, r *http.Request) {
	form, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	draft := draftOf(form)
	comp := compensationForm{Kind: form.Get("comp_kind"), Amount: form.Get("comp_amount"), Currency: form.Get("comp_currency"),
		Note: form.Get("comp_note")}
	amount, ok := parseAmount(comp.Amount)
	if !ok {
		s.rerenderFeedback(w, r, model.FieldError("amount", "must be an amount like 199.50"), draft, comp)
		return
	}
	c, err := s.d.Feedback.AddCompensation(r.Context(), *principalOf(r), number, survey.CompensationInput{
		Kind: model.CompensationKind(comp.Kind), Amount: amount, Currency: comp.Currency, Note: comp.Note})
	if err != nil {
		s.rerenderFeedback(w, r, err, draft, comp)
		return
	}
	s.keepDraft(r, number, draft)
	if c.Status == model.CompPending {
		s.flash(r, "flash.compensation_pending")
	} else {
		s.flash(r, "flash.compensation_saved")
	}
	http.Redirect(w, r, requestURL(number)+"#feedback", http.StatusSeeOther)
}

// compensationDecide approves or rejects pending compensation and goes
// back where the button was (the request page or the Feedback section).
func (s *server) compensationDecide(w http.ResponseWriter, r *http.Request) {
	form, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, err := s.d.Feedback.DecideCompensation(r.Context(), *principalOf(r), id, form.Get("decision") == "approve")
	back := localPath(form.Get("back"), "/feedback")
	switch model.ErrorCode(err) {
	case "":
		s.keepDraft(r, c.RequestNumber, draftOf(form))
		s.flash(r, "flash.compensation_decided")
	case model.ECONFLICT:
		s.flash(r, "flash.compensation_decided_already")
	default:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// parseAmount reads an amount in major units with at most two decimals
// ("199", "199.5", "199.50") as minor units.
func parseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || strings.HasPrefix(whole, "-") || strings.HasPrefix(whole, "+") {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > 1e13 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return w*100 + f, true
}
