package api_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
)

func TestRevenueReport(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		repairWorld(t, f)
		rp := f.openRepair(t, f.bobID, f.oldSerial, "in_store")
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "received"})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "diagnosing"})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/quote", f.tech, map[string]any{"lines": []map[string]any{
			{"kind": "part", "part_no": "P-1"}, {"kind": "labour", "code": "pump-swap"}, {"kind": "fee", "description": "handling", "unit_price": 500},
		}})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/parts", f.tech, map[string]any{"part_no": "P-1", "quantity": 1})
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/approval", f.bob, map[string]any{"approved": true})
		for _, st := range []string{"repairing", "testing", "ready", "returned", "completed"} {
			f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": st})
		}
		// An in-warranty repair pays nothing but still uses parts.
		free := f.openRepair(t, f.aliceID, f.serial, "in_store")
		f.step(t, http.StatusOK, f.tech, free.ID, map[string]any{"stage": "received"})
		f.step(t, http.StatusOK, f.tech, free.ID, map[string]any{"stage": "diagnosing"})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(free.ID)+"/quote", f.tech,
			map[string]any{"lines": []map[string]any{{"kind": "part", "part_no": "P-1", "quantity": 2}}})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(free.ID)+"/parts", f.tech, map[string]any{"part_no": "P-1", "quantity": 2})
		for _, st := range []string{"repairing", "testing", "ready", "returned", "completed"} {
			f.step(t, http.StatusOK, f.tech, free.ID, map[string]any{"stage": st})
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/warranty-plans", f.manager, map[string]any{"code": "CARE",
			"name": "Care", "months": 12, "price": 39900, "covers": map[string]bool{"parts": true}})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units/"+f.serial+"/plans", f.agent, map[string]any{"plan_code": "CARE", "centre": "RC"})

		var rep struct {
			Rows     []api.RevenueRow
			Total    api.RevenueRow
			Currency string
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/reports/revenue?group_by=centre", f.manager, nil).JSON(t, &rep)
		want := api.RevenueRow{Centre: "RC", Repairs: 2, PaidRepairs: 28500, PartsRevenue: 20000, PlanSales: 39900, PartsCost: 300}
		if len(rep.Rows) != 1 || rep.Rows[0] != want || rep.Currency != "CNY" {
			t.Errorf("by centre: got %+v, want one row %+v", rep.Rows, want)
		}
		month := time.Now().In(shanghai(t)).Format("2006-01")
		rep.Rows = nil
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/reports/revenue?group_by=month", f.manager, nil).JSON(t, &rep)
		want.Centre, want.Month = "", month
		if len(rep.Rows) != 1 || rep.Rows[0] != want {
			t.Errorf("by month: got %+v, want %+v", rep.Rows, want)
		}
		// A period before any of it is empty.
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/reports/revenue?from=2020-01-01&to=2020-12-31", f.manager, nil).JSON(t, &rep)
		if len(rep.Rows) != 0 || rep.Total.PaidRepairs != 0 {
			t.Errorf("2020: got %+v", rep)
		}
		f.mustStatus(t, http.StatusUnprocessableEntity, "GET", "/api/v1/reports/revenue?from=2026-05-01&to=2026-04-01", f.manager, nil)
		f.mustStatus(t, http.StatusForbidden, "GET", "/api/v1/reports/revenue", f.agent, nil)
	})
}
