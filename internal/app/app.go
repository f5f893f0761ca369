// Package app assembles Aftercare: configuration, store, migrations,
// domain services, background jobs and the HTTP server. The CLI and the
// end-to-end tests boot it the same way.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
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
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/inbox"
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
	// Files keeps attachments and proofs of purchase: the object store of
	// --blob-url when set, else the database on PostgreSQL, the data
	// directory on SQLite.
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
	// Inbox keeps staff users' in-app notifications (mentions).
	Inbox *inbox.Service
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
	// In-app notices are written for every mention, with or without a
	// relay, before (and independently of) the mention e-mails.
	m.Inbox = inbox.New(st)
	st.OnMessage(m.Inbox.OnMessage)
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
	if m.Files, err = m.fileStore(); err != nil {
		return err
	}
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
	// Numbers the phone migration (00031) could not make canonical
	// because another customer has the canonical form: staff decide.
	if ids, err := m.Store.NonCanonicalPhones(ctx); err != nil {
		return err
	} else if len(ids) > 0 {
		m.Logger.Warn("customers whose mobile number another customer also has in another form; merge or correct them",
			"customer_ids", ids)
	}
	return jobs.Migrate(ctx, m.Store)
}

// Open opens the store and prepares the HTTP handler and background jobs,
// and binds the listen address (so Addr is known before Run).
func (m *Main) Open(ctx context.Context) error {
	if err := m.OpenStore(ctx); err != nil {
		return err
	}
	if err := m.checkFiles(ctx); err != nil {
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
