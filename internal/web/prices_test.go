package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestPricePages: a manager adds a fault code in both languages and a
// labour price (a bad amount or a missing name comes back as typed, with
// the message beside the field); a technician reads the list without the
// forms and may not post to them.
func TestPricePages(t *testing.T) {
	f := newFixture(t)
	newNetwork(t, f)
	mgr := staffClient(t, f, model.RoleManager, "mgr@example.com", "en", nil)
	res := mgr.post("/admin/prices/fault-codes", url.Values{"category": {"camera"}, "code": {"CAM-LENS"}, "name_zh": {"镜头故障"}})
	expect(t, "a missing English name", res, http.StatusUnprocessableEntity, []string{`value="镜头故障"`, `value="CAM-LENS"`, `aria-invalid="true"`}, nil)
	if res := mgr.post("/admin/prices/fault-codes", url.Values{"category": {"camera"}, "code": {"CAM-LENS"}, "name_zh": {"镜头故障"},
		"name_en": {"Lens barrel error"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save the fault code: %d", res.status)
	}
	expect(t, "a bad price", mgr.post("/admin/prices/labour", url.Values{"code": {"bench"}, "category": {"camera"}, "name": {"Bench repair"},
		"price": {"12x"}}), http.StatusUnprocessableEntity, []string{`value="12x"`, `value="Bench repair"`}, nil)
	if res := mgr.post("/admin/prices/labour", url.Values{"code": {"bench"}, "category": {"camera"}, "name": {"Bench repair"},
		"price": {"180.00"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save the price: %d", res.status)
	}
	if res := mgr.post("/admin/prices/return-policies", url.Values{"category": {"camera"}, "return_days": {"10"}, "exchange_days": {"20"},
		"outside_window": {"review"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save the policy: %d", res.status)
	}
	tech := staffClient(t, f, model.RoleTechnician, "tech@example.com", "en", nil)
	expect(t, "the technician's view", tech.get("/admin/prices"), http.StatusOK,
		[]string{"CAM-LENS", "镜头故障", "Lens barrel error", "Bench repair", "180.00 CNY", "Send to an agent"},
		[]string{`action="/admin/prices/labour"`, `action="/admin/prices/fault-codes"`})
	if res := tech.post("/admin/prices/labour", url.Values{"code": {"x"}, "name": {"x"}, "price": {"1"}}); res.status != http.StatusForbidden {
		t.Errorf("a technician saving a price: %d, want 403", res.status)
	}
	if got, err := f.m.Store.LabourPrice(t.Context(), "bench", "camera"); err != nil || got.Price != 18000 {
		t.Errorf("stored price: %+v, %v; want 18000 minor units", got, err)
	}
}
