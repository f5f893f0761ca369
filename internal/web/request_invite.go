package web

import (
	"net/http"
)

// requestInvite makes a portal invite for the request's customer and
// shows the link on the request page, once, for the agent to pass on. A
// customer who already has a portal password cannot be invited (they
// reset it themselves); the page says so.
func (s *server) requestInvite(w http.ResponseWriter, r *http.Request) {
	form, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	page, err := s.loadRequestPage(r, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Reply = draftOf(form)
	link, err := s.d.Auth.Invite(r.Context(), *principalOf(r), page.Req.CustomerID)
	if err != nil {
		if code := statusOf(err); code == http.StatusConflict {
			page.InviteError = s.errText(r, err)
			s.render(w, r, code, "request", page)
			return
		}
		s.fail(w, r, err)
		return
	}
	page.InviteURL = link.URL
	s.render(w, r, http.StatusOK, "request", page)
}
