package web

import (
	"net/http"
)

// requestInvite makes a portal invite for the request's customer and
// shows the link on the request page, once, for the agent to pass on.
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
	secret, err := s.d.Auth.Invite(r.Context(), page.Req.CustomerID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.InviteURL = s.d.BaseURL + "/portal/invite/" + secret
	page.Reply = draftOf(form)
	s.render(w, r, http.StatusOK, "request", page)
}
