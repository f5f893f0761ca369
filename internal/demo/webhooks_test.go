package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// checkWebhooks: the demo has paused webhooks (nothing leaves a demo)
// with a past week of deliveries, some retried, one redelivered by hand,
// whose payloads show requests as the API does; nothing is left pending.
func checkWebhooks(t *testing.T, st *store.Store, c Counts) {
	t.Helper()
	ctx := context.Background()
	if c.Webhooks != 3 || c.Deliveries < 10 {
		t.Fatalf("webhooks: got %d with %d deliveries, want 3 with a week of deliveries", c.Webhooks, c.Deliveries)
	}
	page, err := st.ListWebhooks(ctx, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range page.Items {
		if w.Active {
			t.Errorf("demo webhook %s is active; demo webhooks must be paused", w.URL)
		}
	}
	recent, err := st.RecentDeliveries(ctx, page.Items[0].ID, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var retried, manual, pending int
	for _, d := range recent {
		if d.Status == model.DeliveryPending {
			pending++
		}
		if d.Attempts > 1 && d.Status == model.DeliveryDelivered {
			retried++
		}
		for _, a := range d.AttemptLog {
			if a.Manual {
				manual++
			}
			if a.At.After(st.Now()) {
				t.Errorf("delivery %d: attempt %d at %v, in the future", d.ID, a.Attempt, a.At)
			}
		}
	}
	if pending != 0 || retried == 0 || manual != 1 {
		t.Errorf("order system's deliveries: %d pending, %d delivered after retries, %d redelivered by hand; want 0, some, 1",
			pending, retried, manual)
	}
	o, err := st.Outbound(ctx, recent[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if data := string(o.Data); !strings.Contains(data, `"number":"SR-`) || !strings.Contains(data, `"customer_name":`) {
		t.Errorf("payload data: got %s, want the request as the API shows it", data)
	}
}
