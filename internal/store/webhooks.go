package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// webhookTarget names a webhook in the audit log (never its secret).
func webhookTarget(w *model.Webhook) string { return fmt.Sprintf("webhook %d (%s)", w.ID, w.URL) }

// eventNames joins event types for the audit log.
func eventNames(events []model.EventType) string {
	names := make([]string, len(events))
	for i, e := range events {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

// CreateWebhook stores a webhook with its subscriptions and the audit
// entries (their Target and Detail are filled in), in one transaction.
// w.ID and the times are set.
func (s *Store) CreateWebhook(ctx context.Context, w *model.Webhook, audit ...model.AuditEntry) error {
	now := s.Now()
	w.CreatedAt, w.UpdatedAt = now, now
	return s.Tx(ctx, func(q Querier) error {
		if err := q.QueryRow(ctx, `INSERT INTO webhooks (url, secret, description, active, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, w.URL, w.Secret, w.Description, w.Active, now).Scan(&w.ID); err != nil {
			return err
		}
		if err := setSubscriptions(ctx, q, w.ID, w.Events); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target, audit[i].Detail = webhookTarget(w), "events: "+eventNames(w.Events)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// setSubscriptions replaces a webhook's event types.
func setSubscriptions(ctx context.Context, q Querier, id int64, events []model.EventType) error {
	if _, err := q.Exec(ctx, "DELETE FROM webhook_subscriptions WHERE webhook_id = $1", id); err != nil {
		return err
	}
	for _, e := range events {
		if _, err := q.Exec(ctx, "INSERT INTO webhook_subscriptions (webhook_id, event) VALUES ($1, $2)", id, e); err != nil {
			return err
		}
	}
	return nil
}

const webhookColumns = `w.id, w.url, w.description, w.active, w.created_at, w.updated_at,
	COALESCE((SELECT d.status FROM webhook_deliveries d WHERE d.webhook_id = w.id ORDER BY d.id DESC LIMIT 1), ''),
	(SELECT d.updated_at FROM webhook_deliveries d WHERE d.webhook_id = w.id ORDER BY d.id DESC LIMIT 1)`

func scanWebhook(row Row, w *model.Webhook) error {
	return row.Scan(&w.ID, &w.URL, &w.Description, &w.Active, &w.CreatedAt, &w.UpdatedAt, &w.LastStatus, &w.LastAt)
}

// Webhook returns one webhook with its event types (not its secret).
func (s *Store) Webhook(ctx context.Context, id int64) (*model.Webhook, error) {
	return s.webhook(ctx, s.Read(), id)
}

func (s *Store) webhook(ctx context.Context, q Querier, id int64) (*model.Webhook, error) {
	var w model.Webhook
	if err := scanWebhook(q.QueryRow(ctx, "SELECT "+webhookColumns+" FROM webhooks w WHERE w.id = $1", id), &w); err != nil {
		return nil, webhookNotFound(err)
	}
	events, err := subscriptionsOf(ctx, q, []int64{id})
	if err != nil {
		return nil, err
	}
	w.Events = events[id]
	return &w, nil
}

func webhookNotFound(err error) error {
	if model.IsNotFound(notFound(err, "webhook")) {
		return model.Errorf(model.ENOTFOUND, "webhook not found")
	}
	return err
}

// subscriptionsOf returns the event types of each webhook, in the order
// of model.EventTypes.
func subscriptionsOf(ctx context.Context, q Querier, ids []int64) (map[int64][]model.EventType, error) {
	out := map[int64][]model.EventType{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i], marks[i] = id, "$"+strconv.Itoa(i+1)
	}
	rows, err := q.Query(ctx, "SELECT webhook_id, event FROM webhook_subscriptions WHERE webhook_id IN ("+
		strings.Join(marks, ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e model.EventType
		if err := rows.Scan(&id, &e); err != nil {
			return nil, err
		}
		out[id] = append(out[id], e)
	}
	order := model.EventTypes()
	for id := range out {
		slices.SortFunc(out[id], func(a, b model.EventType) int {
			return slices.Index(order, a) - slices.Index(order, b)
		})
	}
	return out, rows.Err()
}

// ListWebhooks returns one page of webhooks, oldest first; the cursor is
// the id of the last webhook of the previous page.
func (s *Store) ListWebhooks(ctx context.Context, limit int, cursor string) (model.WebhookPage, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return model.WebhookPage{}, model.FieldError("limit", "must be between 1 and %d", MaxPageSize)
	}
	var after int64
	if cursor != "" {
		var err error
		if after, err = strconv.ParseInt(cursor, 10, 64); err != nil || after <= 0 {
			return model.WebhookPage{}, model.FieldError("cursor", "invalid cursor")
		}
	}
	q := s.Read()
	rows, err := q.Query(ctx, "SELECT "+webhookColumns+" FROM webhooks w WHERE w.id > $1 ORDER BY w.id LIMIT "+
		strconv.Itoa(limit+1), after)
	if err != nil {
		return model.WebhookPage{}, err
	}
	var page model.WebhookPage
	for rows.Next() {
		var w model.Webhook
		if err := scanWebhook(rows, &w); err != nil {
			rows.Close()
			return model.WebhookPage{}, err
		}
		page.Items = append(page.Items, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return model.WebhookPage{}, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = strconv.FormatInt(page.Items[limit-1].ID, 10)
	}
	ids := make([]int64, len(page.Items))
	for i := range page.Items {
		ids[i] = page.Items[i].ID
	}
	events, err := subscriptionsOf(ctx, q, ids)
	if err != nil {
		return model.WebhookPage{}, err
	}
	for i := range page.Items {
		page.Items[i].Events = events[page.Items[i].ID]
	}
	return page, nil
}

// UpdateWebhook applies patch and records the audit entries (their Target
// and Detail say what changed; a new secret is mentioned, never shown),
// in one transaction, and returns the webhook as it is now.
func (s *Store) UpdateWebhook(ctx context.Context, id int64, patch model.WebhookPatch, audit ...model.AuditEntry) (*model.Webhook, error) {
	var out *model.Webhook
	err := s.Tx(ctx, func(q Querier) error {
		cur, err := s.webhook(ctx, q, id)
		if err != nil {
			return err
		}
		next := *cur
		var changes []string
		if patch.URL != nil && *patch.URL != cur.URL {
			next.URL = *patch.URL
			changes = append(changes, "url: "+cur.URL+" → "+next.URL)
		}
		if patch.Description != nil && *patch.Description != cur.Description {
			next.Description = *patch.Description
			changes = append(changes, "description changed")
		}
		if patch.Active != nil && *patch.Active != cur.Active {
			next.Active = *patch.Active
			changes = append(changes, fmt.Sprintf("active: %t → %t", cur.Active, next.Active))
		}
		if patch.Events != nil && !slices.Equal(patch.Events, cur.Events) {
			next.Events = patch.Events
			changes = append(changes, "events: "+eventNames(cur.Events)+" → "+eventNames(next.Events))
			if err := setSubscriptions(ctx, q, id, next.Events); err != nil {
				return err
			}
		}
		set, args := "url = $1, description = $2, active = $3, updated_at = $4", []any{next.URL, next.Description, next.Active, s.Now()}
		if patch.Secret != nil {
			set += ", secret = $6"
			args = append(args, id, *patch.Secret)
			changes = append(changes, "secret replaced")
		} else {
			args = append(args, id)
		}
		if _, err := q.Exec(ctx, "UPDATE webhooks SET "+set+" WHERE id = $5", args...); err != nil {
			return err
		}
		if out, err = s.webhook(ctx, q, id); err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil // nothing changed: nothing to record
		}
		for i := range audit {
			audit[i].Target, audit[i].Detail = webhookTarget(out), strings.Join(changes, "; ")
		}
		return s.insertAudit(ctx, q, audit...)
	})
	return out, err
}

// DeleteWebhook removes a webhook with its subscriptions, deliveries and
// attempts, and records the audit entries, in one transaction. Retries
// still queued find nothing to send.
func (s *Store) DeleteWebhook(ctx context.Context, id int64, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		cur, err := s.webhook(ctx, q, id)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx, "DELETE FROM webhooks WHERE id = $1", id); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target, audit[i].Detail = webhookTarget(cur), "events: "+eventNames(cur.Events)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}
