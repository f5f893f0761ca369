package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
)

// returnsPage lists returns and exchanges for the desk (received →
// inspected → refunded or replaced), filtered by status.
type returnsPage struct {
	Base
	Returns  []model.Return
	Statuses []Option
}

// returnStatuses lists every status a return can stand in, in workflow
// order.
var returnStatuses = []string{model.ReturnReview, model.ReturnApproved, model.ReturnReceived, model.ReturnInspected,
	model.ReturnRefunded, model.ReturnReplaced, model.ReturnRejected}

func (s *server) returnsList(w http.ResponseWriter, r *http.Request) {
	status := r.URL.Query().Get("status")
	valid := false
	for _, st := range returnStatuses {
		valid = valid || st == status
	}
	if !valid {
		status = ""
	}
	list, err := s.d.Repairs.ListReturns(r.Context(), *principalOf(r), status)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := &returnsPage{Base: s.base(r, "returns"), Returns: list,
		Statuses: []Option{{Value: "", Label: s.tr(r, "returns.all"), Selected: status == ""}}}
	for _, st := range returnStatuses {
		page.Statuses = append(page.Statuses, Option{Value: st, Label: s.tr(r, "return.status."+st), Selected: st == status})
	}
	s.render(w, r, http.StatusOK, "returns", page)
}

// returnPage is one return with the desk's next step.
type returnPage struct {
	Base
	Return   *model.Return
	Next     []string
	Review   bool
	Currency string
	Errors   FieldErrors
	Form     url.Values
}

func (s *server) loadReturnPage(r *http.Request) (*returnPage, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, model.Errorf(model.ENOTFOUND, "return not found")
	}
	rt, err := s.d.Repairs.GetReturn(r.Context(), *principalOf(r), id)
	if err != nil {
		return nil, err
	}
	return &returnPage{Base: s.base(r, "returns"), Return: rt, Next: model.NextReturnStatuses(rt.Status),
		Review: rt.Status == model.ReturnReview, Currency: rt.Currency, Form: url.Values{}}, nil
}

func (s *server) returnShow(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadReturnPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "return", page)
}

// returnDone redirects back to the return after an action, or shows it
// again with what was typed and the message beside its field.
func (s *server) returnDone(w http.ResponseWriter, r *http.Request, f url.Values, err error) {
	if err == nil {
		s.flash(r, "flash.return_saved")
		http.Redirect(w, r, "/returns/"+url.PathEscape(r.PathValue("id")), http.StatusSeeOther)
		return
	}
	if c := model.ErrorCode(err); c == model.EINTERNAL || c == model.EFORBIDDEN || c == model.EUNAVAILABLE || c == model.ENOTFOUND {
		s.fail(w, r, err)
		return
	}
	page, lerr := s.loadReturnPage(r)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	page.Form, page.Errors = f, s.errorsFrom(r, err, "status", "refund_amount", "replacement_serial", "reason", "approved")
	s.render(w, r, statusOf(err), "return", page)
}

func returnID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// returnDecide approves or rejects a return under review.
func (s *server) returnDecide(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	_, err := s.d.Repairs.DecideReturn(r.Context(), *principalOf(r), returnID(r), f.Get("action") == "approve", f.Get("reason"))
	s.returnDone(w, r, f, err)
}

// returnStep records receipt, inspection, the refund (typed in the major
// unit) or the replacement's serial.
func (s *server) returnStep(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := repair.ReturnStepInput{Status: f.Get("status"), ReplacementSerial: f.Get("replacement_serial")}
	if in.Status == model.ReturnRefunded {
		v, ok := model.ParseMajor(strings.TrimSpace(f.Get("refund_amount")), s.d.Repairs.Currency())
		if !ok {
			s.returnDone(w, r, f, model.FieldError("refund_amount", "must be an amount like 199.50"))
			return
		}
		in.RefundAmount = v
	}
	_, err := s.d.Repairs.StepReturn(r.Context(), *principalOf(r), returnID(r), in)
	s.returnDone(w, r, f, err)
}

// portalReturnPage is the customer's return or exchange request for one
// of their units.
type portalReturnPage struct {
	Base
	Units  []Option
	Kind   string
	Reason string
	Errors FieldErrors
}

func (s *server) loadPortalReturn(r *http.Request, serial, kind, reason string) (*portalReturnPage, error) {
	units, err := s.d.Catalog.MyUnits(r.Context(), *principalOf(r))
	if err != nil {
		return nil, err
	}
	page := &portalReturnPage{Base: s.base(r, "return_request"), Kind: kind, Reason: reason}
	if page.Kind == "" {
		page.Kind = string(model.ReturnRefund)
	}
	page.Units = unitOptions(units, serial)
	return page, nil
}

func (s *server) portalReturnNew(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadPortalReturn(r, r.URL.Query().Get("serial"), "", "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_return", page)
}

// portalReturnSubmit opens the request and its return, decided at once;
// the customer lands on the request with the decision and its reason.
func (s *server) portalReturnSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	kind := model.ReturnKind(f.Get("kind"))
	subject := s.tr(r, "portal.return.subject."+string(kind))
	if !kind.Valid() {
		subject = ""
	}
	req, _, err := s.d.Repairs.RequestReturn(r.Context(), *principalOf(r), f.Get("serial"), subject,
		repair.ReturnInput{Kind: kind, Reason: f.Get("reason")})
	if err != nil {
		if c := model.ErrorCode(err); c == model.EINTERNAL || c == model.EFORBIDDEN || c == model.EUNAVAILABLE {
			s.fail(w, r, err)
			return
		}
		page, lerr := s.loadPortalReturn(r, f.Get("serial"), f.Get("kind"), f.Get("reason"))
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		page.Errors = s.errorsFrom(r, err, "serial", "kind", "reason")
		s.render(w, r, statusOf(err), "portal_return", page)
		return
	}
	s.flash(r, "flash.return_requested")
	http.Redirect(w, r, portalRequestURL(url.PathEscape(req.Number)), http.StatusSeeOther)
}

// returnReasonKey is the catalogue key of a decision's reason as the
// customer reads it; reasons an agent wrote are shown as written.
func returnReasonKey(rt *model.Return) string {
	switch rt.DecisionReason {
	case "inside the window":
		return "return.reason.inside"
	case "outside the window":
		return "return.reason.outside"
	case "outside the window: an agent will review it":
		return "return.reason.review"
	}
	return ""
}
