package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// TestReturnPages: in the portal a customer asks to return a unit
// delivered yesterday (approved at once, the window's end shown) and one
// delivered a month ago (rejected with a reason they can read); the desk
// records receipt, inspection and the refund, re-rendering a bad amount
// with what was typed; another customer cannot see the decision.
func TestReturnPages(t *testing.T) {
	f := newFixture(t)
	net := newNetwork(t, f)
	ctx := context.Background()
	yesterday := time.Now().In(f.m.Store.Location()).AddDate(0, 0, -1).Format(time.DateOnly)
	if _, err := f.m.Catalog.CreateUnit(ctx, net.admin, catalog.UnitInput{Serial: "SN-NEW", SKU: "CAM-1", CustomerID: f.alice.ID,
		PurchasedAt: yesterday, DeliveredAt: yesterday}); err != nil {
		t.Fatal(err)
	}
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	expect(t, "the form", alice.get("/portal/returns/new"), http.StatusOK, []string{"Camera (SN-NEW)", "Camera (" + net.serial + ")", `name="kind"`}, nil)

	res := alice.post("/portal/returns/new", url.Values{"serial": {net.serial}, "kind": {"return"}, "reason": {"changed my mind"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("late return: %d, want a redirect to the request", res.status)
	}
	late := res.location
	expect(t, "the rejected return", alice.get(late), http.StatusOK,
		[]string{`data-status="rejected"`, "Outside the policy&#39;s window: it ended on", "You can still ask for a repair"}, nil)
	bob := newClient(t, f.m, "en")
	bob.loginCustomer("bob@example.com")
	expect(t, "another customer", bob.get(late), http.StatusNotFound, nil, []string{"Outside the policy"})
	expect(t, "bob's unit check", bob.post("/portal/returns/new", url.Values{"serial": {"SN-NEW"}, "kind": {"return"}}),
		http.StatusUnprocessableEntity, []string{"No registered product has the serial number"}, nil)

	res = alice.post("/portal/returns/new", url.Values{"serial": {"SN-NEW"}, "kind": {"return"}, "reason": {"too big"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("return in time: %d", res.status)
	}
	end := time.Now().In(f.m.Store.Location()).AddDate(0, 0, 6).Format(time.DateOnly)
	expect(t, "the approved return", alice.get(res.location), http.StatusOK,
		[]string{`data-status="approved"`, "Inside the policy&#39;s window (it ends on " + end, "The window ends on " + end}, nil)
	number := strings.TrimPrefix(res.location, "/portal/requests/")
	r, err := f.m.Store.RequestByNumber(ctx, number)
	if err != nil || r.Type != model.TypeReturn {
		t.Fatalf("the return's request: %+v, %v", r, err)
	}
	rt, err := f.m.Repairs.ReturnForRequest(ctx, r.ID)
	if err != nil || rt == nil {
		t.Fatalf("the return: %v", err)
	}

	desk := newClient(t, f.m, "en")
	desk.loginStaff()
	expect(t, "the list", desk.get("/returns?status=approved"), http.StatusOK, []string{number}, nil)
	id := itoa(rt.ID)
	for _, st := range []string{"received", "inspected"} {
		if res := desk.post("/returns/"+id+"/step", url.Values{"status": {st}}); res.status != http.StatusSeeOther {
			t.Fatalf("step to %s: %d", st, res.status)
		}
	}
	expect(t, "a bad refund", desk.post("/returns/"+id+"/step", url.Values{"status": {"refunded"}, "refund_amount": {"12x"}}),
		http.StatusUnprocessableEntity, []string{`value="12x"`, `aria-invalid="true"`}, nil)
	expect(t, "replacing a return", desk.post("/returns/"+id+"/step", url.Values{"status": {"replaced"}, "replacement_serial": {"SN-2"}}),
		http.StatusConflict, []string{"refunded, not replaced"}, nil)
	if res := desk.post("/returns/"+id+"/step", url.Values{"status": {"refunded"}, "refund_amount": {"1999.00"}}); res.status != http.StatusSeeOther {
		t.Fatalf("refund: %d", res.status)
	}
	expect(t, "the refunded return", desk.get("/returns/"+id), http.StatusOK, []string{`data-status="refunded"`, "1999.00"}, nil)
	expect(t, "the customer sees the refund", alice.get("/portal/requests/"+number), http.StatusOK,
		[]string{`data-status="refunded"`, "1999.00", "The return is refunded"}, nil)
}
