package sla_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// timers records the timers the service schedules, as River would keep
// them: one per request and instant.
type timers struct {
	mu sync.Mutex
	at []time.Time
}

func (ts *timers) ScheduleSLA(_ context.Context, _ store.Querier, _ int64, at time.Time) error {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.at = append(ts.at, at)
	return nil
}

// take returns the timers scheduled since the last call.
func (ts *timers) take() []time.Time {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	out := ts.at
	ts.at = nil
	return out
}

// A request has one timer at a time: its nearest instant. When it fires
// it records what has come and leaves one timer for the next instant,
// also past a clock met meanwhile, until no instant is left; every
// warning and breach is recorded once.
func TestOneTimerPerRequestChains(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			jobs := &timers{}
			e := setupWith(t, d, jobs)
			r := e.create(t, e.premium)
			x := e.sla(t, r)
			fr, res := x.Clock(model.ClockFirstResponse), x.Clock(model.ClockResolution)
			frWarn, frDue, resWarn := *fr.WarnAt, *fr.DueAt, *res.WarnAt
			if got := jobs.take(); len(got) != 1 || !got[0].Equal(frWarn) {
				t.Fatalf("timers on create: %v, want one at the first response's warning %v", got, frWarn)
			}

			// Early: the timer waits and leaves nothing.
			if wait, err := e.svc.FireRequest(ctx, r.ID, frWarn); err != nil || wait <= 0 {
				t.Errorf("early fire: wait %v, %v; want a wait", wait, err)
			}
			e.clk.Set(frWarn)
			if _, err := e.svc.FireRequest(ctx, r.ID, frWarn); err != nil {
				t.Fatal(err)
			}
			if got := jobs.take(); len(got) != 1 || !got[0].Equal(frDue) {
				t.Errorf("timers after the warning: %v, want one at the first response's due time %v", got, frDue)
			}

			// Staff answer: first response met; the resolution's instants
			// did not move, so no new timer — the pending one goes on.
			e.clk.Set(frWarn.Add(time.Minute))
			e.say(t, r, staff)
			if got := jobs.take(); len(got) != 0 {
				t.Errorf("timers after the reply: %v, want none", got)
			}
			e.clk.Set(frDue)
			if _, err := e.svc.FireRequest(ctx, r.ID, frDue); err != nil {
				t.Fatal(err)
			}
			if got := jobs.take(); len(got) != 1 || !got[0].Equal(resWarn) {
				t.Errorf("timers at the met clock's old due time: %v, want one at the resolution's warning %v", got, resWarn)
			}

			// Long past everything: one firing records the rest, twice
			// records nothing more, and no timer is left.
			e.clk.Set(res.DueAt.Add(time.Hour))
			for range 2 {
				if _, err := e.svc.FireRequest(ctx, r.ID, resWarn); err != nil {
					t.Fatal(err)
				}
			}
			if got := jobs.take(); len(got) != 0 {
				t.Errorf("timers with no instant ahead: %v, want none", got)
			}
			alerts, err := e.st.SLAAlerts(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"first_response/1/warning", "resolution/1/warning", "resolution/1/breach"} {
				if _, ok := alerts[k]; !ok {
					t.Errorf("alert %s not recorded: %v", k, alerts)
				}
			}
			if len(alerts) != 3 {
				t.Errorf("alerts %v, want 3 (the met first response never breached)", alerts)
			}
			var events int
			if err := e.st.Read().QueryRow(ctx, "SELECT COUNT(*) FROM events WHERE request_id = $1 AND kind IN ('sla_warning', 'sla_breached')",
				r.ID).Scan(&events); err != nil || events != 3 {
				t.Errorf("%d SLA timeline events, %v; want 3", events, err)
			}
		})
	}
}
