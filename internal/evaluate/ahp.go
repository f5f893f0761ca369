package evaluate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// AHPMethod selects how AHP weights are derived from a pairwise matrix.
type AHPMethod string

// AHP weighting methods.
const (
	AHPEigen      AHPMethod = "eigen"
	AHPGeometric  AHPMethod = "geometric"
	AHPArithmetic AHPMethod = "arithmetic"
)

// AHPResult is the outcome of one pairwise comparison matrix.
type AHPResult struct {
	Weights    []float64 `json:"weights"`
	LambdaMax  float64   `json:"lambda_max"`
	CI         float64   `json:"ci"`
	CR         float64   `json:"cr"`
	Consistent bool      `json:"consistent"`
}

// MaxConsistencyRatio is Saaty's threshold: a matrix is consistent when
// CR < MaxConsistencyRatio.
const MaxConsistencyRatio = 0.10

// reciprocalTolerance is how far a_ji may be from 1/a_ij (and a_ii from 1).
const reciprocalTolerance = 1e-6

// SaatyRI returns Saaty's (1980) random consistency index for n = 1…10:
// 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49.
func SaatyRI() []float64 {
	return []float64{0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49}
}

// AHP weighs an n×n pairwise comparison matrix on Saaty's 1–9 scale (Saaty
// 1980); ri is the random index table for n = 1… (nil: SaatyRI). Methods:
//
//	eigen (default, also ""): w = principal right eigenvector of A, Σw = 1
//	geometric:  w_i ∝ (Π_j a_ij)^(1/n)
//	arithmetic: w_i = (1/n) Σ_j a_ij / Σ_k a_kj   (column-normalised row average)
//
// and for every method
//
//	λmax = (1/n) Σ_i (Aw)_i / w_i,  CI = (λmax − n)/(n − 1),  CR = CI/RI_n,
//
// consistent when CR < 0.10. For n ≤ 2 (RI 0) CI and CR are 0. The matrix
// must be square, finite and positive with a unit diagonal and reciprocal
// (a_ji = 1/a_ij within 1e-6); errors name the 1-based row and column, as
// in a_ij. n beyond the
// RI table, or a zero RI entry for n > 2, is an error.
func AHP(a [][]float64, method AHPMethod, ri []float64) (AHPResult, error) {
	n, err := checkPairwise(a)
	if err != nil {
		return AHPResult{}, err
	}
	if ri == nil {
		ri = SaatyRI()
	}
	if n > len(ri) {
		return AHPResult{}, fmt.Errorf("ahp: matrix is %d×%d but the RI table stops at n = %d; give a longer table", n, n, len(ri))
	}
	if n > 2 && !(ri[n-1] > 0) {
		return AHPResult{}, fmt.Errorf("ahp: RI for n = %d is %v, want positive", n, ri[n-1])
	}

	var w []float64
	switch method {
	case AHPEigen, "":
		w, err = eigenWeights(a)
		if err != nil {
			return AHPResult{}, err
		}
	case AHPGeometric:
		w = make([]float64, n)
		for i, row := range a {
			var s float64
			for _, v := range row {
				s += math.Log(v)
			}
			w[i] = math.Exp(s / float64(n))
		}
	case AHPArithmetic:
		w = make([]float64, n)
		for j := range n {
			var col float64
			for i := range n {
				col += a[i][j]
			}
			for i := range n {
				w[i] += a[i][j] / col / float64(n)
			}
		}
	default:
		return AHPResult{}, fmt.Errorf("ahp: unknown method %q (want eigen, geometric or arithmetic)", method)
	}
	normalise(w)

	var lambda float64
	for i, row := range a {
		var aw float64
		for j, v := range row {
			aw += v * w[j]
		}
		lambda += aw / w[i]
	}
	lambda /= float64(n)
	res := AHPResult{Weights: w, LambdaMax: lambda, Consistent: true}
	if n > 2 {
		res.CI = (lambda - float64(n)) / float64(n-1)
		res.CR = res.CI / ri[n-1]
		res.Consistent = res.CR < MaxConsistencyRatio
	}
	return res, nil
}

// checkPairwise validates a pairwise comparison matrix and returns n.
func checkPairwise(a [][]float64) (int, error) {
	n := len(a)
	if n == 0 {
		return 0, matrixErr("ahp", "empty matrix")
	}
	for i, row := range a {
		if len(row) != n {
			return 0, matrixErr("ahp", "matrix is not square: row %d has %d values, want %d", i+1, len(row), n)
		}
		for j, v := range row {
			if !(v > 0) || math.IsInf(v, 0) {
				return 0, matrixErr("ahp", "a[%d][%d] = %v, want a positive finite number", i+1, j+1, v)
			}
		}
	}
	for i := range n {
		if math.Abs(a[i][i]-1) > reciprocalTolerance {
			return 0, matrixErr("ahp", "diagonal a[%d][%d] = %v, want 1", i+1, i+1, a[i][i])
		}
		for j := i + 1; j < n; j++ {
			if math.Abs(a[j][i]-1/a[i][j]) > reciprocalTolerance {
				return 0, matrixErr("ahp", "not reciprocal: a[%d][%d] = %v but a[%d][%d] = %v, want %v", i+1, j+1, a[i][j], j+1, i+1, a[j][i], 1/a[i][j])
			}
		}
	}
	return n, nil
}

// eigenWeights returns the principal right eigenvector of the positive
// matrix a (its Perron vector), normalised to sum 1.
func eigenWeights(a [][]float64) ([]float64, error) {
	n := len(a)
	d := mat.NewDense(n, n, nil)
	for i, row := range a {
		d.SetRow(i, row)
	}
	var eig mat.Eigen
	if !eig.Factorize(d, mat.EigenRight) {
		return nil, fmt.Errorf("ahp: eigendecomposition failed")
	}
	vals := eig.Values(nil)
	best := 0
	for k, v := range vals {
		if real(v) > real(vals[best]) {
			best = k
		}
	}
	var vecs mat.CDense
	eig.VectorsTo(&vecs)
	w := make([]float64, n)
	var s float64
	for i := range n {
		w[i] = real(vecs.At(i, best))
		s += w[i]
	}
	for i := range w {
		w[i] /= s
		if !(w[i] > 0) {
			return nil, fmt.Errorf("ahp: principal eigenvector has a non-positive entry %d (%v)", i+1, w[i])
		}
	}
	return w, nil
}

func normalise(w []float64) {
	var s float64
	for _, v := range w {
		s += v
	}
	for i := range w {
		w[i] /= s
	}
}

// ParseMatrix parses "1,1/3,1/5;3,1,1/4;5,4,1": rows separated by ';',
// cells by ',', each a number or a fraction a/b; spaces are ignored. The
// result must be square; errors name the 1-based row and column.
func ParseMatrix(s string) ([][]float64, error) {
	rows := strings.Split(strings.TrimSuffix(strings.TrimSpace(s), ";"), ";")
	for i, row := range rows {
		if n := len(strings.Split(row, ",")); strings.TrimSpace(s) != "" && n != len(rows) {
			return nil, matrixErr("matrix", "row %d has %d cells, want %d (a square matrix)", i+1, n, len(rows))
		}
	}
	return ParseTable(s)
}

// ParseTable reads a rectangular matrix written as rows separated by ';'
// and cells by ',' (cells may be fractions such as 1/3): m rows of k
// cells each, for instance a fuzzy membership matrix of m factors × k
// grades. Every row must have as many cells as the first.
func ParseTable(s string) ([][]float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, matrixErr("matrix", "empty")
	}
	rows := strings.Split(strings.TrimSuffix(s, ";"), ";")
	out := make([][]float64, len(rows))
	for i, row := range rows {
		cells := strings.Split(row, ",")
		if i > 0 && len(cells) != len(out[0]) {
			return nil, matrixErr("matrix", "row %d has %d cells, row 1 has %d", i+1, len(cells), len(out[0]))
		}
		out[i] = make([]float64, len(cells))
		for j, c := range cells {
			c = strings.TrimSpace(c)
			v, why := parseCell(c)
			if why != "" {
				return nil, matrixErr("matrix", "row %d, column %d: %q "+why, i+1, j+1, c)
			}
			out[i][j] = v
		}
	}
	return out, nil
}

// parseCell reads a number or fraction; why says what is wrong with c
// ("" when nothing is).
func parseCell(c string) (v float64, why string) {
	const notNumber = "is not a number or fraction"
	num, den, frac := strings.Cut(c, "/")
	a, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil {
		return 0, notNumber
	}
	if !frac {
		return a, ""
	}
	b, err := strconv.ParseFloat(strings.TrimSpace(den), 64)
	if err != nil {
		return 0, notNumber
	}
	if b == 0 {
		return 0, "divides by zero"
	}
	return a / b, ""
}

// MatrixError is a matrix that cannot be read or is not a valid pairwise
// comparison matrix. Error() reads "prefix: message"; Format and Args
// are the message apart, so that a product can translate it (they name
// the 1-based row and column).
type MatrixError struct {
	Prefix string
	Format string
	Args   []any
}

func (e *MatrixError) Error() string { return e.Prefix + ": " + fmt.Sprintf(e.Format, e.Args...) }

func matrixErr(prefix, format string, args ...any) error {
	return &MatrixError{Prefix: prefix, Format: format, Args: args}
}
