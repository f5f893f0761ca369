// Package app assembles Aftercare: configuration, store, migrations,
// domain services, background jobs and the HTTP server. The CLI and the
// end-to-end tests boot it the same way.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/assistant"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/clientip"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/jobs"
	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/live"
	"github.com/aftercare/aftercare/internal/mailout"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/parts"
	"github.com/aftercare/aftercare/internal/repair"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/rules"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/survey"
	"github.com/aftercare/aftercare/internal/web"
	"github.com/aftercare/aftercare/internal/webhook"
)

// Main is a running (or ready to run) Aftercare instance.
type Main struct {
	Config   config.Config
	Logger   *slog.Logger
	Now      func() time.Time
	Store    *store.Store
	Auth     *auth.Service
	Catalog  *catalog.Service
	Requests *request.Service
	// Files keeps attachments and proofs of purchase: the database on
	// PostgreSQL, the data directory on SQLite.
	Files blob.Store
	// Live carries request changes to open pages (server-sent events):
	// in-process on SQLite (one node), PostgreSQL LISTEN/NOTIFY across
	// nodes on PostgreSQL.
	Live live.Broker
	// Calendars holds business calendars and the business-time engine.
	Calendars *calendar.Service
	// Inbound receives inbound e-mail (SMTP listener, IMAP poller).
	Inbound *email.Service
	// IMAP polls --imap-url; nil without it.
	IMAP    *email.Poller
	Network *network.Service
	Parts   *parts.Service
	Repairs *repair.Service
	// Feedback runs surveys, follow-up calls and complaints.
	Feedback *survey.Service
	// SLA holds SLA policies, customer tiers and the requests' clocks.
	SLA *sla.Service
	// Rules runs the automation rules and takes device events.
	Rules *rules.Service
	// KB is the knowledge base; Assistant answers customers from it.
	KB        *kb.Service
	Assistant *assistant.Service
	// Analytics computes satisfaction analytics from the responses.
	Analytics *analytics.Service
	// ResetMailer, when set before OpenStore, lets customers ask for a
	// password-reset link by e-mail (outbound mail sets it).
	ResetMailer auth.ResetMailer
	// SignupMailer, when set before OpenStore, lets customers register
	// themselves with an e-mailed code (outbound mail sets it).
	SignupMailer auth.SignupMailer
	// AutoCloseEvery, when set before Open, replaces the auto-close job's
	// 15-minute period. It is a seam for tests (which set it, and Now, to
	// see background jobs run), not a setting for users.
	AutoCloseEvery time.Duration
	// Webhooks manages outgoing webhooks and makes their deliveries.
	Webhooks *webhook.Service
	// WebhookSchedule, WebhookResolver and JobPollInterval, when set before
	// OpenStore, replace the webhook retry schedule, the resolver of
	// webhook hosts and how often idle job queues look for work. They are
	// seams for tests (seconds instead of hours, DNS answers that change),
	// not settings for users.
	WebhookSchedule []time.Duration
	WebhookResolver webhook.Resolver
	JobPollInterval time.Duration
	// IMAPPollEvery, when set before Open, replaces the IMAP poll's
	// one-minute period (a seam for tests, like AutoCloseEvery).
	IMAPPollEvery time.Duration
	// SLASweepEvery, when set before Open, replaces the SLA sweeper's
	// one-minute period (a seam for tests).
	SLASweepEvery time.Duration
	// IdleEvery, when set before Open, replaces the one-minute period of
	// the request.idle rules (a seam for tests).
	IdleEvery time.Duration
	// SurveyMailer, when set before OpenStore, e-mails survey invitations
	// and reminders (outbound mail sets it); without it they reach
	// customers through the portal.
	SurveyMailer survey.Mailer
	// Mail sends outbound e-mail through --smtp-relay (queued nowhere
	// without one) and holds the templates and notification preferences.
	Mail *mailout.Service
	// MailSchedule, when set before OpenStore, replaces the outbound mail
	// retry schedule (a seam for tests, like WebhookSchedule).
	MailSchedule []time.Duration

	jobs     *jobs.Runner
	smtp     *email.SMTPServer
	listener net.Listener
	server   *http.Server
	ready    atomic.Bool
	draining atomic.Bool
	// streams ends the open event streams when the server shuts down (they
	// would otherwise hold Shutdown until its deadline).
	streams    context.Context
	endStreams context.CancelFunc
}

// New returns an unopened Main for cfg (already validated).
func New(cfg config.Config, logger *slog.Logger) *Main {
	if logger == nil {
		logger = slog.Default()
	}
	return &Main{Config: cfg, Logger: logger, Now: time.Now}
}

// OpenStore opens and migrates the store (goose, then River's own
// migrations) and builds the domain services. The CLI's administrative
// commands stop here.
func (m *Main) OpenStore(ctx context.Context) error {
	st, err := store.Open(ctx, store.Options{
		DatabaseURL: m.Config.DatabaseURL,
		SQLitePath:  m.Config.SQLitePath(),
		Location:    m.Config.Location(),
		Now:         m.Now,
	})
	if err != nil {
		return err
	}
	m.Store = st
	if err := m.migrate(ctx); err != nil {
		return err
	}
	enq, err := jobs.NewEnqueuer(st, m.WebhookSchedule)
	if err != nil {
		return err
	}
	enq.SetMailSchedule(m.MailSchedule)
	if err := m.openMail(enq); err != nil {
		return err
	}
	m.Auth = auth.NewService(st, auth.Options{Now: m.Now, BaseURL: m.Config.BaseURL, Mailer: m.ResetMailer, Signup: m.SignupMailer})
	st.SetEventSink(store.EventSink{Render: api.EventJSON, Enqueue: enq.Enqueue})
	m.Live = live.NewMemory()
	if st.Dialect() == store.Postgres {
		m.Live = live.NewPostgres(st.Pool(), m.Logger)
	}
	st.SetLive(m.Live)
	m.Webhooks = webhook.NewService(st, webhook.Options{AllowPrivate: m.Config.WebhookAllowPrivate,
		Resolver: m.WebhookResolver, Now: m.Now, Logger: m.Logger})
	m.Catalog = catalog.NewService(st, m.Now).WithCurrency(m.Config.Currency)
	m.Network = network.NewService(st, m.Now)
	m.Parts = parts.NewService(st, m.Now, m.Config.Currency)
	m.Repairs = repair.NewService(st, m.Catalog, m.Network, m.Now, m.Config.Currency)
	m.Calendars = calendar.NewService(st)
	m.Files = m.fileStore()
	m.Requests = request.NewService(st, request.Options{
		ReopenPeriod:  time.Duration(m.Config.ReopenDays) * 24 * time.Hour,
		AttachmentDir: m.Config.AttachmentDir(),
		Blobs:         m.Files,
		Now:           m.Now,
	})
	m.Catalog.WithFiles(m.Requests) // proofs of purchase are kept like attachments
	m.SLA = sla.New(st, m.Calendars, m.Logger)
	m.Rules = rules.New(st, m.Calendars, m.Mail, m.Logger)
	m.Inbound = email.NewService(st, m.Requests, m.Logger, m.Config.SMTPMaxBytes)
	if m.Config.IMAPURL != "" {
		cfg, err := email.ParseIMAPURL(m.Config.IMAPURL)
		if err != nil {
			return fmt.Errorf("--imap-url: %w", err)
		}
		m.IMAP = email.NewPoller(m.Inbound, cfg, m.Logger)
	}
	hours, err := m.Config.ComplaintDeadlines()
	if err != nil {
		return err
	}
	senti := survey.NewSentimentModel(m.Logger.Warn)
	m.Feedback = survey.New(st, survey.Options{
		Delay:             m.Config.SurveyDelay,
		Cooldown:          time.Duration(m.Config.SurveyCooldownDays) * 24 * time.Hour,
		FollowupAfter:     time.Duration(m.Config.FollowupDays) * 24 * time.Hour,
		FollowupShare:     m.Config.FollowupShare,
		ComplaintHours:    hours,
		ApprovalThreshold: m.Config.CompensationApprovalThreshold,
		Currency:          m.Config.Currency,
		BaseURL:           m.Config.BaseURL,
		Mailer:            m.SurveyMailer,
		Scorer:            senti.Scorer(),
		BatchScorer:       senti.BatchScorer(),
		Now:               m.Now,
		Logger:            m.Logger,
	})
	m.KB = kb.NewService(st)
	var llm *assistant.LLM
	if m.Config.LLMURL != "" {
		llm = &assistant.LLM{URL: m.Config.LLMURL, Model: m.Config.LLMModel, Key: m.Config.LLMKey}
	}
	m.Assistant = assistant.New(m.KB, m.Requests, assistant.Options{LLM: llm, Now: m.Now, Logger: m.Logger, Store: st})
	m.Analytics = analytics.New(st)
	return nil
}

// migrate applies Aftercare's migrations, then River's, one node at a
// time when several start at once on one PostgreSQL database.
func (m *Main) migrate(ctx context.Context) error {
	unlock, err := m.Store.LockMigrations(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := m.Store.Migrate(ctx); err != nil {
		return err
	}
	return jobs.Migrate(ctx, m.Store)
}

// Open opens the store and prepares the HTTP handler and background jobs,
// and binds the listen address (so Addr is known before Run).
func (m *Main) Open(ctx context.Context) error {
	if err := m.OpenStore(ctx); err != nil {
		return err
	}
	opts := jobs.Options{
		AutoCloseAfter:  time.Duration(m.Config.AutoCloseDays) * 24 * time.Hour,
		Uploads:         m.Requests,
		AutoCloseEvery:  m.AutoCloseEvery,
		Webhooks:        m.Webhooks,
		WebhookSchedule: m.WebhookSchedule,
		PollInterval:    m.JobPollInterval,
		MailRetry:       m.Inbound,
		MailPollEvery:   m.IMAPPollEvery,
		Feedback:        m.Feedback,
		MailSchedule:    m.MailSchedule,
		SLA:             m.SLA,
		SLASweepEvery:   m.SLASweepEvery,
		Rules:           m.Rules,
		IdleEvery:       m.IdleEvery,
		Logger:          m.Logger,
	}
	if m.Mail.Enabled() {
		opts.MailSend = m.Mail
	}
	if m.IMAP != nil {
		opts.MailPoll = m.IMAP
	}
	r, err := jobs.New(m.Store, opts)
	if err != nil {
		return err
	}
	m.jobs = r
	if err := m.Feedback.Start(ctx, r); err != nil {
		return err
	}
	m.SLA.Start(r)
	// Automation rules run last in each change, after the SLA clocks
	// moved; a recorded SLA warning notifies the assignee and, like a
	// breach, runs the rules of its trigger.
	m.Rules.Start()
	m.SLA.OnAlert(func(ctx context.Context, q store.Querier, a sla.Alert) error {
		if a.Alert == model.AlertWarning {
			if err := m.Mail.NotifySLAWarningIn(ctx, q, a.RequestID, a.DueAt); err != nil {
				return err
			}
		}
		return m.Rules.SLAAlert(ctx, q, a.RequestID, a.Alert)
	})
	m.streams, m.endStreams = context.WithCancel(context.Background())
	h, err := m.handler()
	if err != nil {
		return err
	}
	m.server = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads up to 20 MiB on slow links
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.server.RegisterOnShutdown(m.endStreams)
	m.listener, err = net.Listen("tcp", m.Config.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if m.Config.SMTPListen != "" {
		if m.smtp, err = email.ListenSMTP(m.Inbound, m.Config.SMTPListen, m.Logger); err != nil {
			return err
		}
	}
	return nil
}

// SMTPAddr is the address of the inbound SMTP listener, "" without one.
func (m *Main) SMTPAddr() string {
	if m.smtp == nil {
		return ""
	}
	return m.smtp.Addr()
}

// Addr is the address the server listens on (useful with port 0).
func (m *Main) Addr() string { return m.listener.Addr().String() }

// URL is the server's base URL.
func (m *Main) URL() string { return "http://" + m.Addr() }

// SetReady marks the instance ready: /healthz answers 200 only once the
// store answers and any start-up work (demo seeding) is done.
func (m *Main) SetReady(ready bool) { m.ready.Store(ready) }

// Run starts background jobs and serves HTTP (and SMTP, with
// --smtp-listen) until ctx ends, then stops gracefully (see stop).
func (m *Main) Run(ctx context.Context) error {
	if pg, ok := m.Live.(*live.Postgres); ok {
		// Listen before serving, so that a page that opens its event
		// stream hears every change made after it (on any node).
		lctx, stop := context.WithCancel(ctx)
		defer stop()
		go pg.Listen(lctx)
		if err := pg.WaitReady(ctx, 10*time.Second); err != nil {
			m.Logger.Warn("live updates across nodes are not flowing yet", "err", err)
		}
	}
	if err := m.jobs.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	// Start-up (migrations, templates checked, models decoded) allocated
	// several times what the idle server keeps (a peak of 44 MB against
	// 7 MB live): give it back now, not whenever the scavenger gets to it.
	debug.FreeOSMemory()
	errc := make(chan error, 2)
	go func() { errc <- m.server.Serve(m.listener) }()
	if m.smtp != nil {
		go func() {
			if err := m.smtp.Serve(); err != nil {
				errc <- fmt.Errorf("smtp: %w", err)
			}
		}()
	}
	var runErr error
	select {
	case runErr = <-errc:
	case <-ctx.Done():
		m.drain(errc)
	}
	err := m.stop(context.WithoutCancel(ctx))
	if runErr != nil && !errors.Is(runErr, http.ErrServerClosed) {
		err = errors.Join(runErr, err) // a listener failed: the app stops
	}
	return err
}

// drain is the first step of a graceful stop: for --drain-delay /healthz
// answers 503 "draining" while everything else is still served, so that a
// load balancer's health checks take the node out before it stops
// accepting. A listener failing meanwhile cuts the wait short.
func (m *Main) drain(errc <-chan error) {
	m.draining.Store(true)
	if m.Config.DrainDelay <= 0 {
		return
	}
	m.Logger.Info("draining: /healthz answers 503", "for", m.Config.DrainDelay)
	t := time.NewTimer(m.Config.DrainDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case err := <-errc:
		m.Logger.Warn("listener failed while draining", "err", err)
	}
}

// stop closes the listeners and answers every connection's last request
// with "Connection: close"; open event streams end at once (clients
// reconnect, through the balancer, to another node); requests in flight
// get --shutdown-timeout to finish, after which their connections are
// closed; then the background jobs stop (River lets running jobs finish
// within what is left of the timeout).
func (m *Main) stop(ctx context.Context) error {
	m.draining.Store(true)
	shutdown, cancel := context.WithTimeout(ctx, m.Config.ShutdownTimeout)
	defer cancel()
	m.Logger.Info("stopping: finishing requests in flight", "timeout", m.Config.ShutdownTimeout)
	err := m.server.Shutdown(shutdown)
	if err != nil {
		m.Logger.Warn("requests still in flight at the shutdown timeout: closing their connections", "err", err)
		err = errors.Join(fmt.Errorf("shutdown: %w", err), m.server.Close())
	}
	if m.smtp != nil {
		err = errors.Join(err, m.smtp.Shutdown(shutdown))
	}
	if jerr := m.jobs.Stop(shutdown); jerr != nil && !errors.Is(jerr, context.Canceled) {
		err = errors.Join(err, jerr)
	}
	return err
}

// Close releases the store.
func (m *Main) Close() error {
	if m.endStreams != nil {
		m.endStreams()
	}
	if m.listener != nil {
		m.listener.Close()
	}
	if m.smtp != nil {
		m.smtp.Close()
	}
	if m.Store != nil {
		return m.Store.Close()
	}
	return nil
}

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
		SecureCookies: m.Config.SecureCookies, Clients: clients, Live: m.Live, Typing: typing})
	if err != nil {
		return nil, err
	}
	apiH := api.New(api.Deps{Store: m.Store, Auth: m.Auth, Catalog: m.Catalog, Requests: m.Requests,
		Calendars: m.Calendars, Webhooks: m.Webhooks, Inbound: m.Inbound, Network: m.Network, Parts: m.Parts,
		Feedback: m.Feedback, SLA: m.SLA, Analytics: m.Analytics, Repairs: m.Repairs, Mail: m.Mail, KB: m.KB, Assistant: m.Assistant,
		Rules: m.Rules, Logger: m.Logger, Live: m.Live, Typing: typing})
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

// fileStore is where files live: in the database on PostgreSQL, so that
// every node serves every file and pg_dump backs them up; in the data
// directory on SQLite (one node).
func (m *Main) fileStore() blob.Store {
	if m.Store.Dialect() == store.Postgres {
		return m.Store.Blobs()
	}
	return blob.NewDir(m.Config.AttachmentDir())
}
