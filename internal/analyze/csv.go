package analyze

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// openInput opens path for reading; "-" reads stdin (which is not closed).
func openInput(path string, stdin io.Reader) (io.ReadCloser, error) {
	if path == "-" {
		if stdin == nil {
			return nil, errors.New("no standard input")
		}
		return io.NopCloser(stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open input: %w", err)
	}
	return f, nil
}

// decode wraps r so that it yields UTF-8 text without a byte-order mark.
// Spreadsheets on Chinese Windows save "CSV" as GBK, hence the option.
func decode(r io.Reader, encoding string) (*bufio.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "utf-8", "utf8":
	case "gbk", "cp936":
		r = transform.NewReader(r, simplifiedchinese.GBK.NewDecoder())
	case "gb18030":
		r = transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
	default:
		return nil, fmt.Errorf("unknown encoding %q (use utf-8 or gbk)", encoding)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		if _, err := br.Discard(3); err != nil {
			return nil, fmt.Errorf("skip byte-order mark: %w", err)
		}
	}
	return br, nil
}

// csvStream reads a delimited file with a header row one record at a
// time, so that large inputs need not fit in memory. The delimiter is a
// tab when the header line contains one, a comma otherwise.
type csvStream struct {
	name   string
	r      *csv.Reader
	header []string
	rows   int // data rows read so far
	// lineOffset is the number of file lines before the data reader's
	// first line (the header).
	lineOffset int
}

// newCSVStream reads the header of r (already opened; name is used in
// messages) in the given encoding.
func newCSVStream(r io.Reader, name, encoding string) (*csvStream, error) {
	br, err := decode(r, encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	first, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	if strings.TrimSpace(first) == "" {
		return nil, fmt.Errorf("%s: empty file or blank first line: a header row is required", name)
	}
	hr := csv.NewReader(strings.NewReader(first))
	hr.LazyQuotes = true
	if strings.Contains(first, "\t") {
		hr.Comma = '\t'
	}
	header, err := hr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: read header: %w", name, err)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
	}
	var data io.Reader = br
	if len(header) == 1 {
		// In a one-column file an empty answer is an empty line, which
		// encoding/csv would skip instead of counting it as missing.
		data = &blankFiller{r: br}
	}
	cr := csv.NewReader(data)
	cr.Comma = hr.Comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = false
	return &csvStream{name: name, r: cr, header: header, lineOffset: 1}, nil
}

// next returns the next data record and the file line it starts on; it
// returns io.EOF at the end.
func (s *csvStream) next() ([]string, int, error) {
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, 0, io.EOF
	}
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", s.name, err)
	}
	s.rows++
	line, _ := s.r.FieldPos(0)
	return rec, line + s.lineOffset, nil
}

// blankFiller turns empty lines outside quoted cells into "" lines, so that
// csv reads them as records with one empty cell; blank lines at the end of
// the input are dropped.
type blankFiller struct {
	r       *bufio.Reader
	buf     []byte
	pending int // blank lines not yet emitted
	inQuote bool
	err     error
}

func (f *blankFiller) Read(p []byte) (int, error) {
	for len(f.buf) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		line, err := f.r.ReadString('\n')
		if err != nil {
			f.err = err
		}
		if line == "" {
			continue
		}
		if !f.inQuote && strings.TrimRight(line, "\r\n") == "" {
			f.pending++
			continue
		}
		if !f.inQuote {
			for ; f.pending > 0; f.pending-- {
				f.buf = append(f.buf, "\"\"\n"...)
			}
		}
		if strings.Count(line, `"`)%2 == 1 {
			f.inQuote = !f.inQuote
		}
		f.buf = append(f.buf, line...)
	}
	n := copy(p, f.buf)
	f.buf = f.buf[n:]
	return n, nil
}

// column returns the index of the named column of the header.
func (s *csvStream) column(name string) (int, error) {
	return columnIndex(s.name, s.header, name)
}

func columnIndex(file string, header []string, name string) (int, error) {
	want := strings.TrimSpace(name)
	for i, h := range header {
		if h == want {
			return i, nil
		}
	}
	for i, h := range header {
		if strings.EqualFold(h, want) {
			return i, nil
		}
	}
	return -1, fmt.Errorf("%s: no column %q; available columns: %s", file, name, strings.Join(quoteAll(header), ", "))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// dataset is a delimited file read into memory for the analyses that
// need every row at once — but only the columns the analysis uses, stored
// column by column in one byte buffer each (a cell costs its bytes plus
// four). encoding/csv returns a record's cells as slices of one string, so
// keeping cells as strings would keep whole lines alive: a 10 MB export
// once took 300 MB. A 1 GB export of which two columns are used now takes
// roughly the size of those two columns.
type dataset struct {
	name   string
	header []string // every column of the file, for messages and selection
	slot   []int    // per header column: its index in cols, or -1 when not kept
	cols   []columnData
	lines  []int32 // file line on which each row starts
	n      int     // rows
}

// columnData is one kept column: row i's cell is buf[start(i):end[i]].
type columnData struct {
	buf []byte
	end []uint32
}

func (c *columnData) start(i int) uint32 {
	if i == 0 {
		return 0
	}
	return c.end[i-1]
}

// columnSelector names the columns an analysis needs, given the file's
// header; nil keeps every column. Names are matched like --column values
// (exact, then case-insensitive); an unknown name is an error before any
// row is read.
type columnSelector func(header []string) ([]string, error)

// columns is a selector for a fixed list of names.
func columns(names ...string) columnSelector {
	return func([]string) ([]string, error) { return names, nil }
}

// loadDataset reads the file at path ("-": stdin), keeping the columns
// keep selects (nil: all).
func loadDataset(path, encoding string, stdin io.Reader, keep columnSelector) (*dataset, error) {
	rc, err := openInput(path, stdin)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	name := path
	if path == "-" {
		name = "stdin"
	}
	s, err := newCSVStream(rc, name, encoding)
	if err != nil {
		return nil, err
	}
	d := &dataset{name: name, header: s.header, slot: make([]int, len(s.header))}
	for j := range d.slot {
		d.slot[j] = -1
	}
	var kept []int // header index of each stored column
	if keep == nil {
		for j := range s.header {
			kept = append(kept, j)
		}
	} else {
		names, err := keep(s.header)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			j, err := d.column(n)
			if err != nil {
				return nil, err
			}
			if d.slot[j] < 0 {
				d.slot[j] = -2 // mark; numbered below in header order
			}
		}
		for j := range s.header {
			if d.slot[j] == -2 {
				kept = append(kept, j)
			}
		}
	}
	for k, j := range kept {
		d.slot[j] = k
	}
	d.cols = make([]columnData, len(kept))
	for {
		rec, line, err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		for k, j := range kept {
			c := &d.cols[k]
			if j < len(rec) {
				c.buf = append(c.buf, rec[j]...)
			}
			if len(c.buf) > math.MaxUint32 {
				return nil, fmt.Errorf("%s: column %q holds more than 4 GiB of text", name, d.header[j])
			}
			c.end = append(c.end, uint32(len(c.buf)))
		}
		if line > math.MaxInt32 {
			return nil, fmt.Errorf("%s: more than %d lines", name, math.MaxInt32)
		}
		d.lines = append(d.lines, int32(line))
		d.n++
	}
	return d, nil
}

// column returns the index (in the header) of the named column.
func (d *dataset) column(name string) (int, error) {
	return columnIndex(d.name, d.header, name)
}

// cell returns row i's cell in header column j ("" when the row is
// short). Reading a column the analysis did not select is a programming
// error.
func (d *dataset) cell(i, j int) string {
	k := d.slot[j]
	if k < 0 {
		panic(fmt.Sprintf("analyze: column %q was not loaded", d.header[j]))
	}
	c := &d.cols[k]
	return string(c.buf[c.start(i):c.end[i]])
}

// cellError describes a cell that is neither a number nor missing.
func (d *dataset) cellError(i, j int, what string) error {
	return fmt.Errorf("%s: data row %d (file line %d), column %q: %q is not %s (empty cells and NA count as missing)",
		d.name, i+1, d.lines[i], d.header[j], strings.TrimSpace(d.cell(i, j)), what)
}

// isMissing reports whether a cell counts as missing data.
func isMissing(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || strings.EqualFold(s, "NA")
}

// parseNumber parses a finite number.
func parseNumber(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// complete holds numeric columns restricted to complete cases.
type complete struct {
	cols    [][]float64 // one slice per requested column
	rows    []int       // dataset row index of each kept case
	dropped int         // rows with a missing cell in a requested column
}

// numeric extracts the named columns as numbers, keeping only rows where
// all of them are present. Any other non-numeric cell is an error naming
// its row and column.
func (d *dataset) numeric(names []string) (*complete, error) {
	idx := make([]int, len(names))
	for k, n := range names {
		j, err := d.column(n)
		if err != nil {
			return nil, err
		}
		idx[k] = j
	}
	c := &complete{cols: make([][]float64, len(names))}
	vals := make([]float64, len(names))
	for i := range d.n {
		missing := false
		for k, j := range idx {
			s := d.cell(i, j)
			if isMissing(s) {
				missing = true
				continue
			}
			v, ok := parseNumber(s)
			if !ok {
				return nil, d.cellError(i, j, "a number")
			}
			vals[k] = v
		}
		if missing {
			c.dropped++
			continue
		}
		for k := range idx {
			c.cols[k] = append(c.cols[k], vals[k])
		}
		c.rows = append(c.rows, i)
	}
	return c, nil
}

// splitList splits a comma-separated flag value, trimming blanks and
// dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseFloats parses a comma-separated list of numbers or fractions
// such as "0.4,1/3".
func parseFloats(s string) ([]float64, error) {
	items := splitList(s)
	if len(items) == 0 {
		return nil, errors.New("empty list")
	}
	out := make([]float64, len(items))
	for i, it := range items {
		v, err := parseFraction(it)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func parseFraction(s string) (float64, error) {
	num, den, isFrac := strings.Cut(s, "/")
	a, ok := parseNumber(num)
	if !ok {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if !isFrac {
		return a, nil
	}
	b, ok := parseNumber(den)
	if !ok || b == 0 {
		return 0, fmt.Errorf("%q is not a valid fraction", s)
	}
	return a / b, nil
}
