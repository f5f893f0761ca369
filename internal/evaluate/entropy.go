package evaluate

import (
	"fmt"
	"math"
)

// Normalization selects the entropy method's normalisation.
type Normalization string

// Normalisations.
const (
	NormalizeNone   Normalization = "none"
	NormalizeMinMax Normalization = "minmax"
)

// EntropyResult holds entropy weights.
type EntropyResult struct {
	Weights []float64 `json:"weights"` // per indicator
	Entropy []float64 `json:"entropy"` // per indicator
	Scores  []float64 `json:"scores"`  // per alternative (row)
}

// Entropy computes entropy weights (the Shannon entropy weight method,
// 熵权法; Shannon 1948) for m rows (alternatives) × n columns (indicators);
// cost[j] marks cost indicators (nil: all benefit). With x′ the normalised
// values:
//
//	none (default, also ""): x′ = x; values must not be negative and cost
//	      indicators are an error;
//	minmax: benefit x′ = (x − min)/(max − min), cost x′ = (max − x)/(max − min);
//	p_ij = x′_ij / Σ_i x′_ij
//	e_j  = −(1/ln m) Σ_i p_ij ln p_ij   (0·ln 0 = 0)
//	d_j  = 1 − e_j,  w_j = d_j / Σ_k d_k
//	s_i  = Σ_j w_j x′_ij
//
// Under none a zero value is accepted (it contributes 0·ln 0 = 0) but a
// negative one is an error. Errors name the 0-based row and column: fewer than two
// alternatives, ragged rows, non-finite values, a column summing to zero, a
// constant column under minmax, or all columns carrying no information
// (Σ d = 0).
func Entropy(x [][]float64, norm Normalization, cost []bool) (EntropyResult, error) {
	m := len(x)
	if m < 2 {
		return EntropyResult{}, fmt.Errorf("entropy: %d alternatives, need at least 2", m)
	}
	n := len(x[0])
	if n == 0 {
		return EntropyResult{}, fmt.Errorf("entropy: no indicators")
	}
	for i, row := range x {
		if len(row) != n {
			return EntropyResult{}, fmt.Errorf("entropy: row %d has %d values, row 0 has %d", i, len(row), n)
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return EntropyResult{}, &IndexError{Row: i, Col: j, Msg: fmt.Sprintf("value %v is not finite", v)}
			}
		}
	}
	if cost != nil && len(cost) != n {
		return EntropyResult{}, fmt.Errorf("entropy: %d cost flags for %d indicators", len(cost), n)
	}
	isCost := func(j int) bool { return cost != nil && cost[j] }

	// Column bounds, then x′ is computed on the fly from them.
	lo := make([]float64, n)
	hi := make([]float64, n)
	copy(lo, x[0])
	copy(hi, x[0])
	for _, row := range x[1:] {
		for j, v := range row {
			lo[j] = min(lo[j], v)
			hi[j] = max(hi[j], v)
		}
	}
	var norm1 func(j int, v float64) float64
	switch norm {
	case NormalizeNone, "":
		for j := range n {
			if isCost(j) {
				return EntropyResult{}, &IndexError{Row: -1, Col: j, Msg: "is a cost indicator, which needs minmax normalisation, not none"}
			}
			if lo[j] < 0 {
				for i, row := range x {
					if row[j] < 0 {
						return EntropyResult{}, &IndexError{Row: i, Col: j, Msg: fmt.Sprintf("value %v is negative; use minmax normalisation", row[j])}
					}
				}
			}
		}
		norm1 = func(_ int, v float64) float64 { return v }
	case NormalizeMinMax:
		for j := range n {
			if hi[j] == lo[j] {
				return EntropyResult{}, &IndexError{Row: -1, Col: j, Msg: fmt.Sprintf("is constant (%v), min–max normalisation is undefined", lo[j])}
			}
		}
		norm1 = func(j int, v float64) float64 {
			if isCost(j) {
				return (hi[j] - v) / (hi[j] - lo[j])
			}
			return (v - lo[j]) / (hi[j] - lo[j])
		}
	default:
		return EntropyResult{}, fmt.Errorf("entropy: unknown normalisation %q (want none or minmax)", norm)
	}

	colSum := make([]float64, n)
	for _, row := range x {
		for j, v := range row {
			colSum[j] += norm1(j, v)
		}
	}
	for j, s := range colSum {
		if !(s > 0) || math.IsInf(s, 0) {
			return EntropyResult{}, &IndexError{Row: -1, Col: j, Msg: fmt.Sprintf("sums to %v after normalisation, want a positive finite sum", s)}
		}
	}
	plogp := make([]float64, n)
	for _, row := range x {
		for j, v := range row {
			if p := norm1(j, v) / colSum[j]; p > 0 {
				plogp[j] += p * math.Log(p)
			}
		}
	}
	k := 1 / math.Log(float64(m))
	res := EntropyResult{Weights: make([]float64, n), Entropy: make([]float64, n), Scores: make([]float64, m)}
	var dsum float64
	for j := range n {
		e := -k * plogp[j]
		res.Entropy[j] = e
		d := max(0, 1-e) // e may exceed 1 by a rounding error
		res.Weights[j] = d
		dsum += d
	}
	if !(dsum > 1e-15) {
		return EntropyResult{}, fmt.Errorf("entropy: every indicator has the same share in each alternative (Σ d = %v), no weights can be derived", dsum)
	}
	for j := range res.Weights {
		res.Weights[j] /= dsum
	}
	for i, row := range x {
		for j, v := range row {
			res.Scores[i] += res.Weights[j] * norm1(j, v)
		}
	}
	return res, nil
}

// IndexError is an error about one cell (Row ≥ 0) or one column (Row < 0)
// of the input matrix, with 0-based indices. Callers that know where the
// matrix came from (a CSV file) name the row and column their way; the
// message stands on its own otherwise.
type IndexError struct {
	Row, Col int
	Msg      string
}

func (e *IndexError) Error() string {
	if e.Row < 0 {
		return fmt.Sprintf("entropy: column %d %s", e.Col, e.Msg)
	}
	return fmt.Sprintf("entropy: row %d, column %d: %s", e.Row, e.Col, e.Msg)
}
