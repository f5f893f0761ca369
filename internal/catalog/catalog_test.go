package catalog_test

import (
	"context"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAddMonthsAndEntitle(t *testing.T) {
	for _, c := range []struct {
		bought  string
		months  int
		today   string
		wantEnd string
		inWarr  bool
	}{
		{"2026-03-01", 12, "2026-06-01", "2027-02-28", true},
		{"2026-03-01", 12, "2027-02-28", "2027-02-28", true}, // last day is covered
		{"2026-03-01", 12, "2027-03-01", "2027-02-28", false},
		{"2026-01-31", 1, "2026-02-27", "2026-02-27", true}, // Jan 31 + 1 month clamps to Feb 28
		{"2024-02-29", 12, "2025-02-27", "2025-02-27", true},
		{"2025-06-15", 24, "2027-06-15", "2027-06-14", false},
		{"2026-06-15", 0, "2026-06-15", "2026-06-14", false}, // no warranty
	} {
		u := &model.Unit{Serial: "S", PurchasedAt: date(c.bought)}
		pol := &model.WarrantyPolicy{Months: c.months, CoversParts: true, CoversLabour: false, CoversShipping: true}
		e := catalog.Entitle(u, pol, date(c.today))
		if got := e.WarrantyEndsAt.Format(time.DateOnly); got != c.wantEnd || e.InWarranty != c.inWarr {
			t.Errorf("bought %s +%d months, on %s: got end %s in %v, want %s %v", c.bought, c.months, c.today, got, e.InWarranty, c.wantEnd, c.inWarr)
		}
		if e.InWarranty && (e.Covers != model.Coverage{Parts: true, Shipping: true}) {
			t.Errorf("covers: got %+v", e.Covers)
		}
		if !e.InWarranty && (e.Covers != model.Coverage{}) {
			t.Errorf("out of warranty but covers %+v", e.Covers)
		}
	}
}

func TestEntitlementAndValidation(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			// 2026-03-01 00:30 in Shanghai is still 2026-02-28 in UTC: the
			// store's time zone decides "today".
			now := time.Date(2026, 2, 28, 16, 30, 0, 0, time.UTC)
			opts := storetest.Options(t, d)
			st := storetest.OpenWith(t, opts)
			svc := catalog.NewService(st, func() time.Time { return now })
			admin := model.Principal{Kind: model.KindStaff, ID: 1, Role: model.RoleAdmin}
			agent := model.Principal{Kind: model.KindStaff, ID: 2, Role: model.RoleAgent}
			if _, err := svc.CreateProduct(ctx, agent, catalog.ProductInput{SKU: "X", Name: "X", WarrantyMonths: 12}); model.ErrorCode(err) != model.EFORBIDDEN {
				t.Fatalf("agent creating a product: %v", err)
			}
			if _, err := svc.CreateProduct(ctx, admin, catalog.ProductInput{SKU: "", Name: "X"}); model.ErrorCode(err) != model.EINVALID {
				t.Fatalf("missing sku: %v", err)
			}
			if _, err := svc.CreateProduct(ctx, admin, catalog.ProductInput{SKU: "WM-8", Name: "Washer", Brand: "Haier", Category: "appliance", WarrantyMonths: 12}); err != nil {
				t.Fatal(err)
			}
			c, err := svc.CreateCustomer(ctx, agent, catalog.CustomerInput{Name: "李四", Phone: "138-0000-1111"})
			if err != nil || c.Phone != "13800001111" || c.Locale != "zh-CN" {
				t.Fatalf("customer: %+v %v", c, err)
			}
			for _, bad := range []catalog.CustomerInput{{Name: ""}, {Name: "x", Email: "not-an-email"}, {Name: "x", Phone: "12ab"}, {Name: "x", Locale: "fr"}} {
				if _, err := svc.CreateCustomer(ctx, agent, bad); model.ErrorCode(err) != model.EINVALID {
					t.Errorf("customer %+v: got %v, want invalid", bad, err)
				}
			}
			if _, err := svc.CreateUnit(ctx, agent, catalog.UnitInput{Serial: "HX1", SKU: "WM-8", CustomerID: c.ID, PurchasedAt: "2026-03-02"}); model.ErrorCode(err) != model.EINVALID {
				t.Fatalf("purchase date in the future: %v", err)
			}
			if _, err := svc.CreateUnit(ctx, agent, catalog.UnitInput{Serial: "HX1", SKU: "NOPE", CustomerID: c.ID, PurchasedAt: "2025-03-01"}); model.ErrorCode(err) != model.EINVALID {
				t.Fatalf("unknown sku: %v", err)
			}
			if _, err := svc.CreateUnit(ctx, agent, catalog.UnitInput{Serial: "HX1", SKU: "WM-8", CustomerID: c.ID, PurchasedAt: "2025-03-01", Channel: "dealer"}); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.CreateUnit(ctx, agent, catalog.UnitInput{Serial: "HX1", SKU: "WM-8", CustomerID: c.ID, PurchasedAt: "2025-03-01"}); model.ErrorCode(err) != model.ECONFLICT {
				t.Fatalf("duplicate serial: %v", err)
			}
			// Bought 2025-03-01 with 12 months: covered through 2026-02-28,
			// and in Shanghai it is already 2026-03-01.
			e, err := svc.Entitlement(ctx, agent, "HX1")
			if err != nil || e.InWarranty || e.WarrantyEndsAt.Format(time.DateOnly) != "2026-02-28" {
				t.Fatalf("entitlement: %+v %v", e, err)
			}
			now = now.Add(-time.Hour) // 2026-02-28 23:30 in Shanghai
			if e, _ := svc.Entitlement(ctx, agent, "HX1"); !e.InWarranty || !e.Covers.Parts || !e.Covers.Labour || !e.Covers.Shipping {
				t.Fatalf("last day: %+v", e)
			}
			if _, err := svc.Entitlement(ctx, agent, "nope"); model.ErrorCode(err) != model.ENOTFOUND {
				t.Fatalf("unknown serial: %v", err)
			}
			other := model.Principal{Kind: model.KindCustomer, ID: c.ID + 100}
			if _, err := svc.Entitlement(ctx, other, "HX1"); model.ErrorCode(err) != model.ENOTFOUND {
				t.Fatalf("another customer's unit: %v", err)
			}
			owner := model.Principal{Kind: model.KindCustomer, ID: c.ID}
			if _, err := svc.Entitlement(ctx, owner, "HX1"); err != nil {
				t.Fatalf("owner's unit: %v", err)
			}
		})
	}
}
