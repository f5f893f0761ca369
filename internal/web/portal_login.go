package web

import (
	"net/http"

	"github.com/aftercare/aftercare/internal/model"
)

// portalLoginForm shows the customer login (e-mail or mobile number).
func (s *server) portalLoginForm(w http.ResponseWriter, r *http.Request) {
	if p := principalOf(r); p != nil && p.IsCustomer() {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next"), "/portal"), http.StatusSeeOther)
		return
	}
	page := s.newLoginPage(r, "/portal/login", localPath(r.URL.Query().Get("next"), ""))
	page.Expired = r.URL.Query().Get("expired") == "1"
	s.render(w, r, http.StatusOK, "login", page)
}

// portalLoginSubmit checks a customer's credentials.
func (s *server) portalLoginSubmit(w http.ResponseWriter, r *http.Request) {
	s.doLogin(w, r, "/portal/login", "/portal", func(login, password, client string) (model.Principal, error) {
		return s.d.Auth.LoginCustomer(r.Context(), login, password, client)
	})
}
