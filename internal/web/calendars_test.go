package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// loginAdmin creates an admin and returns a client logged in as it.
func loginAdmin(t *testing.T, f *fixture, lang string) *client {
	t.Helper()
	hash, _ := auth.HashPassword(password)
	email := "admin-" + lang + "@example.com"
	if err := f.m.Store.CreateUser(context.Background(), &model.User{Email: email, Name: "Zhou Ming", Role: model.RoleAdmin,
		PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, lang)
	if res := c.post("/login", url.Values{"login": {email}, "password": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("admin login: %d", res.status)
	}
	return c
}

// inOrder checks that the texts appear in body in this order (an error
// message between its field and the next field is beside its field).
func inOrder(t *testing.T, name, body string, texts ...string) {
	t.Helper()
	at := 0
	for _, s := range texts {
		i := strings.Index(body[at:], s)
		if i < 0 {
			t.Errorf("%s: %q missing after position %d", name, s, at)
			return
		}
		at += i + len(s)
	}
}

func calendarForm(change func(url.Values)) url.Values {
	v := url.Values{"name": {"Shanghai office"}, "timezone": {"Asia/Shanghai"},
		"holidays": {"2026-10-01\n2026-10-02\n2026-10-05\n2026-10-06\n2026-10-07"}, "workdays": {"2026-10-10"}}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		v.Set("hours."+d, "09:00-12:00, 13:00-18:00")
	}
	if change != nil {
		change(v)
	}
	return v
}

func TestCalendarPages(t *testing.T) {
	now := time.Date(2026, 10, 9, 8, 0, 0, 0, time.UTC)
	f := newFixtureWith(t, apptest.Options{Now: func() time.Time { return now }})
	en, zh := loginAdmin(t, f, "en"), loginAdmin(t, f, "zh-CN")

	res := en.get("/admin/calendars/new?preset=cn-2025-2026")
	expect(t, "preset form", res, http.StatusOK, []string{`value="Asia/Shanghai"`, "2026-10-01", "2026-10-10",
		`value="09:00-12:00, 13:00-18:00"`}, nil)

	// Bad input: the form comes back with the text as typed and the
	// message beside the field; nothing is stored.
	res = en.post("/admin/calendars/new", calendarForm(func(v url.Values) { v.Set("hours.tue", "09:00-12:00, 11:00-18:00") }))
	expect(t, "overlap", res, http.StatusUnprocessableEntity, []string{`value="09:00-12:00, 11:00-18:00"`}, nil)
	inOrder(t, "overlap", res.body, `name="hours.tue"`, `aria-invalid="true"`, "11:00–18:00 overlaps 09:00–12:00", `name="hours.wed"`)
	res = zh.post("/admin/calendars/new", calendarForm(func(v url.Values) { v.Set("holidays", "2026-10-01\n2026-02-30") }))
	expect(t, "bad date", res, http.StatusUnprocessableEntity, nil, nil)
	inOrder(t, "bad date", res.body, `name="holidays"`, "2026-02-30", `2026-02-30&#34; 不是有效日期`, `name="workdays"`)
	res = zh.post("/admin/calendars/new", calendarForm(func(v url.Values) { v.Set("timezone", "Asia/Beijing") }))
	inOrder(t, "bad zone", res.body, `name="timezone"`, "未知时区", `name="hours.mon"`)
	if n := len(mustList(t, f)); n != 0 {
		t.Fatalf("got %d calendars after bad input, want 0", n)
	}

	res = en.post("/admin/calendars/new", calendarForm(nil))
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/calendars/") {
		t.Fatalf("create: got %d → %q\n%.2000s", res.status, res.location, res.body)
	}
	show := res.location

	// The month of "today" in the calendar's zone, at a glance.
	res = en.get(show)
	expect(t, "month en", res, http.StatusOK, []string{"October 2026", "Weekly hours", "Monday&#39;s hours"}, nil)
	for date, class := range map[string]string{"2026-10-01": "day-holiday", "2026-10-10": "day-makeup",
		"2026-10-11": "day-off", "2026-10-12": "day-work", "2026-10-09": "today"} {
		inOrder(t, "month en "+date, res.body, `<td class="day `, class, `data-date="`+date+`"`)
	}
	res = zh.get(show + "?month=2026-02")
	expect(t, "month zh", res, http.StatusOK, []string{"2026年2月", "周一", "每周工作时间"}, nil)

	// When would this be due? Friday 17:00 + 120 min: one hour on
	// Friday, one on the make-up Saturday (Monday's hours).
	res = en.get(show + "?start=2026-10-09T17:00&minutes=120")
	expect(t, "due", res, http.StatusOK, []string{"2026-10-10 10:00:00 Sat", "2026-10-10T02:00:00Z"}, nil)
	inOrder(t, "due marker", res.body, `data-date="2026-10-10"`, "due")
	res = zh.get(show + "?start=2026-09-30T17:00&minutes=120")
	expect(t, "due zh", res, http.StatusOK, []string{"2026-10-08 10:00:00", "2026-10-08T02:00:00Z", "到期时间为"}, nil)
	res = en.get(show + "?start=2026-10-09T17:00&minutes=lots")
	inOrder(t, "bad minutes", res.body, `name="minutes"`, "This value is not valid.")

	// Edit under optimistic locking.
	res = en.get(show + "/edit")
	expect(t, "edit form", res, http.StatusOK, []string{`name="version" value="1"`, "2026-10-07"}, nil)
	res = en.post(show+"/edit", calendarForm(func(v url.Values) { v.Set("version", "7"); v.Set("name", "Renamed") }))
	expect(t, "stale edit", res, http.StatusConflict, []string{"changed meanwhile", `value="Renamed"`}, nil)
	res = en.post(show+"/edit", calendarForm(func(v url.Values) {
		v.Set("version", "1")
		v.Set("name", "Renamed")
		v.Set("workday_hours", "10:00-15:00")
	}))
	if res.status != http.StatusSeeOther {
		t.Fatalf("edit: got %d\n%.2000s", res.status, res.body)
	}
	res = en.get(show + "?start=2026-10-09T17:00&minutes=120")
	expect(t, "due with own make-up hours", res, http.StatusOK, []string{"2026-10-10T03:00:00Z", "10:00-15:00"}, nil)

	// The list, and a team's calendar.
	team := &model.Team{Name: "Xuhui centre"}
	if err := f.m.Store.CreateTeam(context.Background(), team); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimPrefix(show, "/admin/calendars/")
	res = en.post("/admin/teams/"+itoa(team.ID)+"/calendar", url.Values{"calendar_id": {id}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("team calendar: got %d %s", res.status, res.body)
	}
	res = zh.get("/admin/calendars")
	expect(t, "list zh", res, http.StatusOK, []string{"Renamed", "周一–周五 09:00-12:00, 13:00-18:00", "Xuhui centre"}, nil)
	inOrder(t, "team select", res.body, "Xuhui centre", `<option value="`+id+`" selected>Renamed</option>`)
	agent := newClient(t, f.m, "en")
	agent.loginStaff()
	expect(t, "agent list", agent.get("/admin/calendars"), http.StatusOK, []string{"Renamed", "Mon–Fri"},
		[]string{"New calendar", `action="/admin/teams/`})
}

func mustList(t *testing.T, f *fixture) []model.Calendar {
	t.Helper()
	page, err := f.m.Store.ListCalendars(context.Background(), model.CalendarFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}
