package rules_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/rules"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// clock is a settable store clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// request.idle counts business minutes in the team's calendar: a request
// last updated on Friday at 17:00 with a 120-minute idle rule (working
// hours 09:00–18:00) is not idle at 23:00 the same evening (six hours, but
// one business hour), fires once on Monday at 10:00 — also when two
// nodes run the job at the same moment — and not again on a later run;
// after an update it is quiet afresh and fires once more.
func TestIdle(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { testIdle(t, d) })
	}
}

func testIdle(t *testing.T, d store.Dialect) {
	ctx := context.Background()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour, minute int) time.Time { return time.Date(2026, 3, day, hour, minute, 0, 0, loc) }
	clk := &clock{t: at(6, 17, 0)} // Friday
	opts := storetest.Options(t, d)
	opts.Now = clk.now
	st := storetest.OpenWith(t, opts)
	cals := calendar.NewService(st)
	svc := rules.New(st, cals, nil, nil)
	svc.Start()

	day := [][]string{{"09:00", "18:00"}}
	cal, err := cals.Create(ctx, admin, calendar.CreateInput{Input: calendar.Input{Name: "Office", TimeZone: "Asia/Shanghai",
		Hours: map[string][][]string{"mon": day, "tue": day, "wed": day, "thu": day, "fri": day}}})
	if err != nil {
		t.Fatal(err)
	}
	team := &model.Team{Name: "Desk"}
	if err := st.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetTeamCalendar(ctx, team.ID, &cal.ID); err != nil {
		t.Fatal(err)
	}
	c := &model.Customer{Name: "Quiet", Phone: "13800000009", Locale: "en"}
	if err := st.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	idle := 120
	rule, err := svc.Create(ctx, admin, rules.Input{Name: "Chase", Active: true, Trigger: model.TriggerRequestIdle, IdleMinutes: &idle,
		Actions: []model.RuleAction{{Type: model.ActCreateTask, Title: "Chase the customer"}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := st.CreateRequest(ctx, store.NewRequest{Type: model.TypeSupport, Priority: model.PriorityNormal, Channel: model.ChannelWeb,
		Subject: "No answer yet", CustomerID: c.ID, TeamID: &team.ID}, customer)
	if err != nil {
		t.Fatal(err)
	}
	// A closed request, quiet just as long, is not work left idle.
	done, err := st.CreateRequest(ctx, store.NewRequest{Type: model.TypeSupport, Priority: model.PriorityNormal, Channel: model.ChannelWeb,
		Subject: "Settled", CustomerID: c.ID, TeamID: &team.ID}, customer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ChangeStatus(ctx, done.Number, model.StatusCancelled, customer, nil); err != nil {
		t.Fatal(err)
	}

	tasks := func() int {
		t.Helper()
		ts, err := st.RequestTasks(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ts)
	}
	run := func(now time.Time, want int) {
		t.Helper()
		clk.set(now)
		n, err := svc.RunIdle(ctx)
		if err != nil {
			t.Fatalf("RunIdle at %s: %v", now, err)
		}
		if n != want {
			t.Errorf("RunIdle at %s: fired %d, want %d", now.Format("Mon 15:04"), n, want)
		}
	}
	run(at(6, 23, 0), 0) // six calendar hours, one business hour
	run(at(8, 23, 0), 0) // Sunday: still one business hour
	if n := tasks(); n != 0 {
		t.Fatalf("before the request was idle for 120 business minutes: %d tasks, want 0", n)
	}
	// Monday 10:00: eight nodes run the job at once; the rule fires once.
	clk.set(at(9, 10, 0))
	// A slow node found the request idle before the others fired.
	late, err := st.IdleCandidates(ctx, rule.ID, at(9, 8, 0), 10)
	if err != nil || len(late) != 1 || late[0].RequestID != r.ID {
		t.Fatalf("idle candidates on Monday: %+v, %v; want request %d", late, err, r.ID)
	}
	var wg sync.WaitGroup
	fired := make([]int, 8)
	for i := range fired {
		wg.Go(func() {
			n, err := svc.RunIdle(ctx)
			if err != nil {
				t.Errorf("RunIdle: %v", err)
			}
			fired[i] = n
		})
	}
	wg.Wait()
	if total := sum(fired); total != 1 {
		t.Errorf("%d concurrent runs on Monday 10:00 fired %v, want once in all", len(fired), fired)
	}
	// … and may not fire for the same quiet stretch when it gets there.
	err = st.Tx(ctx, func(q store.Querier) error {
		ok, err := st.MarkIdleIn(ctx, q, rule.ID, late[0])
		if ok {
			t.Error("a node that found the request idle before another fired the rule may fire it again")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	run(at(9, 10, 1), 0)
	run(at(10, 15, 0), 0) // a day later, the same quiet stretch
	if n := tasks(); n != 1 {
		t.Errorf("after the idle runs: %d tasks, want 1", n)
	}
	evs, err := st.Events(ctx, r.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	logged := 0
	for _, ev := range evs {
		if ev.Kind == "rule" && ev.OldValue == rule.Name {
			logged++
		}
	}
	if logged != 1 {
		t.Errorf("timeline has %d entries of rule %s, want 1", logged, rule.Name)
	}
	if ts, _ := st.RequestTasks(ctx, done.ID); len(ts) != 0 {
		t.Errorf("the cancelled request got %d tasks, want 0", len(ts))
	}

	// The customer writes on Tuesday at 15:00: a new quiet stretch, idle
	// again at 17:00 (120 business minutes), once.
	clk.set(at(10, 15, 0))
	if err := st.AddMessage(ctx, r.Number, &model.Message{AuthorKind: model.AuthorCustomer, AuthorName: "Quiet",
		Visibility: model.VisibilityPublic, Channel: model.ChannelWeb, Body: "Any news?"}, nil, nil, customer, store.UploadLimits{}); err != nil {
		t.Fatal(err)
	}
	run(at(10, 16, 59), 0)
	run(at(10, 17, 0), 1)
	run(at(10, 17, 30), 0)
	if n := tasks(); n != 2 {
		t.Errorf("after the second quiet stretch: %d tasks, want 2", n)
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// An idle rule whose action changes the request (a tag, a priority) fires
// once per quiet stretch: its own change is not an update that starts a
// new stretch, or it would fire again every idle_minutes for as long as
// nobody answers.
func TestIdleRuleOwnChange(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			clk := &clock{t: start}
			opts := storetest.Options(t, d)
			opts.Now = clk.now
			st := storetest.OpenWith(t, opts)
			svc := rules.New(st, calendar.NewService(st), nil, nil)
			svc.Start()
			idle := 60
			rule, err := svc.Create(ctx, admin, rules.Input{Name: "Escalate", Active: true, Trigger: model.TriggerRequestIdle,
				IdleMinutes: &idle, Actions: []model.RuleAction{
					{Type: model.ActAddTag, Tag: "chased"},
					{Type: model.ActSet, Field: "priority", Value: "high"}}})
			if err != nil {
				t.Fatal(err)
			}
			c := &model.Customer{Name: "Waiting", Phone: "13800000019", Locale: "en"}
			if err := st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			r, err := st.CreateRequest(ctx, store.NewRequest{Type: model.TypeSupport, Priority: model.PriorityNormal,
				Channel: model.ChannelWeb, Subject: "Still waiting", CustomerID: c.ID}, customer)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, after := range []time.Duration{61 * time.Minute, 125 * time.Minute, 5 * time.Hour, 30 * time.Hour} {
				clk.set(start.Add(after))
				n, err := svc.RunIdle(ctx)
				if err != nil {
					t.Fatalf("RunIdle after %s: %v", after, err)
				}
				total += n
			}
			if total != 1 {
				t.Errorf("over 30 quiet hours the rule fired %d times, want once", total)
			}
			got, err := st.RequestByNumber(ctx, r.Number)
			if err != nil {
				t.Fatal(err)
			}
			if got.Priority != model.PriorityHigh {
				t.Errorf("priority %s, want the rule's high", got.Priority)
			}
			evs, err := st.Events(ctx, r.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			logged := 0
			for _, ev := range evs {
				if ev.Kind == "rule" && ev.OldValue == rule.Name && strings.HasPrefix(ev.NewValue, model.ActAddTag) {
					logged++
				}
			}
			if logged != 1 {
				t.Errorf("timeline has %d tag entries of rule %s, want 1", logged, rule.Name)
			}
		})
	}
}
