package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// staffClient creates a staff user (at centre, if set) and logs a client
// in as them, reading pages in lang.
func staffClient(t *testing.T, f *fixture, role model.Role, email, lang string, centre *int64) *client {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.m.Store.CreateUser(context.Background(), &model.User{Email: email, Name: "Zhou " + string(role), Role: role,
		PasswordHash: hash, Active: true, CentreID: centre}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, lang)
	if res := c.post("/login", url.Values{"login": {email}, "password": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, res.status)
	}
	return c
}

func TestNetworkPages(t *testing.T) {
	f := newFixture(t)
	n := newNetwork(t, f)
	appt := n.appointment(t, f.aliceReq.Number)
	day := appt.LocalDay.Format(time.DateOnly)
	en := staffClient(t, f, model.RoleManager, "boss@example.com", "en", nil)
	zh := staffClient(t, f, model.RoleManager, "laoban@example.com", "zh-CN", nil)

	expect(t, "centres nearest Beijing", en.get("/centres?city=Beijing&category=camera"), http.StatusOK,
		[]string{"RC2", " km<", "Mon–Sun 08:00-20:00"}, nil)
	res := en.get("/centres?city=Beijing")
	if strings.Index(res.body, ">RC2<") > strings.Index(res.body, ">RC<") {
		t.Errorf("from Beijing, RC2 (Beijing) must come before RC (Shanghai)")
	}
	expect(t, "centres in Chinese", zh.get("/centres"), http.StatusOK, []string{"服务网点", "营业时间", "周一–周日 08:00-20:00"}, nil)

	// The stock page, a refused adjustment, a reorder point and its alert.
	expect(t, "stock", en.get("/centres/RC/stock"), http.StatusOK, []string{"P-1", "Lens motor", "Receive or adjust"}, []string{"row-alert"})
	res = en.post("/centres/RC/stock", url.Values{"part_no": {"P-1"}, "quantity": {"-2"}, "kind": {"adjust"}})
	expect(t, "adjust without a reason", res, http.StatusUnprocessableEntity, []string{"say why the stock is adjusted", `value="-2"`}, nil)
	res = zh.post("/centres/RC/stock", url.Values{"part_no": {"P-1"}, "quantity": {"-9"}, "kind": {"adjust"}, "note": {"盘点"}})
	expect(t, "adjust below zero, in Chinese", res, http.StatusConflict, []string{"库存不足：可用 5 件"}, nil)
	res = en.post("/centres/RC/stock/reorder", url.Values{"part_no": {"P-1"}, "reorder_point": {"5"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("reorder point: %d %s", res.status, res.body)
	}
	expect(t, "alert on the stock page", en.get("/centres/RC/stock"), http.StatusOK, []string{"row-alert", "1 parts are at or below their reorder point"}, nil)
	expect(t, "alerts page", zh.get("/stock/alerts"), http.StatusOK, []string{"补货提醒", "P-1"}, nil)
	res = en.post("/centres/RC/stock/transfer", url.Values{"part_no": {"P-1"}, "quantity": {"2"}, "to": {"RC2"}, "note": {"RC2 short"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("transfer: %d %s", res.status, res.body)
	}
	expect(t, "ledger", en.get("/centres/RC/stock/P-1"), http.StatusOK, []string{"opening stock", "RC2 short", "↔ RC2", "-2"}, nil)
	res = en.get("/centres/RC/stock/P-1?format=csv")
	if res.status != http.StatusOK || !strings.HasPrefix(res.body, "\ufeff") || !strings.Contains(res.body, "Transfer,-2,3,0") {
		t.Errorf("ledger CSV: got %d %q", res.status, res.body)
	}
	res = zh.get("/centres/RC/stock?format=xlsx")
	if res.status != http.StatusOK || !strings.HasPrefix(res.body, "PK") {
		t.Errorf("stock XLSX: got %d", res.status)
	}

	// Parts: prices typed in yuan are kept in fen.
	res = en.post("/parts", url.Values{"part_no": {"BAT-9"}, "name": {"Battery"}, "compatible_skus": {"CAM-1, CAM-2"}, "cost": {"80"}, "price": {"199.50"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("new part: %d %s", res.status, res.body)
	}
	if p, err := f.m.Store.PartByNo(context.Background(), "BAT-9"); err != nil || p.Price != 19950 || p.Cost != 8000 {
		t.Errorf("part BAT-9: got %+v %v, want cost 8000 and price 19950 fen", p, err)
	}
	expect(t, "bad price", en.post("/parts", url.Values{"part_no": {"BAT-10"}, "name": {"x"}, "cost": {"1.234"}, "price": {"2"}}),
		http.StatusUnprocessableEntity, []string{"Give an amount like 123.45."}, nil)
	expect(t, "parts list", zh.get("/parts?sku=CAM-2"), http.StatusOK, []string{"BAT-9", "199.50 CNY"}, []string{"P-1<"})

	// Appointments: the day view, a clash shown beside the technician.
	expect(t, "day view", en.get("/appointments?centre=RC&date="+day), http.StatusOK, []string{f.aliceReq.Number, "10:00–11:00", "1 of 50 appointments booked"}, nil)
	tech := &model.User{Email: "tech@example.com", Name: "Zhang Lei", Role: model.RoleTechnician, CentreID: &n.centre.ID, Active: true}
	if err := f.m.Store.CreateUser(context.Background(), tech); err != nil {
		t.Fatal(err)
	}
	book := url.Values{"centre": {"RC"}, "request_number": {f.aliceReq.Number}, "kind": {"on_site"}, "technician_id": {itoa(tech.ID)},
		"date": {day}, "start": {"14:00"}, "end": {"16:00"}, "address": {"Xuhui"}}
	if res := en.post("/appointments/new", book); res.status != http.StatusSeeOther {
		t.Fatalf("book: %d %s", res.status, res.body)
	}
	book.Set("start", "15:00")
	book.Set("end", "17:00")
	expect(t, "double booking", zh.post("/appointments/new", book), http.StatusConflict, []string{"该工程师在", "已有预约"}, nil)
	expect(t, "technician's day", en.get("/appointments?centre=RC&technician="+itoa(tech.ID)+"&date="+day), http.StatusOK,
		[]string{"14:00–16:00", "Xuhui"}, []string{"10:00–11:00"})
	expect(t, "timeline", en.get("/requests/"+f.aliceReq.Number), http.StatusOK, []string{"booked On-site visit at RC"}, nil)

	// Extended warranty: create a plan, sell it on a unit.
	res = en.post("/plans", url.Values{"code": {"CARE2"}, "name": {"Care 2 years"}, "months": {"24"}, "price": {"599"}, "parts": {"1"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("new plan: %d %s", res.status, res.body)
	}
	if res := en.get("/plans?serial=" + n.serial); res.status != http.StatusSeeOther || res.location != "/units/"+n.serial {
		t.Errorf("unit lookup: got %d → %q", res.status, res.location)
	}
	expect(t, "unknown serial", en.get("/plans?serial=NOPE"), http.StatusNotFound, []string{"No unit with this serial number."}, nil)
	res = en.post("/units/"+n.serial+"/plans", url.Values{"plan_code": {"CARE2"}, "price": {"499"}, "centre": {"RC"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("sell: %d %s", res.status, res.body)
	}
	expect(t, "unit page", zh.get("/units/"+n.serial), http.StatusOK, []string{"在保（基础保修）", "Care 2 years", "保障截止"}, nil)
	expect(t, "plan sales", en.get("/plans"), http.StatusOK, []string{n.serial, "499.00 CNY", "RC"}, nil)
}

func TestCentreManagerEditsOnlyTheSchedule(t *testing.T) {
	f := newFixture(t)
	n := newNetwork(t, f)
	cm := staffClient(t, f, model.RoleCentreManager, "cm@example.com", "en", &n.centre.ID)
	expect(t, "own centre's form", cm.get("/centres/RC/edit"), http.StatusOK, []string{"you change its opening hours and daily capacity"}, nil)
	res := cm.post("/centres/RC/edit", url.Values{"daily_capacity": {"12"}, "hours_mon": {"09:00-17:00"}, "name": {"Renamed"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.status, res.body)
	}
	c, err := f.m.Store.CentreByCode(context.Background(), "RC")
	if err != nil {
		t.Fatal(err)
	}
	if c.DailyCapacity != 12 || c.Hours.Day(time.Monday) != "09:00-17:00" || c.Hours.Day(time.Tuesday) != "" || c.Name != "Shanghai Xuhui" {
		t.Errorf("after the centre manager's save: got capacity %d, hours %s, name %q", c.DailyCapacity, c.Hours, c.Name)
	}
	expect(t, "another centre's form", cm.get("/centres/RC2/edit"), http.StatusForbidden, nil, nil)
	expect(t, "another centre's stock", cm.post("/centres/RC2/stock", url.Values{"part_no": {"P-1"}, "quantity": {"1"}, "kind": {"receive"}}),
		http.StatusForbidden, nil, nil)
}
