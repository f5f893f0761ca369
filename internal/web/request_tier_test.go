package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestRequestCustomerTier sets the customer's tier from the request page:
// an admin picks it (both languages), every staff member sees it, only
// admins and managers get the select; an unknown tier comes back with the
// error beside the select and the reply kept; an empty choice removes
// the tier.
func TestRequestCustomerTier(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin}
	for _, tier := range []model.Tier{{Key: "basic", Name: "Basic", NameZH: "基础", Position: 1},
		{Key: "premium", Name: "Premium", NameZH: "尊享", Position: 2}} {
		if _, err := f.m.SLA.SaveTier(ctx, admin, tier); err != nil {
			t.Fatal(err)
		}
	}
	a := f.aliceReq.Number
	en := loginAdmin(t, f, "en")
	expect(t, "no tier yet", en.get("/requests/"+a), http.StatusOK,
		[]string{"Service tier", "No tier", `id="tier-select"`, `<option value="premium">Premium</option>`, `formaction="/requests/` + a + `/customer-tier"`}, nil)
	res := en.post("/requests/"+a+"/customer-tier", url.Values{"tier": {"premium"}, "body": {"half-typed reply"}})
	if res.status != http.StatusSeeOther || res.location != "/requests/"+a {
		t.Fatalf("set tier: got %d → %q, want 303 → /requests/%s\n%.2000s", res.status, res.location, a, res.body)
	}
	if got, err := f.m.Store.CustomerTier(ctx, nil, f.aliceReq.CustomerID); err != nil || got != "premium" {
		t.Fatalf("stored tier: got %q, %v; want premium", got, err)
	}
	expect(t, "premium", en.get("/requests/"+a), http.StatusOK,
		[]string{`<option value="premium" selected>Premium</option>`, "half-typed reply"}, nil)
	zh := loginAdmin(t, f, "zh-CN")
	expect(t, "in Chinese", zh.get("/requests/"+a), http.StatusOK, []string{"服务等级", "尊享", "设置等级"}, nil)

	res = en.post("/requests/"+a+"/customer-tier", url.Values{"tier": {"platinum"}, "body": {"still typing"}})
	expect(t, "unknown tier", res, http.StatusUnprocessableEntity,
		[]string{`id="tier-error"`, "platinum", "still typing"}, nil)
	if got, _ := f.m.Store.CustomerTier(ctx, nil, f.aliceReq.CustomerID); got != "premium" {
		t.Errorf("after the refused tier: stored %q, want premium", got)
	}

	agent := newClient(t, f.m, "en")
	agent.loginStaff()
	expect(t, "agent sees the tier", agent.get("/requests/"+a), http.StatusOK, []string{"Service tier", "Premium"}, []string{`id="tier-select"`})
	if res := agent.post("/requests/"+a+"/customer-tier", url.Values{"tier": {"basic"}}); res.status != http.StatusForbidden {
		t.Errorf("agent sets a tier: got %d, want 403", res.status)
	}
	// Removing the tier.
	if res := en.post("/requests/"+a+"/customer-tier", url.Values{"tier": {""}}); res.status != http.StatusSeeOther {
		t.Fatalf("remove tier: got %d", res.status)
	}
	if got, _ := f.m.Store.CustomerTier(ctx, nil, f.aliceReq.CustomerID); got != "" {
		t.Errorf("after removing: stored %q, want none", got)
	}
}
