package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/sla"
)

// TestSLAPages walks the SLA screens: the admin page (policies and tiers,
// with errors beside the fields in both languages), the request page's
// card, the queue's due column and breaching-soon tab, the portal's tier
// commitments and the promised-vs-achieved report with its exports.
func TestSLAPages(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 3, 30, 0, 0, time.UTC) // Monday 11:30 in Shanghai
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFixtureWith(t, apptest.Options{Now: clock})
	ctx := context.Background()
	admin := model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin}
	hash, _ := auth.HashPassword(password)
	if err := f.m.Store.CreateUser(ctx, &model.User{Email: "admin@example.com", Name: "Admin", Role: model.RoleAdmin,
		PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	office := [][]string{{"09:00", "12:00"}, {"13:00", "18:00"}}
	cal, err := f.m.Calendars.Create(ctx, admin, calendar.CreateInput{Input: calendar.Input{Name: "Office", TimeZone: "Asia/Shanghai",
		Hours: map[string][][]string{"mon": office, "tue": office, "wed": office, "thu": office, "fri": office}}})
	if err != nil {
		t.Fatal(err)
	}
	ninety, sixty := 90, 60
	if _, err := f.m.SLA.SaveTier(ctx, admin, model.Tier{Key: "premium", Name: "Premium", NameZH: "尊享", ResponseMinutes: &sixty,
		Compensation: "A 50 CNY voucher", CompensationZH: "50 元代金券"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.SLA.CreatePolicy(ctx, admin, sla.PolicyInput{Name: "Premium care", Position: 1, CalendarID: cal.ID,
		Conditions: model.SLAConditions{Tier: "premium"}, FirstResponseMinutes: 60, ResolutionMinutes: 480, WarnBeforeMinutes: &ninety}); err != nil {
		t.Fatal(err)
	}
	if err := f.m.SLA.SetCustomerTier(ctx, admin, f.alice.ID, "premium"); err != nil {
		t.Fatal(err)
	}
	r, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeRepair, Subject: "Premium broken"})
	if err != nil {
		t.Fatal(err)
	}

	ac := newClient(t, f.m, "en")
	if res := ac.post("/login", url.Values{"login": {"admin@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("admin login: %d", res.status)
	}
	expect(t, "sla page", ac.get("/admin/sla"), http.StatusOK, []string{"Premium care", "premium", "A 50 CNY voucher", "Office"}, nil)
	bad := url.Values{"name": {"Standard"}, "position": {"2"}, "calendar_id": {itoa(cal.ID + 100)},
		"first_response_minutes": {"240"}, "resolution_minutes": {"2400"}, "pause_pending": {"1"}}
	expect(t, "unknown calendar", ac.post("/admin/sla/policies", bad), http.StatusUnprocessableEntity,
		[]string{"There is no business calendar with id", `aria-invalid="true"`, `value="Standard"`}, nil)
	zh := newClient(t, f.m, "zh-CN")
	if res := zh.post("/login", url.Values{"login": {"admin@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("admin login: %d", res.status)
	}
	bad.Set("calendar_id", itoa(cal.ID))
	bad.Set("first_response_minutes", "soon")
	expect(t, "not a number (zh)", zh.post("/admin/sla/policies", bad), http.StatusUnprocessableEntity, []string{"服务时限", `aria-invalid="true"`}, nil)
	bad.Set("first_response_minutes", "240")
	if res := ac.post("/admin/sla/policies", bad); res.status != http.StatusSeeOther {
		t.Fatalf("create policy: %d %.2000s", res.status, res.body)
	}
	expect(t, "sla page after", ac.get("/admin/sla"), http.StatusOK, []string{"Standard", "Every request"}, nil)
	expect(t, "tier form error", ac.post("/admin/sla/tiers", url.Values{"key": {"Gold!"}, "name": {"Gold"}}),
		http.StatusUnprocessableEntity, []string{"lower-case letters"}, nil)

	agent := newClient(t, f.m, "en")
	agent.loginStaff()
	expect(t, "request page", agent.get("/requests/"+r.Number), http.StatusOK,
		[]string{"Service level", "Premium care", "due 2026-03-02 13:30", "Due soon"}, nil)
	expect(t, "breaching soon", agent.get("/queue?soon=1&sort=due"), http.StatusOK, []string{r.Number, "03-02 13:30"}, []string{f.bobReq.Number})
	expect(t, "queue due sort", agent.get("/queue?sort=due"), http.StatusOK, []string{r.Number}, nil)

	portal := newClient(t, f.m, "zh-CN")
	portal.loginCustomer("alice@example.com")
	expect(t, "portal tier", portal.get("/portal"), http.StatusOK, []string{"尊享", "50 元代金券", "1 小时 00 分钟"}, []string{"Premium care"})
	bobc := newClient(t, f.m, "en")
	bobc.loginCustomer("bob@example.com")
	expect(t, "portal without tier", bobc.get("/portal"), http.StatusOK, nil, []string{"Your service level"})

	// Answered at 13:00 (met), resolved two days later (late).
	mu.Lock()
	now = time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC)
	mu.Unlock()
	if _, err := f.m.Requests.Reply(ctx, f.agent, r.Number, request.ReplyInput{Body: "on it"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC)
	mu.Unlock()
	if _, err := f.m.Requests.ChangeStatus(ctx, f.agent, r.Number, model.StatusResolved, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	expect(t, "request page after", agent.get("/requests/"+r.Number), http.StatusOK, []string{"Met late", "Met"}, nil)
	expect(t, "report", agent.get("/sla/report"), http.StatusOK, []string{"2026-03", "Premium", "100.0%", "0.0%", "1 late"}, nil)
	csv := agent.get("/sla/report?format=csv")
	if csv.status != http.StatusOK || !strings.Contains(csv.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(csv.body, "Promised response") || !strings.Contains(csv.body, "2026-03,Premium,1,60,30,30,100.0%,0") {
		t.Errorf("csv: %d %s\n%s", csv.status, csv.header.Get("Content-Type"), csv.body)
	}
	if x := agent.get("/sla/report?format=xlsx"); x.status != http.StatusOK || !strings.Contains(x.header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("xlsx: %d %s", x.status, x.header.Get("Content-Type"))
	}
	expect(t, "customer on staff report", bobc.get("/sla/report"), http.StatusNotFound, nil, []string{"Premium"})
}
