// Package jobs runs Aftercare's background work on River, on either
// database: periodic closing of resolved requests, removal of expired
// sessions and of uploads never linked to a message, webhook deliveries
// with their retries, and the feedback loop's scheduled work (survey
// invitations, reminders and expiries, complaint escalations;
// feedback.go), SLA timers and their sweeper (sla.go). On PostgreSQL many nodes may run it (River elects a leader for
// periodic work); on SQLite it is single-node.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/webhook"
)

// AutoCloseArgs closes requests resolved longer ago than the configured
// period.
type AutoCloseArgs struct{}

// Kind implements river.JobArgs.
func (AutoCloseArgs) Kind() string { return "auto_close" }

type autoCloseWorker struct {
	river.WorkerDefaults[AutoCloseArgs]
	store *store.Store
	after time.Duration
	log   *slog.Logger
}

func (w *autoCloseWorker) Work(ctx context.Context, job *river.Job[AutoCloseArgs]) error {
	n, err := w.store.AutoClose(ctx, w.store.Now().Add(-w.after), 1000)
	if n > 0 {
		w.log.Info("auto-closed resolved requests", "count", n)
	}
	return err
}

// SessionCleanupArgs removes expired sessions.
type SessionCleanupArgs struct{}

// Kind implements river.JobArgs.
func (SessionCleanupArgs) Kind() string { return "session_cleanup" }

type sessionCleanupWorker struct {
	river.WorkerDefaults[SessionCleanupArgs]
	store *store.Store
}

func (w *sessionCleanupWorker) Work(ctx context.Context, job *river.Job[SessionCleanupArgs]) error {
	if _, err := w.store.DeleteExpiredSessions(ctx); err != nil {
		return err
	}
	// Shared rate-limit buckets idle for an hour are full again (every
	// limiter refills within minutes): forget them.
	_, err := w.store.PruneRateLimits(ctx, w.store.Now().Add(-time.Hour))
	return err
}

// UploadCleanupArgs deletes uploads never linked to a message once they
// are a day old.
type UploadCleanupArgs struct{}

// Kind implements river.JobArgs.
func (UploadCleanupArgs) Kind() string { return "upload_cleanup" }

// UploadCleaner deletes stale unlinked uploads (request.Service).
type UploadCleaner interface {
	DeleteUnlinked(ctx context.Context) (int, error)
}

type uploadCleanupWorker struct {
	river.WorkerDefaults[UploadCleanupArgs]
	cleaner UploadCleaner
	log     *slog.Logger
}

func (w *uploadCleanupWorker) Work(ctx context.Context, job *river.Job[UploadCleanupArgs]) error {
	n, err := w.cleaner.DeleteUnlinked(ctx)
	if n > 0 {
		w.log.Info("deleted unlinked uploads", "count", n)
	}
	return err
}

// Options configures the runner.
type Options struct {
	// AutoCloseAfter closes resolved requests after this long; 0 disables.
	AutoCloseAfter time.Duration
	// Uploads deletes stale unlinked uploads every hour; nil disables.
	Uploads UploadCleaner
	// AutoCloseEvery is how often the auto-close job runs; 0 means every
	// 15 minutes. Not a setting for users: tests shorten it to watch River
	// work (for instance after the database comes back).
	AutoCloseEvery time.Duration
	// Webhooks makes the attempts of webhook deliveries; nil disables them.
	Webhooks Deliverer
	// WebhookSchedule is the wait after each failed attempt (nil:
	// webhook.DefaultSchedule); the Enqueuer must use the same one. Tests
	// shorten it.
	WebhookSchedule []time.Duration
	// PollInterval is how often idle queues look for jobs (0: River's
	// default on PostgreSQL, 2 s on SQLite). Tests shorten it.
	PollInterval time.Duration
	// MailRetry retries failed inbound mail every minute; nil disables.
	MailRetry MailRetrier
	// MailPoll polls the IMAP mailbox every MailPollEvery (default a
	// minute); nil disables.
	MailPoll      MailPoller
	MailPollEvery time.Duration
	// MailSend sends outbound mail (mailout.Service); nil registers no
	// worker. MailSchedule is the wait after each failed attempt (nil:
	// mailout.DefaultSchedule); the Enqueuer must use the same one.
	MailSend     MailSender
	MailSchedule []time.Duration
	// Feedback does the survey, reminder, expiry and escalation jobs; nil
	// registers none (and Schedule fails).
	Feedback Feedback
	// SLA records SLA warnings and breaches (timers and the sweeper); nil
	// registers none (and ScheduleSLA's timers would find no worker).
	SLA SLA
	// SLASweepEvery is how often the sweeper runs (0: every minute).
	SLASweepEvery time.Duration
	// Rules fires the request.idle automation rules; nil registers no
	// job.
	Rules IdleRules
	// IdleEvery is how often the idle rules are checked (0: every minute).
	IdleEvery time.Duration
	Logger    *slog.Logger
}

// Runner is a started-or-not River client, whatever its driver.
type Runner struct {
	start    func(context.Context) error
	stop     func(context.Context) error
	insertTx func(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) error
}

// Migrate applies River's own migrations (after goose's).
func Migrate(ctx context.Context, st *store.Store) error {
	var err error
	if st.Dialect() == store.Postgres {
		mig, e := rivermigrate.New(riverpgxv5.New(st.Pool()), nil)
		if e != nil {
			return fmt.Errorf("river migrate: %w", e)
		}
		_, err = mig.Migrate(ctx, rivermigrate.DirectionUp, nil)
	} else {
		mig, e := rivermigrate.New(riversqlite.New(st.WriteDB()), nil)
		if e != nil {
			return fmt.Errorf("river migrate: %w", e)
		}
		_, err = mig.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	return nil
}

// New builds a River client on the store's database.
func New(st *store.Store, opts Options) (*Runner, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &autoCloseWorker{store: st, after: opts.AutoCloseAfter, log: opts.Logger})
	river.AddWorker(workers, &sessionCleanupWorker{store: st})
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return SessionCleanupArgs{}, nil },
			&river.PeriodicJobOpts{ID: "session_cleanup", RunOnStart: true}),
	}
	if j := addSearchJobs(workers, st, opts.Logger); j != nil {
		periodic = append(periodic, j)
	}
	if opts.Feedback != nil {
		periodic = append(periodic, addFeedbackWorkers(workers, opts.Feedback))
	}
	if opts.Uploads != nil {
		river.AddWorker(workers, &uploadCleanupWorker{cleaner: opts.Uploads, log: opts.Logger})
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return UploadCleanupArgs{}, nil },
			&river.PeriodicJobOpts{ID: "upload_cleanup", RunOnStart: true}))
	}
	if opts.AutoCloseAfter > 0 {
		every := opts.AutoCloseEvery
		if every <= 0 {
			every = 15 * time.Minute
		}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) { return AutoCloseArgs{}, nil },
			&river.PeriodicJobOpts{ID: "auto_close", RunOnStart: true}))
	}
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}
	if opts.Webhooks != nil {
		schedule := opts.WebhookSchedule
		if schedule == nil {
			schedule = webhook.DefaultSchedule()
		}
		river.AddWorker(workers, &webhookWorker{deliverer: opts.Webhooks, schedule: schedule, now: time.Now})
		river.AddWorker(workers, &webhookCleanupWorker{store: st})
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return WebhookCleanupArgs{}, nil },
			&river.PeriodicJobOpts{ID: "webhook_cleanup", RunOnStart: true}))
		queues[WebhookQueue] = river.QueueConfig{MaxWorkers: 8}
	}
	periodic = append(periodic, mailJobs(workers, opts)...)
	addMailSend(workers, queues, opts)
	if opts.Rules != nil {
		periodic = append(periodic, addIdleWorker(workers, opts.Rules, opts.IdleEvery))
	}
	if opts.SLA != nil {
		periodic = append(periodic, addSLAWorkers(workers, opts.SLA, opts.SLASweepEvery))
	}
	cfg := &river.Config{
		Queues:            queues,
		Workers:           workers,
		PeriodicJobs:      periodic,
		Logger:            opts.Logger.With("component", "river"),
		FetchPollInterval: opts.PollInterval,
	}
	if opts.PollInterval > 0 && opts.PollInterval < river.FetchCooldownDefault {
		cfg.FetchCooldown = opts.PollInterval
	}
	if st.Dialect() == store.Postgres {
		c, err := river.NewClient(riverpgxv5.New(st.Pool()), cfg)
		if err != nil {
			return nil, fmt.Errorf("river: %w", err)
		}
		return &Runner{start: c.Start, stop: c.Stop, insertTx: insertFunc(c)}, nil
	}
	// SQLite has no LISTEN/NOTIFY: River polls, on the single write
	// connection.
	cfg.PollOnly = true
	if cfg.FetchPollInterval == 0 {
		cfg.FetchPollInterval = 2 * time.Second
	}
	c, err := river.NewClient(riversqlite.New(st.WriteDB()), cfg)
	if err != nil {
		return nil, fmt.Errorf("river: %w", err)
	}
	return &Runner{start: c.Start, stop: c.Stop, insertTx: insertFunc(c)}, nil
}

// Start starts working jobs in the background.
func (r *Runner) Start(ctx context.Context) error { return r.start(ctx) }

// Stop waits for running jobs to finish (or ctx to end).
func (r *Runner) Stop(ctx context.Context) error { return r.stop(ctx) }
