package analyze

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/evaluate"
)

// entropyOutput is the JSON of "analyze entropy".
type entropyOutput struct {
	Normalize  string    `json:"normalize"`
	Cost       []string  `json:"cost"`
	Dropped    int       `json:"dropped"`
	Indicators []string  `json:"indicators"`
	Rows       []string  `json:"rows"`
	Weights    []float64 `json:"weights"`
	Entropy    []float64 `json:"entropy"`
	Scores     []float64 `json:"scores"`
}

func runEntropy(c *cmdIO, args []string) error {
	fs := c.newFlags("entropy", "--csv FILE [--normalize none|minmax] [--cost A,B] [--columns A,B,C] [--json]", `
Entropy weight method (熵权法): rows are alternatives (centres, teams,
months), columns are indicators. When the first column is not numeric it
names the rows (or --label names the column that does); otherwise rows are
numbered 1, 2, … by data row. Every other
column is an indicator unless --columns selects some. Normalisation "none"
(the default) uses the values as they are (all must be positive, no cost
indicators); "minmax" rescales benefit indicators to (x−min)/(max−min) and
cost indicators to (max−x)/(max−min). Rows with an empty or NA indicator are
dropped and counted.`)
	var in inputFlags
	in.register(fs, "csv")
	norm := fs.String("normalize", "none", "normalisation: none or minmax")
	cost := fs.String("cost", "", "comma-separated cost `indicators` (smaller is better)")
	cols := fs.String("columns", "", "comma-separated indicator `columns` (default: all but the label column)")
	label := fs.String("label", "", "`column` naming the rows (default: the first column when it is not numeric)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := require(fs, "csv"); err != nil {
		return err
	}
	if *norm != string(evaluate.NormalizeNone) && *norm != string(evaluate.NormalizeMinMax) {
		return usageError(fs, "--normalize must be none or minmax, not %q", *norm)
	}
	d, err := in.load(c, entropyColumns(splitList(*cols), *label))
	if err != nil {
		return err
	}
	out, err := computeEntropy(d, splitList(*cols), *label, splitList(*cost), *norm)
	if err != nil {
		return err
	}
	if in.json {
		return writeJSON(c.stdout, out)
	}
	return writeEntropyTable(c.stdout, out)
}

// labelColumn returns the index of the first column when some cell in it
// is neither missing nor a number, else -1.
func (d *dataset) labelColumn() int {
	if len(d.header) < 2 {
		return -1
	}
	for i := range d.n {
		s := d.cell(i, 0)
		if isMissing(s) {
			continue
		}
		if _, ok := parseNumber(s); !ok {
			return 0
		}
	}
	return -1
}

// entropyColumns selects the indicators, the label column and the first
// column (which may be the label); no indicators means every column.
func entropyColumns(indicators []string, label string) columnSelector {
	if len(indicators) == 0 {
		return nil
	}
	return func(header []string) ([]string, error) {
		out := append([]string{}, indicators...)
		if label != "" {
			out = append(out, label)
		}
		if len(header) > 0 {
			out = append(out, header[0])
		}
		return out, nil
	}
}

// computeEntropy runs evaluate.Entropy. columns are the indicators (nil:
// every column but the row-label column); label names the row-label column
// ("" detects a non-numeric first column).
func computeEntropy(d *dataset, columns []string, label string, cost []string, norm string) (*entropyOutput, error) {
	labelIdx := -1
	if label != "" {
		j, err := d.column(label)
		if err != nil {
			return nil, err
		}
		labelIdx = j
	} else {
		labelIdx = d.labelColumn()
	}
	if len(columns) == 0 {
		for j, h := range d.header {
			if j != labelIdx {
				columns = append(columns, h)
			}
		}
	}
	if len(columns) == 0 {
		return nil, fmt.Errorf("entropy: no indicator columns")
	}
	isCost := make([]bool, len(columns))
	for _, name := range cost {
		found := false
		for k, col := range columns {
			if strings.EqualFold(col, name) {
				isCost[k], found = true, true
			}
		}
		if !found {
			return nil, fmt.Errorf("entropy: cost indicator %q is not an indicator; indicators: %s", name, strings.Join(quoteAll(columns), ", "))
		}
	}
	cc, err := d.numeric(columns)
	if err != nil {
		return nil, err
	}
	m := len(cc.rows)
	x := make([][]float64, m)
	rows := make([]string, m)
	for i, r := range cc.rows {
		x[i] = make([]float64, len(columns))
		for k := range columns {
			x[i][k] = cc.cols[k][i]
		}
		if labelIdx >= 0 {
			rows[i] = strings.TrimSpace(d.cell(r, labelIdx))
		} else {
			rows[i] = strconv.Itoa(r + 1)
		}
	}
	var costArg []bool
	if len(cost) > 0 {
		costArg = isCost
	}
	res, err := evaluate.Entropy(x, evaluate.Normalization(norm), costArg)
	var ie *evaluate.IndexError
	switch {
	case errors.As(err, &ie) && ie.Row >= 0:
		// Name the cell as every other error does: data row and column.
		return nil, fmt.Errorf("entropy: %s: data row %d (file line %d), column %q: %s",
			d.name, cc.rows[ie.Row]+1, d.lines[cc.rows[ie.Row]], columns[ie.Col], ie.Msg)
	case errors.As(err, &ie):
		return nil, fmt.Errorf("entropy: %s: column %q %s", d.name, columns[ie.Col], ie.Msg)
	case err != nil:
		return nil, prefixed("entropy", err)
	}
	if cost == nil {
		cost = []string{}
	}
	return &entropyOutput{
		Normalize: norm, Cost: cost, Dropped: cc.dropped, Indicators: columns, Rows: rows,
		Weights: res.Weights, Entropy: res.Entropy, Scores: res.Scores,
	}, nil
}

func writeEntropyTable(w io.Writer, out *entropyOutput) error {
	head := fmt.Sprintf("Entropy weights (normalisation %s): %s\n\n", out.Normalize, droppedLine(len(out.Rows), out.Dropped))
	if _, err := io.WriteString(w, head); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	t := newTable("indicator", "entropy", "weight", "type")
	for j, name := range out.Indicators {
		kind := "benefit"
		for _, c := range out.Cost {
			if strings.EqualFold(c, name) {
				kind = "cost"
			}
		}
		t.add(name, f6(out.Entropy[j]), f6(out.Weights[j]), kind)
	}
	if err := t.write(w); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	s := newTable("row", "score")
	for i, name := range out.Rows {
		s.add(name, f6(out.Scores[i]))
	}
	return s.write(w)
}
