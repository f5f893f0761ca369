package evaluate

import (
	"fmt"
	"math"
)

// Quadrant is an importance–performance analysis quadrant.
type Quadrant string

// IPA quadrants.
const (
	QuadrantConcentrate Quadrant = "concentrate"  // I: important, low performance
	QuadrantKeepUp      Quadrant = "keep_up"      // II: important, high performance
	QuadrantLowPriority Quadrant = "low_priority" // III: unimportant, low performance
	QuadrantOverkill    Quadrant = "overkill"     // IV: unimportant, high performance
)

// Driver is one predictor of a driver analysis.
type Driver struct {
	Name                string   `json:"name"`
	Mean                float64  `json:"mean"`
	R                   float64  `json:"r"`
	Beta                float64  `json:"beta"`
	RelativeWeight      float64  `json:"relative_weight"`
	RelativeWeightShare float64  `json:"relative_weight_share"`
	LMG                 float64  `json:"lmg"`
	Quadrant            Quadrant `json:"quadrant"`
}

// DriverResult is a full driver analysis of y on the predictors.
type DriverResult struct {
	N              int      `json:"n"`
	R2             float64  `json:"r2"`
	PerformanceCut float64  `json:"performance_cut"` // mean of the predictor means
	ImportanceCut  float64  `json:"importance_cut"`  // mean of the shares (1/p)
	Predictors     []Driver `json:"predictors"`
}

// Drivers analyses which predictors drive y. x holds one column per
// predictor, each as long as y (complete cases only); names labels them
// (nil: x1…xp).
//
// Means and the co-moment matrix of (x, y) are built in one pass over the
// rows (Welford 1962 update: with d = v − mean before the row,
// C_jk += (n−1)/n · d_j d_k), correlations use n−1, and the correlation
// matrix is analysed by DriversFromCorrelation: Pearson r, standardised
// β = R_xx⁻¹ r_xy, R² = Σ β_j r_j, Johnson's (2000) relative weights ε_j
// and their shares ε_j/R², and Shapley/LMG (Grömping 2006).
//
// Each predictor is placed in an importance–performance quadrant (Martilla
// and James 1977) with cross-hairs at the mean of the predictor means
// (PerformanceCut) and the mean of the shares (ImportanceCut = 1/p):
// share ≥ cut and mean < cut is concentrate (I), share ≥ cut and mean ≥ cut
// keep up (II), share < cut and mean < cut low priority (III), otherwise
// overkill (IV).
//
// Errors: no predictors, columns of unequal length, fewer rows than
// predictors + 2, a non-finite value, a constant column, a singular
// predictor correlation matrix, or more than MaxLMGPredictors predictors.
func Drivers(y []float64, x [][]float64, names []string) (DriverResult, error) {
	p := len(x)
	if p == 0 {
		return DriverResult{}, fmt.Errorf("drivers: no predictors")
	}
	if p > MaxLMGPredictors {
		return DriverResult{}, fmt.Errorf("drivers: %d predictors, exact Shapley/LMG allows at most %d", p, MaxLMGPredictors)
	}
	if names == nil {
		names = defaultNames(p)
	}
	if len(names) != p {
		return DriverResult{}, fmt.Errorf("drivers: %d names for %d predictors", len(names), p)
	}
	n := len(y)
	for j, col := range x {
		if len(col) != n {
			return DriverResult{}, fmt.Errorf("drivers: predictor %q has %d values, y has %d", names[j], len(col), n)
		}
	}
	if n < p+2 {
		return DriverResult{}, fmt.Errorf("drivers: %d rows for %d predictors, need at least %d", n, p, p+2)
	}
	cols := make([][]float64, p+1)
	copy(cols, x)
	cols[p] = y
	label := func(j int) string {
		if j == p {
			return "outcome y"
		}
		return fmt.Sprintf("predictor %q", names[j])
	}

	mean, com := comoments(cols, n)
	q := p + 1
	for j := range q {
		v := com[j*q+j]
		if math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(mean[j]) || math.IsInf(mean[j], 0) {
			i := firstNonFinite(cols[j])
			if i < 0 { // finite values whose squares overflow
				return DriverResult{}, fmt.Errorf("drivers: %s overflows (values too large)", label(j))
			}
			return DriverResult{}, fmt.Errorf("drivers: %s has non-finite value %v at row %d", label(j), cols[j][i], i)
		}
		if v <= 0 || v <= 1e-24*float64(n)*mean[j]*mean[j] {
			return DriverResult{}, fmt.Errorf("drivers: %s is constant", label(j))
		}
	}
	corr := make([]float64, q*q)
	for j := range q {
		for k := j; k < q; k++ {
			r := com[j*q+k] / math.Sqrt(com[j*q+j]*com[k*q+k])
			r = max(-1, min(1, r))
			corr[j*q+k], corr[k*q+j] = r, r
		}
	}
	cd, err := analyseCorrelation(corr, names)
	if err != nil {
		return DriverResult{}, err
	}

	res := DriverResult{N: n, R2: cd.R2, ImportanceCut: 1 / float64(p), Predictors: make([]Driver, p)}
	for j := range p {
		res.PerformanceCut += mean[j] / float64(p)
	}
	for j := range p {
		d := Driver{
			Name: names[j], Mean: mean[j], R: cd.R[j], Beta: cd.Beta[j],
			RelativeWeight: cd.RelativeWeights[j], LMG: cd.LMG[j],
		}
		if cd.R2 > 0 {
			d.RelativeWeightShare = cd.RelativeWeights[j] / cd.R2
		}
		d.Quadrant = IPAQuadrant(d.RelativeWeightShare, d.Mean, res.ImportanceCut, res.PerformanceCut)
		res.Predictors[j] = d
	}
	return res, nil
}

// IPAQuadrant places one attribute of an importance–performance analysis
// (Martilla and James 1977): importance ≥ importanceCut with performance
// below performanceCut is concentrate (I), with performance at or above it
// keep up (II); less important attributes are low priority (III) when
// performance is below the cut and possible overkill (IV) otherwise.
func IPAQuadrant(importance, performance, importanceCut, performanceCut float64) Quadrant {
	switch {
	case importance >= importanceCut && performance < performanceCut:
		return QuadrantConcentrate
	case importance >= importanceCut:
		return QuadrantKeepUp
	case performance < performanceCut:
		return QuadrantLowPriority
	default:
		return QuadrantOverkill
	}
}

// comoments returns the means and the row-major q×q matrix of centred
// cross-products Σ (v_j − mean_j)(v_k − mean_k) of the columns, in a single
// pass over the rows with Welford's update.
func comoments(cols [][]float64, n int) (mean, com []float64) {
	q := len(cols)
	mean = make([]float64, q)
	com = make([]float64, q*q)
	d := make([]float64, q)
	g := make([]float64, q)
	for i := range n {
		nf := float64(i + 1)
		f := float64(i) / nf
		for j, col := range cols {
			dj := col[i] - mean[j]
			d[j] = dj
			g[j] = f * dj
			mean[j] += dj / nf
		}
		for j := range q {
			gj := g[j]
			row := com[j*q : (j+1)*q]
			for k := j; k < q; k++ {
				row[k] += gj * d[k]
			}
		}
	}
	for j := range q {
		for k := range j {
			com[j*q+k] = com[k*q+j]
		}
	}
	return mean, com
}

func firstNonFinite(col []float64) int {
	for i, v := range col {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}
