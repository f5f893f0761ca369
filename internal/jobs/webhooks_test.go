package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/jobs"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestDeliveriesCommitWithTheChange: a delivery and its River job exist
// exactly when the change that published the event commits. The sink
// inserts the jobs for real, in the change's transaction, and can then
// fail the change: afterwards neither the request, nor the delivery, nor
// the job may exist.
func TestDeliveriesCommitWithTheChange(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			// A job inserted outside the transaction would wait for
			// SQLite's one write connection, held by the transaction:
			// the deadline turns that deadlock into a failure.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			st := storetest.Open(t, d)
			if err := jobs.Migrate(ctx, st); err != nil {
				t.Fatal(err)
			}
			enq, err := jobs.NewEnqueuer(st, nil)
			if err != nil {
				t.Fatal(err)
			}
			var fail atomic.Bool
			st.SetEventSink(store.EventSink{
				Render: func(model.DomainEvent) (json.RawMessage, error) { return json.RawMessage(`{}`), nil },
				Enqueue: func(ctx context.Context, tx store.DriverTx, ids []int64, manual bool) error {
					if err := enq.Enqueue(ctx, tx, ids, manual); err != nil {
						return err
					}
					if fail.Load() {
						return errors.New("injected failure after the jobs were inserted")
					}
					return nil
				},
			})
			hook := &model.Webhook{URL: "https://hooks.example/in", Secret: "k", Active: true,
				Events: []model.EventType{model.EventRequestCreated, model.EventRequestStatusChanged}}
			if err := st.CreateWebhook(ctx, hook); err != nil {
				t.Fatal(err)
			}
			c := &model.Customer{Name: "c"}
			if err := st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			sys := store.Actor{Kind: model.AuthorSystem, Name: "test", Channel: model.ChannelAPI}
			newReq := store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal, Channel: model.ChannelAPI,
				Subject: "x", CustomerID: c.ID}
			counts := func() [4]int {
				t.Helper()
				var out [4]int
				for i, q := range []string{"SELECT count(*) FROM requests", "SELECT count(*) FROM webhook_deliveries",
					"SELECT count(*) FROM webhook_events", "SELECT count(*) FROM river_job WHERE kind = 'webhook_delivery'"} {
					if err := st.Read().QueryRow(ctx, q).Scan(&out[i]); err != nil {
						t.Fatal(err)
					}
				}
				return out
			}

			fail.Store(true)
			if _, err := st.CreateRequest(ctx, newReq, sys); err == nil {
				t.Fatal("create with a failing sink: got nil, want the injected error")
			}
			if got := counts(); got != [4]int{} {
				t.Fatalf("after a rolled-back create: requests, deliveries, events, jobs = %v, want all 0", got)
			}

			fail.Store(false)
			r, err := st.CreateRequest(ctx, newReq, sys)
			if err != nil {
				t.Fatal(err)
			}
			if got := counts(); got != [4]int{1, 1, 1, 1} {
				t.Fatalf("after a committed create: requests, deliveries, events, jobs = %v, want 1 each", got)
			}
			var deliveryID int64
			if err := st.Read().QueryRow(ctx, "SELECT id FROM webhook_deliveries").Scan(&deliveryID); err != nil {
				t.Fatal(err)
			}
			var args string
			argsText := "CAST(args AS TEXT)"
			if d == store.SQLite {
				argsText = "json(args)" // riversqlite keeps JSONB
			}
			if err := st.Read().QueryRow(ctx, "SELECT "+argsText+" FROM river_job WHERE kind = 'webhook_delivery'").Scan(&args); err != nil {
				t.Fatal(err)
			}
			var a jobs.WebhookDeliveryArgs
			if err := json.Unmarshal([]byte(args), &a); err != nil || a.DeliveryID != deliveryID || a.Manual {
				t.Fatalf("job args %s: want delivery %d, automatic", args, deliveryID)
			}
			var maxAttempts int
			var queue string
			if err := st.Read().QueryRow(ctx, "SELECT max_attempts, queue FROM river_job WHERE kind = 'webhook_delivery'").Scan(&maxAttempts, &queue); err != nil {
				t.Fatal(err)
			}
			if maxAttempts != 8 || queue != jobs.WebhookQueue {
				t.Fatalf("job: %d attempts on queue %q, want 8 (the first and 7 retries) on %q", maxAttempts, queue, jobs.WebhookQueue)
			}

			fail.Store(true)
			if _, err := st.ChangeStatus(ctx, r.Number, model.StatusOpen, sys, nil); err == nil {
				t.Fatal("status change with a failing sink: got nil, want the injected error")
			}
			if got, _ := st.RequestByNumber(ctx, r.Number); got.Status != model.StatusNew {
				t.Errorf("status after the rolled-back change: got %s, want new", got.Status)
			}
			if got := counts(); got != [4]int{1, 1, 1, 1} {
				t.Fatalf("after a rolled-back status change: %v, want nothing new", got)
			}

			// A redelivery by hand is one more job for the same delivery,
			// with a single attempt.
			fail.Store(false)
			if err := st.Redeliver(ctx, hook.ID, deliveryID); err != nil {
				t.Fatal(err)
			}
			if err := st.Read().QueryRow(ctx, "SELECT max_attempts, "+argsText+" FROM river_job WHERE kind = 'webhook_delivery' ORDER BY id DESC LIMIT 1").
				Scan(&maxAttempts, &args); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(args), &a); err != nil || a.DeliveryID != deliveryID || !a.Manual || maxAttempts != 1 {
				t.Fatalf("redelivery job: args %s, %d attempts; want delivery %d, manual, 1 attempt", args, maxAttempts, deliveryID)
			}
			if err := st.Redeliver(ctx, hook.ID+1, deliveryID); !model.IsNotFound(err) {
				t.Fatalf("redelivery through another webhook: got %v, want not found", err)
			}
		})
	}
}
