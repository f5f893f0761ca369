package evaluate

import (
	"fmt"
	"math"
)

// FuzzyOperator is a composition operator of fuzzy comprehensive evaluation.
type FuzzyOperator string

// Fuzzy operators.
const (
	FuzzyWeighted   FuzzyOperator = "weighted"    // M(·,⊕)
	FuzzyMaxMin     FuzzyOperator = "maxmin"      // M(∧,∨)
	FuzzyProductMax FuzzyOperator = "product_max" // M(·,∨)
	FuzzyBoundedSum FuzzyOperator = "bounded_sum" // M(∧,⊕)
)

// FuzzyResult is a fuzzy comprehensive evaluation.
type FuzzyResult struct {
	B          []float64 `json:"b"`
	GradeIndex int       `json:"grade_index"` // 1-based
	Score      *float64  `json:"score"`       // nil when no grade scores apply
}

// DefaultFiveGrades are the grade scores used when there are exactly five
// grades and none are given: 100, 80, 60, 40, 20.
func DefaultFiveGrades() []float64 { return []float64{100, 80, 60, 40, 20} }

// Fuzzy evaluates B = A ∘ R (fuzzy comprehensive evaluation, 模糊综合评价,
// on fuzzy sets after Zadeh 1965, with the four classic composition
// operator models) for weights A (one per factor,
// non-negative, not all zero) and a membership matrix R (one row per
// factor, one column per grade, entries in [0, 1]):
//
//	weighted (default, also ""), M(·,⊕): b_j = Σ_i a_i r_ij
//	maxmin,      M(∧,∨): b_j = max_i min(a_i, r_ij)
//	product_max, M(·,∨): b_j = max_i a_i r_ij
//	bounded_sum, M(∧,⊕): b_j = min(1, Σ_i min(a_i, r_ij))
//
// GradeIndex is the 1-based grade of maximum membership (the first on a
// tie). With grade scores v the score is S = Σ_j (b_j / Σ_k b_k) v_j;
// grades nil means DefaultFiveGrades for exactly five grades and no score
// (nil) otherwise; given grades must have one score per column of R.
// Errors name factors, grades and cells of R 1-based, as in r_ij.
func Fuzzy(weights []float64, r [][]float64, op FuzzyOperator, grades []float64) (FuzzyResult, error) {
	m, err := checkFuzzy(weights, r)
	if err != nil {
		return FuzzyResult{}, err
	}
	if grades != nil && len(grades) != m {
		return FuzzyResult{}, fmt.Errorf("fuzzy: %d grade scores for %d grades", len(grades), m)
	}
	for j, v := range grades {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return FuzzyResult{}, fmt.Errorf("fuzzy: grade score %d is %v, want a finite number", j+1, v)
		}
	}
	b := make([]float64, m)
	for j := range m {
		var acc float64
		for i, a := range weights {
			x := r[i][j]
			switch op {
			case FuzzyWeighted, "":
				acc += a * x
			case FuzzyMaxMin:
				acc = max(acc, min(a, x))
			case FuzzyProductMax:
				acc = max(acc, a*x)
			case FuzzyBoundedSum:
				acc += min(a, x)
			default:
				return FuzzyResult{}, fmt.Errorf("fuzzy: unknown operator %q (want weighted, maxmin, product_max or bounded_sum)", op)
			}
		}
		if op == FuzzyBoundedSum {
			acc = min(1, acc)
		}
		b[j] = acc
	}
	var total float64
	grade := 0
	for j, v := range b {
		total += v
		if v > b[grade] {
			grade = j
		}
	}
	if !(total > 0) {
		return FuzzyResult{}, fmt.Errorf("fuzzy: every membership of B is 0, no grade can be chosen")
	}
	res := FuzzyResult{B: b, GradeIndex: grade + 1}
	if grades == nil && m == 5 {
		grades = DefaultFiveGrades()
	}
	if grades != nil {
		var s float64
		for j, v := range b {
			s += v / total * grades[j]
		}
		res.Score = &s
	}
	return res, nil
}

// checkFuzzy validates A and R and returns the number of grades.
func checkFuzzy(weights []float64, r [][]float64) (int, error) {
	if len(weights) == 0 {
		return 0, fmt.Errorf("fuzzy: no factors")
	}
	if len(r) != len(weights) {
		return 0, fmt.Errorf("fuzzy: %d weights for %d rows of R", len(weights), len(r))
	}
	var s float64
	for i, a := range weights {
		if !(a >= 0) || math.IsInf(a, 0) {
			return 0, fmt.Errorf("fuzzy: weight %d is %v, want a non-negative finite number", i+1, a)
		}
		s += a
	}
	if s == 0 {
		return 0, fmt.Errorf("fuzzy: weights sum to 0")
	}
	m := len(r[0])
	if m == 0 {
		return 0, fmt.Errorf("fuzzy: R has no grades")
	}
	for i, row := range r {
		if len(row) != m {
			return 0, fmt.Errorf("fuzzy: row %d of R has %d grades, row 1 has %d", i+1, len(row), m)
		}
		for j, v := range row {
			if !(v >= 0 && v <= 1) {
				return 0, fmt.Errorf("fuzzy: R[%d][%d] = %v, want a membership in [0, 1]", i+1, j+1, v)
			}
		}
	}
	return m, nil
}

// FuzzyGroup is one upper-level factor of a two-level fuzzy evaluation: the
// weights and membership matrix of its sub-factors.
type FuzzyGroup struct {
	Weights []float64   `json:"weights"`
	R       [][]float64 `json:"r"`
}

// FuzzyTwoLevelResult is a two-level fuzzy comprehensive evaluation.
type FuzzyTwoLevelResult struct {
	Overall FuzzyResult   `json:"overall"`
	Groups  []FuzzyResult `json:"groups"` // one per upper-level factor
}

// FuzzyTwoLevel performs a two-level fuzzy comprehensive evaluation: each
// group k is evaluated as B_k = A_k ∘ R_k (see Fuzzy), B_k is normalised to
// sum 1, and the normalised B_k become the rows of the upper level's
// membership matrix, so B = A ∘ [B_1; …; B_K] with the upper weights A. The
// same operator and grade scores apply at both levels; all groups must have
// the same number of grades. This is the multi-level model of fuzzy
// comprehensive evaluation (after Zadeh 1965), applied bottom-up.
func FuzzyTwoLevel(upper []float64, groups []FuzzyGroup, op FuzzyOperator, grades []float64) (FuzzyTwoLevelResult, error) {
	if len(upper) != len(groups) {
		return FuzzyTwoLevelResult{}, fmt.Errorf("fuzzy: %d upper-level weights for %d groups", len(upper), len(groups))
	}
	res := FuzzyTwoLevelResult{Groups: make([]FuzzyResult, len(groups))}
	rows := make([][]float64, len(groups))
	for k, g := range groups {
		gr, err := Fuzzy(g.Weights, g.R, op, grades)
		if err != nil {
			return FuzzyTwoLevelResult{}, fmt.Errorf("%w (group %d)", err, k+1)
		}
		if k > 0 && len(gr.B) != len(rows[0]) {
			return FuzzyTwoLevelResult{}, fmt.Errorf("fuzzy: group %d has %d grades, group 1 has %d", k+1, len(gr.B), len(rows[0]))
		}
		res.Groups[k] = gr
		row := append([]float64(nil), gr.B...)
		normalise(row) // Fuzzy guarantees Σ > 0
		rows[k] = row
	}
	overall, err := Fuzzy(upper, rows, op, grades)
	if err != nil {
		return FuzzyTwoLevelResult{}, fmt.Errorf("%w (upper level)", err)
	}
	res.Overall = overall
	return res, nil
}
