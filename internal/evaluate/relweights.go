package evaluate

import (
	"fmt"
	"math"
	"math/bits"

	"gonum.org/v1/gonum/mat"
)

// MaxLMGPredictors is the largest number of predictors for which the exact
// Shapley/LMG decomposition (2^p subsets) is computed.
const MaxLMGPredictors = 15

// singularPivot is the smallest Cholesky pivot 1 − R²(x_j | x_1…x_{j−1})
// accepted before a predictor counts as a linear combination of the
// predictors before it.
const singularPivot = 1e-10

// CorrelationDrivers is a driver analysis computed from a correlation
// matrix alone: one entry per predictor in every slice.
type CorrelationDrivers struct {
	R2              float64   `json:"r2"`
	R               []float64 `json:"r"`                // r(x_j, y)
	Beta            []float64 `json:"beta"`             // standardised OLS coefficients
	RelativeWeights []float64 `json:"relative_weights"` // Johnson's ε_j, Σ = R²
	LMG             []float64 `json:"lmg"`              // Shapley/LMG shares of R², Σ = R²
}

// DriversFromCorrelation analyses a (p+1)×(p+1) correlation matrix whose
// last variable is the outcome y and whose first p are the predictors;
// names labels the predictors in errors (nil: x1…xp). It computes
//
//	β = R_xx⁻¹ r_xy,  R² = Σ_j β_j r_j                      (standardised OLS)
//	R_xx = V Λ Vᵀ,  Λ* = V Λ^½ Vᵀ,  β* = Λ*⁻¹ r_xy,
//	ε_j = Σ_k (Λ*_jk)² (β*_k)²                              (Johnson 2000)
//	LMG_j = Σ_{S ⊆ X∖{j}} |S|!(p−|S|−1)!/p! · (R²(S∪{j}) − R²(S))
//	                                                         (Lindeman, Merenda
//	                                                          and Gold 1980; Grömping 2006)
//
// where R²(S) = r_Sᵀ R_SS⁻¹ r_S is taken from the correlation matrix, so no
// data are refitted. Σε = ΣLMG = R². LMG is exact for p ≤ MaxLMGPredictors;
// more predictors, a matrix that is not a correlation matrix, or a singular
// R_xx (a predictor that is a linear combination of others) are errors.
func DriversFromCorrelation(r [][]float64, names []string) (CorrelationDrivers, error) {
	q := len(r)
	if q < 2 {
		return CorrelationDrivers{}, fmt.Errorf("drivers: correlation matrix is %d×%d, need at least one predictor and the outcome", q, q)
	}
	p := q - 1
	if names == nil {
		names = defaultNames(p)
	}
	if len(names) != p {
		return CorrelationDrivers{}, fmt.Errorf("drivers: %d names for %d predictors", len(names), p)
	}
	c := make([]float64, q*q)
	for i, row := range r {
		if len(row) != q {
			return CorrelationDrivers{}, fmt.Errorf("drivers: correlation matrix row %d has %d values, want %d", i, len(row), q)
		}
		copy(c[i*q:], row)
	}
	for i := range q {
		if math.Abs(c[i*q+i]-1) > 1e-9 {
			return CorrelationDrivers{}, fmt.Errorf("drivers: correlation matrix diagonal [%d][%d] is %v, want 1", i, i, c[i*q+i])
		}
		for j := range i {
			v := c[i*q+j]
			if !(math.Abs(v) <= 1) || math.Abs(v-c[j*q+i]) > 1e-9 {
				return CorrelationDrivers{}, fmt.Errorf("drivers: correlation matrix [%d][%d] = %v and [%d][%d] = %v, want equal values in [−1, 1]", i, j, v, j, i, c[j*q+i])
			}
		}
	}
	return analyseCorrelation(c, names)
}

// psdTolerance absorbs rounding in a correlation matrix that is valid
// but given to a few decimals.
const psdTolerance = 1e-9

func defaultNames(p int) []string {
	names := make([]string, p)
	for j := range names {
		names[j] = fmt.Sprintf("x%d", j+1)
	}
	return names
}

// analyseCorrelation does the work of DriversFromCorrelation on a checked
// row-major (p+1)×(p+1) correlation matrix c.
func analyseCorrelation(c []float64, names []string) (CorrelationDrivers, error) {
	q := len(names) + 1
	p := q - 1
	if p > MaxLMGPredictors {
		return CorrelationDrivers{}, fmt.Errorf("drivers: %d predictors, exact Shapley/LMG allows at most %d", p, MaxLMGPredictors)
	}
	rxx := make([]float64, p*p)
	rxy := make([]float64, p)
	for i := range p {
		copy(rxx[i*p:(i+1)*p], c[i*q:i*q+p])
		rxy[i] = c[i*q+p]
	}

	// Cholesky of R_xx, naming the first predictor that is (nearly) a
	// linear combination of the ones before it.
	l := make([]float64, p*p)
	if j := cholesky(rxx, p, l); j >= 0 {
		return CorrelationDrivers{}, fmt.Errorf("drivers: correlation matrix of the predictors is singular: predictor %q is a linear combination of the predictors before it", names[j])
	}
	beta := cholSolve(l, p, rxy)
	var r2 float64
	for j := range p {
		r2 += beta[j] * rxy[j]
	}
	// With R_xx positive definite (its Cholesky succeeded), the whole matrix
	// is positive semi-definite exactly when the Schur complement
	// 1 − r_xyᵀ R_xx⁻¹ r_xy = 1 − R² is ≥ 0. A matrix that is not a valid
	// correlation matrix (pairwise-filled, typed in, rounded) would give
	// R² > 1 and weights that mean nothing.
	if r2 > 1+psdTolerance {
		return CorrelationDrivers{}, fmt.Errorf("drivers: the matrix is not a valid correlation matrix (not positive semi-definite): the outcome's correlations with the predictors imply R² = %.6f > 1", r2)
	}
	r2 = math.Min(r2, 1)

	eps, err := relativeWeights(rxx, rxy, p)
	if err != nil {
		return CorrelationDrivers{}, err
	}
	return CorrelationDrivers{R2: r2, R: rxy, Beta: beta, RelativeWeights: eps, LMG: lmg(rxx, rxy, p)}, nil
}

// cholesky factors the row-major k×k matrix a into the lower triangle of l
// as a = l lᵀ. It returns −1, or the first index whose pivot is below
// singularPivot.
func cholesky(a []float64, k int, l []float64) int {
	stride := k
	for j := range k {
		d := a[j*stride+j]
		for m := range j {
			d -= l[j*stride+m] * l[j*stride+m]
		}
		if d < singularPivot {
			return j
		}
		d = math.Sqrt(d)
		l[j*stride+j] = d
		for i := j + 1; i < k; i++ {
			s := a[i*stride+j]
			for m := range j {
				s -= l[i*stride+m] * l[j*stride+m]
			}
			l[i*stride+j] = s / d
		}
	}
	return -1
}

// cholSolve solves l lᵀ x = b for the k×k factor l.
func cholSolve(l []float64, k int, b []float64) []float64 {
	x := make([]float64, k)
	for i := range k { // l z = b
		s := b[i]
		for m := range i {
			s -= l[i*k+m] * x[m]
		}
		x[i] = s / l[i*k+i]
	}
	for i := k - 1; i >= 0; i-- { // lᵀ x = z
		s := x[i]
		for m := i + 1; m < k; m++ {
			s -= l[m*k+i] * x[m]
		}
		x[i] = s / l[i*k+i]
	}
	return x
}

// relativeWeights computes Johnson's (2000) relative weights
// ε_j = Σ_k (Λ*_jk)² (β*_k)² with Λ* = V Λ^½ Vᵀ and β* = Λ*⁻¹ r_xy from
// the symmetric eigendecomposition R_xx = V Λ Vᵀ.
func relativeWeights(rxx, rxy []float64, p int) ([]float64, error) {
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(p, append([]float64(nil), rxx...)), true) {
		return nil, fmt.Errorf("drivers: eigendecomposition of the predictor correlation matrix failed")
	}
	vals := eig.Values(nil)
	var v mat.Dense
	eig.VectorsTo(&v)
	for k, lam := range vals {
		if lam <= 0 {
			return nil, fmt.Errorf("drivers: predictor correlation matrix has eigenvalue %d = %g, want positive", k, lam)
		}
	}
	// Λ*_jk = Σ_m V_jm √λ_m V_km;  β* = V Λ^−½ Vᵀ r_xy.
	vtr := make([]float64, p) // Vᵀ r_xy
	for m := range p {
		for j := range p {
			vtr[m] += v.At(j, m) * rxy[j]
		}
	}
	bstar := make([]float64, p)
	for k := range p {
		for m := range p {
			bstar[k] += v.At(k, m) * vtr[m] / math.Sqrt(vals[m])
		}
	}
	eps := make([]float64, p)
	for j := range p {
		for k := range p {
			var lam float64
			for m := range p {
				lam += v.At(j, m) * math.Sqrt(vals[m]) * v.At(k, m)
			}
			eps[j] += lam * lam * bstar[k] * bstar[k]
		}
	}
	return eps, nil
}

// lmg returns the exact Shapley/LMG decomposition of R² (Grömping 2006).
// R²(S) of every subset S (a bitmask) is computed once from the
// correlation matrix by a Cholesky solve of R_SS z = r_S, memoised in a
// table of 2^p values, and the weights |S|!(p−|S|−1)!/p! follow from
// w(0) = 1/p, w(s) = w(s−1)·s/(p−s).
func lmg(rxx, rxy []float64, p int) []float64 {
	r2 := make([]float64, 1<<p)
	idx := make([]int, 0, p)
	sub := make([]float64, p*p)
	l := make([]float64, p*p)
	z := make([]float64, p)
	for mask := 1; mask < 1<<p; mask++ {
		idx = idx[:0]
		for j := range p {
			if mask&(1<<j) != 0 {
				idx = append(idx, j)
			}
		}
		k := len(idx)
		for a, ia := range idx {
			for b, ib := range idx {
				sub[a*k+b] = rxx[ia*p+ib]
			}
		}
		// Every principal submatrix of a positive definite matrix is
		// positive definite, so the factorisation cannot fail here.
		cholesky(sub, k, l)
		var s2 float64
		for a := range k {
			s := rxy[idx[a]]
			for m := range a {
				s -= l[a*k+m] * z[m]
			}
			z[a] = s / l[a*k+a]
			s2 += z[a] * z[a]
		}
		r2[mask] = s2
	}
	w := make([]float64, p)
	w[0] = 1 / float64(p)
	for s := 1; s < p; s++ {
		w[s] = w[s-1] * float64(s) / float64(p-s)
	}
	out := make([]float64, p)
	for mask := range 1 << p {
		s := bits.OnesCount(uint(mask))
		for j := range p {
			if mask&(1<<j) == 0 {
				out[j] += w[s] * (r2[mask|1<<j] - r2[mask])
			}
		}
	}
	return out
}
