package analyze

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/evaluate"
)

func runAHP(c *cmdIO, args []string) error {
	fs := c.newFlags("ahp", `--matrix "1,1/3,1/5;3,1,1/4;5,4,1" [--method eigen|geometric|arithmetic] [--ri LIST] [--json]`, `
AHP (层次分析法): weights of n criteria from a reciprocal pairwise comparison
matrix on Saaty's 1–9 scale, with λmax, CI = (λmax−n)/(n−1), CR = CI/RI and
whether the matrix is consistent (CR < 0.10). Rows are separated by ';',
cells by ','; cells may be fractions such as 1/3. Methods: eigen (principal
eigenvector, the default), geometric (geometric mean of rows), arithmetic
(column-normalised row average). --ri overrides Saaty's random index table
(n = 1, 2, …: 0,0,0.58,0.90,1.12,1.24,1.32,1.41,1.45,1.49).`)
	matrix := fs.String("matrix", "", "pairwise comparison `matrix`: rows separated by ';', cells by ','")
	methodName := fs.String("method", "eigen", "weighting method: eigen, geometric or arithmetic")
	riFlag := fs.String("ri", "", "random index `list` for n = 1, 2, … (default Saaty's)")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := require(fs, "matrix"); err != nil {
		return err
	}
	m := evaluate.AHPMethod(*methodName)
	switch m {
	case evaluate.AHPEigen, evaluate.AHPGeometric, evaluate.AHPArithmetic:
	default:
		return usageError(fs, "--method must be eigen, geometric or arithmetic, not %q", *methodName)
	}
	var ri []float64
	if strings.TrimSpace(*riFlag) != "" {
		var err error
		if ri, err = parseFloats(*riFlag); err != nil {
			return usageError(fs, "--ri: %v", err)
		}
	}
	a, err := evaluate.ParseMatrix(*matrix)
	if err != nil {
		return fmt.Errorf("ahp: --matrix: %w", err)
	}
	res, err := evaluate.AHP(a, m, ri)
	if err != nil {
		return prefixed("ahp", err)
	}
	if *asJSON {
		return writeJSON(c.stdout, res)
	}
	return writeAHPTable(c.stdout, res)
}

func writeAHPTable(w io.Writer, res evaluate.AHPResult) error {
	t := newTable("criterion", "weight")
	for i, v := range res.Weights {
		t.add(strconv.Itoa(i+1), f6(v))
	}
	if err := t.write(w); err != nil {
		return err
	}
	verdict := "consistent (CR < 0.10)"
	if !res.Consistent {
		verdict = "NOT consistent (CR ≥ 0.10): revise the judgements"
	}
	_, err := fmt.Fprintf(w, "\nλmax = %s, CI = %s, CR = %s: %s\n", f6(res.LambdaMax), f6(res.CI), f6(res.CR), verdict)
	if err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}
