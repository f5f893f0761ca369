package analyze

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/evaluate"
)

func runFuzzy(c *cmdIO, args []string) error {
	fs := c.newFlags("fuzzy", `--weights 0.4,0.3,0.2,0.1 --matrix "r11,r12,…;r21,…" [--operator weighted|maxmin|product_max|bounded_sum] [--grades 95,85,75,60] [--json]`, `
Fuzzy comprehensive evaluation (模糊综合评价): B = A ∘ R for factor weights
A and membership matrix R (one row per factor, one column per grade: the
share of answers for that factor at that grade). Operators: weighted
M(·,⊕) (the default), maxmin M(∧,∨), product_max M(·,∨), bounded_sum
M(∧,⊕). The grade is the one with maximum membership (grade_index is
1-based). The score S = B·v uses the normalised B and the grade scores v:
--grades, or 100,80,60,40,20 when there are exactly five grades; otherwise
the score is null.`)
	weights := fs.String("weights", "", "comma-separated factor `weights`")
	matrix := fs.String("matrix", "", "membership `matrix`, m factors × k grades: rows (factors) separated by ';', cells (grades) by ','")
	op := fs.String("operator", "weighted", "composition operator: weighted, maxmin, product_max or bounded_sum")
	gradesFlag := fs.String("grades", "", "comma-separated grade `scores`, one per grade")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := require(fs, "weights", "matrix"); err != nil {
		return err
	}
	o := evaluate.FuzzyOperator(*op)
	switch o {
	case evaluate.FuzzyWeighted, evaluate.FuzzyMaxMin, evaluate.FuzzyProductMax, evaluate.FuzzyBoundedSum:
	default:
		return usageError(fs, "--operator must be weighted, maxmin, product_max or bounded_sum, not %q", *op)
	}
	w, err := parseFloats(*weights)
	if err != nil {
		return usageError(fs, "--weights: %v", err)
	}
	var grades []float64
	if strings.TrimSpace(*gradesFlag) != "" {
		if grades, err = parseFloats(*gradesFlag); err != nil {
			return usageError(fs, "--grades: %v", err)
		}
	}
	r, err := evaluate.ParseTable(*matrix)
	if err != nil {
		return fmt.Errorf("fuzzy: --matrix: %w", err)
	}
	res, err := evaluate.Fuzzy(w, r, o, grades)
	if err != nil {
		return prefixed("fuzzy", err)
	}
	if *asJSON {
		return writeJSON(c.stdout, res)
	}
	return writeFuzzyTable(c.stdout, res)
}

func writeFuzzyTable(w io.Writer, res evaluate.FuzzyResult) error {
	t := newTable("grade", "membership b", "note")
	for i, v := range res.B {
		mark := ""
		if i+1 == res.GradeIndex {
			mark = "← maximum"
		}
		t.add(strconv.Itoa(i+1), f6(v), mark)
	}
	if err := t.write(w); err != nil {
		return err
	}
	score := "none (give --grades, or use exactly five grades)"
	if res.Score != nil {
		score = f4(*res.Score)
	}
	if _, err := fmt.Fprintf(w, "\nGrade: %d; score: %s\n", res.GradeIndex, score); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
