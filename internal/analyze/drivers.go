package analyze

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aftercare/aftercare/internal/evaluate"
)

// driversOutput is the JSON of "analyze drivers".
type driversOutput struct {
	N              int               `json:"n"`
	Dropped        int               `json:"dropped"`
	Target         string            `json:"target"`
	R2             float64           `json:"r2"`
	PerformanceCut float64           `json:"performance_cut"`
	ImportanceCut  float64           `json:"importance_cut"`
	Predictors     []evaluate.Driver `json:"predictors"`
}

func runDrivers(c *cmdIO, args []string) error {
	fs := c.newFlags("drivers", "--csv FILE --target COL --predictors A,B,C [--json]", `
Key-driver analysis of an overall rating (--target) on dimension ratings
(--predictors): Pearson r, standardised β, Johnson's relative weights and
their shares, Shapley/LMG, and the importance–performance (IPA) quadrant of
each predictor (performance = mean rating, importance = relative-weight
share, cross-hairs at the means). Rows with an empty or NA cell in any of
these columns are dropped (complete cases) and counted. The table ends with
the "fix this first" list: the predictors in quadrant I (concentrate here),
most important first.`)
	var in inputFlags
	in.register(fs, "csv")
	target := fs.String("target", "", "`column` of the overall rating (y)")
	preds := fs.String("predictors", "", "comma-separated predictor `columns`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := require(fs, "csv", "target", "predictors"); err != nil {
		return err
	}
	d, err := in.load(c, columns(append([]string{*target}, splitList(*preds)...)...))
	if err != nil {
		return err
	}
	out, err := computeDrivers(d, *target, splitList(*preds))
	if err != nil {
		return err
	}
	if in.json {
		return writeJSON(c.stdout, out)
	}
	return writeDriversTable(c.stdout, out)
}

// computeDrivers runs evaluate.Drivers on the complete cases of target and
// predictors.
func computeDrivers(d *dataset, target string, predictors []string) (*driversOutput, error) {
	if len(predictors) == 0 {
		return nil, fmt.Errorf("drivers: no predictors given")
	}
	cc, err := d.numeric(append([]string{target}, predictors...))
	if err != nil {
		return nil, err
	}
	res, err := evaluate.Drivers(cc.cols[0], cc.cols[1:], predictors)
	if err != nil {
		return nil, prefixed("drivers", err)
	}
	return &driversOutput{
		N: res.N, Dropped: cc.dropped, Target: target, R2: res.R2,
		PerformanceCut: res.PerformanceCut, ImportanceCut: res.ImportanceCut,
		Predictors: res.Predictors,
	}, nil
}

// quadrantLabel names an IPA quadrant for the English table output.
func quadrantLabel(q evaluate.Quadrant) string {
	switch q {
	case evaluate.QuadrantConcentrate:
		return "I concentrate here"
	case evaluate.QuadrantKeepUp:
		return "II keep up the good work"
	case evaluate.QuadrantLowPriority:
		return "III low priority"
	case evaluate.QuadrantOverkill:
		return "IV possible overkill"
	}
	return string(q)
}

// fixFirst returns the predictors in the concentrate quadrant, largest
// importance share first.
func fixFirst(ps []evaluate.Driver) []evaluate.Driver {
	var out []evaluate.Driver
	for _, p := range ps {
		if p.Quadrant == evaluate.QuadrantConcentrate {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b evaluate.Driver) int {
		switch {
		case a.RelativeWeightShare > b.RelativeWeightShare:
			return -1
		case a.RelativeWeightShare < b.RelativeWeightShare:
			return 1
		}
		return 0
	})
	return out
}

func writeDriversTable(w io.Writer, out *driversOutput) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Drivers of %s: %s\nR² = %s\n\n", out.Target, droppedLine(out.N, out.Dropped), f6(out.R2))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	t := newTable("predictor", "mean", "r", "beta", "rel.weight", "share", "LMG", "IPA quadrant")
	for _, p := range out.Predictors {
		t.add(p.Name, f4(p.Mean), f4(p.R), f4(p.Beta), fmt.Sprintf("%.5f", p.RelativeWeight),
			f4(p.RelativeWeightShare), fmt.Sprintf("%.5f", p.LMG), quadrantLabel(p.Quadrant))
	}
	if err := t.write(w); err != nil {
		return err
	}
	b.Reset()
	fmt.Fprintf(&b, "\nCross-hairs: performance %s, importance share %s\n", f4(out.PerformanceCut), f4(out.ImportanceCut))
	b.WriteString("\nFix this first (quadrant I: important, low performance; by importance share):\n")
	fix := fixFirst(out.Predictors)
	if len(fix) == 0 {
		b.WriteString("  (none)\n")
	}
	for i, p := range fix {
		fmt.Fprintf(&b, "  %d. %s  share %s  mean %s\n", i+1, p.Name, f4(p.RelativeWeightShare), f4(p.Mean))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
