package analytics_test

import (
	"context"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// TestWorkIndicators: first-contact resolution, reopen and complaint
// rates, first response and resolution times (median, P90) from the
// requests' own history, by team; indicators whose data has not landed
// are absent, not zero.
func TestWorkIndicators(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			t0 := time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC)
			clk := &clock{t: t0}
			opts := storetest.Options(t, d)
			opts.Now = clk.Now
			s := storetest.OpenWith(t, opts)
			f := seed(t, s, 0)
			staff := store.Actor{Kind: model.AuthorStaff, Name: "agent", Channel: model.ChannelWeb}
			cust := store.Actor{Kind: model.AuthorCustomer, ID: &f.reqs[0].CustomerID, Channel: model.ChannelWeb}
			at := func(h float64) { clk.set(t0.Add(time.Duration(h * float64(time.Hour)))) }
			open := func(team int, typ model.RequestType) string {
				at(0)
				r, err := s.CreateRequest(ctx, store.NewRequest{Type: typ, Priority: model.PriorityNormal, Channel: model.ChannelWeb,
					Subject: "x", CustomerID: f.reqs[0].CustomerID, TeamID: &f.teams[team].ID}, staff)
				if err != nil {
					t.Fatal(err)
				}
				return r.Number
			}
			say := func(number string, h float64, by store.Actor, vis model.Visibility) {
				at(h)
				m := &model.Message{AuthorKind: by.Kind, Visibility: vis, Channel: model.ChannelWeb, Body: "hello"}
				if err := s.AddMessage(ctx, number, m, nil, nil, by, store.UploadLimits{}); err != nil {
					t.Fatal(err)
				}
			}
			move := func(number string, h float64, to model.Status) {
				at(h)
				if _, err := s.ChangeStatus(ctx, number, to, staff, nil); err != nil {
					t.Fatal(err)
				}
			}
			r1 := open(0, model.TypeRepair) // first contact resolved: reply at 2 h, resolved at 10 h
			say(r1, 1, staff, model.VisibilityInternal)
			say(r1, 2, staff, model.VisibilityPublic)
			move(r1, 10, model.StatusResolved)
			r2 := open(0, model.TypeRepair) // the customer wrote again: reply at 4 h, resolved at 20 h
			say(r2, 4, staff, model.VisibilityPublic)
			say(r2, 5, cust, model.VisibilityPublic)
			move(r2, 20, model.StatusResolved)
			r3 := open(0, model.TypeComplaint) // reopened, no reply: resolved at 6 h, again at 8 h
			move(r3, 6, model.StatusResolved)
			move(r3, 7, model.StatusOpen)
			move(r3, 8, model.StatusResolved)
			r4 := open(1, model.TypeRepair) // another team: resolved at 1 h
			move(r4, 1, model.StatusResolved)
			r5 := open(1, model.TypeRepair) // reopened and still open: not resolved
			move(r5, 2, model.StatusResolved)
			move(r5, 3, model.StatusOpen)

			period, _ := model.ParsePeriod("2026-06-01", "2026-06-02", s.Location(), now)
			w, err := analytics.New(s).Indicators(ctx, manager, period, analytics.ByTeam)
			if err != nil {
				t.Fatal(err)
			}
			o := w.Overall.Values
			check := func(name string, got analytics.IndicatorValue, value float64, n int) {
				t.Helper()
				if math.Abs(got.Value-value) > 1e-9 || got.N != n {
					t.Errorf("%s: got %v (n %d), want %v (n %d)", name, got.Value, got.N, value, n)
				}
			}
			check("requests", o["requests"], 4, 4)
			check("reopen rate", o["reopen_rate"], 0.25, 4)
			check("complaint rate", o["complaint_rate"], 0.25, 4)
			check("first-contact resolution", o["first_contact_resolution"], 0.5, 2)
			check("first response", o["first_response_hours"], 3, 2)
			check("resolution", o["resolution_hours"], 9, 4) // 1, 8, 10, 20
			if p90 := o["resolution_hours"].P90; p90 == nil || math.Abs(*p90-17) > 1e-9 {
				t.Errorf("resolution P90: got %v, want 17 (type 7 between 10 and 20)", p90)
			}
			if _, ok := o["rework_rate"]; ok {
				t.Errorf("rework rate without repairs: %+v, want absent", o["rework_rate"])
			}
			byTeam := map[string]analytics.IndicatorRow{}
			for _, r := range w.Rows {
				byTeam[r.Label] = r
			}
			if len(w.Rows) != 2 || byTeam[f.teams[1].Name].Values["requests"].Value != 1 || byTeam[f.teams[0].Name].Values["reopen_rate"].Value != 1.0/3 {
				t.Errorf("rows: %+v", w.Rows)
			}
			for _, def := range w.Indicators {
				if def.Key == "sla_compliance" || def.Key == "qa_first_pass" {
					t.Errorf("%s is listed though its data has not landed", def.Key)
				}
			}
			absent := map[string]bool{}
			for _, def := range w.Absent {
				absent[def.Key] = true
			}
			if !absent["sla_compliance"] || !absent["qa_first_pass"] {
				t.Errorf("absent: %+v, want SLA compliance and QA first pass", w.Absent)
			}
			for _, r := range append(w.Rows, w.Overall) {
				if _, ok := r.Values["sla_compliance"]; ok {
					t.Errorf("%s: an SLA value without SLA data", r.Label)
				}
			}
		})
	}
}
