// The HTTP handler around the web UI and the API: client addresses,
// health checks and panic recovery.

package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/clientip"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/web"
)

func (m *Main) handler() (http.Handler, error) {
	clients, err := clientip.Parse(m.Config.TrustedProxies)
	if err != nil {
		return nil, err
	}
	// A page pings every 5 s while its user types: 3 at once, then one
	// per 2 s per user is plenty (shared by every node on PostgreSQL).
	typing := auth.NewRateLimiter(m.Store, "typing", 3, 2*time.Second, 10_000, m.Now)
	webH, err := web.New(web.Deps{Store: m.Store, Auth: m.Auth, Catalog: m.Catalog, Requests: m.Requests,
		Calendars: m.Calendars, Webhooks: m.Webhooks, Inbound: m.Inbound, Network: m.Network, Parts: m.Parts, Feedback: m.Feedback,
		SLA: m.SLA, Rules: m.Rules, Analytics: m.Analytics, Repairs: m.Repairs, Mail: m.Mail, KB: m.KB, Assistant: m.Assistant, Logger: m.Logger,
		Inbox: m.Inbox, SecureCookies: m.Config.SecureCookies, Clients: clients, Live: m.Live, Typing: typing})
	if err != nil {
		return nil, err
	}
	apiH := api.New(api.Deps{Store: m.Store, Auth: m.Auth, Catalog: m.Catalog, Requests: m.Requests,
		Calendars: m.Calendars, Webhooks: m.Webhooks, Inbound: m.Inbound, Network: m.Network, Parts: m.Parts,
		Feedback: m.Feedback, SLA: m.SLA, Analytics: m.Analytics, Repairs: m.Repairs, Mail: m.Mail, KB: m.KB, Assistant: m.Assistant,
		Rules: m.Rules, Inbox: m.Inbox, Logger: m.Logger, Live: m.Live, Typing: typing})
	mux := http.NewServeMux()
	mux.Handle("/api/", apiH)
	// The event stream takes a bearer token (the API) or a session (the
	// pages' EventSource, which cannot send headers); with neither, the
	// API answers 401.
	mux.HandleFunc("GET /api/v1/events/stream", func(w http.ResponseWriter, r *http.Request) {
		// A stream ends when the server shuts down, not only when the
		// client leaves.
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		defer context.AfterFunc(m.streams, cancel)()
		r = r.WithContext(ctx)
		if _, err := r.Cookie(web.SessionCookie); err == nil && r.Header.Get("Authorization") == "" {
			webH.ServeHTTP(w, r)
			return
		}
		apiH.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /healthz", m.healthz)
	mux.Handle("GET /metrics", metricsGuard(m.Config.MetricsToken, metricsHandler()))
	mux.Handle("/", webH)
	return recoverer(m.Logger, withClientAddr(clients, mux)), nil
}

// withClientAddr puts the client's address (see clientip) into the
// request context, where rate limits and the audit log read it.
func withClientAddr(clients clientip.Resolver, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := clients.Addr(r)
		ctx := model.WithClientAddr(r.Context(), addr.String())
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (m *Main) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if m.draining.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "draining")
		return
	}
	if !m.ready.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "starting")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := m.Store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "store unavailable")
		return
	}
	fmt.Fprintln(w, "ok")
}

// recoverer turns a handler panic into a 500 and a log line.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
