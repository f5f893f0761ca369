package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

type ctxKey int

const (
	principalKey ctxKey = iota
	langKey
)

// Session keys: the principal's (read by auth.SessionStore too) and the
// flash message's.
const (
	sessKind  = auth.SessionKind
	sessID    = auth.SessionID
	sessFlash = "flash"
)

// langCookie holds the language picked with the header switcher.
const langCookie = "lang"

// principalOf returns the logged-in principal of r, or nil.
func principalOf(r *http.Request) *model.Principal {
	p, _ := r.Context().Value(principalKey).(*model.Principal)
	return p
}

// langOf returns the display language of r (set by withLang).
func langOf(r *http.Request) string {
	if l, ok := r.Context().Value(langKey).(string); ok {
		return l
	}
	return i18n.ZhCN
}

// securityHeaders sets the headers every response carries. Scripts and
// styles come only from /static; nothing is loaded from elsewhere.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a handler panic into the 500 page.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serverError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// loadPrincipal reads the session's principal (kind and id) and loads it
// afresh, so that a deactivated user is logged out at the next request.
func (s *server) loadPrincipal(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		kind := model.PrincipalKind(s.sessions.GetString(ctx, sessKind))
		id := s.sessions.GetInt64(ctx, sessID)
		if (kind == model.KindStaff || kind == model.KindCustomer) && id > 0 {
			p, err := s.d.Auth.Principal(ctx, kind, id)
			switch {
			case err == nil:
				ctx = context.WithValue(ctx, principalKey, &p)
			case model.IsNotFound(err):
				_ = s.sessions.Destroy(ctx)
			default:
				s.serverError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// withLang picks the display language: the lang cookie (the user's
// explicit choice), then the logged-in user's saved locale, then the
// Accept-Language header; zh-CN by default.
func withLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, withRequestLang(r))
	})
}

// withRequestLang returns r carrying the display language withLang
// picks. Error pages written before withLang has run (the session store
// failing) use it too, so they are in the reader's language.
func withRequestLang(r *http.Request) *http.Request {
	lang := ""
	if c, err := r.Cookie(langCookie); err == nil {
		lang = i18n.Normalize(c.Value)
	}
	if p := principalOf(r); lang == "" && p != nil {
		lang = i18n.Normalize(p.Locale)
	}
	if lang == "" {
		lang = i18n.Match(r.Header.Get("Accept-Language"))
	}
	return r.WithContext(context.WithValue(r.Context(), langKey, lang))
}

// redirectToLogin sends the visitor to login, remembering where they
// wanted to go: the page asked for, or for a form posted after the
// session ended (which cannot be replayed) the page the form was on,
// where the browser keeps what was typed (drafts.js). The login page
// then says the session expired: a post, or a session cookie the server
// no longer knows, means the visitor had signed in.
func redirectToLogin(w http.ResponseWriter, r *http.Request, login string) {
	q := url.Values{}
	next := ""
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	} else if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		next = ref.RequestURI()
	}
	if next = localPath(next, ""); next != "" {
		q.Set("next", next)
	}
	if _, err := r.Cookie(SessionCookie); err == nil || r.Method != http.MethodGet {
		q.Set("expired", "1")
	}
	target := login
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns p when it is a path on this site, else def; it keeps
// "next" and "back" parameters from sending users elsewhere.
func localPath(p, def string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, `/\`) {
		return def
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return def
	}
	return p
}

// flash remembers a message key to show on the next page.
func (s *server) flash(r *http.Request, key string) {
	s.sessions.Put(r.Context(), sessFlash, key)
}
