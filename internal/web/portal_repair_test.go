package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
)

// TestPortalRepairRequest: the customer sees their unit's warranty and
// the centres that repair it nearest the city they pick, and one submit
// opens the request, its repair and the in-store booking; a booking the
// centre cannot take leaves no request behind, and nobody requests a
// repair for another customer's unit.
func TestPortalRepairRequest(t *testing.T) {
	f := newFixture(t)
	net := newNetwork(t, f)
	ctx := context.Background()
	lat, lng := 31.2, 121.4
	if _, err := f.m.Network.CreateCentre(ctx, net.admin, network.CentreInput{Code: "TINY", Name: "Shanghai Tiny", Lat: &lat, Lng: &lng,
		TimeZone: "Asia/Shanghai", Categories: []string{"camera"}, DailyCapacity: 1}); err != nil {
		t.Fatal(err)
	}
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")

	page := alice.get("/portal/repairs/new?city=Shanghai")
	expect(t, "the form", page, http.StatusOK, []string{"In warranty until", "Camera (" + net.serial + ")", `value="RC"`, " km"}, nil)
	if i, j := strings.Index(page.body, "Shanghai Xuhui"), strings.Index(page.body, "Beijing Chaoyang"); i < 0 || j < 0 || i > j {
		t.Errorf("centres not nearest first from Shanghai (Xuhui at %d, Chaoyang at %d)", i, j)
	}

	countRequests := func() int {
		t.Helper()
		pg, err := f.m.Store.ListRequests(ctx, model.RequestFilter{CustomerID: f.alice.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(pg.Items)
	}
	day := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 2).Format(time.DateOnly)
	form := url.Values{"serial": {net.serial}, "city": {"Shanghai"}, "centre": {"TINY"}, "mode": {"in_store"}, "day": {day},
		"slot": {"10:00-11:00"}, "subject": {"Lens does not extend"}, "description": {"Error 42 on power-up."}}

	bob := newClient(t, f.m, "en")
	bob.loginCustomer("bob@example.com")
	expect(t, "another customer's unit", bob.post("/portal/repairs/new", form), http.StatusUnprocessableEntity,
		[]string{"No registered product has the serial number"}, nil)
	noSubject := url.Values{}
	for k, v := range form {
		noSubject[k] = v
	}
	noSubject.Set("subject", "")
	expect(t, "no subject", alice.post("/portal/repairs/new", noSubject), http.StatusUnprocessableEntity,
		[]string{"Error 42 on power-up.", `aria-invalid="true"`}, nil)

	res := alice.post("/portal/repairs/new", form)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/portal/requests/SR-") {
		t.Fatalf("submit: %d → %q, want a redirect to the new request", res.status, res.location)
	}
	number := strings.TrimPrefix(res.location, "/portal/requests/")
	r, err := f.m.Store.RequestByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := f.m.Repairs.ForRequest(ctx, r.ID)
	if err != nil || rp == nil || rp.CentreCode != "TINY" || rp.Mode != model.ModeInStore || rp.Stage != model.StageAwaitingDevice {
		t.Fatalf("the request's repair: %+v (%v); want in store at TINY, awaiting the device", rp, err)
	}
	appts, err := f.m.Network.List(ctx, net.admin, network.DayQuery{RequestNumber: number})
	if err != nil || len(appts) != 1 || appts[0].StartsAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04") != day+" 10:00" {
		t.Fatalf("the request's appointment: %+v (%v); want one at %s 10:00 Shanghai time", appts, err, day)
	}
	view := alice.get(res.location)
	expect(t, "the new request", view, http.StatusOK, []string{"Lens does not extend", `data-stage="awaiting_device"`}, nil)

	// TINY takes one appointment a day: the second request that day is
	// refused, and nothing of it is left.
	before := countRequests()
	form.Set("subject", "Second try")
	expect(t, "a full day", alice.post("/portal/repairs/new", form), http.StatusConflict, []string{"fully booked", "Second try"}, nil)
	if got := countRequests(); got != before {
		t.Errorf("requests after a refused booking: %d, want %d (one transaction)", got, before)
	}
}
