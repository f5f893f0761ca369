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
