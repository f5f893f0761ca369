package api_test

import (
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// movable is a clock tests move.
type movable struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movable) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movable) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func TestSLAPoliciesAndClocksAPI(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			url := ""
			if db == "postgres" {
				url = storetest.PostgresURL(t)
			}
			// A coming Monday (the fixture's units were bought two months
			// before the real today), 11:30 in Shanghai.
			mon := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
			for mon.Weekday() != time.Monday {
				mon = mon.AddDate(0, 0, 1)
			}
			clk := &movable{t: mon.Add(3*time.Hour + 30*time.Minute)}
			f := newFixtureWith(t, apptest.Options{DatabaseURL: url, Now: clk.now})
			cal := f.createCalendar(t, officeBody("SLA office"))

			// Bad input names the field.
			for _, c := range []struct {
				body     map[string]any
				location string
			}{
				{map[string]any{"name": "X", "position": 1, "calendar_id": cal.ID + 99, "first_response_minutes": 60, "resolution_minutes": 60}, "body.calendar_id"},
				{map[string]any{"name": "X", "position": 1, "calendar_id": cal.ID, "first_response_minutes": 60, "resolution_minutes": 60,
					"conditions": map[string]any{"tier": "gold"}}, "body.conditions.tier"},
				{map[string]any{"name": "X", "position": 1, "calendar_id": cal.ID, "first_response_minutes": 60, "resolution_minutes": 60,
					"pause_statuses": []string{"resolved"}}, "body.pause_statuses[0]"},
				{map[string]any{"name": " ", "position": 1, "calendar_id": cal.ID, "first_response_minutes": 60, "resolution_minutes": 60}, "body.name"},
			} {
				res := f.Do(t, "POST", "/api/v1/sla-policies", f.admin, c.body)
				if res.Status != http.StatusUnprocessableEntity {
					t.Errorf("%v: got %d, want 422", c.body, res.Status)
					continue
				}
				if p := decodeProblem(t, res); !slices.Contains(p.locations(), c.location) {
					t.Errorf("%v: locations %v, want %s", c.body, p.locations(), c.location)
				}
			}

			f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/tiers/premium", f.admin, map[string]any{"name": "Premium",
				"name_zh": "尊享", "response_minutes": 60, "resolution_minutes": 480, "compensation": "A voucher"})
			var premium, std api.SLAPolicy
			f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/sla-policies", f.admin, map[string]any{"name": "Premium",
				"position": 1, "conditions": map[string]any{"tier": "premium"}, "calendar_id": cal.ID,
				"first_response_minutes": 60, "next_response_minutes": 120, "resolution_minutes": 480,
				"pause_statuses": []string{"pending", "on_hold"}, "warn_before_minutes": 30}).JSON(t, &premium)
			f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/sla-policies", f.admin, map[string]any{"name": "Standard",
				"position": 2, "calendar_id": cal.ID, "first_response_minutes": 240, "resolution_minutes": 2400}).JSON(t, &std)
			if !slices.Equal(premium.PauseStatuses, []model.Status{"pending", "on_hold"}) || !slices.Equal(std.PauseStatuses, []model.Status{"pending"}) {
				t.Errorf("pause statuses: %v, %v", premium.PauseStatuses, std.PauseStatuses)
			}
			var list []api.SLAPolicy
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/sla-policies", f.agent, nil).JSON(t, &list)
			if len(list) != 2 || list[0].Name != "Premium" || !slices.Equal(list[1].PauseStatuses, []model.Status{"pending"}) {
				t.Errorf("list: %+v", list)
			}

			// The tier: unknown is 422 at body.tier; a customer reads its own.
			if p := decodeProblem(t, f.mustStatus(t, http.StatusUnprocessableEntity, "PATCH", "/api/v1/customers/"+itoa(f.aliceID),
				f.manager, map[string]any{"tier": "gold"})); !slices.Contains(p.locations(), "body.tier") {
				t.Errorf("unknown tier: %v", p.locations())
			}
			var cust api.Customer
			f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/customers/"+itoa(f.aliceID), f.manager, map[string]any{"tier": "premium"}).JSON(t, &cust)
			if cust.Tier != "premium" {
				t.Errorf("tier after patch: %q", cust.Tier)
			}
			f.mustStatus(t, http.StatusForbidden, "PATCH", "/api/v1/customers/"+itoa(f.aliceID), f.alice, map[string]any{"tier": ""})

			rAlice := f.newRequest(t, f.aliceID, "Premium request")
			rBob := f.newRequest(t, f.bobID, "Standard request")
			d := f.getRequest(t, f.agent, rAlice.Number)
			if d.SLA == nil || d.SLA.Policy == nil || *d.SLA.Policy != "Premium" || d.SLA.FirstResponse == nil {
				t.Fatalf("premium sla: %+v", d.SLA)
			}
			if want := mon.Add(5*time.Hour + 30*time.Minute); !d.SLA.FirstResponse.DueAt.Equal(want) ||
				d.SLA.FirstResponse.Breached || d.SLA.FirstResponse.RemainingMinutes == nil || *d.SLA.FirstResponse.RemainingMinutes != 60 {
				t.Errorf("first response: %+v, want due %v with 60 minutes left", d.SLA.FirstResponse, want)
			}
			if d := f.getRequest(t, f.alice, rAlice.Number); d.SLA != nil {
				t.Errorf("the customer sees the SLA state: %+v", d.SLA)
			}
			if d := f.getRequest(t, f.agent, rBob.Number); d.SLA == nil || *d.SLA.Policy != "Standard" {
				t.Errorf("standard sla: %+v", d.SLA)
			}

			// Queue order by due time; due_before filters.
			var page api.RequestPage
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?sort=due&limit=1", f.agent, nil).JSON(t, &page)
			if len(page.Items) != 1 || page.Items[0].Number != rAlice.Number || page.NextCursor == "" {
				t.Fatalf("sort=due page 1: %+v", page)
			}
			var page2 api.RequestPage
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?sort=due&limit=1&cursor="+page.NextCursor, f.agent, nil).JSON(t, &page2)
			if len(page2.Items) != 1 || page2.Items[0].Number != rBob.Number {
				t.Errorf("sort=due page 2: %+v", page2)
			}
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?due_before="+mon.Add(6*time.Hour).Format(time.RFC3339), f.agent, nil).JSON(t, &page)
			if len(page.Items) != 1 || page.Items[0].Number != rAlice.Number {
				t.Errorf("due_before: %+v", page.Items)
			}
			if p := decodeProblem(t, f.mustStatus(t, http.StatusUnprocessableEntity, "GET", "/api/v1/requests?due_before=soon", f.agent, nil)); !slices.Contains(p.locations(), "query.due_before") {
				t.Errorf("bad due_before: %v", p.locations())
			}
			var soon []api.SLADue
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/sla/breaching?within_minutes=180", f.agent, nil).JSON(t, &soon)
			if len(soon) != 1 || soon[0].Number != rAlice.Number {
				t.Errorf("breaching within 3 h: %+v", soon)
			}
			// The built-in "breaching soon" view (due within two hours)
			// lists and counts the premium request, not the standard one
			// due in four.
			if got := f.listNumbers(t, f.agent, "view=-5"); !slices.Equal(got, []string{rAlice.Number}) {
				t.Errorf("breaching-soon view: %v, want [%s]", got, rAlice.Number)
			}
			var views struct{ Items []api.View }
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/views", f.agent, nil).JSON(t, &views)
			if i := slices.IndexFunc(views.Items, func(v api.View) bool { return v.Name == "due_soon" }); i < 0 || views.Items[i].ID != -5 || views.Items[i].Count != 1 {
				t.Errorf("breaching-soon view in the list: %+v, want id -5 counting 1", views.Items)
			}

			// Pending pauses: no due; the clock past the old due is not breached.
			f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+rAlice.Number+"/status", f.agent, map[string]any{"status": "pending"})
			clk.set(mon.Add(7 * time.Hour))
			d = f.getRequest(t, f.agent, rAlice.Number)
			if !d.SLA.Paused || d.SLA.FirstResponse.DueAt != nil || d.SLA.FirstResponse.Breached {
				t.Errorf("paused: %+v %+v", d.SLA, d.SLA.FirstResponse)
			}
			// The policy can be changed, with version checks.
			f.mustStatus(t, http.StatusConflict, "PATCH", "/api/v1/sla-policies/"+itoa(std.ID), f.admin, map[string]any{"version": 7, "position": 3})
			var upd api.SLAPolicy
			f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/sla-policies/"+itoa(std.ID), f.admin, map[string]any{"version": 1,
				"position": 3, "warn_before_minutes": 15}).JSON(t, &upd)
			if upd.Position != 3 || upd.WarnBeforeMinutes == nil || *upd.WarnBeforeMinutes != 15 || upd.Version != 2 || upd.FirstResponseMinutes != 240 {
				t.Errorf("updated: %+v", upd)
			}
			f.mustStatus(t, http.StatusConflict, "DELETE", "/api/v1/tiers/premium", f.admin, nil)
			f.mustStatus(t, http.StatusNoContent, "DELETE", "/api/v1/sla-policies/"+itoa(std.ID), f.admin, nil)
			f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/sla-policies/"+itoa(std.ID), f.admin, nil)
		})
	}
}
