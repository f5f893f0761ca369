package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
)

// officeBody is a Shanghai office calendar with lunch breaks and the 2026
// National Day holidays and make-up days.
func officeBody(name string) map[string]any {
	office := [][]string{{"09:00", "12:00"}, {"13:00", "18:00"}}
	return map[string]any{"name": name, "timezone": "Asia/Shanghai",
		"hours":    map[string]any{"mon": office, "tue": office, "wed": office, "thu": office, "fri": office},
		"holidays": []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"},
		"workdays": []string{"2026-09-20", "2026-10-10"}}
}

func (f *fixture) createCalendar(t *testing.T, body any) api.Calendar {
	t.Helper()
	var c api.Calendar
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/calendars", f.admin, body).JSON(t, &c)
	return c
}

func TestCalendarsAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		c := f.createCalendar(t, officeBody("Shanghai office"))
		if c.ID == 0 || c.Timezone != "Asia/Shanghai" || len(c.Hours.Mon) != 2 || c.WorkdayHours != nil ||
			!slices.Equal(c.Workdays, []string{"2026-09-20", "2026-10-10"}) || c.Version != 1 {
			t.Errorf("created: got %+v", c)
		}
		var got api.Calendar
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/calendars/"+itoa(c.ID), f.tech, nil).JSON(t, &got)
		if got.Name != "Shanghai office" || len(got.Holidays) != 5 {
			t.Errorf("read back: got %+v", got)
		}
		f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/calendars/999", f.agent, nil)
		f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/calendars", f.admin, officeBody("Shanghai office"))

		// The preset in one step: China 2025–2026.
		cn := f.createCalendar(t, map[string]any{"preset": "cn-2025-2026"})
		if cn.Timezone != "Asia/Shanghai" || len(cn.Holidays) != 61 || len(cn.Workdays) != 11 ||
			!slices.Equal(cn.Hours.Fri[1], []string{"13:00", "18:00"}) || cn.Hours.Sat != nil {
			t.Errorf("preset: got %s, %d holidays, %d make-up days, Friday %v", cn.Timezone, len(cn.Holidays), len(cn.Workdays), cn.Hours.Fri)
		}

		// Fields sent beside a preset replace the preset's; the rest stays.
		own := f.createCalendar(t, map[string]any{"preset": "cn-2025-2026", "name": "Beijing late shift",
			"hours": map[string]any{"mon": [][]string{{"10:00", "19:00"}}}})
		if own.Name != "Beijing late shift" || !slices.Equal(own.Hours.Mon[0], []string{"10:00", "19:00"}) || len(own.Hours.Mon) != 1 ||
			own.Hours.Tue != nil || len(own.Holidays) != 61 || own.Timezone != "Asia/Shanghai" {
			t.Errorf("preset with own fields: got %+v", own)
		}

		// Update: a stale version is 409; hours replace the week.
		f.mustStatus(t, http.StatusConflict, "PATCH", "/api/v1/calendars/"+itoa(c.ID), f.admin,
			map[string]any{"name": "x", "version": 7})
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/calendars/"+itoa(c.ID), f.admin,
			map[string]any{"workday_hours": [][]string{{"10:00", "15:00"}}}, `If-Match: "1"`).JSON(t, &got)
		if got.Version != 2 || len(got.WorkdayHours) != 1 || len(got.Hours.Mon) != 2 {
			t.Errorf("patched: got %+v", got)
		}
		f.mustStatus(t, http.StatusConflict, "PATCH", "/api/v1/calendars/"+itoa(c.ID), f.admin,
			map[string]any{"name": "y"}, `If-Match: "1"`)

		var list struct {
			Items      []api.Calendar `json:"items"`
			NextCursor string         `json:"next_cursor"`
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/calendars?limit=1", f.agent, nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != c.ID || list.NextCursor == "" {
			t.Fatalf("first page: got %+v", list)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/calendars?limit=1&cursor="+list.NextCursor, f.agent, nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != cn.ID || list.NextCursor == "" {
			t.Errorf("second page: got %+v", list)
		}

		// A team gets its calendar.
		var team api.Team
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/teams", f.manager, map[string]any{"name": "Xuhui"}).JSON(t, &team)
		f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/teams/"+itoa(team.ID)+"/calendar", f.admin,
			map[string]any{"calendar_id": cn.ID}).JSON(t, &team)
		if team.CalendarID == nil || *team.CalendarID != cn.ID {
			t.Errorf("team calendar: got %v, want %d", team.CalendarID, cn.ID)
		}
		var teams struct{ Items []api.Team }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/teams", f.agent, nil).JSON(t, &teams)
		if len(teams.Items) != 1 || teams.Items[0].CalendarID == nil || *teams.Items[0].CalendarID != cn.ID {
			t.Errorf("teams list: got %+v", teams.Items)
		}
		res := f.mustStatus(t, http.StatusUnprocessableEntity, "PUT", "/api/v1/teams/"+itoa(team.ID)+"/calendar", f.admin,
			map[string]any{"calendar_id": 999})
		if p := decodeProblem(t, res); !slices.Contains(p.locations(), "body.calendar_id") {
			t.Errorf("unknown calendar: got locations %v", p.locations())
		}
		f.mustStatus(t, http.StatusNotFound, "PUT", "/api/v1/teams/999/calendar", f.admin, map[string]any{"calendar_id": nil})
		f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/teams/"+itoa(team.ID)+"/calendar", f.admin,
			map[string]any{"calendar_id": nil}).JSON(t, &team)
		if team.CalendarID != nil {
			t.Errorf("cleared team calendar: got %v", *team.CalendarID)
		}

		page, err := f.Store.ListAudit(context.Background(), model.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range page.Items {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{model.AuditCalendarCreated, model.AuditCalendarUpdated, model.AuditTeamCalendarSet} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit log lacks %s: %v", want, actions)
			}
		}

		checkPreviewMatchesLibrary(t, f, c.ID)
	})
}

// checkPreviewMatchesLibrary: the preview and duration endpoints answer
// what the engine answers for the stored calendar, and what the rules
// give by hand.
func checkPreviewMatchesLibrary(t *testing.T, f *fixture, id int64) {
	t.Helper()
	stored, err := f.Store.CalendarByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	k, err := calendar.Compile(stored, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		start   string
		minutes int
		pauses  [][]string
		want    string // by hand
	}{
		{"2026-03-02T11:00:00+08:00", 120, nil, "2026-03-02T06:00:00Z"}, // across lunch
		{"2026-03-02T09:00:00+08:00", 180, nil, "2026-03-02T04:00:00Z"}, // used up at 12:00
		{"2026-03-06T17:00:00+08:00", 120, nil, "2026-03-09T02:00:00Z"}, // over the weekend
		{"2026-03-07T10:00:00+08:00", 0, nil, "2026-03-09T01:00:00Z"},   // zero on Saturday
		{"2026-09-30T17:00:00+08:00", 120, nil, "2026-10-08T02:00:00Z"}, // over National Day
		{"2026-10-09T17:00:00+08:00", 120, nil, "2026-10-10T03:00:00Z"}, // make-up day, own hours 10–15
		{"2026-09-19T12:00:00+08:00", 30, nil, "2026-09-20T02:30:00Z"},  // make-up Sunday, own hours
		{"2026-03-02T09:00:00+08:00", 120, [][]string{{"2026-03-02T10:00:00+08:00", "2026-03-02T11:00:00+08:00"}}, "2026-03-02T04:00:00Z"},
		{"2026-03-02T16:00:00+08:00", 120, [][]string{{"2026-03-02T17:00:00+08:00", "2026-03-03T10:00:00+08:00"}}, "2026-03-03T03:00:00Z"},
	}
	for _, c := range cases {
		var out struct {
			DueAt string `json:"due_at"`
		}
		body := map[string]any{"calendar_id": id, "start": c.start, "minutes": c.minutes}
		var ps []calendar.Pause
		if c.pauses != nil {
			body["pauses"] = c.pauses
			for _, p := range c.pauses {
				ps = append(ps, calendar.Pause{From: mustTime(t, p[0]), To: mustTime(t, p[1])})
			}
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/sla/preview", f.agent, body).JSON(t, &out)
		lib, err := k.Due(mustTime(t, c.start), time.Duration(c.minutes)*time.Minute, ps)
		if err != nil {
			t.Fatal(err)
		}
		if out.DueAt != c.want || out.DueAt != lib.Format(time.RFC3339) {
			t.Errorf("preview %s + %d: got %s, library %s, want %s", c.start, c.minutes, out.DueAt, lib.Format(time.RFC3339), c.want)
		}
		var dur struct {
			BusinessMinutes float64 `json:"business_minutes"`
		}
		body = map[string]any{"calendar_id": id, "from": c.start, "to": c.want}
		if c.pauses != nil {
			body["pauses"] = c.pauses
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/sla/duration", f.tech, body).JSON(t, &dur)
		if want := k.Duration(mustTime(t, c.start), mustTime(t, c.want), ps).Minutes(); dur.BusinessMinutes != want || want != float64(c.minutes) {
			t.Errorf("duration %s → %s: got %v, library %v, want %d", c.start, c.want, dur.BusinessMinutes, want, c.minutes)
		}
	}
	var dur struct {
		BusinessMinutes float64 `json:"business_minutes"`
	}
	f.mustStatus(t, http.StatusOK, "POST", "/api/v1/sla/duration", f.agent, map[string]any{"calendar_id": id,
		"from": "2026-03-02T09:00:00+08:00", "to": "2026-03-02T09:01:30+08:00"}).JSON(t, &dur)
	if dur.BusinessMinutes != 1.5 {
		t.Errorf("fractional duration: got %v, want 1.5", dur.BusinessMinutes)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestCalendarErrors: bad input is 422 naming the field, and nothing is
// stored.
func TestCalendarErrors(t *testing.T) {
	f := newFixture(t, "")
	with := func(change func(b map[string]any)) map[string]any {
		b := officeBody("Errors")
		change(b)
		return b
	}
	hours := func(day string, ivs ...[]string) func(b map[string]any) {
		return func(b map[string]any) { b["hours"].(map[string]any)[day] = ivs }
	}
	cases := []struct {
		name     string
		body     any
		location string
		detail   string
	}{
		{"unknown time zone", with(func(b map[string]any) { b["timezone"] = "Asia/Beijing" }), "body.timezone", "unknown time zone"},
		{"no time zone", with(func(b map[string]any) { delete(b, "timezone") }), "body.timezone", "is required"},
		{"no name", with(func(b map[string]any) { delete(b, "name") }), "body.name", "is required"},
		{"end not after start", with(hours("mon", []string{"09:00", "12:00"}, []string{"13:00", "13:00"})), "body.hours.mon[1]", "not after the start"},
		{"end before start", with(hours("tue", []string{"18:00", "09:00"})), "body.hours.tue[0]", "not after the start"},
		{"overlapping", with(hours("mon", []string{"09:00", "12:00"}, []string{"11:30", "18:00"})), "body.hours.mon[1]", "overlaps"},
		{"bad time", with(hours("wed", []string{"09:00", "25:00"})), "body.hours.wed[0]", "not a time of day"},
		{"not a pair", with(hours("thu", []string{"09:00"})), "body.hours.thu[0]", "pair"},
		{"unknown weekday", with(hours("xyz", []string{"09:00", "12:00"})), "body.hours.xyz", "unexpected property"},
		{"bad date", with(func(b map[string]any) { b["holidays"] = []string{"2026-10-01", "2026-10-02", "2026-02-30"} }), "body.holidays[2]", "not a date"},
		{"bad make-up day", with(func(b map[string]any) { b["workdays"] = []string{"tomorrow"} }), "body.workdays[0]", "not a date"},
		{"make-up day on a holiday", with(func(b map[string]any) { b["workdays"] = []string{"2026-10-10", "2026-10-01"} }), "body.workdays[1]", "also listed as a holiday"},
		{"bad make-up hours", with(func(b map[string]any) { b["workday_hours"] = [][]string{{"15:00", "10:00"}} }), "body.workday_hours[0]", "not after the start"},
		{"unknown preset", map[string]any{"preset": "cn-1999"}, "body.preset", "cn-2025-2026"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := f.Do(t, "POST", "/api/v1/calendars", f.admin, c.body, "Accept-Language: en")
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422: %s", res.Status, res.Body)
			}
			p := decodeProblem(t, res)
			if !slices.Contains(p.locations(), c.location) {
				t.Errorf("locations: got %v, want %s", p.locations(), c.location)
			}
			if !strings.Contains(p.Detail, c.detail) {
				t.Errorf("detail: got %q, want it to contain %q", p.Detail, c.detail)
			}
		})
	}
	if n := f.count(t, "calendars"); n != 0 {
		t.Errorf("got %d calendars stored, want none", n)
	}
	// Chinese readers get the message in Chinese, at the same location.
	res := f.Do(t, "POST", "/api/v1/calendars", f.admin, with(hours("mon", []string{"12:00", "09:00"})), "Accept-Language: zh-CN")
	if p := decodeProblem(t, res); !slices.Contains(p.locations(), "body.hours.mon[0]") || !strings.Contains(p.Detail, "结束时间") {
		t.Errorf("zh-CN: got %v %q", p.locations(), p.Detail)
	}

	id := f.createCalendar(t, officeBody("Office")).ID
	empty := f.createCalendar(t, map[string]any{"name": "Never open", "timezone": "UTC"}).ID
	for _, c := range []struct {
		name, path string
		body       map[string]any
		location   string
	}{
		{"unknown calendar", "/api/v1/sla/preview", map[string]any{"calendar_id": 999, "start": "2026-03-02T09:00:00Z", "minutes": 1}, "body.calendar_id"},
		{"no working time", "/api/v1/sla/preview", map[string]any{"calendar_id": empty, "start": "2026-03-02T09:00:00Z", "minutes": 1}, "body.calendar_id"},
		{"negative minutes", "/api/v1/sla/preview", map[string]any{"calendar_id": id, "start": "2026-03-02T09:00:00Z", "minutes": -1}, "body.minutes"},
		{"bad start", "/api/v1/sla/preview", map[string]any{"calendar_id": id, "start": "2026-03-02 09:00", "minutes": 1}, "body.start"},
		{"pause not a pair", "/api/v1/sla/preview", map[string]any{"calendar_id": id, "start": "2026-03-02T09:00:00Z", "minutes": 1,
			"pauses": [][]string{{"2026-03-02T09:00:00Z"}}}, "body.pauses[0]"},
		{"pause backwards", "/api/v1/sla/duration", map[string]any{"calendar_id": id, "from": "2026-03-02T09:00:00Z", "to": "2026-03-03T09:00:00Z",
			"pauses": [][]string{{"2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"}, {"2026-03-02T12:00:00Z", "2026-03-02T11:00:00Z"}}}, "body.pauses[1]"},
		{"to before from", "/api/v1/sla/duration", map[string]any{"calendar_id": id, "from": "2026-03-02T09:00:00Z", "to": "2026-03-01T09:00:00Z"}, "body.to"},
		{"span too long", "/api/v1/sla/duration", map[string]any{"calendar_id": id, "from": "2000-01-01T00:00:00Z", "to": "2090-01-01T00:00:00Z"}, "body.to"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := f.mustStatus(t, http.StatusUnprocessableEntity, "POST", c.path, f.agent, c.body)
			if p := decodeProblem(t, res); !slices.Contains(p.locations(), c.location) {
				t.Errorf("locations: got %v, want %s", p.locations(), c.location)
			}
		})
	}
}
