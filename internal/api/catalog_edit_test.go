package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
)

// TestCatalogEditAPI: PATCH changes only what is sent; a model with units
// and a category with a subcategory refuse DELETE with a 409 problem that
// says what refers to them; a bad value is a 422 naming the field; an
// unused model is removed (204, then 404). On both stores.
func TestCatalogEditAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		var used api.Product
		var list struct{ Items []api.Product }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/products", f.agent, nil).JSON(t, &list)
		for _, p := range list.Items {
			if p.SKU == "WM-100" {
				used = p
			}
		}
		if used.ID == 0 {
			t.Fatalf("WM-100 not among %+v", list.Items)
		}
		path := "/api/v1/products/" + itoa(used.ID)
		var got api.Product
		f.mustStatus(t, http.StatusOK, "PATCH", path, f.manager, map[string]any{"brand": "Acme Pro", "warranty_months": 36}).JSON(t, &got)
		if got.Brand != "Acme Pro" || got.WarrantyMonths != 36 || got.Name != used.Name || got.SKU != "WM-100" {
			t.Errorf("after PATCH: %+v, want only brand and months changed", got)
		}
		p := decodeProblem(t, f.mustStatus(t, http.StatusUnprocessableEntity, "PATCH", path, f.manager, map[string]any{"name": " "}))
		if !strings.Contains(strings.Join(p.locations(), " "), "name") {
			t.Errorf("blank name: locations %v, want body.name", p.locations())
		}
		p = decodeProblem(t, f.mustStatus(t, http.StatusConflict, "DELETE", path, f.admin, nil))
		if !strings.Contains(p.Detail, "无法删除 Washer 100：有 2 台设备") { // the API answers in zh-CN unless asked otherwise
			t.Errorf("DELETE of a model with units: %+v", p)
		}
		f.mustStatus(t, http.StatusForbidden, "DELETE", path, f.agent, nil)

		var spare api.Product
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/products", f.manager, map[string]any{"sku": "GONE-1", "name": "Gone", "warranty_months": 6}).JSON(t, &spare)
		f.mustStatus(t, http.StatusNoContent, "DELETE", "/api/v1/products/"+itoa(spare.ID), f.manager, nil)
		f.mustStatus(t, http.StatusNotFound, "DELETE", "/api/v1/products/"+itoa(spare.ID), f.manager, nil)

		var top, kid api.Category
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/categories", f.manager, map[string]any{"name_zh": "电器", "name_en": "Appliances"}).JSON(t, &top)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/categories", f.manager, map[string]any{"name_zh": "水壶", "name_en": "Kettles", "parent_id": top.ID}).JSON(t, &kid)
		p = decodeProblem(t, f.mustStatus(t, http.StatusUnprocessableEntity, "PATCH", "/api/v1/categories/"+itoa(top.ID), f.manager, map[string]any{"parent_id": kid.ID}))
		if !strings.Contains(strings.Join(p.locations(), " "), "parent_id") {
			t.Errorf("a category under its child: %+v, want parent_id named", p)
		}
		p = decodeProblem(t, f.mustStatus(t, http.StatusConflict, "DELETE", "/api/v1/categories/"+itoa(top.ID), f.manager, nil))
		if !strings.Contains(p.Detail, "有 1 个子类别") {
			t.Errorf("DELETE of a category with a subcategory: %+v", p)
		}
		var moved api.Category
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/categories/"+itoa(kid.ID), f.manager, map[string]any{"parent_id": 0, "name_en": "Electric kettles"}).JSON(t, &moved)
		if moved.ParentID != nil || moved.NameEn != "Electric kettles" || moved.NameZh != "水壶" {
			t.Errorf("moved to the top: %+v", moved)
		}
		f.mustStatus(t, http.StatusNoContent, "DELETE", "/api/v1/categories/"+itoa(top.ID), f.manager, nil)
	})
}
