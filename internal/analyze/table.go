package analyze

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// textTable is a plain-text table for terminal output: numeric columns are
// right-aligned, the others left-aligned, widths counted in terminal cells
// so that Chinese labels line up.
type textTable struct {
	header []string
	rows   [][]string
}

func newTable(header ...string) *textTable { return &textTable{header: header} }

// add appends a row.
func (t *textTable) add(cells ...string) { t.rows = append(t.rows, cells) }

// write prints the table to w.
func (t *textTable) write(w io.Writer) error {
	widths := make([]int, len(t.header))
	all := append([][]string{t.header}, t.rows...)
	for _, r := range all {
		for i, c := range r {
			if i < len(widths) && cellWidth(c) > widths[i] {
				widths[i] = cellWidth(c)
			}
		}
	}
	right := make([]bool, len(widths))
	for i := range right {
		right[i] = len(t.rows) > 0
		for _, r := range t.rows {
			if i < len(r) && r[i] != "" {
				if _, ok := parseNumber(r[i]); !ok {
					right[i] = false
				}
			}
		}
	}
	var b strings.Builder
	line := func(r []string) {
		var l strings.Builder
		for i := range widths {
			c := ""
			if i < len(r) {
				c = r[i]
			}
			pad := strings.Repeat(" ", widths[i]-cellWidth(c))
			if i > 0 {
				l.WriteString("  ")
			}
			if right[i] {
				l.WriteString(pad + c)
			} else {
				l.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	line(t.header)
	sep := make([]string, len(widths))
	for i, n := range widths {
		sep[i] = strings.Repeat("-", n)
	}
	line(sep)
	for _, r := range t.rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// cellWidth is the number of terminal cells s occupies.
func cellWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// f4 formats a number with four decimals.
func f4(v float64) string { return fmt.Sprintf("%.4f", v) }

// f6 formats a number with six decimals.
func f6(v float64) string { return fmt.Sprintf("%.6f", v) }
