package evaluate

import (
	"fmt"
	"math"
)

// GlobalWeight is one leaf (sub-criterion) of a two-level AHP hierarchy.
type GlobalWeight struct {
	Criterion int     `json:"criterion"` // 0-based index of the criterion
	Sub       int     `json:"sub"`       // 0-based index within the criterion
	Local     float64 `json:"local"`     // weight within the criterion
	Global    float64 `json:"global"`    // criterion weight × local weight
}

// HierarchyResult is a two-level AHP: the criteria matrix, one matrix per
// criterion for its sub-criteria, and the synthesised global weights.
type HierarchyResult struct {
	Criteria   AHPResult      `json:"criteria"`
	Sub        []AHPResult    `json:"sub"`
	Global     []GlobalWeight `json:"global"`
	Consistent bool           `json:"consistent"` // every matrix has CR < 0.10
}

// Synthesize performs AHP hierarchical synthesis (Saaty 1980): the global
// weight of sub-criterion k of criterion j is W_j · w_jk, where W are the
// criteria weights and local[j] the local weights of criterion j's
// sub-criteria (nil or empty: the criterion is itself a leaf with local
// weight 1). Each weight vector must be non-negative and sum to 1 (within
// 1e-9), so the global weights sum to 1.
func Synthesize(criteria []float64, local [][]float64) ([]GlobalWeight, error) {
	if err := checkWeightVector("criteria", criteria); err != nil {
		return nil, err
	}
	if len(local) != len(criteria) {
		return nil, fmt.Errorf("ahp: %d local weight vectors for %d criteria", len(local), len(criteria))
	}
	var out []GlobalWeight
	for j, wj := range criteria {
		if len(local[j]) == 0 {
			out = append(out, GlobalWeight{Criterion: j, Local: 1, Global: wj})
			continue
		}
		if err := checkWeightVector(fmt.Sprintf("criterion %d", j+1), local[j]); err != nil {
			return nil, err
		}
		for k, w := range local[j] {
			out = append(out, GlobalWeight{Criterion: j, Sub: k, Local: w, Global: wj * w})
		}
	}
	return out, nil
}

func checkWeightVector(what string, w []float64) error {
	if len(w) == 0 {
		return fmt.Errorf("ahp: %s has no weights", what)
	}
	var s float64
	for i, v := range w {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fmt.Errorf("ahp: %s weight %d is %v, want a non-negative finite number", what, i+1, v)
		}
		s += v
	}
	if math.Abs(s-1) > 1e-9 {
		return fmt.Errorf("ahp: %s weights sum to %.6g, want 1", what, s)
	}
	return nil
}

// AHPHierarchy weighs a two-level hierarchy: criteria is the pairwise
// matrix of the criteria and sub[j] that of criterion j's sub-criteria
// (nil: criterion j is a leaf). Each matrix is weighed by AHP with method
// and ri; the global weights are criteria weight × local weight
// (Synthesize; Saaty 1980).
func AHPHierarchy(criteria [][]float64, sub [][][]float64, method AHPMethod, ri []float64) (HierarchyResult, error) {
	top, err := AHP(criteria, method, ri)
	if err != nil {
		return HierarchyResult{}, fmt.Errorf("%w (criteria matrix)", err)
	}
	if len(sub) != len(top.Weights) {
		return HierarchyResult{}, fmt.Errorf("ahp: %d sub-criteria matrices for %d criteria", len(sub), len(top.Weights))
	}
	res := HierarchyResult{Criteria: top, Sub: make([]AHPResult, len(sub)), Consistent: top.Consistent}
	local := make([][]float64, len(sub))
	for j, m := range sub {
		if m == nil {
			continue
		}
		r, err := AHP(m, method, ri)
		if err != nil {
			return HierarchyResult{}, fmt.Errorf("%w (sub-criteria of criterion %d)", err, j+1)
		}
		res.Sub[j] = r
		local[j] = r.Weights
		res.Consistent = res.Consistent && r.Consistent
	}
	res.Global, err = Synthesize(top.Weights, local)
	return res, err
}
