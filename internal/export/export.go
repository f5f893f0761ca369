// Package export writes tables as CSV (UTF-8 with a byte-order mark, so
// that Excel on Chinese Windows opens it correctly) or XLSX (streamed with
// excelize), for every table an analyst looks at.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Format is an export file format.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat accepts "csv" or "xlsx".
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case CSV, XLSX:
		return Format(s), nil
	}
	return "", fmt.Errorf("export: format %q: want csv or xlsx", s)
}

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Writer writes one table row by row. Cells are strings, numbers
// (int, int64, float64) or time.Time; Close finishes the file.
type Writer interface {
	Row(cells ...any) error
	Close() error
}

// New returns a Writer of format f onto w. sheet names the XLSX
// worksheet.
func New(f Format, w io.Writer, sheet string) (Writer, error) {
	if f == XLSX {
		return newXLSX(w, sheet)
	}
	return newCSV(w)
}

// csvWriter writes RFC 4180 CSV after a UTF-8 byte-order mark.
type csvWriter struct {
	w   *csv.Writer
	buf []string
}

func newCSV(w io.Writer) (*csvWriter, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	return &csvWriter{w: csv.NewWriter(w)}, nil
}

func (c *csvWriter) Row(cells ...any) error {
	c.buf = c.buf[:0]
	for _, v := range cells {
		c.buf = append(c.buf, cellText(v))
	}
	return c.w.Write(c.buf)
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// cellText formats a cell for CSV; times as ISO-8601 local time. Text
// that a spreadsheet would run as a formula is defused (see defuse).
func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return defuse(x)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		return x.Format("2006-01-02 15:04:05")
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// defuse guards against formula injection (OWASP "CSV Injection"): a
// cell that starts with =, +, -, @, a tab or a carriage return is run as
// a formula by Excel, LibreOffice and Sheets when the CSV is opened (a
// customer's subject "=HYPERLINK(…)" would become a live link in an
// agent's spreadsheet), so it is written with a leading apostrophe, which
// makes the spreadsheet show it as text. XLSX cells need no such care:
// they are written as inline strings, which are never formulas.
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// xlsxWriter streams rows into one worksheet and writes the workbook to w
// on Close.
type xlsxWriter struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	w     io.Writer
	row   int
	style int
	buf   []any
}

func newXLSX(w io.Writer, sheet string) (*xlsxWriter, error) {
	f := excelize.NewFile()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm, localised by Excel
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return &xlsxWriter{f: f, sw: sw, w: w, style: style}, nil
}

func (x *xlsxWriter) Row(cells ...any) error {
	x.row++
	x.buf = x.buf[:0]
	for _, v := range cells {
		switch t := v.(type) {
		case time.Time:
			if t.IsZero() {
				x.buf = append(x.buf, nil)
			} else {
				// Excel has no time zones: write the wall-clock time.
				wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
				x.buf = append(x.buf, excelize.Cell{StyleID: x.style, Value: wall})
			}
		default:
			x.buf = append(x.buf, v)
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, x.buf)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := x.f.WriteTo(x.w); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
