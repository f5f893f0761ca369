package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/clientip"
	"github.com/aftercare/aftercare/internal/model"
)

// loginPage is the staff and the customer login form (one template; the
// portal variant asks for an e-mail or mobile number).
type loginPage struct {
	Base
	// Action is where the form posts.
	Action string
	// Login is the e-mail (or mobile number) typed, kept after a failure.
	Login string
	// Next is where to go after logging in.
	Next   string
	Errors FieldErrors
	// Expired says the session ended (a form sent after it, or a
	// session the server no longer has): sign in again, the text typed
	// is kept in this browser.
	Expired bool
	// CanSignup offers self-registration on the portal's login (outbound
	// mail carries the codes); without it the page says accounts come by
	// invitation.
	CanSignup bool
}

// newLoginPage is the staff (action /login) or the customer login form.
func (s *server) newLoginPage(r *http.Request, action, next string) loginPage {
	b := s.base(r, "login")
	b.Portal = strings.HasPrefix(action, "/portal")
	return loginPage{Base: b, Action: action, Next: next, CanSignup: b.Portal && s.d.Auth.CanSelfRegister()}
}

// loginForm shows the staff login; a logged-in staff user goes straight on.
func (s *server) loginForm(w http.ResponseWriter, r *http.Request) {
	if p := principalOf(r); p != nil && p.IsStaff() {
		http.Redirect(w, r, localPath(r.URL.Query().Get("next"), "/queue"), http.StatusSeeOther)
		return
	}
	page := s.newLoginPage(r, "/login", localPath(r.URL.Query().Get("next"), ""))
	page.Expired = r.URL.Query().Get("expired") == "1"
	s.render(w, r, http.StatusOK, "login", page)
}

// loginSubmit checks the staff credentials, starts the session under a
// new token, and re-renders the form with the reason when it fails.
func (s *server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	s.doLogin(w, r, "/login", "/queue", func(login, password, client string) (model.Principal, error) {
		return s.d.Auth.LoginStaff(r.Context(), login, password, client)
	})
}

// doLogin is the login flow shared by staff and customers.
func (s *server) doLogin(w http.ResponseWriter, r *http.Request, action, home string,
	check func(login, password, client string) (model.Principal, error)) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	page := s.newLoginPage(r, action, localPath(r.PostForm.Get("next"), ""))
	page.Login = strings.TrimSpace(r.PostForm.Get("login"))
	password := r.PostForm.Get("password")
	switch {
	case page.Login == "":
		page.Errors = fieldError("login", s.tr(r, "form.required"))
	case password == "":
		page.Errors = fieldError("password", s.tr(r, "form.required"))
	}
	if page.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, "login", page)
		return
	}
	p, err := check(page.Login, password, s.clientKey(r))
	if err != nil {
		code := model.ErrorCode(err)
		if code != model.EUNAUTHORIZED && code != model.ERATELIMIT {
			s.serverError(w, r, err)
			return
		}
		page.Errors = FieldErrors{Form: s.errText(r, err)}
		s.render(w, r, statusOf(err), "login", page)
		return
	}
	if !s.signIn(w, r, p) {
		return
	}
	http.Redirect(w, r, localPath(page.Next, home), http.StatusSeeOther)
}

// signIn starts p's session under a new token (so a token planted before
// the login is worthless); false means the error page was written.
func (s *server) signIn(w http.ResponseWriter, r *http.Request, p model.Principal) bool {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return false
	}
	s.sessions.Put(ctx, sessKind, string(p.Kind))
	s.sessions.Put(ctx, sessID, p.ID)
	return true
}

// logout ends the session of staff and customers alike.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	if (p != nil && p.IsCustomer()) || strings.HasPrefix(r.URL.Path, "/portal") {
		http.Redirect(w, r, "/portal/login", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// clientKey identifies the caller for login rate limits: its address
// behind trusted proxies, an IPv6 address by its /64.
func (s *server) clientKey(r *http.Request) string {
	return clientip.RateKey(s.d.Clients.Addr(r))
}
