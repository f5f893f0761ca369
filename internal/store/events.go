package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/aftercare/aftercare/internal/model"
)

// DriverTx is the driver's own handle on a store transaction, for work
// that must join it: River inserts its jobs with it, so a job exists
// exactly when the transaction commits. One field is set, by dialect.
type DriverTx struct {
	SQLite   *sql.Tx // the transaction on SQLite's single write connection
	Postgres pgx.Tx
}

// EventSink is where published events go. The store records which
// webhooks an event goes to and hands the deliveries to Enqueue, all in
// the transaction of the change that published it.
type EventSink struct {
	// Render turns an event into the JSON "data" of its payload: its
	// request and message as the API shows them.
	Render func(ev model.DomainEvent) (json.RawMessage, error)
	// Enqueue schedules deliveries inside tx (River's InsertManyTx);
	// manual marks redeliveries asked for by hand (one attempt, no retries).
	Enqueue func(ctx context.Context, tx DriverTx, deliveryIDs []int64, manual bool) error
}

// SetEventSink connects the store to the webhook machinery. Until it is
// called (administrative commands, store tests), changes publish nothing.
// Call it once, before the store is shared.
func (s *Store) SetEventSink(sink EventSink) { s.sink = sink }

// MailHook sees every published event inside the transaction of its
// change, before webhooks do: outbound mail queues the customer's and
// staff's e-mail there, so mail exists exactly when the change commits.
// An error refuses the change.
type MailHook func(ctx context.Context, q Querier, ev model.DomainEvent, requestID int64) error

// SetMailHook connects the store to outbound mail; call it once, before
// the store is shared.
func (s *Store) SetMailHook(h MailHook) { s.mailHook = h }

// driverTx returns the driver transaction under q, which must be the
// Querier of a Tx.
func driverTx(q Querier) (DriverTx, error) {
	switch v := q.(type) {
	case sqlQuerier:
		if tx, ok := v.q.(*sql.Tx); ok {
			return DriverTx{SQLite: tx}, nil
		}
	case pgQuerier:
		if tx, ok := v.q.(pgx.Tx); ok {
			return DriverTx{Postgres: tx}, nil
		}
	}
	return DriverTx{}, fmt.Errorf("store: publish outside a transaction")
}

// publish records ev for every active webhook subscribed to its type and
// enqueues their deliveries, inside the transaction q: if the change rolls
// back, so do its deliveries and their jobs. requestID, when not 0, is
// read back inside q into ev.Request (with display names), so the payload
// shows the request as the change left it. With no subscriber it costs
// one indexed query.
func (s *Store) publish(ctx context.Context, q Querier, ev model.DomainEvent, requestID int64) error {
	hooks, err := s.subscribers(ctx, q, ev.Type)
	if err != nil {
		return err
	}
	return s.publishTo(ctx, q, hooks, ev, requestID)
}

// publishTo is publish to the webhooks subscribers found. The two halves
// let request creation ask for subscribers before it takes the
// request-number counter, so that the counter's lock is not held longer
// when nobody subscribes.
func (s *Store) publishTo(ctx context.Context, q Querier, hooks []int64, ev model.DomainEvent, requestID int64) error {
	noteChange(q, requestID, ev.ByKind, ev.ByID, false)
	if s.mailHook != nil {
		if err := s.mailHook(ctx, q, ev, requestID); err != nil {
			return fmt.Errorf("publish %s to mail: %w", ev.Type, err)
		}
	}
	if len(hooks) == 0 {
		return nil
	}
	if requestID != 0 {
		var r model.Request
		if err := scanRequest(q.QueryRow(ctx, requestSelect+"WHERE r.id = $1", requestID), &r); err != nil {
			return fmt.Errorf("publish %s: %w", ev.Type, err)
		}
		ev.Request = &r
	}
	if ev.At.IsZero() {
		ev.At = s.Now()
	}
	data, err := s.sink.Render(ev)
	if err != nil {
		return fmt.Errorf("publish %s: %w", ev.Type, err)
	}
	var eventID int64
	if err := q.QueryRow(ctx, `INSERT INTO webhook_events (event, occurred_at, data) VALUES ($1, $2, $3) RETURNING id`,
		ev.Type, ev.At, string(data)).Scan(&eventID); err != nil {
		return err
	}
	ids := make([]int64, len(hooks))
	for i, h := range hooks {
		if err := q.QueryRow(ctx, `INSERT INTO webhook_deliveries (webhook_id, event_id, status, created_at, updated_at)
			VALUES ($1, $2, 'pending', $3, $3) RETURNING id`, h, eventID, ev.At).Scan(&ids[i]); err != nil {
			return err
		}
	}
	return s.enqueue(ctx, q, ids, false)
}

// enqueue hands deliveries to the sink inside the transaction q.
func (s *Store) enqueue(ctx context.Context, q Querier, ids []int64, manual bool) error {
	tx, err := driverTx(q)
	if err != nil {
		return err
	}
	if err := s.sink.Enqueue(ctx, tx, ids, manual); err != nil {
		return fmt.Errorf("enqueue deliveries: %w", err)
	}
	return nil
}

// subscribers returns the active webhooks subscribed to event; none when
// the store has no event sink.
func (s *Store) subscribers(ctx context.Context, q Querier, event model.EventType) ([]int64, error) {
	if s.sink.Enqueue == nil || s.sink.Render == nil {
		return nil, nil
	}
	rows, err := q.Query(ctx, `SELECT w.id FROM webhook_subscriptions e JOIN webhooks w ON w.id = e.webhook_id
		WHERE e.event = $1 AND w.active ORDER BY w.id`, event)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
