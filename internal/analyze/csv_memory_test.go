package analyze

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
)

// wideExport generates rows of a 20-column export (about 120 bytes a row)
// without holding it in memory.
type wideExport struct {
	rows, done int
	buf        []byte
}

func (w *wideExport) Read(p []byte) (int, error) {
	for len(w.buf) < len(p) && w.done <= w.rows {
		if w.done == 0 {
			var h []string
			for j := range 20 {
				h = append(h, fmt.Sprintf("col%02d", j))
			}
			w.buf = append(w.buf, strings.Join(h, ",")+"\n"...)
		} else {
			for j := range 20 {
				if j > 0 {
					w.buf = append(w.buf, ',')
				}
				w.buf = fmt.Appendf(w.buf, "%d.%d", (w.done*7+j)%5+1, j)
			}
			w.buf = append(w.buf, '\n')
		}
		w.done++
	}
	if len(w.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, w.buf)
	w.buf = w.buf[n:]
	return n, nil
}

// TestDatasetKeepsOnlyUsedColumns reads a 36 MB export of 20 columns and
// uses one: what stays in memory is about that column (its text, one
// offset and one line number per row: under 5 MB for 300,000 rows), not
// the file (the earlier reader kept every record: about 30 times the file
// size in strings).
func TestDatasetKeepsOnlyUsedColumns(t *testing.T) {
	const rows = 300_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d, err := loadDataset("-", "utf-8", &wideExport{rows: rows}, columns("col07"))
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if d.n != rows {
		t.Fatalf("got %d rows, want %d", d.n, rows)
	}
	c, err := d.numeric([]string{"col07"})
	if err != nil || len(c.rows) != rows {
		t.Fatalf("numeric: %d rows, %v", len(c.rows), err)
	}
	if got := d.cell(rows-1, 7); got != fmt.Sprintf("%d.7", (rows*7+7)%5+1) {
		t.Errorf("last cell: got %q", got)
	}
	if kept > 8<<20 {
		t.Errorf("the dataset keeps %d MB for one used column of a 36 MB file, want under 8 MB", kept>>20)
	}
	runtime.KeepAlive(d)
}
