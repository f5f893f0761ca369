// Package web serves the server-rendered HTML UI for staff (the agent
// queue and request pages) and customers (the portal). Pages are
// html/template files parsed once at start-up; every visible string comes
// from the i18n catalogs; htmx (vendored) makes filters snappier, but
// every page and form also works without JavaScript.
package web

import (
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/assistant"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/clientip"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/inbox"
	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/live"
	"github.com/aftercare/aftercare/internal/mailout"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/parts"
	"github.com/aftercare/aftercare/internal/repair"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/rules"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/survey"
	"github.com/aftercare/aftercare/internal/webhook"
)

//go:embed templates static
var assets embed.FS

// SessionCookie is the name of the session cookie (the app sends the
// event stream to the pages when it is present).
const SessionCookie = "aftercare_session"

// Deps are the services the web UI needs.
type Deps struct {
	Store    *store.Store
	Auth     *auth.Service
	Catalog  *catalog.Service
	Requests *request.Service
	// Calendars serves the calendar admin pages.
	Calendars *calendar.Service
	Webhooks  *webhook.Service
	Inbound   *email.Service
	// Mail is outbound mail: its log, templates and notification choices.
	Mail *mailout.Service
	// Inbox holds staff users' in-app notifications (mentions).
	Inbox   *inbox.Service
	Network *network.Service
	Parts   *parts.Service
	// Repairs runs repair orders, quotes, approval and returns.
	Repairs *repair.Service
	// Feedback runs surveys, follow-up calls and complaints.
	Feedback *survey.Service
	// SLA holds SLA policies, customer tiers and the requests' clocks.
	SLA *sla.Service
	// Rules holds the automation rules.
	Rules *rules.Service
	// Analytics computes the satisfaction dashboard.
	Analytics *analytics.Service
	// KB is the knowledge base; Assistant answers customers from it.
	KB        *kb.Service
	Assistant *assistant.Service
	Logger    *slog.Logger
	// SecureCookies marks cookies Secure (set when the base URL is https).
	SecureCookies bool
	// Clients finds the client's address behind trusted proxies, for
	// login rate limits.
	Clients clientip.Resolver
	// Live carries request changes to open pages (the session side of
	// GET /api/v1/events/stream); LiveHeartbeat as in api.Deps.
	Live          live.Broker
	LiveHeartbeat time.Duration
	// Typing is as in api.Deps.
	Typing auth.RateLimiter
}

// Size limits of request bodies.
const (
	maxFormBody  = 1 << 20  // ordinary url-encoded forms
	maxReplyBody = 21 << 20 // a reply with one attachment of up to 20 MiB
	// maxNewRequestBody bounds a new request from the portal with its
	// photos and videos: 60 MiB of files in all (each up to 20 MiB).
	maxNewRequestBody = 61 << 20
)

// sessionLifetime is how long a login lasts at most; idleTimeout logs out
// a session unused for that long.
const (
	sessionLifetime = 12 * time.Hour
	idleTimeout     = 2 * time.Hour
)

// server holds everything the handlers share. It is built once by New and
// read-only afterwards.
type server struct {
	d        Deps
	log      *slog.Logger
	i18n     *i18n.Bundle
	views    *registry
	sessions *scs.SessionManager
	static   fs.FS
}

// New returns the web UI handler, mounted at /. It fails when a template
// or a catalog does not parse, so a broken page stops start-up instead of
// showing up at the first visit.
func New(d Deps) (http.Handler, error) {
	if d.Store == nil || d.Auth == nil || d.Requests == nil || d.Catalog == nil || d.Calendars == nil || d.Inbound == nil {
		return nil, errors.New("web: missing dependencies")
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	bundle, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	views, err := newRegistry(assets, bundle, d.Store.Location(), d.Store.Now)
	if err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets, "static")
	if err != nil {
		return nil, err
	}
	sm := scs.New()
	sm.Store = auth.SessionStore{Store: d.Store}
	sm.Lifetime = sessionLifetime
	sm.IdleTimeout = idleTimeout
	sm.Cookie.Name = SessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = d.SecureCookies
	sm.Cookie.Path = "/"
	s := &server{d: d, log: d.Logger, i18n: bundle, views: views, sessions: sm, static: static}
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) { s.serverError(w, withRequestLang(r), err) }
	return s.routes(), nil
}
