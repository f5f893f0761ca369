package api_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// technicianAt creates a technician of centre code through the API and
// returns their id.
func (f *fixture) technicianAt(t *testing.T, code, email string) int64 {
	t.Helper()
	var u api.User
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/users", f.admin, map[string]any{"email": email, "name": email,
		"role": "technician", "password": "long enough", "centre": code}).JSON(t, &u)
	return u.ID
}

func TestAppointments(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.newCentre(t, "BJ", 39.9, 116.4, 3)
		tech := f.technicianAt(t, "BJ", "t1@example.com")
		tech2 := f.technicianAt(t, "BJ", "t2@example.com")
		r := f.newRequest(t, f.aliceID, "Drum noise")
		day := time.Now().AddDate(0, 0, 7).In(shanghai(t))
		slot := func(h, m int) time.Time {
			return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, shanghai(t))
		}
		book := func(token string, techID int64, from, to time.Time) *apitest.Response {
			body := map[string]any{"centre": "BJ", "starts_at": from, "ends_at": to, "request_number": r.Number, "kind": "on_site",
				"address": "Chaoyang"}
			if techID != 0 {
				body["technician_id"] = techID
			}
			return f.Do(t, "POST", "/api/v1/appointments", token, body)
		}
		var a api.Appointment
		res := book(f.agent, tech, slot(10, 0), slot(11, 0))
		if res.Status != http.StatusCreated {
			t.Fatalf("book: got %d %s", res.Status, res.Body)
		}
		res.JSON(t, &a)
		if a.Centre != "BJ" || a.Status != "booked" || a.Kind != "on_site" || a.RequestNumber != r.Number ||
			a.TechnicianID == nil || *a.TechnicianID != tech || a.Day != day.Format(time.DateOnly) {
			t.Errorf("booked: got %+v", a)
		}
		if res := book(f.agent, tech, slot(10, 30), slot(11, 30)); res.Status != http.StatusConflict || !strings.Contains(string(res.Body), "body.technician_id") {
			t.Errorf("overlapping the technician's appointment: got %d %s, want 409 at body.technician_id", res.Status, res.Body)
		}
		if res := book(f.agent, tech, slot(11, 0), slot(12, 0)); res.Status != http.StatusCreated {
			t.Errorf("right after it: got %d %s, want 201", res.Status, res.Body)
		}
		if res := book(f.agent, tech2, slot(10, 30), slot(11, 30)); res.Status != http.StatusCreated {
			t.Errorf("another technician at the same time: got %d %s, want 201", res.Status, res.Body)
		}
		if res := book(f.agent, 0, slot(15, 0), slot(16, 0)); res.Status != http.StatusConflict || !strings.Contains(string(res.Body), "body.starts_at") {
			t.Errorf("a fourth appointment at a centre of capacity 3: got %d %s, want 409 at body.starts_at", res.Status, res.Body)
		}
		var list struct{ Items []api.Appointment }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/appointments?centre=BJ&date="+a.Day, f.tech, nil).JSON(t, &list)
		if len(list.Items) != 3 || !list.Items[0].StartsAt.Before(list.Items[2].StartsAt) {
			t.Errorf("the centre's day: got %d items, want 3 in time order", len(list.Items))
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/appointments?technician_id="+itoa(tech)+"&date="+a.Day, f.agent, nil).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("the technician's day: got %d, want 2", len(list.Items))
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/appointments", f.bob, nil).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("Bob's appointments: got %d, want none (they are Alice's)", len(list.Items))
		}
		f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/appointments/"+itoa(a.ID), f.bob, nil)
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/appointments/"+itoa(a.ID), f.alice, nil)
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/appointments/"+itoa(a.ID)+"/cancel", f.alice, map[string]any{"reason": "away"})
		f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/appointments/"+itoa(a.ID)+"/cancel", f.agent, nil)
		if res := book(f.agent, 0, slot(15, 0), slot(16, 0)); res.Status != http.StatusCreated {
			t.Errorf("after a cancellation freed the day: got %d %s, want 201", res.Status, res.Body)
		}
		d := f.getRequest(t, f.agent, r.Number)
		kinds := ""
		for _, e := range d.Timeline {
			kinds += e.Kind + " "
		}
		if strings.Count(kinds, "appointment ") != 4 || strings.Count(kinds, "appointment_cancelled") != 1 {
			t.Errorf("timeline: got %s, want 4 bookings and a cancellation", kinds)
		}
	})
}

// TestConcurrentBookingsAPI: ten overlapping bookings of one technician
// sent at once through the API give one 201 and nine 409.
func TestConcurrentBookingsAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.newCentre(t, "BJ", 39.9, 116.4, 100)
		tech := f.technicianAt(t, "BJ", "t1@example.com")
		r := f.newRequest(t, f.aliceID, "Door seal")
		from := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
		statuses := make([]int, 10)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := from.Add(time.Duration(i) * 10 * time.Minute)
				res, err := f.Try("POST", "/api/v1/appointments", f.agent, map[string]any{"centre": "BJ", "technician_id": tech,
					"starts_at": s, "ends_at": s.Add(2 * time.Hour), "request_number": r.Number, "kind": "on_site", "address": "x"})
				if err != nil {
					t.Error(err)
					return
				}
				statuses[i] = res.Status
			}()
		}
		wg.Wait()
		created, conflicts := 0, 0
		for _, s := range statuses {
			switch s {
			case http.StatusCreated:
				created++
			case http.StatusConflict:
				conflicts++
			}
		}
		if created != 1 || conflicts != 9 {
			t.Errorf("got %d created and %d conflicts (%v), want 1 and 9", created, conflicts, statuses)
		}
	})
}

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
