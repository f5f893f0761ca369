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
// them: one per request and instant (a timer asked for again is not
// recorded again).
type timers struct {
	mu   sync.Mutex
	at   []time.Time
	seen map[store.SLAInstant]bool
}

func (ts *timers) ScheduleSLA(_ context.Context, _ store.Querier, requestID int64, at time.Time) error {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	k := store.SLAInstant{RequestID: requestID, At: at.UTC()}
	if ts.seen[k] {
		return nil
	}
	if ts.seen == nil {
		ts.seen = map[store.SLAInstant]bool{}
	}
	ts.seen[k] = true
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
			e.svc.SetTimerHorizon(1000 * time.Hour) // every instant is "soon" here
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

// An instant beyond the timer horizon (15 minutes) gets no timer from the
// change that set it: the sweeper gives it one once it comes within the
// horizon, and a timer that fires leaves none for a far successor, which
// the sweeper schedules in turn. An instant within the horizon gets its
// timer at once.
func TestFarInstantsGetTimersFromTheSweeper(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			jobs := &timers{}
			e := setupWith(t, d, jobs)
			sweep := func(now time.Time) []time.Time {
				t.Helper()
				e.clk.Set(now)
				if _, err := e.svc.Sweep(ctx); err != nil {
					t.Fatal(err)
				}
				return jobs.take()
			}
			r := e.create(t, e.premium) // Monday 11:30
			fr := e.sla(t, r).Clock(model.ClockFirstResponse)
			frWarn, frDue := *fr.WarnAt, *fr.DueAt // 12:00, 13:30
			if got := jobs.take(); len(got) != 0 {
				t.Errorf("timers on create, the nearest instant 30 minutes ahead: %v, want none", got)
			}
			if got := sweep(frWarn.Add(-16 * time.Minute)); len(got) != 0 {
				t.Errorf("sweep 16 minutes before the warning: timers %v, want none", got)
			}
			if got := sweep(frWarn.Add(-14 * time.Minute)); len(got) != 1 || !got[0].Equal(frWarn) {
				t.Errorf("sweep 14 minutes before the warning: timers %v, want one at %v", got, frWarn)
			}
			if got := sweep(frWarn.Add(-13 * time.Minute)); len(got) != 0 {
				t.Errorf("the next sweep: timers %v, want none more", got)
			}
			e.clk.Set(frWarn)
			if _, err := e.svc.FireRequest(ctx, r.ID, frWarn); err != nil {
				t.Fatal(err)
			}
			if got := jobs.take(); len(got) != 0 {
				t.Errorf("timers after the warning, the due time 90 minutes ahead: %v, want none", got)
			}
			alerts, err := e.st.SLAAlerts(ctx, r.ID)
			if _, ok := alerts["first_response/1/warning"]; err != nil || !ok {
				t.Errorf("the warning was not recorded: %v, %v", alerts, err)
			}
			if got := sweep(frDue.Add(-10 * time.Minute)); len(got) != 1 || !got[0].Equal(frDue) {
				t.Errorf("sweep 10 minutes before the due time: timers %v, want one at %v", got, frDue)
			}

			// Within the horizon: the change schedules the timer itself.
			e.svc.SetTimerHorizon(45 * time.Minute)
			near := e.create(t, e.premium)
			w := *e.sla(t, near).Clock(model.ClockFirstResponse).WarnAt
			if got := jobs.take(); len(got) != 1 || !got[0].Equal(w) {
				t.Errorf("timers on create with a 45-minute horizon: %v, want one at the warning %v (%v ahead)", got, w, w.Sub(e.clk.Now()))
			}
		})
	}
}
