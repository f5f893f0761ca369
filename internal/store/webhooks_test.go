package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// hookSink records what the store enqueues.
type hookSink struct{ enqueued [][]int64 }

func (h *hookSink) sink() store.EventSink {
	return store.EventSink{
		Render: func(ev model.DomainEvent) (json.RawMessage, error) {
			return json.Marshal(map[string]any{"number": ev.Request.Number, "status": ev.Request.Status})
		},
		Enqueue: func(_ context.Context, tx store.DriverTx, ids []int64, manual bool) error {
			if tx.SQLite == nil && tx.Postgres == nil {
				panic("enqueue outside the transaction")
			}
			h.enqueued = append(h.enqueued, ids)
			return nil
		},
	}
}

func code(n int) *int { return &n }

// TestWebhookLifecycle: webhooks are created, changed and deleted with an
// audit entry each that never holds the secret; only active subscribers
// get deliveries; every attempt is logged with the next number and moves
// the delivery's status; deleting a webhook deletes its log.
func TestWebhookLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var sink hookSink
		s.SetEventSink(sink.sink())
		admin := model.Principal{Kind: model.KindStaff, ID: 1, Name: "root", Role: model.RoleAdmin}
		rec := func(action string) model.AuditEntry { return model.Audit(ctx, admin, action, "", "") }
		on := &model.Webhook{URL: "https://erp.example/hooks", Secret: "top-secret-1", Active: true,
			Events: []model.EventType{model.EventRequestStatusChanged, model.EventRequestCreated}}
		paused := &model.Webhook{URL: "https://crm.example/hooks", Secret: "top-secret-2", Active: false,
			Events: []model.EventType{model.EventRequestCreated}}
		for _, w := range []*model.Webhook{on, paused} {
			if err := s.CreateWebhook(ctx, w, rec(model.AuditWebhookCreated)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Webhook(ctx, on.ID)
		if err != nil || got.Secret != "" || got.URL != on.URL || len(got.Events) != 2 || got.Events[0] != model.EventRequestCreated {
			t.Fatalf("webhook: got %+v %v; want its events in catalogue order and no secret", got, err)
		}

		c, _ := fixture(t, s)
		r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
			Channel: model.ChannelWeb, Subject: "x", CustomerID: c.ID}, agent)
		if err != nil {
			t.Fatal(err)
		}
		if len(sink.enqueued) != 1 || len(sink.enqueued[0]) != 1 {
			t.Fatalf("enqueued %v, want one delivery (the paused webhook gets none)", sink.enqueued)
		}
		id := sink.enqueued[0][0]
		o, err := s.Outbound(ctx, id)
		if err != nil || o.WebhookID != on.ID || o.Secret != "top-secret-1" || o.Event != model.EventRequestCreated ||
			!strings.Contains(string(o.Data), r.Number) || o.Status != model.DeliveryPending {
			t.Fatalf("outbound: got %+v %v", o, err)
		}

		now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
		next := now.Add(5 * time.Second)
		steps := []struct {
			a     model.DeliveryAttempt
			final bool
			want  model.DeliveryStatus
		}{
			{model.DeliveryAttempt{StatusCode: code(500), ErrorKind: model.AttemptStatus, Error: "HTTP 500"}, false, model.DeliveryPending},
			// A failed redelivery while retries go on leaves it pending.
			{model.DeliveryAttempt{Manual: true, ErrorKind: model.AttemptConnect, Error: "reset"}, true, model.DeliveryPending},
			{model.DeliveryAttempt{ErrorKind: model.AttemptTimeout, Error: "no answer"}, true, model.DeliveryFailed},
			{model.DeliveryAttempt{Manual: true, ErrorKind: model.AttemptConnect, Error: "refused"}, true, model.DeliveryFailed},
			{model.DeliveryAttempt{Manual: true, StatusCode: code(200)}, true, model.DeliveryDelivered},
		}
		for i, st := range steps {
			a := st.a
			a.DeliveryID, a.At, a.Duration = id, now.Add(time.Duration(i)*time.Minute), 1500*time.Millisecond
			if err := s.RecordAttempt(ctx, &a, st.final, &next); err != nil {
				t.Fatal(err)
			}
			o, _ := s.Outbound(ctx, id)
			if a.Attempt != i+1 || a.WebhookID != on.ID || o.Status != st.want {
				t.Fatalf("attempt %d: numbered %d, delivery %s; want %d, %s", i+1, a.Attempt, o.Status, i+1, st.want)
			}
		}
		page, err := s.ListAttempts(ctx, model.AttemptFilter{WebhookID: on.ID, Limit: 3})
		if err != nil || len(page.Items) != 3 || page.Items[0].Attempt != 5 || !page.Items[0].Manual || page.NextCursor == "" {
			t.Fatalf("first page: got %+v %v; want attempts 5, 4, 3 and a cursor", page, err)
		}
		if p := page.Items[2]; p.Attempt != 3 || p.ErrorKind != model.AttemptTimeout || p.Duration != 1500*time.Millisecond || p.Event != model.EventRequestCreated {
			t.Fatalf("attempt 3: got %+v", p)
		}
		page, err = s.ListAttempts(ctx, model.AttemptFilter{WebhookID: on.ID, Limit: 3, Cursor: page.NextCursor})
		if err != nil || len(page.Items) != 2 || page.Items[1].Attempt != 1 || *page.Items[1].StatusCode != 500 || page.NextCursor != "" {
			t.Fatalf("second page: got %+v %v; want attempts 2 and 1", page, err)
		}
		if _, err := s.ListAttempts(ctx, model.AttemptFilter{WebhookID: paused.ID + 100}); !model.IsNotFound(err) {
			t.Fatalf("attempts of an unknown webhook: got %v, want not found", err)
		}
		recent, err := s.RecentDeliveries(ctx, on.ID, 10, 0)
		if err != nil || len(recent) != 1 || len(recent[0].AttemptLog) != 5 || recent[0].Status != model.DeliveryDelivered {
			t.Fatalf("recent deliveries: got %+v %v", recent, err)
		}

		secret := "rotated-secret"
		active := false
		w, err := s.UpdateWebhook(ctx, on.ID, model.WebhookPatch{Secret: &secret, Active: &active,
			Events: []model.EventType{model.EventMessageCreated}}, rec(model.AuditWebhookUpdated))
		if err != nil || w.Active || len(w.Events) != 1 || w.Events[0] != model.EventMessageCreated {
			t.Fatalf("update: got %+v %v", w, err)
		}
		if o, _ := s.Outbound(ctx, id); o.Secret != secret {
			t.Fatalf("secret after update: got %q", o.Secret)
		}
		if err := s.DeleteWebhook(ctx, on.ID, rec(model.AuditWebhookDeleted)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Outbound(ctx, id); !model.IsNotFound(err) {
			t.Fatalf("outbound after delete: got %v, want not found", err)
		}
		a := model.DeliveryAttempt{DeliveryID: id, At: now}
		if err := s.RecordAttempt(ctx, &a, false, nil); !model.IsNotFound(err) {
			t.Fatalf("attempt after delete: got %v, want not found", err)
		}
		var left int
		if err := s.Read().QueryRow(ctx, "SELECT count(*) FROM webhook_attempts").Scan(&left); err != nil || left != 0 {
			t.Fatalf("attempts after delete: %d %v, want 0", left, err)
		}

		audit, err := s.ListAudit(ctx, model.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range audit.Items {
			actions = append(actions, e.Action)
			if strings.Contains(e.Detail+e.Target, "secret-") {
				t.Errorf("audit entry shows a secret: %+v", e)
			}
		}
		want := "webhook.deleted webhook.updated webhook.created webhook.created"
		if strings.Join(actions, " ") != want {
			t.Fatalf("audit: got %v, want %s", actions, want)
		}
		if e := audit.Items[1]; !strings.Contains(e.Detail, "secret replaced") || !strings.Contains(e.Target, "https://erp.example/hooks") {
			t.Errorf("update audit: got %+v", e)
		}
	})
}

// TestDeleteOldDeliveries keeps pending deliveries however old and
// removes finished ones past the cutoff, with their events.
func TestDeleteOldDeliveries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var sink hookSink
		s.SetEventSink(sink.sink())
		w := &model.Webhook{URL: "https://erp.example/hooks", Secret: "k", Active: true, Events: []model.EventType{model.EventRequestCreated}}
		if err := s.CreateWebhook(ctx, w); err != nil {
			t.Fatal(err)
		}
		c, _ := fixture(t, s)
		for range 2 {
			if _, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
				Channel: model.ChannelWeb, Subject: "x", CustomerID: c.ID}, agent); err != nil {
				t.Fatal(err)
			}
		}
		done := model.DeliveryAttempt{DeliveryID: sink.enqueued[0][0], StatusCode: code(204), At: s.Now()}
		if err := s.RecordAttempt(ctx, &done, false, nil); err != nil {
			t.Fatal(err)
		}
		if n, err := s.DeleteOldDeliveries(ctx, s.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("cutoff before everything: removed %d %v, want 0", n, err)
		}
		if n, err := s.DeleteOldDeliveries(ctx, s.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("cutoff after everything: removed %d %v, want the delivered one", n, err)
		}
		var deliveries, events int
		_ = s.Read().QueryRow(ctx, "SELECT count(*) FROM webhook_deliveries").Scan(&deliveries)
		_ = s.Read().QueryRow(ctx, "SELECT count(*) FROM webhook_events").Scan(&events)
		if deliveries != 1 || events != 1 {
			t.Fatalf("left: %d deliveries, %d events; want the pending one and its event", deliveries, events)
		}
	})
}

// BenchmarkCreateRequestPublishing measures what publishing adds to
// opening a request: nothing without the webhook machinery, one indexed
// query when nobody subscribes, and the event, the delivery and the
// rendering when one webhook does (the job insert is left out: River's).
func BenchmarkCreateRequestPublishing(b *testing.B) {
	for _, d := range storetest.Dialects() {
		for _, mode := range []string{"no-sink", "no-subscriber", "one-subscriber"} {
			b.Run(string(d)+"/"+mode, func(b *testing.B) {
				s := storetest.Open(b, d)
				ctx := context.Background()
				if mode != "no-sink" {
					s.SetEventSink(store.EventSink{
						Render:  func(model.DomainEvent) (json.RawMessage, error) { return json.RawMessage(`{}`), nil },
						Enqueue: func(context.Context, store.DriverTx, []int64, bool) error { return nil },
					})
				}
				if mode == "one-subscriber" {
					w := &model.Webhook{URL: "https://erp.example/in", Secret: "k", Active: true, Events: []model.EventType{model.EventRequestCreated}}
					if err := s.CreateWebhook(ctx, w); err != nil {
						b.Fatal(err)
					}
				}
				c := &model.Customer{Name: "bench"}
				if err := s.CreateCustomer(ctx, c); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					if _, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
						Channel: model.ChannelAPI, Subject: "bench", CustomerID: c.ID}, agent); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
