package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// linkPage sets a customer's portal password from an invite or reset
// link.
type linkPage struct {
	Base
	// Reset is true for a password-reset link, false for an invite.
	Reset bool
	// Name greets the customer; Valid is false for an unknown, used or
	// expired link, which shows a message instead of the form.
	Name   string
	Valid  bool
	Action string
	Errors FieldErrors
}

func (s *server) newLinkPage(r *http.Request) linkPage {
	return linkPage{Base: s.base(r, "invite"), Action: r.URL.Path, Reset: strings.HasPrefix(r.URL.Path, "/portal/reset/")}
}

// linkCustomer resolves the link of r; ok is false when it is invalid
// (the page saying so has been rendered) or on an error (500 rendered).
func (s *server) linkCustomer(w http.ResponseWriter, r *http.Request, page *linkPage) (*model.Customer, bool) {
	c, purpose, err := s.d.Auth.LinkCustomer(r.Context(), r.PathValue("secret"))
	switch {
	case err == nil && (purpose == store.LinkReset) == page.Reset:
		page.Valid, page.Name = true, c.Name
		return c, true
	case err == nil, model.ErrorCode(err) == model.EINVALID, model.IsNotFound(err):
		page.Valid = false
		s.render(w, r, http.StatusNotFound, "portal_link", page)
	default:
		s.serverError(w, r, err)
	}
	return nil, false
}

// linkForm shows the set-password form of a valid link.
func (s *server) linkForm(w http.ResponseWriter, r *http.Request) {
	page := s.newLinkPage(r)
	if _, ok := s.linkCustomer(w, r, &page); !ok {
		return
	}
	s.render(w, r, http.StatusOK, "portal_link", page)
}

// linkSubmit sets the password, uses up the link (and the customer's
// other links), ends the customer's other sessions and logs the customer
// in under a new session.
func (s *server) linkSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	page := s.newLinkPage(r)
	if _, ok := s.linkCustomer(w, r, &page); !ok {
		return
	}
	pw, again := r.PostForm.Get("password"), r.PostForm.Get("password2")
	switch {
	case pw == "":
		page.Errors = fieldError("password", s.tr(r, "form.required"))
	case len(pw) < auth.MinPasswordLength:
		page.Errors = fieldError("password", s.tr(r, "invite.too_short", auth.MinPasswordLength))
	case pw != again:
		page.Errors = fieldError("password2", s.tr(r, "invite.mismatch"))
	}
	if page.Errors.Any() {
		s.render(w, r, http.StatusUnprocessableEntity, "portal_link", page)
		return
	}
	p, err := s.d.Auth.UseLink(r.Context(), r.PathValue("secret"), pw)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			page.Errors = s.errorsFrom(r, err, "password")
			if page.Errors.Form != "" {
				page.Valid = false
			}
			s.render(w, r, statusOf(err), "portal_link", page)
			return
		}
		s.serverError(w, r, err)
		return
	}
	if !s.signIn(w, r, p) {
		return
	}
	if page.Reset {
		s.flash(r, "flash.password_reset")
	} else {
		s.flash(r, "flash.welcome")
	}
	http.Redirect(w, r, "/portal", http.StatusSeeOther)
}

// forgotPage asks for the e-mail address to send a reset link to. When
// no outbound mail is configured it says how else to get one instead.
type forgotPage struct {
	Base
	CanMail bool
	Email   string
	Sent    bool
	Errors  FieldErrors
}

// forgotForm shows the "forgot password" page.
func (s *server) forgotForm(w http.ResponseWriter, r *http.Request) {
	b := s.base(r, "login")
	b.Portal = true
	s.render(w, r, http.StatusOK, "portal_forgot", forgotPage{Base: b, CanMail: s.d.Auth.CanMailResets()})
}

// forgotSubmit sends a reset link if the address belongs to a customer,
// and answers the same either way, so the form does not reveal who has
// an account.
func (s *server) forgotSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	b := s.base(r, "login")
	b.Portal = true
	page := forgotPage{Base: b, CanMail: s.d.Auth.CanMailResets(), Email: strings.TrimSpace(r.PostForm.Get("email"))}
	if !page.CanMail {
		s.render(w, r, http.StatusConflict, "portal_forgot", page)
		return
	}
	if page.Email == "" || !strings.Contains(page.Email, "@") {
		page.Errors = fieldError("email", s.tr(r, "forgot.email_invalid"))
		s.render(w, r, http.StatusUnprocessableEntity, "portal_forgot", page)
		return
	}
	err := s.d.Auth.RequestReset(r.Context(), page.Email, s.clientKey(r))
	switch model.ErrorCode(err) {
	case "":
		page.Sent = true
		s.render(w, r, http.StatusOK, "portal_forgot", page)
	case model.ERATELIMIT:
		page.Errors = FieldErrors{Form: s.errText(r, err)}
		s.render(w, r, http.StatusTooManyRequests, "portal_forgot", page)
	default:
		s.serverError(w, r, err)
	}
}
