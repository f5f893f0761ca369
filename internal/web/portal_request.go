package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/survey"
)

// portalRequestPage is the customer's view of one of their requests:
// public messages and the public timeline only.
type portalRequestPage struct {
	Base
	Req         *model.Request
	Timeline    []TimelineItem
	CanCancel   bool
	CanReopen   bool
	CanReply    bool
	Reply       replyForm
	ReplyErrors FieldErrors
	StatusError string
	// Survey is this request's survey when it waits for an answer (banner).
	Survey *survey.Pending
	// Repair is the request's repair order (its quote to answer).
	Repair      *model.Repair
	RepairError string
	// Return is the request's return or exchange, with its decision's
	// reason in the reader's words.
	Return       *model.Return
	ReturnReason string
	// Reopens: a reply reopens this resolved or closed request.
	Reopens bool
	// FollowUp: closed past the reopen period, the page offers a new
	// request instead (its subject names this one; FollowUpText carries
	// what the customer wrote).
	FollowUp        bool
	FollowUpSubject string
	FollowUpText    string
	// ConfirmCancel asks "cancel this request?" before cancelling it.
	ConfirmCancel bool
}

// portalShow renders a request of the logged-in customer; anyone else's
// is the 404 page (the domain service answers not found).
func (s *server) portalShow(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadPortalRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if into := page.Req.MergedInto; into != "" {
		// A merged duplicate: the conversation goes on in the request it
		// was merged into, which shows this one's messages too.
		http.Redirect(w, r, "/portal/requests/"+into, http.StatusSeeOther)
		return
	}
	page.Reply = s.takeDraft(r, page.Req.Number)
	page.Reply.Internal = false
	s.render(w, r, http.StatusOK, "portal_request", page)
}

func (s *server) loadPortalRequest(r *http.Request) (*portalRequestPage, error) {
	p := principalOf(r)
	view, err := s.d.Requests.Get(r.Context(), *p, r.PathValue("number"))
	if err != nil {
		return nil, err
	}
	st := view.Request.Status
	expired := !s.d.Requests.ReopenAllowed(view.Request)
	page := &portalRequestPage{Base: s.base(r, "portal"), Req: view.Request,
		Timeline:  s.timeline(r, view.Messages, view.Events, namer{}, true),
		CanCancel: model.CanTransition(st, model.StatusCancelled),
		CanReopen: model.IsReopen(st, model.StatusOpen) && model.CanTransition(st, model.StatusOpen) && !expired,
		CanReply:  st != model.StatusCancelled && !expired,
		Reopens:   model.IsReopen(st, model.StatusOpen) && !expired,
		FollowUp:  expired}
	if expired {
		page.FollowUpSubject = truncateRunes(s.tr(r, "portal.followup.subject", view.Request.Number, view.Request.Subject), request.MaxSubject)
	}
	for _, sv := range s.pendingSurveys(r) {
		if sv.RequestNumber == view.Request.Number {
			page.Survey = &sv
		}
	}
	if page.Repair, err = s.d.Repairs.ForRequest(r.Context(), view.Request.ID); err != nil {
		return nil, err
	}
	if page.Return, err = s.d.Repairs.ReturnForRequest(r.Context(), view.Request.ID); err != nil {
		return nil, err
	}
	if rt := page.Return; rt != nil {
		page.ReturnReason = rt.DecisionReason
		if key := returnReasonKey(rt); key != "" {
			page.ReturnReason = s.tr(r, key, rt.WindowEndsOn.Format("2006-01-02"))
		}
	}
	return page, nil
}

func (s *server) rerenderPortalRequest(w http.ResponseWriter, r *http.Request, status int, edit func(*portalRequestPage)) {
	page, err := s.loadPortalRequest(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	edit(page)
	s.render(w, r, status, "portal_request", page)
}

// portalReply adds the customer's public message (with an optional file).
func (s *server) portalReply(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	number := r.PathValue("number")
	form, files, fe, ok := s.readReply(w, r, *p, number)
	if !ok {
		return
	}
	form.Internal = false
	if fe.Any() {
		discard(files)
		s.rerenderPortalRequest(w, r, http.StatusUnprocessableEntity, func(pg *portalRequestPage) { pg.Reply, pg.ReplyErrors = form, fe })
		return
	}
	m, err := s.d.Requests.Reply(r.Context(), *p, number, form.input(files))
	if err != nil {
		if c := model.ErrorCode(err); c == model.ENOTFOUND || c == model.EINTERNAL || c == model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		s.rerenderPortalRequest(w, r, statusOf(err), func(pg *portalRequestPage) {
			if pg.FollowUp { // closed too long ago meanwhile: the text goes to a new request
				pg.FollowUpText = form.Body
				return
			}
			pg.Reply, pg.ReplyErrors = form, s.errorsFrom(r, err, "body", "file")
		})
		return
	}
	s.flash(r, "flash.reply_sent")
	http.Redirect(w, r, portalRequestURL(strings.ToUpper(number))+"#m"+itoa(m.ID), http.StatusSeeOther)
}

// portalStatus lets the customer cancel or reopen their request.
func (s *server) portalStatus(w http.ResponseWriter, r *http.Request) {
	form, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	number := strings.ToUpper(r.PathValue("number"))
	draft := draftOf(form)
	draft.Internal = false
	var to model.Status
	switch form.Get("action") {
	case "cancel":
		to = model.StatusCancelled
		if form.Get("confirm") != "yes" {
			// Ask first; what is being written stays in the form.
			s.rerenderPortalRequest(w, r, http.StatusOK, func(pg *portalRequestPage) { pg.ConfirmCancel, pg.Reply = pg.CanCancel, draft })
			return
		}
	case "reopen":
		to = model.StatusOpen
	default:
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if _, err := s.d.Requests.ChangeStatus(r.Context(), *p, number, to, model.ChannelWeb); err != nil {
		if c := model.ErrorCode(err); c == model.ENOTFOUND || c == model.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.rerenderPortalRequest(w, r, statusOf(err), func(pg *portalRequestPage) { pg.StatusError, pg.Reply = s.errText(r, err), draft })
		return
	}
	if to != model.StatusCancelled {
		s.keepDraft(r, number, draft) // a cancelled request takes no more messages
	}
	if to == model.StatusCancelled {
		s.flash(r, "flash.cancelled")
	} else {
		s.flash(r, "flash.reopened")
	}
	http.Redirect(w, r, portalRequestURL(number), http.StatusSeeOther)
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
