package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/catalog"
)

func TestExtendedWarranty(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		loc := shanghai(t)
		y, m, d := time.Now().In(loc).Date()
		today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		day := func(t time.Time) string { return t.Format(time.DateOnly) }
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/warranty-plans", f.manager, map[string]any{"code": "CARE2",
			"name": "Care 2 years", "months": 24, "price": 39900, "covers": map[string]bool{"parts": true, "labour": true, "shipping": false}})
		f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/warranty-plans", f.manager, map[string]any{"code": "CARE2",
			"name": "again", "months": 12, "price": 1, "covers": map[string]bool{"parts": true}})
		f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/warranty-plans", f.manager, map[string]any{"code": "NONE",
			"name": "covers nothing", "months": 12, "price": 1, "covers": map[string]bool{}})

		// Alice's unit is two months into a 24-month warranty: the plan
		// follows it.
		var sale api.PlanSale
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units/"+f.serial+"/plans", f.agent,
			map[string]any{"plan_code": "CARE2"}).JSON(t, &sale)
		var e api.Entitlement
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/units/"+f.serial+"/entitlement", f.alice, nil).JSON(t, &e)
		baseEnd, _ := time.Parse(time.DateOnly, e.WarrantyEndsAt)
		start, end := catalog.PlanDates(baseEnd, today, 24)
		if sale.StartsOn != day(start) || sale.EndsOn != day(end) || sale.Price != 39900 || sale.SoldAt != day(today) {
			t.Errorf("sale: got %+v, want %s to %s at the list price, sold today", sale, day(start), day(end))
		}
		if sale.StartsOn != day(baseEnd.AddDate(0, 0, 1)) {
			t.Errorf("plan starts %s, want the day after the base warranty (%s)", sale.StartsOn, e.WarrantyEndsAt)
		}
		if !e.InWarranty || e.CoverageSource != "base" || e.CoveredUntil != sale.EndsOn || len(e.Plans) != 1 || e.Plans[0].Active ||
			e.Plans[0].Code != "CARE2" || e.Plans[0].StartsOn != sale.StartsOn || !e.Covers.Shipping {
			t.Errorf("entitlement in the base warranty: got %+v", e)
		}

		// Bob's unit expired years ago: a plan sold today starts today.
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units/"+f.oldSerial+"/plans", f.agent,
			map[string]any{"plan_code": "CARE2", "price": 29900}).JSON(t, &sale)
		if sale.StartsOn != day(today) || sale.Price != 29900 {
			t.Errorf("sold after expiry: got %+v, want a start today at the price paid", sale)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/units/"+f.oldSerial+"/entitlement", f.agent, nil).JSON(t, &e)
		if !e.InWarranty || e.CoverageSource != "plan" || e.CoveredUntil != sale.EndsOn || e.WarrantyEndsAt != "2017-02-28" ||
			!e.Covers.Parts || !e.Covers.Labour || e.Covers.Shipping || len(e.Plans) != 1 || !e.Plans[0].Active {
			t.Errorf("entitlement by the plan: got %+v", e)
		}

		// A model without a warranty, covered only by a plan sold at
		// purchase; a plan sold before today is dated from its sale.
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/products", f.manager, map[string]any{"sku": "FAN-1", "name": "Fan",
			"category": "appliance", "warranty_months": 0})
		bought := today.AddDate(0, -1, 0)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units", f.agent, map[string]any{"serial": "FAN-001", "sku": "FAN-1",
			"customer_id": f.aliceID, "purchased_at": day(bought), "delivered_at": day(bought.AddDate(0, 0, 2))})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units/FAN-001/plans", f.agent,
			map[string]any{"plan_code": "CARE2", "sold_at": day(bought)}).JSON(t, &sale)
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/units/FAN-001/entitlement", f.alice, nil).JSON(t, &e)
		if sale.StartsOn != day(bought) || !e.InWarranty || e.CoverageSource != "plan" {
			t.Errorf("covered only by a plan: sale %+v, entitlement %+v", sale, e)
		}

		for _, s := range []struct {
			name, path string
			body       map[string]any
			status     int
		}{
			{"unknown plan", "/api/v1/units/" + f.serial + "/plans", map[string]any{"plan_code": "NOPE"}, http.StatusUnprocessableEntity},
			{"sold in the future", "/api/v1/units/" + f.serial + "/plans", map[string]any{"plan_code": "CARE2", "sold_at": day(today.AddDate(0, 0, 2))}, http.StatusUnprocessableEntity},
			{"sold before the purchase", "/api/v1/units/" + f.oldSerial + "/plans", map[string]any{"plan_code": "CARE2", "sold_at": "2014-01-01"}, http.StatusUnprocessableEntity},
			{"unknown unit", "/api/v1/units/NOPE/plans", map[string]any{"plan_code": "CARE2"}, http.StatusNotFound},
		} {
			t.Run(s.name, func(t *testing.T) { f.mustStatus(t, s.status, "POST", s.path, f.agent, s.body) })
		}
		var plans struct{ Items []api.WarrantyPlan }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/warranty-plans", f.tech, nil).JSON(t, &plans)
		if len(plans.Items) != 1 || plans.Items[0].Price != 39900 || plans.Items[0].Currency != "CNY" {
			t.Errorf("plans: got %+v", plans.Items)
		}
		if n := f.count(t, "unit_plans WHERE price > 0"); n != 3 {
			t.Errorf("plan sales recorded with a price: got %d, want 3", n)
		}
	})
}

func TestUnitDeliveredAt(t *testing.T) {
	f := newFixture(t, "")
	var u api.Unit
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units", f.agent, map[string]any{"serial": "D-1", "sku": "WM-100",
		"customer_id": f.aliceID, "purchased_at": "2026-03-01", "delivered_at": "2026-03-03"}).JSON(t, &u)
	if u.DeliveredAt == nil || *u.DeliveredAt != "2026-03-03" {
		t.Errorf("delivered_at: got %v, want 2026-03-03", u.DeliveredAt)
	}
	u = api.Unit{}
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units", f.agent, map[string]any{"serial": "D-2", "sku": "WM-100",
		"customer_id": f.aliceID, "purchased_at": "2026-03-01"}).JSON(t, &u)
	if u.DeliveredAt != nil {
		t.Errorf("no delivery date: got %v", *u.DeliveredAt)
	}
	res := f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/units", f.agent, map[string]any{"serial": "D-3",
		"sku": "WM-100", "customer_id": f.aliceID, "purchased_at": "2026-03-01", "delivered_at": "2026-02-27"})
	if !contains(res.Body, "body.delivered_at") {
		t.Errorf("delivered before purchase: got %s, want an error at body.delivered_at", res.Body)
	}
}
