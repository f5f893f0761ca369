package sla_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

var admin = model.Principal{Kind: model.KindStaff, ID: 0, Name: "admin", Role: model.RoleAdmin}

func ptr(v int) *int { return &v }

// clock is a settable store clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// env is a store with the SLA service hooked in (no timers: the tests
// fire them by hand), a Shanghai office calendar (Mon–Fri 09:00–12:00,
// 13:00–18:00), a premium tier and two policies.
type env struct {
	st      *store.Store
	svc     *sla.Service
	cals    *calendar.Service
	cal     int64 // the office calendar
	clk     *clock
	premium int64 // a premium customer
	plain   int64 // a customer without a tier
	opts    store.Options
}

func setup(t *testing.T, d store.Dialect) *env {
	t.Helper()
	return setupWith(t, d, nil)
}

// setupWith is setup with jobs as the timers' scheduler.
func setupWith(t *testing.T, d store.Dialect, jobs sla.Scheduler) *env {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: at(t, "2026-03-02T11:30:00+08:00")} // a Monday
	opts := storetest.Options(t, d)
	opts.Now = clk.Now
	st := storetest.OpenWith(t, opts)
	cals := calendar.NewService(st)
	hours := [][]string{{"09:00", "12:00"}, {"13:00", "18:00"}}
	cal, err := cals.Create(ctx, admin, calendar.CreateInput{Input: calendar.Input{Name: "Office", TimeZone: "Asia/Shanghai",
		Hours: map[string][][]string{"mon": hours, "tue": hours, "wed": hours, "thu": hours, "fri": hours}}})
	if err != nil {
		t.Fatal(err)
	}
	svc := sla.New(st, cals, nil)
	if _, err := svc.SaveTier(ctx, admin, model.Tier{Key: "premium", Name: "Premium", ResponseMinutes: ptr(60)}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreatePolicy(ctx, admin, sla.PolicyInput{Name: "Premium", Position: 1,
		Conditions: model.SLAConditions{Tier: "premium"}, CalendarID: cal.ID, FirstResponseMinutes: 60,
		NextResponseMinutes: ptr(120), ResolutionMinutes: 480, WarnBeforeMinutes: ptr(30)}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreatePolicy(ctx, admin, sla.PolicyInput{Name: "Default", Position: 2, CalendarID: cal.ID,
		FirstResponseMinutes: 240, ResolutionMinutes: 2400}); err != nil {
		t.Fatal(err)
	}
	svc.Start(jobs)
	e := &env{st: st, svc: svc, cals: cals, cal: cal.ID, clk: clk, opts: opts}
	for i, id := range []*int64{&e.premium, &e.plain} {
		c := &model.Customer{Name: "Customer", Phone: []string{"13800000001", "13800000002"}[i], Locale: "en"}
		if err := st.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		*id = c.ID
	}
	if err := svc.SetCustomerTier(ctx, admin, e.premium, "premium"); err != nil {
		t.Fatal(err)
	}
	return e
}

var (
	staff    = store.Actor{Kind: model.AuthorStaff, Name: "Agent", Channel: model.ChannelWeb}
	customer = store.Actor{Kind: model.AuthorCustomer, Name: "Customer", Channel: model.ChannelWeb}
)

func (e *env) create(t *testing.T, customerID int64) *model.Request {
	t.Helper()
	r, err := e.st.CreateRequest(context.Background(), store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
		Channel: model.ChannelWeb, Subject: "Broken", Description: "It broke", CustomerID: customerID}, customer)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (e *env) sla(t *testing.T, r *model.Request) *model.RequestSLA {
	t.Helper()
	x, err := e.svc.Request(context.Background(), r.ID)
	if err != nil || x == nil {
		t.Fatalf("request sla: %v, %v", x, err)
	}
	return x
}

func (e *env) say(t *testing.T, r *model.Request, by store.Actor) {
	t.Helper()
	m := &model.Message{AuthorKind: by.Kind, AuthorName: by.Name, Visibility: model.VisibilityPublic, Channel: model.ChannelWeb, Body: "hello"}
	if err := e.st.AddMessage(context.Background(), r.Number, m, nil, nil, by, store.UploadLimits{}); err != nil {
		t.Fatal(err)
	}
}

func (e *env) status(t *testing.T, r *model.Request, to model.Status) {
	t.Helper()
	if _, err := e.st.ChangeStatus(context.Background(), r.Number, to, staff, nil); err != nil {
		t.Fatal(err)
	}
}

func wantDue(t *testing.T, x *model.RequestSLA, k model.ClockKind, want string) {
	t.Helper()
	c := x.Clock(k)
	switch {
	case c == nil:
		t.Errorf("%s: no clock", k)
	case want == "" && c.DueAt != nil:
		t.Errorf("%s: due %v, want none (paused)", k, c.DueAt)
	case want != "" && (c.DueAt == nil || !c.DueAt.Equal(at(t, want))):
		t.Errorf("%s: due %v, want %s", k, c.DueAt, want)
	}
}

func TestPolicyMatchingAndDue(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			e := setup(t, d)
			p := e.sla(t, e.create(t, e.premium))
			if p.PolicyName != "Premium" || p.Tier != "premium" {
				t.Errorf("premium customer got policy %q", p.PolicyName)
			}
			// 11:30 + 60 business minutes over lunch; warning at 30 minutes in.
			wantDue(t, p, model.ClockFirstResponse, "2026-03-02T13:30:00+08:00")
			if w := p.Clock(model.ClockFirstResponse).WarnAt; w == nil || !w.Equal(at(t, "2026-03-02T12:00:00+08:00")) {
				t.Errorf("first response warning at %v, want 12:00", w)
			}
			wantDue(t, p, model.ClockResolution, "2026-03-03T11:30:00+08:00")
			q := e.sla(t, e.create(t, e.plain))
			if q.PolicyName != "Default" {
				t.Errorf("plain customer got policy %q", q.PolicyName)
			}
			wantDue(t, q, model.ClockFirstResponse, "2026-03-02T16:30:00+08:00")
		})
	}
}

// A request paused while pending does not breach; resumed, its due times
// have moved by exactly the paused business time.
func TestPauseMovesDueByPausedBusinessTime(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			r := e.create(t, e.premium)
			e.clk.Set(at(t, "2026-03-02T12:30:00+08:00"))
			e.status(t, r, model.StatusPending)
			x := e.sla(t, r)
			wantDue(t, x, model.ClockFirstResponse, "")
			wantDue(t, x, model.ClockResolution, "")

			// Past the first response's old due time, nothing breaches.
			e.clk.Set(at(t, "2026-03-02T14:00:00+08:00"))
			if n, err := e.svc.Sweep(ctx); err != nil || n != 0 {
				t.Errorf("sweep while paused: %d, %v; want nothing", n, err)
			}
			old := store.SLATimer{RequestID: r.ID, Kind: model.ClockFirstResponse, Cycle: 1, Alert: model.AlertBreach,
				At: at(t, "2026-03-02T13:30:00+08:00")}
			if _, err := e.svc.Fire(ctx, old); err != nil {
				t.Fatal(err)
			}
			if a, _ := e.st.SLAAlerts(ctx, r.ID); len(a) != 0 {
				t.Errorf("alerts while paused: %v", a)
			}

			// The customer answers on Tuesday at 10:00: pending → open. The
			// pause held 360 business minutes (Mon 13:00–18:00, Tue 09:00–10:00).
			e.clk.Set(at(t, "2026-03-03T10:00:00+08:00"))
			e.say(t, r, customer)
			x = e.sla(t, r)
			wantDue(t, x, model.ClockFirstResponse, "2026-03-03T10:30:00+08:00")
			wantDue(t, x, model.ClockResolution, "2026-03-04T09:30:00+08:00")
			if x.Metrics.PausedBusiness != 360*60 {
				t.Errorf("paused business time %v s, want %v", x.Metrics.PausedBusiness, 360*60)
			}
			if want := (21*time.Hour + 30*time.Minute).Seconds(); x.Metrics.PausedCalendar != want {
				t.Errorf("paused calendar time %v s, want %v", x.Metrics.PausedCalendar, want)
			}

			// Staff answer at 10:20: first response met, not breached;
			// the metric counts creation → reply in working time.
			e.clk.Set(at(t, "2026-03-03T10:20:00+08:00"))
			e.say(t, r, staff)
			x = e.sla(t, r)
			fr := x.Clock(model.ClockFirstResponse)
			if fr.MetAt == nil || fr.Breached(e.clk.Now()) {
				t.Errorf("first response: met %v, breached %v", fr.MetAt, fr.Breached(e.clk.Now()))
			}
			if b := x.Metrics.FirstResponseBusiness; b == nil || *b != 410*60 {
				t.Errorf("first response business time %v, want 410 min", b)
			}
		})
	}
}

// Each warning and breach is recorded once, however many timers and
// sweeps see it, with one timeline event each.
func TestBreachRecordedOnce(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			r := e.create(t, e.premium)
			e.clk.Set(at(t, "2026-03-02T11:40:00+08:00"))
			e.say(t, r, staff)
			e.clk.Set(at(t, "2026-03-02T11:50:00+08:00"))
			e.say(t, r, customer) // next response: 120 min → 11:50–12:00, 13:00–14:50
			x := e.sla(t, r)
			wantDue(t, x, model.ClockNextResponse, "2026-03-02T14:50:00+08:00")
			soon, err := e.svc.BreachingWithin(ctx, 4*time.Hour, 10)
			if err != nil || len(soon) != 1 || !soon[0].DueAt.Equal(at(t, "2026-03-02T14:50:00+08:00")) {
				t.Errorf("breaching within 4 h: %+v, %v", soon, err)
			}
			if soon, _ := e.svc.BreachingWithin(ctx, time.Hour, 10); len(soon) != 0 {
				t.Errorf("breaching within 1 h: %+v", soon)
			}
			timer := store.SLATimer{RequestID: r.ID, Kind: model.ClockNextResponse, Cycle: 1, Alert: model.AlertBreach,
				At: at(t, "2026-03-02T14:50:00+08:00")}
			// Early: the timer waits.
			if wait, err := e.svc.Fire(ctx, timer); err != nil || wait != 3*time.Hour {
				t.Errorf("early fire: wait %v, %v; want 3h", wait, err)
			}
			e.clk.Set(at(t, "2026-03-02T15:00:00+08:00"))
			var wg sync.WaitGroup
			for range 4 {
				wg.Add(2)
				go func() { defer wg.Done(); _, _ = e.svc.Fire(ctx, timer) }()
				go func() { defer wg.Done(); _, _ = e.svc.Sweep(ctx) }()
			}
			wg.Wait()
			if n, err := e.svc.Sweep(ctx); err != nil || n != 0 {
				t.Errorf("sweep after: %d, %v", n, err)
			}
			alerts, err := e.st.SLAAlerts(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(alerts) != 2 {
				t.Errorf("alerts %v, want the next response's warning and breach", alerts)
			}
			evs, err := e.st.Events(ctx, r.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			count := map[string]int{}
			for _, ev := range evs {
				count[ev.Kind]++
			}
			if count["sla_breached"] != 1 || count["sla_warning"] != 1 {
				t.Errorf("timeline: %v; want one sla_breached and one sla_warning", count)
			}
			// The customer's timeline shows neither.
			pub, err := e.st.Events(ctx, r.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range pub {
				if ev.Kind == "sla_breached" || ev.Kind == "sla_warning" {
					t.Errorf("customer timeline shows %s", ev.Kind)
				}
			}
			if c := e.sla(t, r).Clock(model.ClockNextResponse); !c.Breached(e.clk.Now()) {
				t.Error("next response not breached")
			}
			// Resolving meets resolution and records the metrics.
			e.status(t, r, model.StatusResolved)
			x = e.sla(t, r)
			if c := x.Clock(model.ClockResolution); c.MetAt == nil || c.Breached(e.clk.Now()) {
				t.Errorf("resolution: %+v", c)
			}
			if b := x.Metrics.FirstResolutionBusiness; b == nil || *b != 150*60 { // 11:30–12:00, 13:00–15:00
				t.Errorf("first resolution business %v, want 150 min", *b)
			}
		})
	}
}

// The report compares promised with achieved per tier and month, from
// the stored clocks and metrics, on both stores.
func TestReport(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			fast, slow, open := e.create(t, e.premium), e.create(t, e.premium), e.create(t, e.plain)
			e.clk.Set(at(t, "2026-03-02T12:00:00+08:00"))
			e.say(t, fast, staff) // 30 business minutes: on time
			e.clk.Set(at(t, "2026-03-02T15:30:00+08:00"))
			e.say(t, slow, staff) // 180: late
			e.status(t, fast, model.StatusResolved)
			_ = open // still running within its target: neither on time nor late
			rows, err := e.svc.Report(ctx, admin, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 2 || rows[0].Tier != "premium" || rows[1].Tier != "" || rows[0].Month != "2026-03" {
				t.Fatalf("rows: %+v", rows)
			}
			p := rows[0]
			if p.Requests != 2 || p.Response.OnTime != 1 || p.Response.Late != 1 || *p.Response.Rate() != 50 ||
				p.PromisedResponse == nil || *p.PromisedResponse != 60 {
				t.Errorf("premium: %+v", p)
			}
			if p.Response.Median == nil || *p.Response.Median != 30 || *p.Response.P90 != 180 {
				t.Errorf("premium response median %v, P90 %v; want 30 and 180", p.Response.Median, p.Response.P90)
			}
			if p.Resolve.OnTime != 1 || p.Resolve.Late != 0 {
				t.Errorf("premium resolution: %+v", p.Resolve)
			}
			if o := rows[1]; o.Requests != 1 || o.Response.Rate() != nil {
				t.Errorf("no tier: %+v", o)
			}
			if _, err := e.svc.Report(ctx, model.Principal{Kind: model.KindCustomer, ID: e.plain}, 1); model.ErrorCode(err) != model.EFORBIDDEN {
				t.Errorf("customer: %v", err)
			}
		})
	}
}

// Escalating a request to urgent gives it the urgent policy's targets,
// counted from its creation; its timers move with them.
func TestPatchRematches(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			pols, err := e.svc.Policies(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.CreatePolicy(ctx, admin, sla.PolicyInput{Name: "Urgent", Position: 0, CalendarID: pols[0].CalendarID,
				Conditions: model.SLAConditions{Priority: model.PriorityUrgent}, FirstResponseMinutes: 15, ResolutionMinutes: 120}); err != nil {
				t.Fatal(err)
			}
			r := e.create(t, e.plain)
			wantDue(t, e.sla(t, r), model.ClockFirstResponse, "2026-03-02T16:30:00+08:00")
			e.clk.Set(at(t, "2026-03-02T11:40:00+08:00"))
			urgent := model.PriorityUrgent
			if _, err := e.st.PatchRequest(ctx, r.Number, model.RequestPatch{Priority: &urgent, Version: 1}, staff); err != nil {
				t.Fatal(err)
			}
			x := e.sla(t, r)
			if x.PolicyName != "Urgent" {
				t.Errorf("policy after escalation: %q", x.PolicyName)
			}
			wantDue(t, x, model.ClockFirstResponse, "2026-03-02T11:45:00+08:00")
			wantDue(t, x, model.ClockResolution, "2026-03-02T14:30:00+08:00")
		})
	}
}
