package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// Outbound returns what an attempt at delivery id needs to send: the
// webhook's URL and secret and the event as published. A delivery whose
// webhook was deleted is ENOTFOUND.
func (s *Store) Outbound(ctx context.Context, id int64) (*model.Outbound, error) {
	var o model.Outbound
	var data string
	err := s.Read().QueryRow(ctx, `SELECT d.id, d.webhook_id, w.url, w.secret, w.active, d.status, e.id, e.event, e.occurred_at, e.data
		FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN webhook_events e ON e.id = d.event_id
		WHERE d.id = $1`, id).
		Scan(&o.DeliveryID, &o.WebhookID, &o.URL, &o.Secret, &o.Active, &o.Status, &o.EventID, &o.Event, &o.OccurredAt, &data)
	if err != nil {
		return nil, deliveryNotFound(err)
	}
	o.Data = []byte(data)
	return &o, nil
}

func deliveryNotFound(err error) error {
	if model.IsNotFound(notFound(err, "delivery")) {
		return model.Errorf(model.ENOTFOUND, "delivery not found")
	}
	return err
}

// RecordAttempt logs an attempt at a delivery and updates the delivery's
// status, in one transaction; a.ID and a.Attempt (the next number of the
// delivery) are set. A 2xx answer delivers it. A failed automatic attempt
// leaves it pending until next, or failed when final; a failed
// redelivery leaves pending a delivery whose automatic retries go on, and
// fails any other. A delivery deleted meanwhile is ENOTFOUND.
func (s *Store) RecordAttempt(ctx context.Context, a *model.DeliveryAttempt, final bool, next *time.Time) error {
	status := model.DeliveryPending
	switch {
	case a.OK():
		status, next = model.DeliveryDelivered, nil
	case a.Manual: // failed: pending stays pending (below), anything else fails
		status, next = model.DeliveryFailed, nil
	case final:
		status, next = model.DeliveryFailed, nil
	}
	return s.Tx(ctx, func(q Querier) error {
		// A failed redelivery keeps a pending delivery pending (its retry
		// is still queued) and its next attempt time; anything else takes
		// the status worked out above.
		err := q.QueryRow(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1,
			status = CASE WHEN $1 AND status = 'pending' THEN 'pending' ELSE $2 END,
			next_attempt_at = CASE WHEN $1 THEN next_attempt_at ELSE $3 END,
			last_status_code = $4, last_error = $5, updated_at = $6
			WHERE id = $7 RETURNING attempts, webhook_id`,
			a.Manual && !a.OK(), status, next, a.StatusCode, a.Error, a.At, a.DeliveryID).Scan(&a.Attempt, &a.WebhookID)
		if err != nil {
			return deliveryNotFound(err)
		}
		return q.QueryRow(ctx, `INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, manual, status_code, error_kind, error, at, duration_ms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, a.DeliveryID, a.WebhookID, a.Attempt, a.Manual,
			a.StatusCode, a.ErrorKind, a.Error, a.At, a.Duration.Milliseconds()).Scan(&a.ID)
	})
}

const attemptSelect = `SELECT a.id, a.delivery_id, a.webhook_id, e.event, a.attempt, a.manual, a.status_code, a.error_kind,
	a.error, a.at, a.duration_ms FROM webhook_attempts a
	JOIN webhook_deliveries d ON d.id = a.delivery_id JOIN webhook_events e ON e.id = d.event_id `

func scanAttempt(row Row, a *model.DeliveryAttempt) error {
	var ms int64
	if err := row.Scan(&a.ID, &a.DeliveryID, &a.WebhookID, &a.Event, &a.Attempt, &a.Manual, &a.StatusCode, &a.ErrorKind,
		&a.Error, &a.At, &ms); err != nil {
		return err
	}
	a.Duration = time.Duration(ms) * time.Millisecond
	return nil
}

// ListAttempts returns one page of a webhook's delivery attempts, newest
// first; the cursor is the id of the last attempt of the previous page.
// An unknown webhook is ENOTFOUND.
func (s *Store) ListAttempts(ctx context.Context, f model.AttemptFilter) (model.AttemptPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return model.AttemptPage{}, model.FieldError("limit", "must be between 1 and %d", MaxPageSize)
	}
	q := s.Read()
	var one int
	if err := q.QueryRow(ctx, "SELECT 1 FROM webhooks WHERE id = $1", f.WebhookID).Scan(&one); err != nil {
		return model.AttemptPage{}, webhookNotFound(err)
	}
	query, args := attemptSelect+"WHERE a.webhook_id = $1", []any{f.WebhookID}
	if f.DeliveryID != 0 {
		args = append(args, f.DeliveryID)
		query += " AND a.delivery_id = $" + strconv.Itoa(len(args))
	}
	if f.Cursor != "" {
		before, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || before <= 0 {
			return model.AttemptPage{}, model.FieldError("cursor", "invalid cursor")
		}
		args = append(args, before)
		query += " AND a.id < $" + strconv.Itoa(len(args))
	}
	rows, err := q.Query(ctx, query+" ORDER BY a.id DESC LIMIT "+strconv.Itoa(limit+1), args...)
	if err != nil {
		return model.AttemptPage{}, err
	}
	defer rows.Close()
	var page model.AttemptPage
	for rows.Next() {
		var a model.DeliveryAttempt
		if err := scanAttempt(rows, &a); err != nil {
			return model.AttemptPage{}, err
		}
		page.Items = append(page.Items, a)
	}
	if err := rows.Err(); err != nil {
		return model.AttemptPage{}, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = strconv.FormatInt(page.Items[limit-1].ID, 10)
	}
	return page, nil
}

// RecentDeliveries returns a webhook's newest deliveries (before the
// delivery id before, when not 0), each with its attempts, newest first:
// the admin page shows what was sent, what is waiting and why attempts
// failed.
func (s *Store) RecentDeliveries(ctx context.Context, webhookID int64, limit int, before int64) ([]model.Delivery, error) {
	q := s.Read()
	query, args := `SELECT d.id, d.webhook_id, d.event_id, e.event, d.status, d.attempts, d.last_status_code, d.last_error,
		d.next_attempt_at, d.created_at, d.updated_at
		FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id WHERE d.webhook_id = $1`, []any{webhookID}
	if before > 0 {
		query += " AND d.id < $2"
		args = append(args, before)
	}
	rows, err := q.Query(ctx, query+" ORDER BY d.id DESC LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	var out []model.Delivery
	index := map[int64]int{}
	for rows.Next() {
		var d model.Delivery
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.EventID, &d.Event, &d.Status, &d.Attempts, &d.LastStatusCode,
			&d.LastError, &d.NextAttemptAt, &d.CreatedAt, &d.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		index[d.ID] = len(out)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	marks := make([]string, len(out))
	ids := make([]any, len(out))
	for i, d := range out {
		marks[i], ids[i] = "$"+strconv.Itoa(i+1), d.ID
	}
	rows, err = q.Query(ctx, attemptSelect+"WHERE a.delivery_id IN ("+strings.Join(marks, ", ")+") ORDER BY a.id DESC", ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var a model.DeliveryAttempt
		if err := scanAttempt(rows, &a); err != nil {
			return nil, err
		}
		d := &out[index[a.DeliveryID]]
		d.AttemptLog = append(d.AttemptLog, a)
	}
	return out, rows.Err()
}

// Redeliver queues one more attempt at a delivery of a webhook, asked for
// by hand; it is sent once, whatever its status. A delivery that is not
// the webhook's is ENOTFOUND.
func (s *Store) Redeliver(ctx context.Context, webhookID, deliveryID int64) error {
	return s.Tx(ctx, func(q Querier) error {
		var one int
		err := q.QueryRow(ctx, "SELECT 1 FROM webhook_deliveries WHERE id = $1 AND webhook_id = $2", deliveryID, webhookID).Scan(&one)
		if err != nil {
			return deliveryNotFound(err)
		}
		if s.sink.Enqueue == nil {
			return errors.New("store: webhook deliveries are not configured")
		}
		return s.enqueue(ctx, q, []int64{deliveryID}, true)
	})
}

// DeleteOldDeliveries removes deliveries finished (delivered or failed)
// before cutoff, with their attempts, and events no delivery refers to
// any more; it returns how many deliveries it removed. Pending deliveries
// stay, however old.
func (s *Store) DeleteOldDeliveries(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(q Querier) error {
		var err error
		if _, err = q.Exec(ctx, `DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries
			WHERE status <> 'pending' AND updated_at < $1)`, cutoff); err != nil {
			return err
		}
		if n, err = q.Exec(ctx, "DELETE FROM webhook_deliveries WHERE status <> 'pending' AND updated_at < $1", cutoff); err != nil {
			return err
		}
		_, err = q.Exec(ctx, `DELETE FROM webhook_events WHERE occurred_at < $1
			AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)`, cutoff)
		return err
	})
	return n, err
}
