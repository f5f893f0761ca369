package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
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
	if len(rows) != 2 || rows[0][0] != "服务单号" || rows[1][0] != b || rows[1][3] != "退货" {
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

// exportCSV downloads the queue view query as CSV and returns its rows,
// the heading first.
func exportCSV(t *testing.T, c *client, query string) [][]string {
	t.Helper()
	res := c.get("/queue/export?format=csv&" + query)
	if res.status != http.StatusOK {
		t.Fatalf("csv export: got %d, want 200", res.status)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff")))
	cr.FieldsPerRecord = -1 // the "too many rows" note is one cell
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("csv export: %v", err)
	}
	return rows
}

// exportXLSX downloads the queue view query as XLSX and returns the raw
// cell values of its sheet (dates as Excel serial numbers), the heading
// first.
func exportXLSX(t *testing.T, c *client, query string) [][]string {
	t.Helper()
	res := c.get("/queue/export?format=xlsx&" + query)
	if res.status != http.StatusOK {
		t.Fatalf("xlsx export: got %d, want 200", res.status)
	}
	x, err := excelize.OpenReader(strings.NewReader(res.body))
	if err != nil {
		t.Fatalf("xlsx does not open: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("xlsx rows: %v", err)
	}
	return rows
}

// rowOf returns the row whose first cell is number.
func rowOf(t *testing.T, rows [][]string, number string) []string {
	t.Helper()
	for _, r := range rows {
		if len(r) > 0 && r[0] == number {
			return r
		}
	}
	t.Fatalf("no row for %s in %q", number, rows)
	return nil
}

// TestQueueExportTimeZone checks that exported times are in the store's
// zone (Asia/Shanghai, UTC+8): a request created at 23:30 UTC on New
// Year's Eve shows 07:30 on the next day, in the next year.
func TestQueueExportTimeZone(t *testing.T) {
	var pinned atomic.Pointer[time.Time]
	clock := func() time.Time {
		if p := pinned.Load(); p != nil {
			return *p
		}
		return time.Now()
	}
	f := newFixtureWith(t, apptest.Options{Now: clock})
	if loc := f.m.Store.Location().String(); loc != "Asia/Shanghai" {
		t.Fatalf("store time zone: got %s, want the default Asia/Shanghai", loc)
	}
	created := time.Date(2031, 12, 31, 23, 30, 0, 0, time.UTC)
	pinned.Store(&created)
	r, err := f.m.Requests.Create(context.Background(), f.agent, request.CreateInput{Type: model.TypeRepair,
		Subject: "Called on New Year's Eve", CustomerID: f.alice.ID})
	pinned.Store(nil) // sessions expire by the real clock
	if err != nil {
		t.Fatal(err)
	}
	if !r.CreatedAt.Equal(created) {
		t.Fatalf("created_at: got %v, want %v", r.CreatedAt, created)
	}
	c := newClient(t, f.m, "en")
	c.loginStaff()

	const want = "2032-01-01 07:30:00"
	row := rowOf(t, exportCSV(t, c, "view=all"), r.Number)
	if got := row[9] + " | " + row[10]; got != want+" | "+want {
		t.Errorf("csv created | updated: got %q, want %q in both", got, want)
	}
	row = rowOf(t, exportXLSX(t, c, "view=all"), r.Number)
	for _, col := range []int{9, 10} {
		serial, err := strconv.ParseFloat(row[col], 64)
		if err != nil {
			t.Fatalf("xlsx column %d: %q is not a date serial: %v", col+1, row[col], err)
		}
		got, err := excelize.ExcelDateToTime(serial, false)
		if err != nil {
			t.Fatal(err)
		}
		if s := got.Round(time.Second).Format(time.DateTime); s != want {
			t.Errorf("xlsx column %d: got %s, want %s", col+1, s, want)
		}
	}
}

// TestQueueExportAllPages checks that an export longer than one store
// page (store.MaxPageSize rows) holds every request exactly once.
func TestQueueExportAllPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	want := map[string]bool{f.aliceReq.Number: true, f.bobReq.Number: true}
	for i := len(want); i < 2*store.MaxPageSize+5; i++ {
		r, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeInquiry,
			Subject: fmt.Sprintf("Question %d", i), CustomerID: f.bob.ID})
		if err != nil {
			t.Fatal(err)
		}
		want[r.Number] = true
	}
	c := newClient(t, f.m, "en")
	c.loginStaff()
	for format, rows := range map[string][][]string{"csv": exportCSV(t, c, "view=all"), "xlsx": exportXLSX(t, c, "view=all")} {
		seen := map[string]int{}
		for _, r := range rows[1:] {
			seen[r[0]]++
		}
		if len(rows)-1 != len(want) {
			t.Errorf("%s: got %d rows, want %d", format, len(rows)-1, len(want))
		}
		for n := range want {
			if seen[n] != 1 {
				t.Errorf("%s: %s appears %d times, want once", format, n, seen[n])
			}
		}
		for n := range seen {
			if !want[n] {
				t.Errorf("%s: unexpected row %q", format, n)
			}
		}
	}
}
