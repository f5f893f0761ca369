package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// Base is what the layout needs on every page; each page struct embeds it.
type Base struct {
	// Lang is the display language (the <html lang> attribute).
	Lang string
	// Path is the current URL path and query, where the language switcher
	// returns to.
	Path string
	// User is the logged-in principal, nil for visitors.
	User *model.Principal
	// Portal selects the customer portal's header instead of the staff one.
	Portal bool
	// Nav names the active navigation entry.
	Nav string
	// Flash is a catalog key of a one-time message ("saved"), or "".
	Flash string
	// Languages lists the languages of the switcher.
	Languages []LangOption
	// Unread counts the staff user's unread notifications (the header's
	// "Notifications" entry).
	Unread int
}

// LangOption is one entry of the language switcher.
type LangOption struct {
	Code, Label string
	Current     bool
}

// Option is one <option> of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// base fills the Base of a page and takes the pending flash message.
func (s *server) base(r *http.Request, nav string) Base { return s.baseUnread(r, nav, -1) }

// baseUnread is base with the header's unread count already known (a
// page that read it anyway, /notifications); unread < 0 reads it.
func (s *server) baseUnread(r *http.Request, nav string, unread int) Base {
	lang := langOf(r)
	p := principalOf(r)
	b := Base{Lang: lang, Path: returnPath(r), User: p, Nav: nav,
		Portal: strings.HasPrefix(r.URL.Path, "/portal") || (p != nil && p.IsCustomer())}
	if p != nil {
		b.Flash = s.sessions.PopString(r.Context(), sessFlash)
		b.Unread = unread
		if unread < 0 {
			b.Unread = s.unreadNotices(r, p)
		}
	}
	for _, l := range i18n.Languages() {
		b.Languages = append(b.Languages, LangOption{Code: l, Label: s.i18n.T(l, "lang.self"), Current: l == lang})
	}
	return b
}

// returnPath is where the language switcher comes back to: this page for
// a GET; after a form post (a page re-rendered with an error), the page
// the form was on, since the post's URL cannot be fetched.
func returnPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		return localPath(ref.RequestURI(), "/")
	}
	return "/"
}

// tr translates key into r's language.
func (s *server) tr(r *http.Request, key string, args ...any) string {
	return s.i18n.T(langOf(r), key, args...)
}

// errText is the message of a domain error in r's language.
func (s *server) errText(r *http.Request, err error) string {
	if request.IsTypeRefused(err) { // people read kinds of files, not MIME types
		return s.tr(r, "upload.type_refused")
	}
	return s.i18n.Error(langOf(r), err)
}

// FieldErrors maps form field names to translated messages shown next to
// the fields; Form holds a message that concerns no one field.
type FieldErrors struct {
	Fields map[string]string
	Form   string
}

// Any reports whether there is an error to show.
func (e FieldErrors) Any() bool { return e.Form != "" || len(e.Fields) > 0 }

// Get returns the message for field, or "".
func (e FieldErrors) Get(field string) string { return e.Fields[field] }

// errorsFrom turns err into FieldErrors: each domain error naming a known
// field goes next to it (all of them, when err reports several fields at
// once: model.FieldErrors), anything else above the form.
func (s *server) errorsFrom(r *http.Request, err error, fields ...string) FieldErrors {
	var fe FieldErrors
	all := model.AllErrors(err)
	if len(all) == 0 {
		fe.Form = s.errText(r, err)
		return fe
	}
	for _, e := range all {
		msg := s.errText(r, e)
		if e.Field != "" && slices.Contains(fields, e.Field) {
			if fe.Fields == nil {
				fe.Fields = map[string]string{}
			}
			fe.Fields[e.Field] = msg
			continue
		}
		if fe.Form != "" {
			fe.Form += " "
		}
		fe.Form += msg
	}
	return fe
}

// fieldError is a FieldErrors with one message for field.
func fieldError(field, msg string) FieldErrors {
	return FieldErrors{Fields: map[string]string{field: msg}}
}

// statusOf maps a domain error to the HTTP status of a re-rendered form.
func statusOf(err error) int { return model.HTTPStatus(model.ErrorCode(err)) }
