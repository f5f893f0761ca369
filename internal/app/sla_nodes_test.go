package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestSLATimersOnceAcrossNodes runs the SLA timers for real: one River
// job per request at its nearest warning or due instant, which leaves one
// for the next instant when it fires. On PostgreSQL two app
// nodes share one database (as two `serve` processes would); requests are
// opened on both, and every warning and breach must be recorded exactly
// once — one alert row, one timeline event, one webhook event — by the
// timers alone, and stay so when both nodes sweep and fire again at once.
func TestSLATimersOnceAcrossNodes(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			prepare := func(m *app.Main) {
				m.JobPollInterval = 100 * time.Millisecond
				m.SLASweepEvery = time.Hour // the timers must do it alone
			}
			var nodes []*app.Main
			if d == store.Postgres {
				url := storetest.PostgresURL(t)
				for range 2 {
					nodes = append(nodes, apptest.Start(t, apptest.Options{DatabaseURL: url, Prepare: prepare}))
				}
			} else {
				nodes = append(nodes, apptest.Start(t, apptest.Options{Prepare: prepare}))
			}
			a := nodes[0]
			admin := model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin}
			day := [][]string{{"00:00", "24:00"}}
			cal, err := a.Calendars.Create(ctx, admin, calendar.CreateInput{Input: calendar.Input{Name: "Always", TimeZone: "UTC",
				Hours: map[string][][]string{"mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": day, "sun": day}}})
			if err != nil {
				t.Fatal(err)
			}
			zero := 0
			// Due (and warned) the instant a request opens.
			if _, err := a.SLA.CreatePolicy(ctx, admin, sla.PolicyInput{Name: "Now", CalendarID: cal.ID,
				WarnBeforeMinutes: &zero}); err != nil {
				t.Fatal(err)
			}
			hook := &model.Webhook{URL: "http://127.0.0.1:9/hook", Events: []model.EventType{model.EventSLAWarning, model.EventSLABreached},
				Secret: "s", Active: true}
			if err := a.Store.CreateWebhook(ctx, hook); err != nil {
				t.Fatal(err)
			}
			c := &model.Customer{Name: "C", Phone: "13900000000", Locale: "en"}
			if err := a.Store.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			const requests = 6
			const want = requests * 4 // two clocks × (warning, breach)
			ids := make([]int64, 0, requests)
			for i := range requests {
				n := nodes[i%len(nodes)]
				r, err := n.Store.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
					Channel: model.ChannelPhone, Subject: fmt.Sprint("r", i), CustomerID: c.ID},
					store.Actor{Kind: model.AuthorStaff, Name: "agent", Channel: model.ChannelPhone})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, r.ID)
			}
			count := func(query string, args ...any) int {
				t.Helper()
				var n int
				if err := a.Store.Read().QueryRow(ctx, query, args...).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			deadline := time.Now().Add(30 * time.Second)
			for count("SELECT COUNT(*) FROM sla_alerts") < want && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			if n := count("SELECT COUNT(*) FROM sla_alerts"); n != want {
				t.Fatalf("timers recorded %d alerts, want %d", n, want)
			}
			// Both nodes sweep and fire every timer again, all at once.
			var wg sync.WaitGroup
			for _, n := range nodes {
				for _, id := range ids {
					for _, k := range []model.ClockKind{model.ClockFirstResponse, model.ClockResolution} {
						x, err := n.SLA.Request(ctx, id)
						if err != nil || x == nil {
							t.Fatal(err)
						}
						due := *x.Clock(k).DueAt
						for _, al := range []model.SLAAlert{model.AlertWarning, model.AlertBreach} {
							wg.Add(1)
							go func() {
								defer wg.Done()
								if _, err := n.SLA.Fire(ctx, store.SLATimer{RequestID: id, Kind: k, Cycle: 1, Alert: al, At: due}); err != nil {
									t.Error(err)
								}
							}()
						}
					}
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := n.SLA.Sweep(ctx); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			time.Sleep(500 * time.Millisecond)
			if n := count("SELECT COUNT(*) FROM sla_alerts"); n != want {
				t.Errorf("after sweeps: %d alerts, want %d", n, want)
			}
			if n := count("SELECT COUNT(*) FROM events WHERE kind IN ('sla_warning', 'sla_breached')"); n != want {
				t.Errorf("%d timeline events, want %d", n, want)
			}
			if n := count("SELECT COUNT(*) FROM webhook_events WHERE event IN ('sla.warning', 'sla.breached')"); n != want {
				t.Errorf("%d webhook events, want %d", n, want)
			}
			// Every instant is the request's creation: one timer each.
			if n := count("SELECT COUNT(*) FROM river_job WHERE kind = 'sla_timer'"); n != requests {
				t.Errorf("%d timer jobs, want one per request (%d)", n, requests)
			}
			for _, id := range ids {
				if n := count("SELECT COUNT(*) FROM sla_alerts WHERE request_id = $1 AND alert = 'breach'", id); n != 2 {
					t.Errorf("request %d: %d breaches, want 2", id, n)
				}
			}
		})
	}
}
