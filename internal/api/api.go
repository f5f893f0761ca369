// Package api serves the JSON API under /api/v1 and its OpenAPI document
// at /api/openapi.json, over the same domain services as the web UI.
//
// Handlers are registered with huma (code-first OpenAPI 3.1) on a stdlib
// ServeMux, one file per resource. Every operation but the OpenAPI
// document needs a bearer API token; a per-operation middleware (auth.go)
// authenticates and checks the role before huma reads the body, so that a
// caller who may not act gets 401/403 whatever it sent. Errors are RFC 9457
// problem details translated by Accept-Language (problem.go); their
// errors[].location names the offending input the way huma does
// ("body.subject", "query.limit", "path.id", "header.If-Match").
//
// Choices worth knowing:
//   - huma builds its own errors (validation, body too large) through the
//     package-level hooks huma.NewError and huma.NewErrorWithContext. New
//     sets them once per process (sync.Once) to pure functions that read
//     the catalogs and language from the request context, so several APIs
//     in one process (tests) share them safely. It is the only global.
//   - JSON bodies are limited to 1 MiB (413 beyond). Uploads stream the
//     multipart body straight to the request service, limited to 20 MiB per
//     file; a file type not in request.AllowedTypes (detected from the
//     content) is 415 Unsupported Media Type with location body.file.
//   - PATCH takes the version from body.version or If-Match; when both are
//     sent the body wins.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/assistant"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/channel/email"
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

// Deps are the services the API needs.
type Deps struct {
	Store    *store.Store
	Auth     *auth.Service
	Catalog  *catalog.Service
	Requests *request.Service
	// Calendars answers calendar and business-time calls.
	Calendars *calendar.Service
	Webhooks  *webhook.Service
	Inbound   *email.Service
	// Mail is outbound mail: its log, templates and notification choices.
	Mail *mailout.Service
	// Inbox holds staff users' in-app notifications (mentions).
	Inbox   *inbox.Service
	Network *network.Service
	Parts   *parts.Service
	// Repairs runs repair orders, quotes and approval.
	Repairs *repair.Service
	// Feedback runs surveys, follow-up calls and complaints.
	Feedback *survey.Service
	// SLA holds SLA policies, tiers and the requests' clocks.
	SLA *sla.Service
	// Rules holds the automation rules and takes device events.
	Rules *rules.Service
	// KB is the knowledge base; Assistant answers customers from it.
	KB        *kb.Service
	Assistant *assistant.Service
	// Analytics computes satisfaction analytics from the responses.
	Analytics *analytics.Service
	Logger    *slog.Logger
	// Live carries request changes and "someone is replying" to
	// GET /api/v1/events/stream; LiveHeartbeat is how often the stream
	// sends a keep-alive comment (0: 15 s).
	Live          live.Broker
	LiveHeartbeat time.Duration
	// Typing bounds each user's "someone is replying" pings (a ping over
	// the limit is answered 204 and not passed on); nil: no limit.
	Typing auth.RateLimiter
}

// MaxBodyBytes bounds JSON request bodies; larger bodies get 413.
const MaxBodyBytes = 1 << 20

// server holds what handlers share. It is read-only after New.
type server struct {
	d      Deps
	api    huma.API
	bundle *i18n.Bundle
	log    *slog.Logger
}

// New returns the API handler, to be mounted at /api/.
func New(d Deps) http.Handler {
	installErrorHook()
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	bundle, err := i18n.Load()
	if err != nil {
		// Load returns the catalogs it could read along with the error; a
		// missing translation shows the English text rather than nothing.
		d.Logger.Error("api: load translations", "err", err)
	}
	s := &server{d: d, bundle: bundle, log: d.Logger}

	mux := http.NewServeMux()
	cfg := huma.DefaultConfig("Aftercare API", "1.0.0")
	cfg.Info.Description = "JSON API of Aftercare, an after-sales service platform. " +
		"Authenticate with `Authorization: Bearer act_…` (create tokens with `aftercare token`). " +
		"Errors are RFC 9457 problem details; `errors[].location` names the offending field " +
		"(`body.subject`, `query.limit`, `path.serial`)."
	cfg.OpenAPIPath = "/api/openapi"
	cfg.DocsPath = ""    // huma's docs page loads scripts from the internet
	cfg.SchemasPath = "" // no $schema links: the OpenAPI document has every schema
	cfg.CreateHooks = nil
	// The paths carry their /api/v1 prefix, so the server is the site's
	// root, relative to wherever the document is served (linters and
	// client generators want a servers entry; a fixed host would be wrong
	// for every installation but one).
	cfg.Servers = []*huma.Server{{URL: "/", Description: "This Aftercare installation."}}
	cfg.Info.License = &huma.License{Name: "Apache-2.0", Identifier: "Apache-2.0"}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		securityScheme: {Type: "http", Scheme: "bearer", BearerFormat: "act_…",
			Description: "An API token of a staff user or a customer."},
	}
	s.api = humago.New(mux, cfg)

	s.registerCustomers()
	s.registerProducts()
	s.registerUnits()
	s.registerUnitRegistration()
	s.registerSerials()
	s.registerRequests()
	s.registerTags()
	s.registerTasks()
	s.registerViews()
	s.registerBulk()
	s.registerMacros()
	s.registerNotices()
	s.registerMerge()
	s.registerLive()
	s.registerMessages()
	s.registerAttachments()
	s.registerCategories()
	s.registerCatalogEdit()
	s.registerPeople()
	s.registerAudit()
	s.registerCalendars()
	s.registerSLA()
	s.registerSLAPolicies()
	s.registerRules()
	s.registerWebhooks()
	s.documentWebhooks()
	s.registerMail()
	s.registerMailOut()
	s.registerMailTemplates()
	s.registerCentres()
	s.registerParts()
	s.registerStock()
	s.registerAppointments()
	s.registerPlans()
	s.registerSurveys()
	s.registerSignup()
	s.registerSurveyTemplate()
	s.registerFeedback()
	s.registerAnalytics()
	s.registerFollowups()
	s.registerComplaints()
	s.registerRepairs()
	s.registerReturns()
	s.registerRevenue()
	s.registerKB()
	s.registerAssistant()

	return jsonByDefault(refuseDuplicateMembers(s.withEnv(s.problemOnMiss(mux))))
}

// jsonByDefault treats a request body sent without a content type, or with
// curl's default application/x-www-form-urlencoded, as the JSON it is: the
// API takes nothing else outside the multipart upload endpoint. Cookies
// play no part in API authentication, so this opens no cross-site hole.
func jsonByDefault(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
			ct := r.Header.Get("Content-Type")
			if ct == "" || strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
				r.Header.Set("Content-Type", "application/json")
			}
		}
		next.ServeHTTP(w, r)
	})
}

// envKey carries the per-request *reqEnv in the request context.
type envKey struct{}

// reqEnv is what error rendering needs about the request in flight.
type reqEnv struct {
	s    *server
	lang string
}

func envFrom(ctx context.Context) *reqEnv {
	if ctx == nil {
		return nil
	}
	e, _ := ctx.Value(envKey{}).(*reqEnv)
	return e
}

// withEnv puts the reader's language and the server into the request
// context, so that huma's error hook, which is package-global, renders
// errors with this API's catalogs and logger.
func (s *server) withEnv(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env := &reqEnv{s: s, lang: i18n.Match(r.Header.Get("Accept-Language"))}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), envKey{}, env)))
	})
}

// problemOnMiss answers requests no operation matches (unknown path:
// 404, known path with another method: 405 with Allow) with a problem
// document instead of the mux's plain text.
func (s *server) problemOnMiss(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &missRecorder{header: http.Header{}, status: http.StatusNotFound}
		h.ServeHTTP(rec, r)
		msg := "no such endpoint"
		if rec.status == http.StatusMethodNotAllowed {
			msg = "method not allowed"
			if allow := rec.header.Get("Allow"); allow != "" {
				w.Header().Set("Allow", allow)
			}
		} else {
			rec.status = http.StatusNotFound
		}
		writeProblem(w, newProblem(r.Context(), rec.status, msg))
	})
}

// missRecorder captures the status and headers of the mux's own 404/405.
type missRecorder struct {
	header http.Header
	status int
}

func (m *missRecorder) Header() http.Header         { return m.header }
func (m *missRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (m *missRecorder) WriteHeader(status int)      { m.status = status }
