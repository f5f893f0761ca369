package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestCatalogAdmin: a manager adds a product model with its warranty
// (every empty field flagged at once, a taken SKU beside its field, what
// was typed kept) and a category under another; an agent reads the page
// without the forms and may not post them. In both languages.
func TestCatalogAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	mgr := staffClient(t, f, model.RoleManager, "lead@example.com", "en", nil)
	expect(t, "empty", mgr.get("/admin/catalog"), http.StatusOK, []string{"No product models yet", "No categories yet",
		`action="/admin/products"`, `action="/admin/categories"`, `href="/admin/catalog"`}, nil)

	res := mgr.post("/admin/products", url.Values{"sku": {""}, "name": {""}, "warranty_months": {""}, "brand": {"Acme"}})
	expect(t, "all empty", res, http.StatusUnprocessableEntity, []string{`value="Acme"`}, nil)
	if n := strings.Count(res.body, `aria-invalid="true"`); n != 3 {
		t.Errorf("empty product: %d fields flagged, want 3 (SKU, name, warranty)", n)
	}
	good := url.Values{"sku": {"WM-100"}, "name": {"Washer 100"}, "brand": {"Acme"}, "category": {"washer"},
		"warranty_months": {"24"}, "covers_parts": {"on"}, "covers_labour": {"on"}}
	if res := mgr.post("/admin/products", good); res.status != http.StatusSeeOther {
		t.Fatalf("add product: %d %s", res.status, res.body)
	}
	expect(t, "added", mgr.get("/admin/catalog"), http.StatusOK, []string{"Product model added.", "WM-100", "Washer 100", "24 months"}, nil)
	prod, err := f.m.Store.ProductBySKU(ctx, "WM-100")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := f.m.Store.WarrantyPolicy(ctx, prod.ID); err != nil || p.Months != 24 || !p.CoversParts || p.CoversShipping {
		t.Errorf("policy: %+v, %v; want 24 months, parts and labour only", p, err)
	}
	res = mgr.post("/admin/products", good)
	expect(t, "taken SKU", res, http.StatusConflict, []string{`value="Washer 100"`, `aria-invalid="true"`}, nil)
	good.Set("warranty_months", "300")
	good.Set("sku", "WM-300")
	expect(t, "too long", mgr.post("/admin/products", good), http.StatusUnprocessableEntity, []string{`value="300"`, `aria-invalid="true"`}, nil)

	expect(t, "empty category", mgr.post("/admin/categories", url.Values{"name_zh": {""}, "name_en": {""}}), http.StatusUnprocessableEntity, nil, nil)
	if res := mgr.post("/admin/categories", url.Values{"name_zh": {"洗衣机"}, "name_en": {"Washers"}}); res.status != http.StatusSeeOther {
		t.Fatalf("add category: %d %s", res.status, res.body)
	}
	cs, err := f.m.Store.ListCategories(ctx)
	if err != nil || len(cs) != 1 {
		t.Fatalf("categories: %v, %v", cs, err)
	}
	if res := mgr.post("/admin/categories", url.Values{"parent_id": {itoa(cs[0].ID)}, "name_zh": {"不脱水"}, "name_en": {"Does not spin"}}); res.status != http.StatusSeeOther {
		t.Fatalf("add child: %d %s", res.status, res.body)
	}
	expect(t, "tree", mgr.get("/admin/catalog"), http.StatusOK, []string{"洗衣机", "— <span lang=\"zh-CN\">不脱水"}, nil)
	expect(t, "unknown parent", mgr.post("/admin/categories", url.Values{"parent_id": {"999999"}, "name_zh": {"x"}, "name_en": {"x"}}),
		http.StatusUnprocessableEntity, []string{`aria-invalid="true"`, `value="x"`}, nil)

	agent := staffClient(t, f, model.RoleAgent, "desk@example.com", "zh-CN", nil)
	expect(t, "agent reads", agent.get("/admin/catalog"), http.StatusOK, []string{"产品与类别", "WM-100", "洗衣机"},
		[]string{`action="/admin/products"`, `action="/admin/categories"`})
	expect(t, "agent adds", agent.post("/admin/products", url.Values{"sku": {"X"}, "name": {"X"}, "warranty_months": {"1"}}), http.StatusForbidden, nil, nil)
}
