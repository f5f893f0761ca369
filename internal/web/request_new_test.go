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
		[]string{"No customer with this e-mail or mobile number", "Dryer makes a loud noise", "Since Monday."}, nil)
	form.Set("customer", "138-0000-0001") // Alice's mobile, typed with dashes
	form.Set("subject", " ")
	expect(t, "no subject", c.post("/requests/new", form), http.StatusUnprocessableEntity, []string{"Since Monday."}, nil)
	form.Set("subject", "Dryer makes a loud noise")
	form.Set("serial", "NOPE-1")
	expect(t, "unknown serial", c.post("/requests/new", form), http.StatusUnprocessableEntity, []string{"NOPE-1"}, nil)
	form.Del("serial")

	res := c.post("/requests/new", form)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/requests/SR-") {
		t.Fatalf("create: %d %s\n%s", res.status, res.location, res.body)
	}
	page := c.get(res.location)
	expect(t, "created", page, http.StatusOK, []string{"Dryer makes a loud noise", "Alice Chen", "Phone"}, nil)

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
	expect(t, "zh form", zh.get("/requests/new"), http.StatusOK, []string{"为客户新建工单", "来源渠道"}, nil)
}
