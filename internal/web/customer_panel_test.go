package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
)

// TestRequestCustomerPanel: the staff request page shows the customer's
// contact data, products by name with their warranty, other requests
// (with "all N requests" to the customer page), open repairs and ratings,
// each with its link, in both languages; nothing of another customer's;
// a customer with none of these gets a sentence for each. The customer
// page names the products too.
func TestRequestCustomerPanel(t *testing.T) {
	f := newFixture(t)
	net := newNetwork(t, f) // Alice owns SN-ALICE-CAM, a "Camera" bought a month ago
	ctx := context.Background()
	b := bundle(t)
	rp, err := f.m.Repairs.Open(ctx, f.agent, f.aliceReq.Number, repair.OpenInput{Mode: model.ModeInStore, Centre: net.centre.Code})
	if err != nil {
		t.Fatal(err)
	}
	rate(t, f, f.aliceReq.ID, f.alice.ID, 4, "Quick and friendly")
	now, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeRepair, Subject: "Flash does not fire"})
	if err != nil {
		t.Fatal(err)
	}
	// Bob's product, rating and request must not show on Alice's page.
	if _, err := f.m.Catalog.CreateProduct(ctx, net.admin, catalog.ProductInput{SKU: "BLEND-1", Name: "Power Blender", Category: "kitchen", WarrantyMonths: 24}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Catalog.CreateUnit(ctx, net.admin, catalog.UnitInput{Serial: "SN-BOB-BLEND", SKU: "BLEND-1", CustomerID: f.bob.ID,
		PurchasedAt: time.Now().AddDate(-3, 0, 0).Format(time.DateOnly)}); err != nil {
		t.Fatal(err)
	}
	rate(t, f, f.bobReq.ID, f.bob.ID, 1, "Bob was unhappy")
	ent, err := f.m.Catalog.Entitlement(ctx, net.admin, net.serial)
	if err != nil {
		t.Fatal(err)
	}
	alicePage := "/admin/customers/" + itoa(f.alice.ID)
	for _, lang := range []string{"en", "zh-CN"} {
		c := newClient(t, f.m, lang)
		c.loginStaff()
		res := c.get("/requests/" + now.Number)
		panel := section(t, res.body, `id="customer-panel"`)
		expect(t, lang+": Alice's panel", response{status: res.status, body: panel}, http.StatusOK, []string{
			`href="` + alicePage + `"`, "Alice Chen", "13800000001", "alice@example.com",
			`Camera</strong> <a class="mono meta" href="/units/SN-ALICE-CAM"`, html.EscapeString(b.T(lang, "warranty.in", ent.CoveredUntil.Format("2006-01-02"))),
			`href="/requests/` + f.aliceReq.Number + `"`, "Lens error on power-up",
			`href="` + alicePage + `#requests"`, html.EscapeString(b.T(lang, "panel.all_requests", 2)),
			fmt.Sprintf(`href="/repairs/%d"`, rp.ID), html.EscapeString(b.T(lang, "customer.csat", 4)), "Quick and friendly",
		}, []string{
			"Bob Li", "bob@example.com", f.bobReq.Number, "Return my blender", "Power Blender", "SN-BOB-BLEND", "Bob was unhappy",
			`href="/requests/` + now.Number + `"`, // the request itself is not an "other" request
			html.EscapeString(b.T(lang, "panel.no_other_requests")), html.EscapeString(b.T(lang, "customer.no_units")),
			html.EscapeString(b.T(lang, "customer.no_repairs")), html.EscapeString(b.T(lang, "customer.no_ratings")),
		})

		// Bob has a product and a rating but no other request and no repair.
		res = c.get("/requests/" + f.bobReq.Number)
		panel = section(t, res.body, `id="customer-panel"`)
		expect(t, lang+": Bob's panel", response{status: res.status, body: panel}, http.StatusOK, []string{
			`Power Blender</strong> <a class="mono meta" href="/units/SN-BOB-BLEND"`, "Bob was unhappy", html.EscapeString(b.T(lang, "panel.no_other_requests")), html.EscapeString(b.T(lang, "customer.no_repairs")),
		}, []string{"Alice Chen", "alice@example.com", "Camera", "SN-ALICE-CAM", f.aliceReq.Number, "Quick and friendly", "#requests\""})

		// The customer page names the product, with its serial.
		expect(t, lang+": customer page", c.get(alicePage), http.StatusOK, []string{`Camera</strong> <a class="mono" href="/units/SN-ALICE-CAM"`}, nil)
	}

	// A customer with nothing yet: a sentence for each part.
	carol := &model.Customer{Name: "Carol Wu", Phone: "13800000003"}
	if err := f.m.Store.CreateCustomer(ctx, carol); err != nil {
		t.Fatal(err)
	}
	first, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeInquiry, Subject: "Opening hours", CustomerID: carol.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "zh-CN"} {
		c := newClient(t, f.m, lang)
		c.loginStaff()
		res := c.get("/requests/" + first.Number)
		var want []string
		for _, key := range []string{"customer.no_units", "panel.no_other_requests", "customer.no_repairs", "customer.no_ratings"} {
			s := b.T(lang, key)
			if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "。") {
				t.Errorf("%s: %s = %q is not a sentence", lang, key, s)
			}
			want = append(want, html.EscapeString(s))
		}
		expect(t, lang+": empty panel", response{status: res.status, body: section(t, res.body, `id="customer-panel"`)}, http.StatusOK, want, nil)
	}
}

// TestCustomerPanelRoles: the panel follows the customer page's rule
// (customer.read): the technician and the centre manager, who may open
// the customer page, get the panel and its link on the request page.
func TestCustomerPanelRoles(t *testing.T) {
	f := newFixture(t)
	for _, role := range []model.Role{model.RoleTechnician, model.RoleCentreManager} {
		c := staffClient(t, f, role, string(role)+"@example.com", "en", nil)
		page := "/admin/customers/" + itoa(f.alice.ID)
		expect(t, string(role)+": customer page", c.get(page), http.StatusOK, []string{"Alice Chen"}, nil)
		expect(t, string(role)+": request page", c.get("/requests/"+f.aliceReq.Number), http.StatusOK,
			[]string{`id="customer-panel"`, `href="` + page + `"`}, nil)
	}
}

// section returns the HTML element that opens with marker, up to its
// </section>; it fails the test when there is none.
func section(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Errorf("no %s on the page", marker)
		return ""
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// rate records customer's survey answer on request with csat and comment.
func rate(t *testing.T, f *fixture, requestID, customerID int64, csat int, comment string) {
	t.Helper()
	err := f.m.Store.Tx(context.Background(), func(q store.Querier) error {
		_, err := q.Exec(context.Background(), `INSERT INTO survey_responses (request_id, customer_id, channel,
			request_type, template_version, csat, comment, answered_at) VALUES ($1, $2, 'web', 'repair', 1, $3, $4, $5)`,
			requestID, customerID, csat, comment, f.m.Store.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
