package api_test

import (
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

func TestPartsAndStock(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.newCentre(t, "BJ", 39.9, 116.4, 10)
		f.newCentre(t, "SH", 31.2, 121.5, 10)
		shMgr := f.centreManager(t, "SH")
		var part api.Part
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/parts", f.manager, map[string]any{"part_no": "PCB-100",
			"name": "Main board", "compatible_skus": []string{"WM-100", "WM-100", " WM-200 "}, "cost": 45000, "price": 88000}).JSON(t, &part)
		if part.Cost != 45000 || part.Price != 88000 || part.Currency != "CNY" || len(part.CompatibleSKUs) != 2 {
			t.Errorf("created part: got %+v, want cost 45000, price 88000 CNY, two SKUs", part)
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/parts", f.manager, map[string]any{"part_no": "BELT-1",
			"name": "Drive belt", "compatible_skus": []string{"WM-100"}, "cost": 800, "price": 2500})
		stock := "/api/v1/centres/BJ/stock"
		for _, s := range []apitest.Scenario{
			{Name: "receive", Method: "POST", Path: stock, Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": 10, "kind": "receive", "note": "PO 4711"},
				ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"on_hand":10`, `"available":10`, `"kind":"receive"`, `"quantity":10`}},
			{Name: "adjust down", Method: "POST", Path: stock, Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": -3, "kind": "adjust", "note": "stocktake: 3 damaged"},
				ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"on_hand":7`, `"quantity":-3`}},
			{Name: "never negative", Method: "POST", Path: stock, Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": -8, "kind": "adjust", "note": "x"},
				ExpectedStatus: http.StatusConflict, ExpectedContent: []string{"body.quantity"}},
			{Name: "adjust needs a reason", Method: "POST", Path: stock, Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": -1, "kind": "adjust"},
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"body.note"}},
			{Name: "receive needs units", Method: "POST", Path: stock, Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": 0, "kind": "receive"},
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"body.quantity"}},
			{Name: "reserve is not an API movement", Method: "POST", Path: stock, Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": 1, "kind": "reserve"},
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"body.kind"}},
			{Name: "unknown part", Method: "POST", Path: stock, Token: f.manager, Body: map[string]any{"part_no": "NOPE", "quantity": 1, "kind": "receive"},
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"body.part_no"}},
			{Name: "unknown centre", Method: "POST", Path: "/api/v1/centres/XX/stock", Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": 1, "kind": "receive"},
				ExpectedStatus: http.StatusNotFound},
			{Name: "another centre's manager", Method: "POST", Path: stock, Token: shMgr, Body: map[string]any{"part_no": "PCB-100", "quantity": 1, "kind": "receive"},
				ExpectedStatus: http.StatusForbidden},
			{Name: "technicians read stock", Method: "GET", Path: stock + "/PCB-100", Token: f.tech, ExpectedStatus: http.StatusOK},
			{Name: "but do not move it", Method: "POST", Path: stock, Token: f.tech, Body: map[string]any{"part_no": "PCB-100", "quantity": 1, "kind": "receive"},
				ExpectedStatus: http.StatusForbidden},
			{Name: "transfer more than available", Method: "POST", Path: stock + "/transfers", Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": 8, "to": "SH"},
				ExpectedStatus: http.StatusConflict},
			{Name: "transfer", Method: "POST", Path: stock + "/transfers", Token: f.manager, Body: map[string]any{"part_no": "PCB-100", "quantity": 2, "to": "SH", "note": "SH is short"},
				ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"from":{"centre":"BJ"`, `"to":{"centre":"SH"`}},
			{Name: "reorder point", Method: "PUT", Path: stock + "/PCB-100/reorder-point", Token: f.manager, Body: map[string]any{"reorder_point": 5},
				ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"alert":true`, `"available":5`}},
			{Name: "alerts", Method: "GET", Path: "/api/v1/stock/alerts?centre=BJ", Token: f.agent,
				ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"part_no":"PCB-100"`}, NotExpectedContent: []string{"BELT-1"}},
			{Name: "currency must be the installation's", Method: "POST", Path: "/api/v1/parts", Token: f.manager,
				Body: map[string]any{"part_no": "X-9", "name": "X", "cost": 1, "price": 2, "currency": "USD"}, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{"body.currency"}},
			{Name: "no decimals", Method: "POST", Path: "/api/v1/parts", Token: f.manager,
				Body: `{"part_no": "X-9", "name": "X", "cost": 1.5, "price": 2}`, ExpectedStatus: http.StatusUnprocessableEntity},
		} {
			f.Run(t, s)
		}
		var line api.StockLine
		f.mustStatus(t, http.StatusOK, "GET", stock+"/PCB-100", f.agent, nil).JSON(t, &line)
		if line.OnHand != 5 || line.Reserved != 0 || line.Available != 5 || len(line.Ledger) != 3 {
			t.Fatalf("BJ's line: got %+v, want 5 on hand, 0 reserved, 5 available, 3 ledger rows", line)
		}
		var sum int64
		for _, m := range line.Ledger {
			sum += m.OnHandChange
		}
		if sum != line.OnHand {
			t.Errorf("ledger sums to %d, on hand %d", sum, line.OnHand)
		}
		first, last := line.Ledger[0], line.Ledger[2]
		if first.Kind != "receive" || first.Quantity != 10 || first.Note != "PO 4711" || first.By != "manager" || first.At.IsZero() || first.RepairID != nil {
			t.Errorf("first ledger row: got %+v, want the receipt of 10 by the manager", first)
		}
		if last.Kind != "transfer" || last.Quantity != -2 || last.Counterpart != "SH" {
			t.Errorf("last ledger row: got %+v, want a transfer of -2 to SH", last)
		}
		var sh api.StockLine
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/centres/SH/stock/PCB-100", f.agent, nil).JSON(t, &sh)
		if sh.OnHand != 2 || len(sh.Ledger) != 1 || sh.Ledger[0].Quantity != 2 || sh.Ledger[0].Counterpart != "BJ" {
			t.Errorf("SH's line: got %+v, want 2 received from BJ", sh)
		}
		var never api.StockLine
		f.mustStatus(t, http.StatusOK, "GET", stock+"/BELT-1", f.agent, nil).JSON(t, &never)
		if never.OnHand != 0 || never.Ledger == nil || len(never.Ledger) != 0 {
			t.Errorf("a part never stocked: got %+v, want zeros and an empty ledger", never)
		}
		var page struct {
			Items      []api.Part
			NextCursor string `json:"next_cursor"`
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/parts?limit=1", f.tech, nil).JSON(t, &page)
		if len(page.Items) != 1 || page.Items[0].PartNo != "BELT-1" || page.NextCursor == "" {
			t.Fatalf("first page: got %+v", page)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/parts?limit=1&cursor="+page.NextCursor, f.tech, nil).JSON(t, &page)
		if len(page.Items) != 1 || page.Items[0].PartNo != "PCB-100" {
			t.Errorf("second page: got %+v", page)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/parts?sku=WM-200", f.tech, nil).JSON(t, &page)
		if len(page.Items) != 1 || page.Items[0].PartNo != "PCB-100" {
			t.Errorf("parts for WM-200: got %+v", page.Items)
		}
	})
}
