package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/webhook"
)

// WebhookQueue is the queue of webhook deliveries, apart from the other
// jobs so that slow receivers never hold up closing requests.
const WebhookQueue = "webhook"

// WebhookDeliveryArgs is one delivery of an event to a webhook: a job
// whose attempts are the delivery's (River retries it on the webhook
// schedule).
type WebhookDeliveryArgs struct {
	DeliveryID int64 `json:"delivery_id"`
	// Manual is a redelivery asked for by hand: one attempt.
	Manual bool `json:"manual,omitempty"`
}

// Kind implements river.JobArgs.
func (WebhookDeliveryArgs) Kind() string { return "webhook_delivery" }

// Deliverer makes one attempt at a delivery (webhook.Service).
type Deliverer interface {
	Deliver(ctx context.Context, deliveryID int64, at webhook.Attempt) error
}

type webhookWorker struct {
	river.WorkerDefaults[WebhookDeliveryArgs]
	deliverer Deliverer
	schedule  []time.Duration
	now       func() time.Time
}

func (w *webhookWorker) Work(ctx context.Context, job *river.Job[WebhookDeliveryArgs]) error {
	at := webhook.Attempt{Manual: job.Args.Manual, Final: job.Attempt >= job.MaxAttempts}
	if !at.Final && !at.Manual {
		at.Next = w.NextRetry(job)
	}
	return w.deliverer.Deliver(ctx, job.Args.DeliveryID, at)
}

// NextRetry follows the webhook schedule instead of River's default.
func (w *webhookWorker) NextRetry(job *river.Job[WebhookDeliveryArgs]) time.Time {
	return w.now().Add(webhook.Backoff(w.schedule, job.Attempt))
}

// Timeout leaves room beyond the attempt's own timeout for logging it.
func (w *webhookWorker) Timeout(*river.Job[WebhookDeliveryArgs]) time.Duration {
	return time.Minute
}

// Enqueuer inserts delivery jobs inside store transactions: the store
// calls it from its EventSink with the transaction of the change, so a
// job exists exactly when the change commits. It is an insert-only River
// client, usable whether or not this process works jobs.
type Enqueuer struct {
	sqlite      *river.Client[*sql.Tx]
	postgres    *river.Client[pgx.Tx]
	maxAttempts int
	// mailAttempts is the MaxAttempts of outbound mail jobs (mailout.go).
	mailAttempts int
}

// NewEnqueuer returns an Enqueuer on the store's database; deliveries get
// one attempt plus one per step of schedule (nil: the default schedule).
func NewEnqueuer(st *store.Store, schedule []time.Duration) (*Enqueuer, error) {
	if schedule == nil {
		schedule = webhook.DefaultSchedule()
	}
	e := &Enqueuer{maxAttempts: len(schedule) + 1}
	var err error
	if st.Dialect() == store.Postgres {
		e.postgres, err = river.NewClient(riverpgxv5.New(st.Pool()), &river.Config{})
	} else {
		e.sqlite, err = river.NewClient(riversqlite.New(st.WriteDB()), &river.Config{})
	}
	if err != nil {
		return nil, fmt.Errorf("river: %w", err)
	}
	return e, nil
}

// Enqueue inserts one delivery job per id inside tx (store.EventSink's
// Enqueue).
func (e *Enqueuer) Enqueue(ctx context.Context, tx store.DriverTx, deliveryIDs []int64, manual bool) error {
	if len(deliveryIDs) == 0 {
		return nil
	}
	opts := &river.InsertOpts{Queue: WebhookQueue, MaxAttempts: e.maxAttempts}
	if manual {
		opts.MaxAttempts = 1
	}
	params := make([]river.InsertManyParams, len(deliveryIDs))
	for i, id := range deliveryIDs {
		params[i] = river.InsertManyParams{Args: WebhookDeliveryArgs{DeliveryID: id, Manual: manual}, InsertOpts: opts}
	}
	var err error
	switch {
	case e.postgres != nil && tx.Postgres != nil:
		_, err = e.postgres.InsertManyTx(ctx, tx.Postgres, params)
	case e.sqlite != nil && tx.SQLite != nil:
		_, err = e.sqlite.InsertManyTx(txContext(ctx, tx.SQLite), tx.SQLite, params)
	default:
		err = errors.New("transaction of the wrong database")
	}
	return err
}

// WebhookCleanupArgs removes finished deliveries past their retention.
type WebhookCleanupArgs struct{}

// Kind implements river.JobArgs.
func (WebhookCleanupArgs) Kind() string { return "webhook_cleanup" }

// WebhookRetention is how long finished deliveries stay in the log.
const WebhookRetention = 30 * 24 * time.Hour

type webhookCleanupWorker struct {
	river.WorkerDefaults[WebhookCleanupArgs]
	store *store.Store
}

func (w *webhookCleanupWorker) Work(ctx context.Context, job *river.Job[WebhookCleanupArgs]) error {
	_, err := w.store.DeleteOldDeliveries(ctx, w.store.Now().Add(-WebhookRetention))
	return err
}
