package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// requestStatus moves a request through the workflow (one button per
// allowed target status).
func (s *server) requestStatus(w http.ResponseWriter, r *http.Request) {
	form, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	number := strings.ToUpper(r.PathValue("number"))
	to := model.Status(form.Get("status"))
	draft := draftOf(form)
	if to == model.StatusCancelled && form.Get("confirm") != "yes" && request.MayMove(*p, model.StatusOpen, to) {
		// Cancelling ends the conversation: ask first (the text being
		// written stays in the form).
		s.rerenderRequest(w, r, http.StatusOK, nil, func(pg *requestPage) { pg.ConfirmCancel, pg.Reply = true, draft })
		return
	}
	// A status the request already has is a no-op, said as such (the
	// domain answers it with success, not a refusal).
	already := false
	if cur, err := s.d.Store.RequestByNumber(r.Context(), number); err == nil {
		already = cur.Status == to
	}
	if _, err := s.d.Requests.ChangeStatus(r.Context(), *p, number, to, model.ChannelWeb); err != nil {
		if c := model.ErrorCode(err); c == model.ENOTFOUND || c == model.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), nil, func(pg *requestPage) { pg.StatusError, pg.Reply = s.errText(r, err), draft })
		return
	}
	s.keepDraft(r, number, draft)
	if already {
		s.flash(r, "flash.nothing_changed")
	} else {
		s.flash(r, "flash.status_changed")
	}
	http.Redirect(w, r, requestURL(number), http.StatusSeeOther)
}
