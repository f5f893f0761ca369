package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/auth"
)

// TestPhoneOneForm: a mobile number is one number however it is typed.
// Staff save "+86 138-0013-8000" and the customer signs in to the portal
// with 13800138000 (and Alice, saved as 13800000001, with "+86 138 0000
// 0001"); a second customer with the number in another form is refused
// next to the phone field, in either language, with what was typed kept
// and nothing saved; and the queue's search finds Alice's request by her
// number written any way.
func TestPhoneOneForm(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	staff := newClient(t, f.m, "en")
	staff.loginStaff()

	res := staff.post("/admin/customers/new", url.Values{"name": {"Dan Wu"}, "phone": {"+86 138-0013-8000"}, "locale": {"en"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/customers/") {
		t.Fatalf("create: got %d → %q\n%.2000s", res.status, res.location, res.body)
	}
	dan, err := f.m.Store.CustomerByLogin(ctx, "13800138000")
	if err != nil || dan.Phone != "13800138000" {
		t.Fatalf("stored: %+v, %v; want the number as 13800138000", dan, err)
	}
	hash, _ := auth.HashPassword(password)
	if err := f.m.Store.SetCustomerPassword(ctx, dan.ID, hash); err != nil {
		t.Fatal(err)
	}
	newClient(t, f.m, "en").loginCustomer("13800138000")
	newClient(t, f.m, "en").loginCustomer("+86 138 0000 0001")

	n := countCustomers(t, f)
	for lang, msg := range map[string]string{"en": "This mobile number is already used by another customer.", "zh-CN": "这个手机号码已被另一位客户使用。"} {
		c := newClient(t, f.m, lang)
		c.loginStaff()
		res := c.post("/admin/customers/new", url.Values{"name": {"Eve Wu"}, "phone": {"13800138000"}, "locale": {"en"}})
		expect(t, lang+": the number in another form", res, http.StatusConflict,
			[]string{msg, `value="Eve Wu"`, `value="13800138000"`, `aria-invalid="true"`}, nil)
		res = c.post("/admin/customers/new", url.Values{"name": {"Eve Wu"}, "phone": {"+8613800000001"}, "locale": {"en"}})
		expect(t, lang+": Alice's number with +86", res, http.StatusConflict, []string{msg, `value="&#43;8613800000001"`}, nil)
	}
	if got := countCustomers(t, f); got != n {
		t.Errorf("after the refused forms: %d customers, want %d", got, n)
	}

	for _, q := range []string{"13800000001", "+8613800000001", "+86 138 0000 0001", "138-0000-0001"} {
		expect(t, "queue q="+q, staff.get("/queue?q="+url.QueryEscape(q)), http.StatusOK, []string{f.aliceReq.Number}, nil)
	}
}
