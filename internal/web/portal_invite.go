package web

import (
	"net/http"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// invitePage sets a customer's portal password from an invite link.
type invitePage struct {
	Base
	// Name greets the customer; Valid is false for an unknown, used or
	// expired link, which shows a message instead of the form.
	Name   string
	Valid  bool
	Action string
	Errors FieldErrors
}

// inviteForm shows the set-password form of a valid invite.
func (s *server) inviteForm(w http.ResponseWriter, r *http.Request) {
	page := invitePage{Base: s.base(r, "invite"), Action: r.URL.Path}
	c, err := s.d.Auth.InviteCustomer(r.Context(), r.PathValue("secret"))
	switch {
	case err == nil:
		page.Valid, page.Name = true, c.Name
	case model.ErrorCode(err) == model.EINVALID || model.IsNotFound(err):
		s.render(w, r, http.StatusNotFound, "portal_invite", page)
		return
	default:
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_invite", page)
}

// inviteSubmit sets the password, uses up the invite and logs the
// customer in.
func (s *server) inviteSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	secret := r.PathValue("secret")
	page := invitePage{Base: s.base(r, "invite"), Action: r.URL.Path, Valid: true}
	c, err := s.d.Auth.InviteCustomer(r.Context(), secret)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID || model.IsNotFound(err) {
			page.Valid = false
			s.render(w, r, http.StatusNotFound, "portal_invite", page)
			return
		}
		s.serverError(w, r, err)
		return
	}
	page.Name = c.Name
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
		s.render(w, r, http.StatusUnprocessableEntity, "portal_invite", page)
		return
	}
	p, err := s.d.Auth.AcceptInvite(r.Context(), secret, pw)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			page.Errors = s.errorsFrom(r, err, "password")
			if page.Errors.Form != "" {
				page.Valid = false
			}
			s.render(w, r, statusOf(err), "portal_invite", page)
			return
		}
		s.serverError(w, r, err)
		return
	}
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Put(ctx, sessKind, string(p.Kind))
	s.sessions.Put(ctx, sessID, p.ID)
	s.flash(r, "flash.welcome")
	http.Redirect(w, r, "/portal", http.StatusSeeOther)
}
