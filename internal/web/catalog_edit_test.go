package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// TestCatalogEdit: a manager changes a product model (an empty name is
// named beside its field and the rest stays as typed), is told in a
// sentence why a model with a unit cannot be removed, removes an unused
// one after ticking the box; renames a category, cannot put it under its
// own child, and cannot remove one that has a subcategory, removes the
// subcategory once the box is ticked (not before). In both languages; an agent sees no Change link and may not open the form.
func TestCatalogEdit(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	used := &model.Product{SKU: "ED-KETTLE", Name: "Kettle", WarrantyMonths: 12}
	spare := &model.Product{SKU: "ED-TOAST", Name: "Toaster", WarrantyMonths: 12}
	for _, p := range []*model.Product{used, spare} {
		if err := f.m.Store.CreateProduct(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.m.Store.CreateUnit(ctx, &model.Unit{Serial: "ED-KETTLE-1", SKU: "ED-KETTLE", CustomerID: f.alice.ID,
		PurchasedAt: time.Now().AddDate(0, -2, 0)}); err != nil {
		t.Fatal(err)
	}
	top := &model.Category{NameZh: "电器", NameEn: "Appliances"}
	if err := f.m.Store.CreateCategory(ctx, top); err != nil {
		t.Fatal(err)
	}
	kid := &model.Category{ParentID: &top.ID, NameZh: "水壶", NameEn: "Kettles"}
	if err := f.m.Store.CreateCategory(ctx, kid); err != nil {
		t.Fatal(err)
	}
	words := map[string][]string{
		"en":    {"Change", "Kettle cannot be removed: 1 units", "Tick the box", "This category cannot be removed: 1 subcategories", "under itself"},
		"zh-CN": {"修改", "无法删除 Kettle：有 1 台设备", "请勾选确认", "无法删除此类别：有 1 个子类别", "不能放在它自己"},
	}
	for i, lang := range []string{"en", "zh-CN"} {
		w := words[lang]
		mgr := staffClient(t, f, model.RoleManager, "editor-"+lang+"@example.com", lang, nil)
		expect(t, lang+" list", mgr.get("/admin/catalog"), http.StatusOK, []string{`href="/admin/products/` + itoa(used.ID) + `/edit"`,
			`href="/admin/categories/` + itoa(kid.ID) + `/edit"`, w[0]}, nil)
		edit := "/admin/products/" + itoa(used.ID)
		expect(t, lang+" form", mgr.get(edit+"/edit"), http.StatusOK, []string{`value="Kettle"`, "ED-KETTLE"}, nil)
		res := mgr.post(edit, url.Values{"name": {""}, "brand": {"Brew " + lang}, "warranty_months": {"30"}, "covers_parts": {"on"}})
		expect(t, lang+" empty name", res, http.StatusUnprocessableEntity, []string{`value="Brew ` + lang + `"`, `value="30"`, `aria-invalid="true"`}, nil)
		if p, _ := f.m.Store.ProductByID(ctx, used.ID); p.Brand != "" && i == 0 {
			t.Errorf("a refused change saved the brand %q", p.Brand)
		}
		if res := mgr.post(edit, url.Values{"name": {"Kettle"}, "brand": {"Brew"}, "warranty_months": {"30"}, "covers_parts": {"on"}}); res.status != http.StatusSeeOther {
			t.Fatalf("%s save: %d %s", lang, res.status, res.body)
		}
		if p, err := f.m.Store.WarrantyPolicy(ctx, used.ID); err != nil || p.Months != 30 || !p.CoversParts || p.CoversLabour {
			t.Errorf("%s policy after the change: %+v %v", lang, p, err)
		}
		expect(t, lang+" unconfirmed", mgr.post(edit+"/delete", url.Values{}), http.StatusUnprocessableEntity, []string{w[2]}, nil)
		expect(t, lang+" in use", mgr.post(edit+"/delete", url.Values{"confirm": {"on"}}), http.StatusConflict, []string{w[1]}, nil)

		cat := "/admin/categories/" + itoa(top.ID)
		res = mgr.post(cat, url.Values{"parent_id": {itoa(kid.ID)}, "name_zh": {"家电"}, "name_en": {"Home " + lang}})
		expect(t, lang+" under its child", res, http.StatusUnprocessableEntity, []string{w[4], `value="Home ` + lang + `"`, `aria-invalid="true"`}, nil)
		expect(t, lang+" category in use", mgr.post(cat+"/delete", url.Values{"confirm": {"on"}}), http.StatusConflict, []string{w[3]}, nil)
		if res := mgr.post(cat, url.Values{"name_zh": {"家电"}, "name_en": {"Home appliances"}}); res.status != http.StatusSeeOther {
			t.Fatalf("%s rename: %d %s", lang, res.status, res.body)
		}
	}
	mgr := staffClient(t, f, model.RoleManager, "remover@example.com", "en", nil)
	if res := mgr.post("/admin/products/"+itoa(spare.ID)+"/delete", url.Values{"confirm": {"on"}}); res.status != http.StatusSeeOther {
		t.Fatalf("remove the unused model: %d %s", res.status, res.body)
	}
	expect(t, "removed", mgr.get("/admin/catalog"), http.StatusOK, []string{"Product model removed."}, []string{"ED-TOAST"})
	sub := "/admin/categories/" + itoa(kid.ID)
	expect(t, "category unconfirmed", mgr.post(sub+"/delete", url.Values{}), http.StatusUnprocessableEntity, []string{"Tick the box", `value="Kettles"`}, nil)
	if _, err := f.m.Store.CategoryByID(ctx, kid.ID); err != nil {
		t.Fatalf("an unconfirmed removal removed the category: %v", err)
	}
	if res := mgr.post(sub+"/delete", url.Values{"confirm": {"on"}}); res.status != http.StatusSeeOther || res.location != "/admin/catalog#categories" {
		t.Fatalf("remove the subcategory: %d to %q %s", res.status, res.location, res.body)
	}
	expect(t, "category removed", mgr.get("/admin/catalog"), http.StatusOK, []string{"Category removed."}, []string{"Kettles"})
	if c, err := f.m.Store.CategoryByID(ctx, top.ID); err != nil || c.NameEn != "Home appliances" || c.ParentID != nil {
		t.Errorf("the renamed category: %+v %v", c, err)
	}

	agent := staffClient(t, f, model.RoleAgent, "reader@example.com", "en", nil)
	expect(t, "agent list", agent.get("/admin/catalog"), http.StatusOK, []string{"ED-KETTLE"}, []string{"/edit\""})
	expect(t, "agent form", agent.get("/admin/products/"+itoa(used.ID)+"/edit"), http.StatusForbidden, nil, nil)
}
