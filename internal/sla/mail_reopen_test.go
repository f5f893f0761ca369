package sla_test

import (
	"context"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// A resolved request reopened by the customer's e-mail gets its
// resolution clock back, as a reopen through the API does: open again,
// due later by the time it stood resolved.
func TestMailReopenRewindsClock(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			e := setup(t, d)
			ctx := context.Background()
			c := &model.Customer{Name: "Li", Email: "li@example.com", Locale: "en"}
			if err := e.st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			r := e.create(t, c.ID)
			due := *e.sla(t, r).Clock(model.ClockResolution).DueAt
			e.status(t, r, model.StatusResolved)
			if cl := e.sla(t, r).Clock(model.ClockResolution); cl.MetAt == nil {
				t.Fatal("resolution clock not met on resolve")
			}
			e.clk.Set(e.clk.Now().Add(2 * time.Hour)) // 13:30, two business hours later less lunch
			id, stored, err := e.st.LogInbound(ctx, store.NewInbound{Source: model.MailSourceSMTP, SourceRef: "x",
				From: "li@example.com", Subject: "Re", Outcome: model.MailReceived, RetryAt: e.clk.Now().Add(time.Minute), Raw: []byte("x")})
			if err != nil || !stored {
				t.Fatalf("log inbound: %v %v", stored, err)
			}
			if _, err := e.st.ApplyInbound(ctx, store.InboundPlan{InboundID: id, Outcome: model.MailCreated, MessageID: "m1@example.com",
				ThreadRequestID: r.ID, Sender: store.InboundSender{Email: "li@example.com", Name: "Li", Locale: "en"},
				Subject: "Re: Broken", Body: "Still broken", Type: model.TypeRepair}); err != nil {
				t.Fatal(err)
			}
			got, _ := e.st.RequestByNumber(ctx, r.Number)
			cl := e.sla(t, r).Clock(model.ClockResolution)
			if got.Status != model.StatusOpen || cl.MetAt != nil || !cl.Open() {
				t.Fatalf("after the mail: status %s, clock met %v open %v; want reopened and running", got.Status, cl.MetAt, cl.Open())
			}
			if cl.DueAt == nil || !cl.DueAt.After(due) {
				t.Errorf("due %v, want later than %v by the resolved stretch", cl.DueAt, due)
			}
		})
	}
}

// A cancel taken back by staff restarts the clocks the cancel stopped:
// first response and resolution run again, due later by the time the
// request stood cancelled, so the timers can warn and breach once more.
func TestUncancelRestartsClocks(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			e := setup(t, d)
			ctx := context.Background()
			c := &model.Customer{Name: "Wu", Email: "wu@example.com", Locale: "en"}
			if err := e.st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			r := e.create(t, c.ID)
			x := e.sla(t, r)
			dues := map[model.ClockKind]time.Time{}
			for _, cl := range x.Clocks {
				if cl.DueAt != nil {
					dues[cl.Kind] = *cl.DueAt
				}
			}
			if len(dues) == 0 {
				t.Fatal("no running clock after create")
			}
			e.status(t, r, model.StatusCancelled)
			for _, cl := range e.sla(t, r).Clocks {
				if cl.Open() {
					t.Fatalf("clock %s still open after cancel", cl.Kind)
				}
			}
			e.clk.Set(e.clk.Now().Add(24 * time.Hour)) // a business day later
			e.status(t, r, model.StatusOpen)
			got := e.sla(t, r)
			for kind, due := range dues {
				cl := got.Clock(kind)
				if cl == nil || !cl.Open() || cl.DueAt == nil {
					t.Errorf("after the cancel was taken back: clock %s %+v, want running with a due time", kind, cl)
					continue
				}
				if !cl.DueAt.After(due) {
					t.Errorf("clock %s due %v, want later than %v by the cancelled stretch", kind, cl.DueAt, due)
				}
			}
		})
	}
}
