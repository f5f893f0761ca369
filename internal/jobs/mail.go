package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// MailRetrier processes inbound mail whose retry time has come (the
// e-mail channel's Service).
type MailRetrier interface {
	RetryDue(ctx context.Context) (int, error)
}

// MailPoller fetches unseen mail from the IMAP mailbox into the inbound
// log (the e-mail channel's Poller).
type MailPoller interface {
	Poll(ctx context.Context) (int, error)
}

// MailRetryArgs retries inbound mail that failed, and mail a crashed node
// stored but never processed.
type MailRetryArgs struct{}

// Kind implements river.JobArgs.
func (MailRetryArgs) Kind() string { return "mail_retry" }

type mailRetryWorker struct {
	river.WorkerDefaults[MailRetryArgs]
	mail MailRetrier
	log  *slog.Logger
}

func (w *mailRetryWorker) Work(ctx context.Context, job *river.Job[MailRetryArgs]) error {
	n, err := w.mail.RetryDue(ctx)
	if n > 0 {
		w.log.Info("retried inbound mail", "count", n)
	}
	return err
}

func (w *mailRetryWorker) Timeout(*river.Job[MailRetryArgs]) time.Duration { return 10 * time.Minute }

// IMAPPollArgs polls the IMAP mailbox. It is a periodic job, so exactly
// one node (River's leader) enqueues it and one node works each run; it
// is unique while one is waiting or running, so runs never overlap.
type IMAPPollArgs struct{}

// Kind implements river.JobArgs.
func (IMAPPollArgs) Kind() string { return "imap_poll" }

type imapPollWorker struct {
	river.WorkerDefaults[IMAPPollArgs]
	poller MailPoller
	log    *slog.Logger
}

func (w *imapPollWorker) Work(ctx context.Context, job *river.Job[IMAPPollArgs]) error {
	n, err := w.poller.Poll(ctx)
	if n > 0 {
		w.log.Info("fetched inbound mail over IMAP", "count", n)
	}
	return err
}

func (w *imapPollWorker) Timeout(*river.Job[IMAPPollArgs]) time.Duration { return 10 * time.Minute }

// notOverlapping makes a periodic job unique while one is waiting or
// running.
func notOverlapping() *river.InsertOpts {
	return &river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning, rivertype.JobStateScheduled,
		rivertype.JobStateRetryable}}}
}

// mailJobs registers the inbound mail workers and returns their periodic
// jobs.
func mailJobs(workers *river.Workers, opts Options) []*river.PeriodicJob {
	var periodic []*river.PeriodicJob
	if opts.MailRetry != nil {
		river.AddWorker(workers, &mailRetryWorker{mail: opts.MailRetry, log: opts.Logger})
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return MailRetryArgs{}, notOverlapping() },
			&river.PeriodicJobOpts{ID: "mail_retry", RunOnStart: true}))
	}
	if opts.MailPoll != nil {
		every := opts.MailPollEvery
		if every <= 0 {
			every = time.Minute
		}
		river.AddWorker(workers, &imapPollWorker{poller: opts.MailPoll, log: opts.Logger})
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(every),
			func() (river.JobArgs, *river.InsertOpts) { return IMAPPollArgs{}, notOverlapping() },
			&river.PeriodicJobOpts{ID: "imap_poll", RunOnStart: true}))
	}
	return periodic
}
