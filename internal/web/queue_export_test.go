package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestQueueExport(t *testing.T) {
	f := newFixture(t)
	a, b := f.aliceReq.Number, f.bobReq.Number

	zh := newClient(t, f.m, "zh-CN")
	zh.loginStaff()
	page := zh.get("/queue")
	if !strings.Contains(page.body, `/queue/export?format=csv`) || !strings.Contains(page.body, `format=xlsx`) {
		t.Fatal("the queue has no export links")
	}
	res := zh.get("/queue/export?format=csv&view=all&type=return")
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(res.header.Get("Content-Disposition"), ".csv") {
		t.Fatalf("csv: %d %v", res.status, res.header)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "工单号" || rows[1][0] != b || rows[1][3] != "退货" {
		t.Fatalf("csv rows (filtered to returns, in Chinese): %q", rows)
	}

	en := newClient(t, f.m, "en")
	en.loginStaff()
	res = en.get("/queue/export?format=xlsx&view=all")
	if res.status != http.StatusOK {
		t.Fatalf("xlsx: %d", res.status)
	}
	x, err := excelize.OpenReader(strings.NewReader(res.body))
	if err != nil {
		t.Fatalf("xlsx does not open: %v", err)
	}
	defer x.Close()
	xrows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != 3 || xrows[0][0] != "Number" {
		t.Fatalf("xlsx rows: %q", xrows)
	}
	got := xrows[1][0] + " " + xrows[2][0]
	if !strings.Contains(got, a) || !strings.Contains(got, b) {
		t.Fatalf("xlsx numbers: %s", got)
	}

	// Customers and visitors cannot export the staff queue.
	cust := newClient(t, f.m, "en")
	cust.loginCustomer("alice@example.com")
	if res := cust.get("/queue/export?format=csv"); res.status == http.StatusOK && strings.Contains(res.body, b) {
		t.Fatal("a customer exported the queue")
	}
	anon := newClient(t, f.m, "en")
	if res := anon.get("/queue/export?format=csv"); res.status == http.StatusOK {
		t.Fatalf("a visitor exported the queue: %d", res.status)
	}
	if res := en.get("/queue/export?format=pdf"); res.status != http.StatusNotFound {
		t.Fatalf("unknown format: %d", res.status)
	}
}
