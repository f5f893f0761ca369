package analytics_test

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/sla"
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
// rates from the requests' own history; first response and resolution in
// business hours (median, P90) and SLA compliance from what the SLA
// clocks stored; by team and by the centre of the repair order (requests
// without one in the "no centre" row); QA first pass, whose data has not
// landed, is absent, not zero.
func TestWorkIndicators(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) // a Monday, 09:00
			clk := &clock{t: t0}
			opts := storetest.Options(t, d)
			opts.Now = clk.Now
			s := storetest.OpenWith(t, opts)
			f := seed(t, s, 0)
			startSLA(t, s)
			rc := &model.ServiceCentre{Code: "RC", Name: "Repair centre", Lat: 31.2, Lng: 121.5, TimeZone: "UTC", DailyCapacity: 5}
			if err := s.CreateCentre(ctx, rc); err != nil {
				t.Fatal(err)
			}
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
			// Working hours Mon–Fri 09:00–17:00 UTC; targets: first
			// response 4 business hours, resolution 8.
			r1 := open(0, model.TypeRepair) // reply at 18:00 (8 business h, late), resolved Mon 19:00 (8 h, on time)
			rp := &model.Repair{CentreID: rc.ID, Mode: model.ModeInStore, Currency: "CNY"}
			if err := s.CreateRepair(ctx, rp, r1, manager, nil); err != nil {
				t.Fatal(err)
			}
			say(r1, 1, staff, model.VisibilityInternal)
			say(r1, 9, staff, model.VisibilityPublic)
			move(r1, 10, model.StatusResolved)
			r2 := open(0, model.TypeRepair) // reply at 13:00 (4 h, just on time); customer again; resolved Tue 11:00 (10 h, late)
			say(r2, 4, staff, model.VisibilityPublic)
			say(r2, 5, cust, model.VisibilityPublic)
			move(r2, 26, model.StatusResolved)
			r3 := open(0, model.TypeComplaint) // reopened, no reply: resolved at 15:00, again at 17:00 (8 h); response clock stopped late
			move(r3, 6, model.StatusResolved)
			move(r3, 7, model.StatusOpen)
			move(r3, 8, model.StatusResolved)
			r4 := open(1, model.TypeRepair) // another team: resolved at 10:00 (1 h), every clock on time
			move(r4, 1, model.StatusResolved)
			r5 := open(1, model.TypeRepair) // reopened and still open: not resolved
			move(r5, 2, model.StatusResolved)
			move(r5, 3, model.StatusOpen)
			// r1's repair fails its first final test, passes the second
			// and is completed: tested once, not a first pass.
			for i, to := range []model.RepairStage{model.StageTesting, model.StageRepairing, model.StageTesting, model.StageReady, model.StageCompleted} {
				at(11 + float64(i)/10)
				if _, err := s.UpdateRepair(ctx, rp.ID, manager, func(rp *model.Repair) (*store.RepairChange, error) {
					from := rp.Stage
					rp.Stage = to
					return &store.RepairChange{From: from}, nil
				}); err != nil {
					t.Fatal(err)
				}
			}

			period, _ := model.ParsePeriod("2026-06-01", "2026-06-03", s.Location(), now)
			svc := analytics.New(s)
			w, err := svc.Indicators(ctx, manager, period, analytics.ByTeam)
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
			check("first response", o["first_response_hours"], 6, 2) // business 8 and 4 (clock 9 and 4)
			check("resolution", o["resolution_hours"], 8, 4)         // business 1, 8, 8, 10 (clock 1, 8, 10, 26)
			check("SLA compliance", o["sla_compliance"], 0.25, 4)    // only r4 kept both clocks
			if p90 := o["resolution_hours"].P90; p90 == nil || math.Abs(*p90-9.4) > 1e-9 {
				t.Errorf("resolution P90: got %v, want 9.4 (type 7 between 8 and 10)", p90)
			}
			check("rework rate", o["rework_rate"], 0, 1)
			check("QA first pass", o["qa_first_pass"], 0, 1) // back to repairing once
			if _, ok := o["quote_acceptance"]; ok {
				t.Errorf("quote acceptance without a quote: %+v, want absent", o["quote_acceptance"])
			}
			byTeam := map[string]analytics.IndicatorRow{}
			for _, r := range w.Rows {
				byTeam[r.Label] = r
			}
			if len(w.Rows) != 2 || byTeam[f.teams[1].Name].Values["requests"].Value != 1 || byTeam[f.teams[0].Name].Values["reopen_rate"].Value != 1.0/3 {
				t.Errorf("rows: %+v", w.Rows)
			}
			check("team 2 SLA compliance", byTeam[f.teams[1].Name].Values["sla_compliance"], 1, 1)
			if len(w.Absent) != 0 || len(w.Indicators) != len(analytics.IndicatorRegistry()) {
				t.Errorf("indicators %d, absent %+v: want every indicator present", len(w.Indicators), w.Absent)
			}

			// By centre: the repair order's centre, the rest "no centre".
			w, err = svc.Indicators(ctx, manager, period, analytics.ByCentre)
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Rows) != 2 || w.Rows[0].Label != rc.Name || w.Rows[0].Key != fmt.Sprint(rc.ID) || w.Rows[1].Key != "" {
				t.Fatalf("centre rows: %+v, want the repair centre then no centre", w.Rows)
			}
			check("centre requests", w.Rows[0].Values["requests"], 1, 1)
			check("centre resolution", w.Rows[0].Values["resolution_hours"], 8, 1)
			check("no centre requests", w.Rows[1].Values["requests"], 3, 3)
		})
	}
}

// startSLA hooks the SLA service into s with one policy on a calendar of
// Mon–Fri 09:00–17:00 UTC: first response within 4 business hours,
// resolution within 8.
func startSLA(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := context.Background()
	admin := model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin}
	cals := calendar.NewService(s)
	hours := [][]string{{"09:00", "17:00"}}
	cal, err := cals.Create(ctx, admin, calendar.CreateInput{Input: calendar.Input{Name: "Office", TimeZone: "UTC",
		Hours: map[string][][]string{"mon": hours, "tue": hours, "wed": hours, "thu": hours, "fri": hours}}})
	if err != nil {
		t.Fatal(err)
	}
	svc := sla.New(s, cals, nil)
	if _, err := svc.CreatePolicy(ctx, admin, sla.PolicyInput{Name: "Default", Position: 1, CalendarID: cal.ID,
		FirstResponseMinutes: 240, ResolutionMinutes: 480}); err != nil {
		t.Fatal(err)
	}
	svc.Start(nil)
}
