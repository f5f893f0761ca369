package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// TestCustomerPages: the desk finds, adds and changes customers and
// registers their products from the UI; a bad or taken field comes back
// next to the field with what was typed, and saves nothing; the customer
// page shows the products with their warranty and the requests; a
// technician reads it but gets no forms.
func TestCustomerPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin}
	if _, err := f.m.Catalog.CreateProduct(ctx, admin, catalog.ProductInput{SKU: "CAM-1", Name: "Lumix Camera", Category: "camera", WarrantyMonths: 12}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, "en")
	c.loginStaff()

	// Search.
	res := c.get("/admin/customers?q=alice")
	expect(t, "search", res, http.StatusOK, []string{"Alice Chen"}, []string{"Bob Li"})
	res = c.get("/admin/customers?q=nobody-like-this")
	expect(t, "search, no match", res, http.StatusOK, []string{"No customer", "contains “nobody-like-this”"}, nil)

	// A bad number: the message next to the field, the name kept, nothing saved.
	res = c.post("/admin/customers/new", url.Values{"name": {"Carol Wu"}, "phone": {"call me"}, "locale": {"en"}})
	expect(t, "bad phone", res, http.StatusUnprocessableEntity, []string{`value="Carol Wu"`, `value="call me"`, `aria-invalid="true"`}, nil)
	if n := countCustomers(t, f); n != 2 {
		t.Fatalf("after a refused form: %d customers, want 2", n)
	}
	// A number another customer has.
	res = c.post("/admin/customers/new", url.Values{"name": {"Carol Wu"}, "phone": {"138 0000 0001"}, "locale": {"en"}})
	expect(t, "taken phone", res, http.StatusConflict, []string{`value="Carol Wu"`, `value="138 0000 0001"`}, nil)

	res = c.post("/admin/customers/new", url.Values{"name": {"Carol Wu"}, "phone": {"+86 139 0000 0007"}, "locale": {"zh-CN"}, "city": {"Hangzhou"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/customers/") {
		t.Fatalf("create: got %d → %q\n%.2000s", res.status, res.location, res.body)
	}
	page := res.location
	res = c.get(page)
	expect(t, "new customer's page", res, http.StatusOK, []string{"Customer added.", "Carol Wu", "13900000007", "Hangzhou",
		"No products registered for this customer yet.", "This customer has not made a request yet."}, nil)

	// Unchanged details: no "saved"; changed: saved.
	edit := url.Values{"name": {"Carol Wu"}, "phone": {"+8613900000007"}, "locale": {"zh-CN"}, "city": {"Hangzhou"}}
	res = c.post(page+"/edit", edit)
	if res.status != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.status)
	}
	expect(t, "unchanged", c.get(page), http.StatusOK, []string{"Nothing was changed."}, []string{"Customer details saved."})
	edit.Set("email", "carol@example.com")
	c.post(page+"/edit", edit)
	expect(t, "changed", c.get(page), http.StatusOK, []string{"Customer details saved.", "carol@example.com"}, nil)
	edit.Set("email", "alice@example.com")
	res = c.post(page+"/edit", edit)
	expect(t, "taken e-mail", res, http.StatusConflict, []string{`value="alice@example.com"`}, nil)
	expect(t, "after the refused edit", c.get(page), http.StatusOK, []string{"carol@example.com"}, nil)

	// A product, registered from the page, with its warranty.
	bought := time.Now().AddDate(0, -1, 0).Format("2006-01-02")
	res = c.post(page+"/units", url.Values{"serial": {""}, "sku": {"CAM-1"}, "purchased_at": {bought}})
	expect(t, "unit without serial", res, http.StatusUnprocessableEntity, []string{`<details open>`, `aria-invalid="true"`, `value="CAM-1" selected`}, nil)
	res = c.post(page+"/units", url.Values{"serial": {"SN-CAROL-1"}, "sku": {"CAM-1"}, "purchased_at": {bought}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("register unit: %d\n%.2000s", res.status, res.body)
	}
	expect(t, "with a unit", c.get(page), http.StatusOK, []string{"Product registered.", "SN-CAROL-1", "In warranty until"}, nil)

	// Alice's page lists her request.
	expect(t, "alice", c.get("/admin/customers/"+itoa(f.alice.ID)), http.StatusOK, []string{f.aliceReq.Number, "Lens error on power-up"}, nil)

	// A technician reads but may not change.
	hash, _ := auth.HashPassword(password)
	if err := f.m.Store.CreateUser(ctx, &model.User{Email: "tech@example.com", Name: "Tech", Role: model.RoleTechnician, PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	tc := newClient(t, f.m, "en")
	if res := tc.post("/login", url.Values{"login": {"tech@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("tech login: %d", res.status)
	}
	expect(t, "technician", tc.get(page), http.StatusOK, []string{"Carol Wu"}, []string{"/edit\"", "/units\"", "New customer"})
	expect(t, "technician's list", tc.get("/admin/customers"), http.StatusOK, []string{"Carol Wu"}, []string{"/admin/customers/new"})
}

func countCustomers(t *testing.T, f *fixture) int {
	t.Helper()
	var n int
	if err := f.m.Store.Read().QueryRow(context.Background(), "SELECT count(*) FROM customers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCustomerFormEveryField: the customer form flags every bad field at
// once, each with its own sentence in the reader's language next to the
// field, keeps what was typed and saves nothing, on a new customer and on
// an edit.
func TestCustomerFormEveryField(t *testing.T) {
	f := newFixture(t)
	bad := url.Values{"name": {" "}, "email": {"alice at example"}, "phone": {"call me"}, "locale": {"en"},
		"city": {strings.Repeat("杭", 101)}}
	want := map[string][]string{
		"en": {"Enter the customer&#39;s name.", "Enter a valid e-mail address, such as name@example.com.",
			"Enter a valid mobile number, such as 138 0013 8000", "The city is too long: keep it to 100 characters or fewer."},
		"zh-CN": {"请填写客户姓名。", "请填写有效的电子邮件地址，例如 name@example.com。", "请填写有效的手机号码，例如 138 0013 8000",
			"城市名称太长了，请不要超过 100 个字。"},
	}
	n := countCustomers(t, f)
	for lang, msgs := range want {
		c := newClient(t, f.m, lang)
		c.loginStaff()
		for _, path := range []string{"/admin/customers/new", "/admin/customers/" + itoa(f.alice.ID) + "/edit"} {
			res := c.post(path, bad)
			expect(t, lang+" "+path, res, http.StatusUnprocessableEntity,
				append([]string{`value="alice at example"`, `value="call me"`, `value="` + strings.Repeat("杭", 101) + `"`}, msgs...),
				[]string{`class="alert error"`})
			if got := strings.Count(res.body, `aria-invalid="true"`); got != 4 {
				t.Errorf("%s %s: %d fields flagged, want 4 (name, e-mail, phone, city)", lang, path, got)
			}
		}
	}
	if got := countCustomers(t, f); got != n {
		t.Errorf("after the refused forms: %d customers, want %d", got, n)
	}
	// Registering a product on the customer's page: every bad field at once.
	c := newClient(t, f.m, "en")
	c.loginStaff()
	res := c.post("/admin/customers/"+itoa(f.alice.ID)+"/units", url.Values{"serial": {""}, "sku": {""}, "purchased_at": {"last spring"}})
	expect(t, "unit form", res, http.StatusUnprocessableEntity, []string{"Enter the serial number printed on the product.",
		"Choose the product model.", "Enter the purchase date, such as 2026-03-01.", `value="last spring"`}, nil)
	if c, err := f.m.Store.CustomerByID(context.Background(), f.alice.ID); err != nil || c.Name != "Alice Chen" || c.Email != "alice@example.com" {
		t.Errorf("after a refused edit: %+v, %v; want Alice unchanged", c, err)
	}
}
