package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestStaffOpensRequestForCustomer(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	expect(t, "form", c.get("/requests/new?customer=13800000001"), http.StatusOK,
		[]string{"New request for a customer", `value="13800000001"`, `<option value="phone" selected>`}, nil)

	// Unknown customer, missing subject: the form comes back with what was typed.
	form := url.Values{"customer": {"nobody@example.com"}, "channel": {"phone"}, "type": {"repair"}, "priority": {"high"},
		"subject": {"Dryer makes a loud noise"}, "description": {"Since Monday."}}
	expect(t, "unknown customer", c.post("/requests/new", form), http.StatusUnprocessableEntity,
		[]string{"No customer has this mobile number or e-mail yet", "Dryer makes a loud noise", "Since Monday.",
			`href="/admin/customers/new?email=nobody%40example.com"`}, nil)
	// Every empty field is flagged at once.
	empty := url.Values{"channel": {"phone"}, "type": {"repair"}, "priority": {"high"}, "description": {"Since Monday."}}
	res := c.post("/requests/new", empty)
	if n := strings.Count(res.body, `class="field-error"`); res.status != http.StatusUnprocessableEntity || n != 2 {
		t.Errorf("no customer, no subject: got %d with %d field messages, want 422 with 2\n%.3000s", res.status, n, res.body)
	}
	// A number as a caller gives it, with the country code, finds Alice.
	plus := url.Values{"customer": {"+86 138 0000 0001"}, "channel": {"phone"}, "type": {"inquiry"}, "priority": {"normal"},
		"subject": {"Where is my invoice?"}}
	if res := c.post("/requests/new", plus); res.status != http.StatusSeeOther {
		t.Errorf("+86 number: got %d, want the request created\n%.3000s", res.status, res.body)
	}
	form.Set("customer", "138-0000-0001") // Alice's mobile, typed with dashes
	form.Set("subject", " ")
	expect(t, "no subject", c.post("/requests/new", form), http.StatusUnprocessableEntity, []string{"Since Monday."}, nil)
	form.Set("subject", "Dryer makes a loud noise")
	form.Set("serial", "NOPE-1")
	expect(t, "unknown serial", c.post("/requests/new", form), http.StatusUnprocessableEntity, []string{"NOPE-1"}, nil)
	form.Del("serial")

	res = c.post("/requests/new", form)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/requests/SR-") {
		t.Fatalf("create: %d %s\n%s", res.status, res.location, res.body)
	}
	page := c.get(res.location)
	expect(t, "created", page, http.StatusOK, []string{"Dryer makes a loud noise", "Alice Chen", "Phone"}, nil)
	// The agent who logged the call has it.
	num := strings.TrimPrefix(res.location, "/requests/")
	if r, err := f.m.Store.RequestByNumber(t.Context(), num); err != nil || r.AssigneeID == nil || *r.AssigneeID != f.agent.ID {
		t.Errorf("assignee of a logged call: got %+v, %v; want the agent %d", r, err, f.agent.ID)
	}

	// The customer sees it in the portal; another customer cannot.
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	expect(t, "alice's portal", alice.get("/portal"), http.StatusOK, []string{"Dryer makes a loud noise"}, nil)
	bob := newClient(t, f.m, "en")
	bob.loginCustomer("bob@example.com")
	expect(t, "bob's portal", bob.get("/portal"), http.StatusOK, nil, []string{"Dryer makes a loud noise"})

	// Customers cannot use the staff form.
	if res := alice.post("/requests/new", form); res.status == http.StatusSeeOther && strings.HasPrefix(res.location, "/requests/SR-") {
		t.Fatal("a customer used the staff form")
	}
	zh := newClient(t, f.m, "zh-CN")
	zh.loginStaff()
	expect(t, "zh form", zh.get("/requests/new"), http.StatusOK, []string{"为客户新建服务单", "来源渠道"}, nil)
}
