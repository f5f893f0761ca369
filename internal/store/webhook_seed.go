package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// SeedDelivery is one delivery of webhook history written by the demo:
// an event about a request, sent to one of the seeded webhooks, with the
// attempts it took.
type SeedDelivery struct {
	// Webhook indexes the webhooks passed to SeedWebhooks.
	Webhook int
	// Event names the request by Request.Number; the request is read back
	// so that the payload shows it as the API does.
	Event    model.DomainEvent
	Status   model.DeliveryStatus
	Attempts []model.DeliveryAttempt
}

// SeedWebhooks writes webhooks and a history of deliveries with their
// attempts, in one transaction, without queuing anything: the history is
// past. render makes each event's data (api.EventJSON).
func (s *Store) SeedWebhooks(ctx context.Context, hooks []*model.Webhook, history []SeedDelivery,
	render func(model.DomainEvent) (json.RawMessage, error)) error {
	return s.Tx(ctx, func(q Querier) error {
		for _, w := range hooks {
			if err := q.QueryRow(ctx, `INSERT INTO webhooks (url, secret, description, active, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, w.URL, w.Secret, w.Description, w.Active, w.CreatedAt).Scan(&w.ID); err != nil {
				return err
			}
			if err := setSubscriptions(ctx, q, w.ID, w.Events); err != nil {
				return err
			}
		}
		for i, d := range history {
			if err := s.seedDelivery(ctx, q, hooks[d.Webhook].ID, d, render); err != nil {
				return fmt.Errorf("seed delivery %d: %w", i, err)
			}
		}
		return nil
	})
}

func (s *Store) seedDelivery(ctx context.Context, q Querier, hookID int64, d SeedDelivery,
	render func(model.DomainEvent) (json.RawMessage, error)) error {
	ev := d.Event
	var r model.Request
	if err := scanRequest(q.QueryRow(ctx, requestSelect+"WHERE r.number = $1", ev.Request.Number), &r); err != nil {
		return notFound(err, "request")
	}
	ev.Request = &r
	data, err := render(ev)
	if err != nil {
		return err
	}
	var eventID, id int64
	if err := q.QueryRow(ctx, `INSERT INTO webhook_events (event, occurred_at, data) VALUES ($1, $2, $3) RETURNING id`,
		ev.Type, ev.At, string(data)).Scan(&eventID); err != nil {
		return err
	}
	updated, lastError := ev.At, ""
	var lastCode *int
	if n := len(d.Attempts); n > 0 {
		last := d.Attempts[n-1]
		updated, lastCode, lastError = last.At.Add(last.Duration), last.StatusCode, last.Error
	}
	if err := q.QueryRow(ctx, `INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, last_status_code,
		last_error, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, hookID, eventID, d.Status,
		len(d.Attempts), lastCode, lastError, ev.At, updated.Truncate(time.Microsecond)).Scan(&id); err != nil {
		return err
	}
	for i, a := range d.Attempts {
		if _, err := q.Exec(ctx, `INSERT INTO webhook_attempts (delivery_id, webhook_id, attempt, manual, status_code,
			error_kind, error, at, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, hookID, i+1, a.Manual,
			a.StatusCode, a.ErrorKind, a.Error, a.At, a.Duration.Milliseconds()); err != nil {
			return err
		}
	}
	return nil
}
