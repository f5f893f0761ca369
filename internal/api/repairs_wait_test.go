package api_test

import (
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
)

// TestRepairWaitsForParts: a reservation the centre cannot cover moves
// the repair to waiting_parts (when asked), the part shows among the
// centre's reorder alerts, resuming is refused while the centre is still
// short and reserves the part once stock arrives. The agent takes the
// desk's steps along the way and no others.
func TestRepairWaitsForParts(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		repairWorld(t, f)
		rp := f.openRepair(t, f.aliceID, f.serial, "in_store")
		f.step(t, http.StatusOK, f.agent, rp.ID, map[string]any{"stage": "received", "condition": "dented"})
		f.step(t, http.StatusForbidden, f.agent, rp.ID, map[string]any{"stage": "diagnosing"})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "diagnosing", "fault_codes": []string{"E01"}})
		f.mustStatus(t, http.StatusForbidden, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/parts", f.agent, map[string]any{"part_no": "P-1", "quantity": 1})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/repairs/"+itoa(rp.ID)+"/quote", f.tech,
			map[string]any{"lines": []map[string]any{{"kind": "part", "part_no": "P-1", "quantity": 9}}})

		parts := "/api/v1/repairs/" + itoa(rp.ID) + "/parts"
		f.mustStatus(t, http.StatusConflict, "POST", parts, f.tech, map[string]any{"part_no": "P-1", "quantity": 9})
		if got := f.getRepair(t, f.tech, rp.ID); got.Stage != "quoted" || got.WaitingFor != nil {
			t.Fatalf("after a refused reservation: stage %s, waiting for %+v; want quoted, nothing", got.Stage, got.WaitingFor)
		}
		var got api.Repair
		f.mustStatus(t, http.StatusCreated, "POST", parts, f.tech, map[string]any{"part_no": "P-1", "quantity": 9, "wait_if_short": true}).JSON(t, &got)
		if got.Stage != "waiting_parts" || got.WaitingFor == nil || got.WaitingFor.PartNo != "P-1" || got.WaitingFor.Quantity != 9 {
			t.Fatalf("short with wait_if_short: stage %s, waiting for %+v; want waiting_parts for 9 × P-1", got.Stage, got.WaitingFor)
		}
		if l := f.stockLine(t); l.Reserved != 0 || l.OnHand != 5 {
			t.Errorf("while waiting: %d on hand, %d reserved; want 5, 0", l.OnHand, l.Reserved)
		}
		alerted := func() bool {
			var out struct {
				Items []api.StockLevel `json:"items"`
			}
			f.mustStatus(t, http.StatusOK, "GET", "/api/v1/stock/alerts?centre=RC", f.manager, nil).JSON(t, &out)
			for _, l := range out.Items {
				if l.PartNo == "P-1" {
					return true
				}
			}
			return false
		}
		if !alerted() {
			t.Errorf("P-1 is not among RC's reorder alerts while a repair waits for it")
		}

		// Still short: resuming changes nothing.
		f.step(t, http.StatusConflict, f.tech, rp.ID, map[string]any{"stage": "repairing"})
		if got := f.getRepair(t, f.tech, rp.ID); got.Stage != "waiting_parts" || got.WaitingFor == nil {
			t.Fatalf("after a refused resume: stage %s, waiting for %+v", got.Stage, got.WaitingFor)
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/centres/RC/stock", f.manager,
			map[string]any{"part_no": "P-1", "quantity": 10, "kind": "receive", "note": "reorder"})
		f.step(t, http.StatusForbidden, f.agent, rp.ID, map[string]any{"stage": "repairing"})
		got = f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "repairing"})
		if got.WaitingFor != nil || len(got.Parts) != 1 || got.Parts[0].Reserved != 9 {
			t.Fatalf("resumed: waiting for %+v, parts %+v; want nothing waited for, 9 reserved", got.WaitingFor, got.Parts)
		}
		if l := f.stockLine(t); l.Reserved != 9 || l.OnHand != 15 {
			t.Errorf("resumed: %d on hand, %d reserved; want 15, 9", l.OnHand, l.Reserved)
		}
		if alerted() {
			t.Errorf("P-1 is still alerted after the repair resumed (no reorder point is set)")
		}
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "testing"})
		f.step(t, http.StatusOK, f.tech, rp.ID, map[string]any{"stage": "ready", "test_passed": true})
		f.step(t, http.StatusOK, f.agent, rp.ID, map[string]any{"stage": "returned"})
		got = f.step(t, http.StatusOK, f.agent, rp.ID, map[string]any{"stage": "completed"})
		if got.Stage != "completed" || got.Parts[0].Consumed != 9 {
			t.Errorf("completed by the agent: stage %s, parts %+v", got.Stage, got.Parts)
		}
	})
}
