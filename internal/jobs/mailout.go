package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/aftercare/aftercare/internal/mailout"
	"github.com/aftercare/aftercare/internal/store"
)

// MailQueue is the queue of outbound mail, apart from the other jobs so
// that a slow relay never holds up closing requests.
const MailQueue = "mail"

// MailSendArgs sends one outbound mail; River retries it on the mail
// schedule (mailout.DefaultSchedule).
type MailSendArgs struct {
	OutboundID int64 `json:"outbound_id"`
}

// Kind implements river.JobArgs.
func (MailSendArgs) Kind() string { return "mail_send" }

// MailSender makes one attempt at sending an outbound mail
// (mailout.Service).
type MailSender interface {
	Send(ctx context.Context, id int64, final bool) error
}

type mailSendWorker struct {
	river.WorkerDefaults[MailSendArgs]
	sender   MailSender
	schedule []time.Duration
}

func (w *mailSendWorker) Work(ctx context.Context, job *river.Job[MailSendArgs]) error {
	err := w.sender.Send(ctx, job.Args.OutboundID, job.Attempt >= job.MaxAttempts)
	if errors.Is(err, mailout.ErrGiveUp) {
		return river.JobCancel(err) // the relay refused it for good; the log says so
	}
	return err
}

// NextRetry follows the mail schedule instead of River's default.
func (w *mailSendWorker) NextRetry(job *river.Job[MailSendArgs]) time.Time {
	return time.Now().Add(backoff(w.schedule, job.Attempt))
}

// Timeout leaves room beyond the relay conversation's own minute.
func (w *mailSendWorker) Timeout(*river.Job[MailSendArgs]) time.Duration { return 2 * time.Minute }

func backoff(schedule []time.Duration, attempt int) time.Duration {
	if len(schedule) == 0 {
		return time.Minute
	}
	return schedule[min(max(attempt, 1), len(schedule))-1]
}

// addMailSend registers the outbound mail worker and its queue.
func addMailSend(workers *river.Workers, queues map[string]river.QueueConfig, opts Options) {
	if opts.MailSend == nil {
		return
	}
	schedule := opts.MailSchedule
	if schedule == nil {
		schedule = mailout.DefaultSchedule()
	}
	river.AddWorker(workers, &mailSendWorker{sender: opts.MailSend, schedule: schedule})
	queues[MailQueue] = river.QueueConfig{MaxWorkers: 4}
}

// SetMailSchedule makes EnqueueMail's jobs try once plus once per step of
// schedule (nil: mailout.DefaultSchedule); the runner must use the same.
func (e *Enqueuer) SetMailSchedule(schedule []time.Duration) {
	if schedule == nil {
		schedule = mailout.DefaultSchedule()
	}
	e.mailAttempts = len(schedule) + 1
}

// EnqueueMail inserts the send job of outbound mail id inside the store
// transaction q, so that it exists exactly when the mail's row does.
func (e *Enqueuer) EnqueueMail(ctx context.Context, q store.Querier, id int64) error {
	attempts := e.mailAttempts
	if attempts == 0 {
		attempts = len(mailout.DefaultSchedule()) + 1
	}
	opts := &river.InsertOpts{Queue: MailQueue, MaxAttempts: attempts}
	args := MailSendArgs{OutboundID: id}
	var err error
	switch tx := store.TxOf(q).(type) {
	case *sql.Tx:
		if e.sqlite == nil {
			return errors.New("enqueue mail: transaction of the wrong database")
		}
		_, err = e.sqlite.InsertTx(txContext(ctx, tx), tx, args, opts)
	case pgx.Tx:
		if e.postgres == nil {
			return errors.New("enqueue mail: transaction of the wrong database")
		}
		_, err = e.postgres.InsertTx(ctx, tx, args, opts)
	default:
		return errors.New("enqueue mail: not in a transaction")
	}
	if err != nil {
		return fmt.Errorf("enqueue mail %d: %w", id, err)
	}
	return nil
}
