package analyze

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// fuzzEncodings are the encodings FuzzReadTable reads with, by the low
// bits of its enc argument.
var fuzzEncodings = []string{"utf-8", "gbk", "gb18030", ""}

// loadBytes reads data as the analyze commands read a file, keeping
// every column.
func loadBytes(data []byte, encoding string) (*dataset, error) {
	return loadDataset("-", encoding, bytes.NewReader(data), nil)
}

// records reads data's records straight from the stream, as the dataset
// must hold them.
func records(t *testing.T, data []byte, encoding string) [][]string {
	t.Helper()
	s, err := newCSVStream(bytes.NewReader(data), "-", encoding)
	if err != nil {
		t.Fatalf("stream: %v", err)
	}
	var out [][]string
	for {
		rec, _, err := s.next()
		if err != nil {
			return out
		}
		out = append(out, rec)
	}
}

// rowsOf returns every cell of d, row by row (header width).
func rowsOf(d *dataset) [][]string {
	out := make([][]string, d.n)
	for i := range d.n {
		for j := range d.header {
			out[i] = append(out[i], d.cell(i, j))
		}
	}
	return out
}

// checkDataset asserts the reader's contract for a dataset it returned: a
// header of trimmed names; one file line per row, ascending, after the
// header line; rows of at least one cell that may be shorter or longer
// than the header (cell pads short rows with ""); and the numeric
// extraction every method runs either fails with an error or accounts for
// every row.
func checkDataset(t *testing.T, d *dataset, recs [][]string, utf8Only bool) {
	t.Helper()
	if len(d.header) == 0 {
		t.Fatalf("got an empty header without an error")
	}
	for _, h := range d.header {
		if h != strings.TrimSpace(h) {
			t.Fatalf("header name %q is not trimmed", h)
		}
		if utf8Only && !utf8.ValidString(h) {
			t.Fatalf("header name %q is not UTF-8 after decoding", h)
		}
	}
	if len(d.lines) != d.n || len(recs) != d.n {
		t.Fatalf("got %d line numbers and %d records for %d rows", len(d.lines), len(recs), d.n)
	}
	prev := int32(1) // the header's line
	for i, row := range recs {
		if len(row) == 0 {
			t.Fatalf("row %d has no cells", i+1)
		}
		if d.lines[i] <= prev {
			t.Fatalf("row %d starts on line %d, after a row or header on line %d", i+1, d.lines[i], prev)
		}
		prev = d.lines[i]
		for j := range d.header {
			got := d.cell(i, j)
			if j < len(row) && got != row[j] || j >= len(row) && got != "" {
				t.Fatalf("cell(%d, %d): got %q, want the row's cell or \"\"", i, j, got)
			}
			if utf8Only && !utf8.ValidString(got) {
				t.Fatalf("cell(%d, %d) %q is not UTF-8 after decoding", i, j, got)
			}
		}
	}
	c, err := d.numeric(d.header)
	if err != nil {
		return
	}
	if len(c.rows)+c.dropped != d.n {
		t.Fatalf("numeric: got %d kept + %d dropped rows, want %d", len(c.rows), c.dropped, d.n)
	}
	for k, col := range c.cols {
		if len(col) != len(c.rows) {
			t.Fatalf("numeric: column %d has %d values for %d rows", k, len(col), len(c.rows))
		}
	}
}

// sameTable reports whether two reads gave the same header, rows and
// line numbers (or both failed).
func sameTable(a *dataset, aErr error, b *dataset, bErr error) bool {
	if (aErr == nil) != (bErr == nil) {
		return false
	}
	if aErr != nil {
		return true
	}
	return reflect.DeepEqual(a.header, b.header) && reflect.DeepEqual(rowsOf(a), rowsOf(b)) && reflect.DeepEqual(a.lines, b.lines)
}

// FuzzReadTable reads arbitrary bytes as a CSV/TSV input file. It never
// panics and either fails with an error or returns a table that keeps the
// reader's contract (checkDataset). In UTF-8 the forms a spreadsheet may
// save the same table in read the same: with a byte-order mark, with CRLF
// line ends, and, for text GBK can encode, GBK read with --encoding gbk.
func FuzzReadTable(f *testing.F) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	plain := "编号,满意度,备注\n1,5,好\n2,4,\"多行\n备注\"\n3,NA,x\n4,2,\n5,,y\n"
	for _, s := range []struct {
		data string
		enc  uint8
	}{
		{plain, 0},
		{"\uFEFF" + plain, 0},
		{strings.ReplaceAll(plain, "\n", "\r\n"), 0},
		{strings.ReplaceAll(plain, ",", "\t"), 0},
		{string(gbk(plain)), 1},
		{string(gbk(plain)), 2},
		{"q1\n5\n\n\"\n\"\n4\n\n\n", 0},
		{"id,text\n1,\"say \"\"hi\"\"\"\n2,\"unterminated\n", 0},
		{"a,b\n1,2,3,4\n5\n", 0},
		{"a,b\n1e308,-1e308\nNaN,Inf\n0x10,1_000\n", 0},
		{"  \n", 0},
		{"", 0},
	} {
		f.Add([]byte(s.data), s.enc)
	}
	f.Fuzz(func(t *testing.T, data []byte, enc uint8) {
		encoding := fuzzEncodings[int(enc)%len(fuzzEncodings)]
		d, err := loadBytes(data, encoding)
		if (d == nil) == (err == nil) {
			t.Fatalf("got dataset %v and error %v, want exactly one", d != nil, err)
		}
		if err == nil {
			checkDataset(t, d, records(t, data, encoding), encoding == "gbk" || encoding == "gb18030")
		}
		if encoding != "utf-8" {
			return
		}
		if !bytes.HasPrefix(data, []byte("\uFEFF")) {
			b, bErr := loadBytes(append([]byte("\uFEFF"), data...), encoding)
			if !sameTable(d, err, b, bErr) {
				t.Fatalf("with a byte-order mark: got %v (%v), want %v (%v)", b, bErr, d, err)
			}
		}
		if !bytes.Contains(data, []byte("\r")) {
			c, cErr := loadBytes(bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")), encoding)
			if !sameTable(d, err, c, cErr) {
				t.Fatalf("with CRLF line ends: got %v (%v), want %v (%v)", c, cErr, d, err)
			}
		}
		if utf8.Valid(data) && !bytes.Contains(data, []byte("\uFEFF")) {
			if g, gErr := simplifiedchinese.GBK.NewEncoder().Bytes(data); gErr == nil {
				e, eErr := loadBytes(g, "gbk")
				if !sameTable(d, err, e, eErr) {
					t.Fatalf("as GBK: got %v (%v), want %v (%v)", e, eErr, d, err)
				}
			}
		}
	})
}
