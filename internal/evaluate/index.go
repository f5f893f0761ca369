package evaluate

import (
	"fmt"
	"math"

	"github.com/aftercare/aftercare/internal/model"
)

// UnitValues are one unit's (service centre, team or month) indicator
// values, one per service-quality dimension.
type UnitValues struct {
	Unit   string                      `json:"unit"`
	Values map[model.Dimension]float64 `json:"values"`
}

// UnitScore is one unit's composite service-quality index on 0–100.
type UnitScore struct {
	Unit  string  `json:"unit"`
	Score float64 `json:"score"`
}

// CompositeResult is a composite service-quality index across units.
type CompositeResult struct {
	Dimensions   []model.Dimension `json:"dimensions"`    // model.Dimensions order
	Weights      []float64         `json:"weights"`       // aligned with Dimensions, Σ = 1
	WeightSource string            `json:"weight_source"` // "entropy" or "given"
	Units        []UnitScore       `json:"units"`         // in input order
}

// CompositeIndex scores units on the six service-quality dimensions of
// model.Dimensions (product.md capability 7) on a 0–100 scale:
//
//	x′_ij = (x_ij − min_j)/(max_j − min_j)   benefit dimension
//	x′_ij = (max_j − x_ij)/(max_j − min_j)   cost dimension (cost[d] true,
//	                                          e.g. a response time)
//	index_i = 100 Σ_j w_j x′_ij
//
// With weights nil, w are the Shannon entropy weights of the min–max
// normalised values (Entropy with NormalizeMinMax); otherwise weights gives
// one non-negative weight per dimension (e.g. from AHP, Saaty 1980),
// rescaled to sum 1. A unit therefore scores 100 when it is best on every
// dimension and 0 when worst on every one; the index ranks units against
// each other, not against an absolute standard.
//
// Errors: fewer than two units, a unit missing a dimension or with a
// non-finite value, a dimension with the same value for every unit (no
// spread to normalise), and missing, negative or zero-sum weights.
func CompositeIndex(units []UnitValues, weights map[model.Dimension]float64, cost map[model.Dimension]bool) (CompositeResult, error) {
	dims := model.Dimensions
	if len(units) < 2 {
		return CompositeResult{}, fmt.Errorf("composite: %d units, need at least 2 to compare", len(units))
	}
	x := make([][]float64, len(units))
	for i, u := range units {
		x[i] = make([]float64, len(dims))
		for j, d := range dims {
			v, ok := u.Values[d]
			if !ok {
				return CompositeResult{}, fmt.Errorf("composite: unit %q (row %d) has no value for dimension %q", u.Unit, i, d)
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return CompositeResult{}, fmt.Errorf("composite: unit %q (row %d) has non-finite value %v for dimension %q", u.Unit, i, v, d)
			}
			x[i][j] = v
		}
	}
	costs := make([]bool, len(dims))
	for j, d := range dims {
		costs[j] = cost[d]
		lo, hi := x[0][j], x[0][j]
		for _, row := range x {
			lo, hi = min(lo, row[j]), max(hi, row[j])
		}
		if lo == hi {
			return CompositeResult{}, fmt.Errorf("composite: dimension %q has the same value %v for every unit, nothing to compare", d, lo)
		}
		for _, row := range x {
			if costs[j] {
				row[j] = (hi - row[j]) / (hi - lo)
			} else {
				row[j] = (row[j] - lo) / (hi - lo)
			}
		}
	}

	res := CompositeResult{Dimensions: append([]model.Dimension(nil), dims...)}
	if weights == nil {
		// x is already min–max normalised with cost dimensions reversed,
		// and min–max of [0, 1] data with min 0 and max 1 is the identity.
		e, err := Entropy(x, NormalizeMinMax, nil)
		if err != nil {
			return CompositeResult{}, fmt.Errorf("composite: %w", err)
		}
		res.Weights, res.WeightSource = e.Weights, "entropy"
	} else {
		res.Weights, res.WeightSource = make([]float64, len(dims)), "given"
		var s float64
		for j, d := range dims {
			w, ok := weights[d]
			if !ok {
				return CompositeResult{}, fmt.Errorf("composite: no weight for dimension %q", d)
			}
			if !(w >= 0) || math.IsInf(w, 0) {
				return CompositeResult{}, fmt.Errorf("composite: weight of dimension %q is %v, want a non-negative finite number", d, w)
			}
			res.Weights[j] = w
			s += w
		}
		if s == 0 {
			return CompositeResult{}, fmt.Errorf("composite: weights sum to 0")
		}
		for j := range res.Weights {
			res.Weights[j] /= s
		}
	}
	res.Units = make([]UnitScore, len(units))
	for i, row := range x {
		var s float64
		for j, v := range row {
			s += res.Weights[j] * v
		}
		res.Units[i] = UnitScore{Unit: units[i].Unit, Score: 100 * s}
	}
	return res, nil
}
