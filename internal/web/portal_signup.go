package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// sessSignup keeps, in the visitor's session, the address a code was just
// sent to, so that the second step need not ask for it again.
const sessSignup = "signup_email"

// signupPage is customer self-registration: step one asks for a name and
// an e-mail address (a code is mailed there), step two (Verify) for the
// code and a password. Without outbound mail it says that accounts come
// by invitation and shows no form.
type signupPage struct {
	Base
	CanSignup bool
	Verify    bool
	Name      string
	Email     string
	// Minutes is how long a code stays valid.
	Minutes int
	Errors  FieldErrors
}

func (s *server) newSignupPage(r *http.Request, verify bool) signupPage {
	b := s.base(r, "login")
	b.Portal = true
	return signupPage{Base: b, CanSignup: s.d.Auth.CanSelfRegister(), Verify: verify, Minutes: int(auth.SignupTTL.Minutes())}
}

// signupForm shows step one; a signed-in customer goes to the portal.
func (s *server) signupForm(w http.ResponseWriter, r *http.Request) {
	if p := principalOf(r); p != nil && p.IsCustomer() {
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "portal_signup", s.newSignupPage(r, false))
}

// signupSubmit checks the name and address, sends the code and goes on to
// step two (redirect after POST). The answer is the same whether or not
// the address has an account.
func (s *server) signupSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	page := s.newSignupPage(r, false)
	page.Name, page.Email = strings.TrimSpace(r.PostForm.Get("name")), strings.TrimSpace(r.PostForm.Get("email"))
	if !page.CanSignup {
		s.render(w, r, http.StatusConflict, "portal_signup", page)
		return
	}
	errs := FieldErrors{Fields: map[string]string{}}
	if page.Name == "" {
		errs.Fields["name"] = s.tr(r, "form.required")
	}
	if page.Email == "" {
		errs.Fields["email"] = s.tr(r, "form.required")
	} else if !strings.Contains(page.Email, "@") {
		errs.Fields["email"] = s.tr(r, "forgot.email_invalid")
	}
	if errs.Any() {
		page.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, "portal_signup", page)
		return
	}
	_, err := s.d.Auth.StartSignup(r.Context(), auth.SignupInput{Name: page.Name, Email: page.Email, Locale: langOf(r)}, s.clientKey(r))
	if err != nil {
		switch model.ErrorCode(err) {
		case model.EINVALID, model.ERATELIMIT, model.ECONFLICT:
			page.Errors = s.errorsFrom(r, err, "name", "email")
			s.render(w, r, statusOf(err), "portal_signup", page)
		default:
			s.serverError(w, r, err)
		}
		return
	}
	s.sessions.Put(r.Context(), sessSignup, strings.ToLower(page.Email))
	http.Redirect(w, r, "/portal/signup/verify", http.StatusSeeOther)
}

// signupVerifyForm shows step two: the code and a password.
func (s *server) signupVerifyForm(w http.ResponseWriter, r *http.Request) {
	if p := principalOf(r); p != nil && p.IsCustomer() {
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return
	}
	page := s.newSignupPage(r, true)
	page.Email = s.sessions.GetString(r.Context(), sessSignup)
	if page.Email == "" && page.CanSignup {
		http.Redirect(w, r, "/portal/signup", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "portal_signup", page)
}

// signupVerifySubmit checks the code, sets the password, signs the
// customer in and goes to the portal; a wrong code or password comes back
// beside its field.
func (s *server) signupVerifySubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	page := s.newSignupPage(r, true)
	page.Email = s.sessions.GetString(r.Context(), sessSignup)
	if !page.CanSignup || page.Email == "" {
		http.Redirect(w, r, "/portal/signup", http.StatusSeeOther)
		return
	}
	code, pw, again := strings.TrimSpace(r.PostForm.Get("code")), r.PostForm.Get("password"), r.PostForm.Get("password2")
	errs := FieldErrors{Fields: map[string]string{}}
	if code == "" {
		errs.Fields["code"] = s.tr(r, "form.required")
	}
	switch {
	case pw == "":
		errs.Fields["password"] = s.tr(r, "form.required")
	case len(pw) < auth.MinPasswordLength:
		errs.Fields["password"] = s.tr(r, "invite.too_short", auth.MinPasswordLength)
	case pw != again:
		errs.Fields["password2"] = s.tr(r, "invite.mismatch")
	}
	if errs.Any() {
		page.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, "portal_signup", page)
		return
	}
	p, err := s.d.Auth.CompleteSignup(r.Context(), page.Email, code, pw, s.clientKey(r))
	if err != nil {
		switch model.ErrorCode(err) {
		case model.EINVALID, model.ERATELIMIT, model.ECONFLICT:
			page.Errors = s.errorsFrom(r, err, "code", "password")
			s.render(w, r, statusOf(err), "portal_signup", page)
		default:
			s.serverError(w, r, err)
		}
		return
	}
	s.sessions.Remove(r.Context(), sessSignup)
	if !s.signIn(w, r, p) {
		return
	}
	s.flash(r, "flash.welcome")
	http.Redirect(w, r, "/portal", http.StatusSeeOther)
}
