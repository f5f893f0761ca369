package api_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/model"
)

// repairWorld sets up centre RC (repairs washers) with 5 units of part
// P-1 (cost 100, price 20000), fault codes E01 and E02 for washers and
// an inspection fee of 3000.
func repairWorld(t *testing.T, f *fixture) {
	t.Helper()
	f.newCentre(t, "RC", 39.9, 116.4, 100, "washer")
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/parts", f.manager,
		map[string]any{"part_no": "P-1", "name": "Pump", "compatible_skus": []string{"WM-100"}, "cost": 100, "price": 20000})
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/centres/RC/stock", f.manager,
		map[string]any{"part_no": "P-1", "quantity": 5, "kind": "receive", "note": "first delivery"})
	for code, names := range map[string][2]string{"E01": {"排水故障", "Drain fault"}, "E02": {"电机故障", "Motor fault"}} {
		f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/fault-codes/washer/"+code, f.manager,
			map[string]any{"name_zh": names[0], "name_en": names[1]})
	}
	f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/labour-prices/inspection", f.manager, map[string]any{"name": "Inspection", "price": 3000})
	f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/labour-prices/pump-swap", f.manager,
		map[string]any{"category": "washer", "name": "Replace the pump", "price": 8000})
}

// openRepair opens a request about serial for customer and its repair.
func (f *fixture) openRepair(t *testing.T, customerID int64, serial, mode string) api.Repair {
	t.Helper()
	var r api.Request
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": "repair",
		"subject": "does not drain", "customer_id": customerID, "serial": serial, "channel": "phone"}).JSON(t, &r)
	var rp api.Repair
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/repair", f.agent,
		map[string]any{"mode": mode, "centre": "RC"}).JSON(t, &rp)
	return rp
}

func (f *fixture) step(t *testing.T, status int, token string, id int64, body map[string]any) api.Repair {
	t.Helper()
	var rp api.Repair
	res := f.mustStatus(t, status, "POST", "/api/v1/repairs/"+itoa(id)+"/stage", token, body)
	if status == http.StatusOK {
		res.JSON(t, &rp)
	}
	return rp
}

func (f *fixture) getRepair(t *testing.T, token string, id int64) api.Repair {
	t.Helper()
	var rp api.Repair
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/repairs/"+itoa(id), token, nil).JSON(t, &rp)
	return rp
}

func (f *fixture) stockLine(t *testing.T) api.StockLine {
	t.Helper()
	var l api.StockLine
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/centres/RC/stock/P-1", f.manager, nil).JSON(t, &l)
	var on, res int64
	for _, m := range l.Ledger {
		on += m.OnHandChange
		res += m.ReservedChange
	}
	if on != l.OnHand || res != l.Reserved || l.Reserved > l.OnHand || l.OnHand < 0 {
		t.Fatalf("ledger sums to %d on hand, %d reserved; line says %d, %d", on, res, l.OnHand, l.Reserved)
	}
	return l
}

func TestRepairInWarrantyCompletesFree(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		repairWorld(t, f)
		rp := f.openRepair(t, f.aliceID, f.serial, "mail_in")
		if rp.Stage != "awaiting_device" || rp.Centre != "RC" || rp.Quote != nil {
			t.Fatalf("opened: got %+v", rp)
		}
		// A step the workflow forbids changes nothing.
		f.step(t, http.StatusConflict, f.tech, rp.ID, map[string]any{"stage": "repairing"})
		f.step(t, http.StatusConflict, f.tech, rp.ID, map[string]any{"stage": "completed"})
		if got := f.getRepair(t, f.tech, rp.ID); got.Stage != "awaiting_device" || len(got.History) != 1 {
			t.Fatalf("after refused steps: stage %s, %d history entries; want awaiting_device, 1", got.Stage, len(got.History))
		}
		got := f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "received", "condition": "scratched lid",
			"accessories": "hose, power cord"})
		if got.Condition != "scratched lid" || got.Accessories != "hose, power cord" {
			t.Errorf("received: condition %q, accessories %q", got.Condition, got.Accessories)
		}
		f.step(t, http.StatusUnprocessableEntity, f.tech, rp.ID, map[string]any{"stage": "diagnosing", "fault_codes": []string{"E99"}})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "diagnosing", "fault_codes": []string{"E01"}})
		f.step(t, http.StatusConflict, f.tech, rp.ID, map[string]any{"stage": "repairing"})

		var q struct {
			api.Quote
			Stage string `json:"stage"`
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/quote", f.tech, map[string]any{"lines": []map[string]any{
			{"kind": "part", "part_no": "P-1", "quantity": 1},
			{"kind": "labour", "code": "pump-swap"},
			{"kind": "shipping", "description": "courier back", "unit_price": 1500},
		}}).JSON(t, &q)
		if q.Total != 0 || q.Approval != "not_needed" || q.Stage != "quoted" || q.Currency != "CNY" || q.CoverageSource != "base" {
			t.Fatalf("in-warranty quote: got %+v, want total 0, no approval, quoted", q)
		}
		for _, l := range q.Lines {
			if !l.Covered || l.Amount != 0 {
				t.Errorf("line %+v: want covered, amount 0", l)
			}
		}
		if q.Lines[0].UnitPrice != 20000 || q.Lines[1].UnitPrice != 8000 || q.Lines[0].Description != "Pump" {
			t.Errorf("list prices: got %+v", q.Lines)
		}
		f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/approval", f.alice, map[string]any{"approved": true})

		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/parts", f.tech, map[string]any{"part_no": "P-1", "quantity": 2})
		if l := f.stockLine(t); l.OnHand != 5 || l.Reserved != 2 {
			t.Fatalf("after reserving 2: %d on hand, %d reserved", l.OnHand, l.Reserved)
		}
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "repairing"})
		got = f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "testing"})
		if len(got.Parts) != 1 || got.Parts[0].Consumed != 2 || got.Parts[0].Reserved != 0 {
			t.Errorf("testing consumes what is reserved: got %+v", got.Parts)
		}
		if l := f.stockLine(t); l.OnHand != 3 || l.Reserved != 0 {
			t.Fatalf("after testing: %d on hand, %d reserved; want 3, 0", l.OnHand, l.Reserved)
		}
		f.step(t, http.StatusConflict, f.tech, rp.ID, map[string]any{"stage": "ready", "test_passed": false})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "ready", "test_passed": true})
		f.step(t, http.StatusUnprocessableEntity, f.tech, rp.ID, map[string]any{"stage": "returned"})
		got = f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "returned", "carrier": "SF Express", "tracking_no": "SF1234567890"})
		if got.Carrier != "SF Express" || got.TrackingNo != "SF1234567890" {
			t.Errorf("returned: carrier %q, tracking %q", got.Carrier, got.TrackingNo)
		}
		got = f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "completed"})
		var stages []string
		for _, h := range got.History {
			stages = append(stages, h.Stage)
		}
		if want := "awaiting_device received diagnosing quoted repairing testing ready returned completed"; strings.Join(stages, " ") != want {
			t.Errorf("history: got %v, want %s", stages, want)
		}
		if got.CompletedAt == nil || got.Quote.Total != 0 {
			t.Errorf("completed: got %+v", got)
		}
		f.step(t, http.StatusConflict, f.tech, rp.ID, map[string]any{"stage": "cancelled"})

		// The customer sees every step on the request's timeline, and
		// the repair itself; another customer does not.
		d := f.getRequest(t, f.alice, got.RequestNumber)
		n := 0
		for _, e := range d.Timeline {
			if e.Kind == "repair" {
				n++
			}
		}
		if n != 9 {
			t.Errorf("repair events on the customer's timeline: got %d, want 9", n)
		}
		f.getRepair(t, f.alice, rp.ID)
		f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/repairs/"+itoa(rp.ID), f.bob, nil)
	})
}

func TestRepairOutOfWarrantyNeedsApproval(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		repairWorld(t, f)
		lines := map[string]any{"lines": []map[string]any{
			{"kind": "part", "part_no": "P-1"},
			{"kind": "labour", "code": "pump-swap"},
			{"kind": "fee", "description": "handling", "unit_price": 500},
		}}
		rp := f.openRepair(t, f.bobID, f.oldSerial, "in_store")
		f.mustStatus(t, http.StatusNotFound, "POST", "/api/v1/requests/"+rp.RequestNumber+"/repair", f.alice,
			map[string]any{"mode": "in_store", "centre": "RC"})
		f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/requests/"+rp.RequestNumber+"/repair", f.agent,
			map[string]any{"mode": "in_store", "centre": "RC"})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "received"})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "diagnosing"})
		var q struct {
			api.Quote
			Stage string `json:"stage"`
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/quote", f.tech, lines).JSON(t, &q)
		if q.Total != 28500 || q.Approval != "pending" || q.Stage != "waiting_approval" || q.CoverageSource != "none" {
			t.Fatalf("out-of-warranty quote: got %+v, want 28500 pending", q)
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/parts", f.tech, map[string]any{"part_no": "P-1", "quantity": 1})
		f.step(t, http.StatusConflict, f.tech, rp.ID, map[string]any{"stage": "repairing"})
		f.mustStatus(t, http.StatusNotFound, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/approval", f.alice, map[string]any{"approved": true})
		f.mustStatus(t, http.StatusForbidden, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/quote", f.bob, lines)
		var got api.Repair
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/approval", f.bob, map[string]any{"approved": true}).JSON(t, &got)
		if got.Quote.Approval != "approved" || got.Quote.ApprovedByKind != "customer" || got.Quote.ApprovedBy != "Bob" || got.Stage != "quoted" {
			t.Fatalf("approved by the customer: got %+v", got.Quote)
		}
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "repairing"})
		// A failed test sends it back to repairing.
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "testing"})
		got = f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "repairing", "test_passed": false})
		if h := got.History[len(got.History)-1]; h.From != "testing" || h.Stage != "repairing" || h.Note != "test failed" {
			t.Errorf("failed test: got %+v", h)
		}

		// Declined on the customer's behalf: parts released, fee charged,
		// back to the customer unrepaired; repairing stays refused.
		rp2 := f.openRepair(t, f.bobID, f.oldSerial, "in_store")
		f.step(t, http.StatusOK, f.tech, rp2.ID, map[string]any{"stage": "received"})
		f.step(t, http.StatusOK, f.tech, rp2.ID, map[string]any{"stage": "diagnosing"})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp2.ID)+"/quote", f.tech, lines)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp2.ID)+"/parts", f.tech, map[string]any{"part_no": "P-1", "quantity": 2})
		if l := f.stockLine(t); l.Reserved != 2 {
			t.Fatalf("reserved before the decline: %d, want 2", l.Reserved)
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/repairs/"+itoa(rp2.ID)+"/approval", f.agent,
			map[string]any{"approved": false, "note": "too expensive"}).JSON(t, &got)
		if got.Quote.Approval != "declined" || got.Quote.ApprovedByKind != "staff" || got.Stage != "ready" || got.InspectionFee != 3000 {
			t.Errorf("declined by the agent: got stage %s, %+v, fee %d", got.Stage, got.Quote, got.InspectionFee)
		}
		if h := got.History[len(got.History)-1]; !strings.Contains(h.Note, "on the customer's behalf") {
			t.Errorf("decline recorded as %q; want it on the customer's behalf", h.Note)
		}
		if l := f.stockLine(t); l.Reserved != 0 || l.OnHand != 4 {
			t.Errorf("after the decline: %d on hand, %d reserved; want 4 (one consumed), 0", l.OnHand, l.Reserved)
		}
		f.step(t, http.StatusConflict, f.tech, rp2.ID, map[string]any{"stage": "repairing"})
	})
}

func TestRepairCoveredByPlanOnly(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		repairWorld(t, f)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/warranty-plans", f.manager, map[string]any{"code": "CARE",
			"name": "Care", "months": 24, "price": 39900, "covers": map[string]bool{"parts": true, "labour": true}})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units/"+f.oldSerial+"/plans", f.agent, map[string]any{"plan_code": "CARE"})
		rp := f.openRepair(t, f.bobID, f.oldSerial, "mail_in")
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "received"})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "diagnosing"})
		var q api.Quote
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/quote", f.tech, map[string]any{"lines": []map[string]any{
			{"kind": "part", "part_no": "P-1"}, {"kind": "labour", "code": "pump-swap"},
			{"kind": "shipping", "description": "courier", "unit_price": 1500, "quantity": 2},
		}}).JSON(t, &q)
		if q.CoverageSource != "plan" || q.Total != 3000 || q.Approval != "pending" || !q.Lines[0].Covered || !q.Lines[1].Covered ||
			q.Lines[2].Covered || q.Lines[2].Amount != 3000 {
			t.Errorf("plan-covered quote: got %+v, want parts and labour covered, shipping 3000 to pay", q)
		}
	})
}

func TestRepairReservationsNeverOversell(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		repairWorld(t, f)
		rp := f.openRepair(t, f.aliceID, f.serial, "in_store")
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "received"})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "diagnosing"})
		var wg sync.WaitGroup
		statuses := make(chan int, 20)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses <- f.Do(t, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/parts", f.tech, map[string]any{"part_no": "P-1", "quantity": 1}).Status
			}()
		}
		wg.Wait()
		close(statuses)
		counts := map[int]int{}
		for s := range statuses {
			counts[s]++
		}
		if counts[http.StatusCreated] != 5 || counts[http.StatusConflict] != 15 {
			t.Fatalf("20 reservations against 5: got %v, want 5 × 201 and 15 × 409", counts)
		}
		if l := f.stockLine(t); l.OnHand != 5 || l.Reserved != 5 || l.Available != 0 {
			t.Errorf("line: %+v", l.StockLevel)
		}
		if got := f.getRepair(t, f.tech, rp.ID); len(got.Parts) != 1 || got.Parts[0].Reserved != 5 {
			t.Errorf("repair holds %+v, want 5 of P-1", got.Parts)
		}
		// Cancelling releases them.
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "cancelled"})
		if l := f.stockLine(t); l.Reserved != 0 || l.OnHand != 5 {
			t.Errorf("after cancelling: %d on hand, %d reserved; want 5, 0", l.OnHand, l.Reserved)
		}
	})
}

func TestRepairRework(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		repairWorld(t, f)
		first := f.openRepair(t, f.aliceID, f.serial, "in_store")
		for _, st := range []map[string]any{{"stage": "received"}, {"stage": "diagnosing", "fault_codes": []string{"E01"}}} {
			f.step(t, http.StatusOK, f.tech, first.ID, st)
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(first.ID)+"/quote", f.tech,
			map[string]any{"lines": []map[string]any{{"kind": "labour", "code": "pump-swap"}}})
		for _, st := range []string{"repairing", "testing", "ready", "returned", "completed"} {
			f.step(t, http.StatusOK, f.tech, first.ID, map[string]any{"stage": st})
		}
		// Another fault is no rework; the same fault code is.
		other := f.openRepair(t, f.aliceID, f.serial, "in_store")
		f.step(t, http.StatusOK, f.tech, other.ID, map[string]any{"stage": "received"})
		if got := f.step(t, http.StatusOK, f.tech, other.ID, map[string]any{"stage": "diagnosing", "fault_codes": []string{"E02"}}); got.Rework {
			t.Errorf("a different fault flagged as rework")
		}
		again := f.openRepair(t, f.aliceID, f.serial, "in_store")
		f.step(t, http.StatusOK, f.tech, again.ID, map[string]any{"stage": "received"})
		got := f.step(t, http.StatusOK, f.tech, again.ID, map[string]any{"stage": "diagnosing", "fault_codes": []string{"E01", "E02"}})
		if !got.Rework || got.ReworkOf == nil || *got.ReworkOf != first.ID {
			t.Errorf("same fault within 90 days: rework %v of %v, want true of %d", got.Rework, got.ReworkOf, first.ID)
		}
		if !f.getRepair(t, f.manager, first.ID).Rework {
			t.Errorf("the earlier repair is not flagged as rework")
		}
	})
}

func TestRepairPublishesStageChanges(t *testing.T) {
	f := newFixture(t, "")
	repairWorld(t, f)
	ctx := context.Background()
	w := &model.Webhook{URL: "http://127.0.0.1:9/hook", Events: []model.EventType{model.EventRepairStageChanged}, Secret: "s", Active: true}
	if err := f.Store.CreateWebhook(ctx, w); err != nil {
		t.Fatal(err)
	}
	rp := f.openRepair(t, f.aliceID, f.serial, "in_store")
	f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "received"})
	f.step(t, http.StatusConflict, f.tech, rp.ID, map[string]any{"stage": "testing"})
	var n int
	var data string
	if err := f.Store.Read().QueryRow(ctx, `SELECT COUNT(*), MAX(data) FROM webhook_events WHERE event = 'repair.stage_changed'`).Scan(&n, &data); err != nil {
		t.Fatal(err)
	}
	if n != 2 || !strings.Contains(data, `"request_number":"`+rp.RequestNumber+`"`) {
		t.Errorf("repair.stage_changed events: got %d (%s), want 2 (opened, received) naming the request", n, data)
	}
}
