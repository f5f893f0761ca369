package api_test

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// newCentre creates a service centre as the manager.
func (f *fixture) newCentre(t *testing.T, code string, lat, lng float64, capacity int, categories ...string) api.Centre {
	t.Helper()
	if len(categories) == 0 {
		categories = []string{"washer"}
	}
	var c api.Centre
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/centres", f.manager, map[string]any{"code": code,
		"name": "Centre " + code, "region": "East", "address": "1 Road", "lat": lat, "lng": lng, "timezone": "Asia/Shanghai",
		"categories": categories, "daily_capacity": capacity}).JSON(t, &c)
	return c
}

// centreManager creates a centre manager of centre code through the API
// and returns an API token for them.
func (f *fixture) centreManager(t *testing.T, code string) string {
	t.Helper()
	email := "cm-" + code + "@example.com"
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/users", f.admin, map[string]any{"email": email, "name": "CM " + code,
		"role": "centre_manager", "password": "long enough", "centre": code})
	token, _, err := f.Auth.CreateToken(context.Background(), model.Principal{Kind: model.KindOperator, Name: "test"},
		auth.TokenOwner{Email: email}, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func TestCentresByDistance(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		// Beijing, Shanghai, Guangzhou; Chengdu repairs cameras only.
		f.newCentre(t, "SH", 31.2304, 121.4737, 10, "washer", "camera")
		f.newCentre(t, "BJ", 39.9042, 116.4074, 10, "washer")
		f.newCentre(t, "GZ", 23.1291, 113.2644, 10, "washer")
		f.newCentre(t, "CD", 30.5728, 104.0668, 10, "camera")

		var list struct{ Items []api.Centre }
		// From Tianjin: Beijing (~113 km), then Shanghai, then Guangzhou.
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/centres?category=washer&lat=39.3434&lng=117.3616", f.alice, nil).JSON(t, &list)
		if got := codes(list.Items); got != "BJ,SH,GZ" {
			t.Fatalf("washer centres from Tianjin: got %s, want BJ,SH,GZ", got)
		}
		for i, c := range list.Items {
			if c.DistanceKm == nil {
				t.Fatalf("%s: no distance_km", c.Code)
			}
			if i > 0 && *c.DistanceKm < *list.Items[i-1].DistanceKm {
				t.Errorf("%s (%.3f km) listed after a farther centre", c.Code, *c.DistanceKm)
			}
		}
		// Shanghai seen from Beijing: 1067.312 km by haversine, R = 6371.0088.
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/centres?category=washer&lat=39.9042&lng=116.4074", f.agent, nil).JSON(t, &list)
		if got := codes(list.Items); got != "BJ,SH,GZ" {
			t.Fatalf("from Beijing: got %s, want BJ,SH,GZ", got)
		}
		if d := *list.Items[0].DistanceKm; d != 0 {
			t.Errorf("BJ from Beijing: got %v km, want 0", d)
		}
		if d := *list.Items[1].DistanceKm; math.Abs(d-1067.312) > 0.001 {
			t.Errorf("SH from Beijing: got %v km, want 1067.312", d)
		}
		// A city instead of coordinates; the category filter holds.
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/centres?category=camera&city=成都", f.alice, nil).JSON(t, &list)
		if got := codes(list.Items); got != "CD,SH" {
			t.Errorf("camera centres from Chengdu: got %s, want CD,SH", got)
		}
		// No point: by code, without distances.
		list.Items = nil
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/centres", f.alice, nil).JSON(t, &list)
		if got := codes(list.Items); got != "BJ,CD,GZ,SH" {
			t.Errorf("no point: got %s, want BJ,CD,GZ,SH", got)
		}
		if list.Items[0].DistanceKm != nil {
			t.Errorf("no point: got distance_km %v, want none", *list.Items[0].DistanceKm)
		}
		for _, s := range []struct {
			query, location string
		}{{"lat=39.9", "query.lng"}, {"lat=x&lng=1", "query.lat"}, {"lat=91&lng=1", "query.lat"}, {"city=Atlantis", "query.city"}} {
			res := f.mustStatus(t, http.StatusUnprocessableEntity, "GET", "/api/v1/centres?"+s.query, f.agent, nil)
			if !contains(res.Body, s.location) {
				t.Errorf("?%s: got %s, want an error at %s", s.query, res.Body, s.location)
			}
		}
	})
}

func codes(cs []api.Centre) string {
	var s string
	for i, c := range cs {
		if i > 0 {
			s += ","
		}
		s += c.Code
	}
	return s
}

func TestCentreRules(t *testing.T) {
	f := newFixture(t, "")
	f.newCentre(t, "BJ", 39.9, 116.4, 10)
	f.newCentre(t, "SH", 31.2, 121.5, 10)
	cm := f.centreManager(t, "BJ")
	for _, s := range []struct {
		name   string
		method string
		path   string
		token  string
		body   any
		status int
	}{
		{"duplicate code", "POST", "/api/v1/centres", f.manager, map[string]any{"code": "BJ", "name": "x", "lat": 1.0, "lng": 1.0, "daily_capacity": 1}, http.StatusConflict},
		{"bad time zone", "POST", "/api/v1/centres", f.manager, map[string]any{"code": "X", "name": "x", "lat": 1.0, "lng": 1.0, "timezone": "Mars/Base", "daily_capacity": 1}, http.StatusUnprocessableEntity},
		{"no coordinates", "POST", "/api/v1/centres", f.manager, map[string]any{"code": "X", "name": "x", "daily_capacity": 1}, http.StatusUnprocessableEntity},
		{"zero capacity", "POST", "/api/v1/centres", f.manager, map[string]any{"code": "X", "name": "x", "lat": 1.0, "lng": 1.0, "daily_capacity": 0}, http.StatusUnprocessableEntity},
		{"bad hours", "POST", "/api/v1/centres", f.manager, map[string]any{"code": "X", "name": "x", "lat": 1.0, "lng": 1.0, "daily_capacity": 1, "opening_hours": "whenever"}, http.StatusUnprocessableEntity},
		{"centre manager: own hours", "PATCH", "/api/v1/centres/BJ", cm, map[string]any{"opening_hours": "mon-fri 09:00-18:00", "daily_capacity": 30}, http.StatusOK},
		{"centre manager: not the name", "PATCH", "/api/v1/centres/BJ", cm, map[string]any{"name": "Mine"}, http.StatusForbidden},
		{"centre manager: not another centre", "PATCH", "/api/v1/centres/SH", cm, map[string]any{"daily_capacity": 1}, http.StatusForbidden},
		{"agent without centre", "POST", "/api/v1/users", f.admin, map[string]any{"email": "a2@example.com", "name": "A", "role": "agent", "password": "long enough", "centre": "BJ"}, http.StatusUnprocessableEntity},
		{"centre manager needs a centre", "POST", "/api/v1/users", f.admin, map[string]any{"email": "c2@example.com", "name": "C", "role": "centre_manager", "password": "long enough"}, http.StatusUnprocessableEntity},
		{"unknown centre", "POST", "/api/v1/users", f.admin, map[string]any{"email": "t2@example.com", "name": "T", "role": "technician", "password": "long enough", "centre": "NOPE"}, http.StatusUnprocessableEntity},
		{"technician at a centre", "POST", "/api/v1/users", f.admin, map[string]any{"email": "t3@example.com", "name": "T", "role": "technician", "password": "long enough", "centre": "SH"}, http.StatusCreated},
	} {
		t.Run(s.name, func(t *testing.T) { f.mustStatus(t, s.status, s.method, s.path, s.token, s.body) })
	}
	var c api.Centre
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/centres/BJ", f.agent, nil).JSON(t, &c)
	if c.DailyCapacity != 30 || c.OpeningHours["mon"] != "09:00-18:00" || c.OpeningHours["sat"] != "" || c.Name != "Centre BJ" {
		t.Errorf("after the centre manager's change: got %+v, want capacity 30, weekday hours, name kept", c)
	}
	var users struct{ Items []api.User }
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/users", f.agent, nil).JSON(t, &users)
	found := false
	for _, u := range users.Items {
		if u.Email == "t3@example.com" {
			found = true
			if u.Centre != "SH" || u.Role != model.RoleTechnician {
				t.Errorf("technician: got centre %q role %q, want SH technician", u.Centre, u.Role)
			}
		}
	}
	if !found {
		t.Error("the new technician is not listed")
	}
	if n := f.count(t, "audit_log WHERE action = 'centre.updated'"); n != 1 {
		t.Errorf("audit entries for centre changes: got %d, want 1", n)
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
