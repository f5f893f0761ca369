package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCallFormCaller: logging a call, the agent looks the caller up
// before submitting ("+86 138 0000 0001" finds Alice) and sees who it
// is; an unknown number offers to add the caller right on the form,
// which (after a missing name is flagged) creates the customer and comes
// back with everything typed kept, nothing else saved; the request then
// goes to the new customer. Without JavaScript: plain submit buttons.
func TestCallFormCaller(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := newClient(t, f.m, "en")
	c.loginStaff()
	form := url.Values{"customer": {"+86 138-0000-0001"}, "channel": {"phone"}, "type": {"repair"}, "priority": {"high"},
		"subject": {"Drum stuck"}, "description": {"It stopped mid-cycle."}, "action": {"lookup"}}
	expect(t, "look up", c.post("/requests/new", form), http.StatusOK,
		[]string{"This is:", "Alice Chen", `value="Drum stuck"`, "It stopped mid-cycle.", `value="high" selected`}, []string{"aria-invalid"})

	form.Set("customer", "139 1234 5678")
	res := c.post("/requests/new", form)
	expect(t, "unknown", res, http.StatusOK, []string{"No customer has this mobile number", `name="new_name"`, `value="139 1234 5678"`, `value="Drum stuck"`}, nil)
	form.Set("action", "add_caller")
	expect(t, "no name", c.post("/requests/new", form), http.StatusUnprocessableEntity, []string{`aria-invalid="true"`, `value="Drum stuck"`}, nil)
	if _, err := f.m.Store.CustomerByLogin(ctx, "13912345678"); err == nil {
		t.Fatal("a refused add created the customer")
	}
	form.Set("new_name", "Chen Hao")
	expect(t, "added", c.post("/requests/new", form), http.StatusOK,
		[]string{"Chen Hao is now a customer", `value="Drum stuck"`, "It stopped mid-cycle.", `value="139 1234 5678"`}, []string{`name="new_name"`})
	cust, err := f.m.Store.CustomerByLogin(ctx, "13912345678")
	if err != nil || cust.Name != "Chen Hao" {
		t.Fatalf("new caller: %+v, %v", cust, err)
	}
	if n := countRequests(t, f, cust.ID); n != 0 {
		t.Errorf("adding the caller opened %d requests, want none yet", n)
	}
	form.Del("action")
	res = c.post("/requests/new", form)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/requests/") {
		t.Fatalf("create: %d → %q\n%s", res.status, res.location, res.body)
	}
	if n := countRequests(t, f, cust.ID); n != 1 {
		t.Errorf("requests of the new caller: %d, want 1", n)
	}
}

func countRequests(t *testing.T, f *fixture, customerID int64) int {
	t.Helper()
	var n int
	if err := f.m.Store.Read().QueryRow(context.Background(), "SELECT COUNT(*) FROM requests WHERE customer_id = $1", customerID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
