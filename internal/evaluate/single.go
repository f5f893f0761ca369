package evaluate

import (
	"fmt"
	"math"
)

// MaxHalfWidthPoints is the widest interval, in points either side (one
// point = 1 % for a share, one NPS point for NPS), that a score may have
// before it is shown greyed out (evaluation.md §1).
const MaxHalfWidthPoints = 10

// Wilson returns the Wilson score interval for k successes of n (Wilson
// 1927):
//
//	p = k/n
//	centre = (p + z²/2n) / (1 + z²/n)
//	half   = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n)
//
// The bounds are clamped to [0, 1] so that rounding cannot push them out.
// Use z = Z95 for a 95 % interval.
func Wilson(k, n int, z float64) (Interval, error) {
	switch {
	case n <= 0:
		return Interval{}, fmt.Errorf("wilson: n is %d, want at least 1", n)
	case k < 0 || k > n:
		return Interval{}, fmt.Errorf("wilson: k is %d, want 0…%d", k, n)
	case !(z > 0) || math.IsInf(z, 0):
		return Interval{}, fmt.Errorf("wilson: z is %v, want a positive finite number", z)
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	return Interval{Low: max(0, centre-half), High: min(1, centre+half)}, nil
}

// countScale checks that every answer is an integer in lo…hi and returns
// the number of answers at each scale point (index answer−lo).
func countScale(method string, answers []float64, lo, hi int) ([]int, error) {
	if len(answers) == 0 {
		return nil, fmt.Errorf("%s: no answers", method)
	}
	counts := make([]int, hi-lo+1)
	for i, v := range answers {
		if v != math.Trunc(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: answer %v at index %d is not an integer", method, v, i)
		}
		if v < float64(lo) || v > float64(hi) {
			return nil, fmt.Errorf("%s: answer %v at index %d is outside the scale %d–%d", method, v, i, lo, hi)
		}
		counts[int(v)-lo]++
	}
	return counts, nil
}

// CSAT scores ratings on a 1–5 integer scale: the share of answers 4 or 5,
// CSAT = (n₄ + n₅)/n, with its Wilson 95 % interval (Wilson 1927; see
// Wilson). A non-integer or out-of-scale answer is an error naming its
// 0-based index.
func CSAT(ratings []float64) (CSATResult, error) {
	counts, err := countScale("csat", ratings, 1, 5)
	if err != nil {
		return CSATResult{}, err
	}
	n := len(ratings)
	k := counts[3] + counts[4]
	ci, err := Wilson(k, n, Z95)
	if err != nil {
		return CSATResult{}, fmt.Errorf("csat: %w", err)
	}
	return CSATResult{
		N: n, Satisfied: k, Value: float64(k) / float64(n), CI: ci,
		TooWide: TooWide(ci, 100),
	}, nil
}

// NPS scores answers on a 0–10 integer scale (Reichheld 2003): promoters
// answer 9–10, passives 7–8, detractors 0–6, and with p and d their shares
//
//	NPS = 100(p − d)
//	Var(NPS/100) = (p + d − (p − d)²)/n
//	SE = 100·sqrt(Var),  95 % CI = NPS ± z·SE  (z = Z95)
//
// A non-integer or out-of-scale answer is an error naming its 0-based index.
func NPS(scores []float64) (NPSResult, error) {
	counts, err := countScale("nps", scores, 0, 10)
	if err != nil {
		return NPSResult{}, err
	}
	r := NPSResult{N: len(scores)}
	for v, c := range counts {
		switch {
		case v >= 9:
			r.Promoters += c
		case v >= 7:
			r.Passives += c
		default:
			r.Detractors += c
		}
	}
	n := float64(r.N)
	p, d := float64(r.Promoters)/n, float64(r.Detractors)/n
	r.Value = 100 * (p - d)
	r.SE = 100 * math.Sqrt(max(0, (p+d-(p-d)*(p-d))/n))
	r.CI = Interval{Low: r.Value - Z95*r.SE, High: r.Value + Z95*r.SE}
	r.TooWide = TooWide(r.CI, 1)
	return r, nil
}

// NPSDiffSE returns the standard error, in points, of the difference of two
// independent NPS values: SE = sqrt(SE₁² + SE₂²) (Reichheld 2003; the
// variance of a difference of independent estimates is the sum of their
// variances).
func NPSDiffSE(a, b NPSResult) float64 {
	return math.Hypot(a.SE, b.SE)
}

// CES scores answers on a 1–7 agreement scale (CES 2.0, Dixon et al. 2010):
// the mean x̄ with the sample SD s (n−1), the z interval x̄ ± z·s/√n, and the
// share agreeing (answers 5–7) with its Wilson interval. Value is the mean.
// At least two answers are needed for the SD. A non-integer or out-of-scale
// answer is an error naming its 0-based index.
func CES(scores []float64) (CESResult, error) {
	counts, err := countScale("ces", scores, 1, 7)
	if err != nil {
		return CESResult{}, err
	}
	n := len(scores)
	if n < 2 {
		return CESResult{}, fmt.Errorf("ces: %d answer, need at least 2 for a standard deviation", n)
	}
	var sum float64
	for v, c := range counts {
		sum += float64((v + 1) * c)
	}
	mean := sum / float64(n)
	var ss float64
	for v, c := range counts {
		d := float64(v+1) - mean
		ss += float64(c) * d * d
	}
	sd := math.Sqrt(ss / float64(n-1))
	half := Z95 * sd / math.Sqrt(float64(n))
	agree := counts[4] + counts[5] + counts[6]
	aci, err := Wilson(agree, n, Z95)
	if err != nil {
		return CESResult{}, fmt.Errorf("ces: %w", err)
	}
	return CESResult{
		N: n, Mean: mean, Value: mean, SD: sd,
		CI:    Interval{Low: mean - half, High: mean + half},
		Agree: float64(agree) / float64(n), AgreeCI: aci,
		TooWide: TooWide(aci, 100),
	}, nil
}

// SampleSizeProportion returns the number of answers needed to estimate a
// proportion within ±margin (a fraction, e.g. 0.05) at the worst case
// p = 0.5: n = ⌈z²·0.25/E²⌉ (normal approximation, Cochran 1977). With
// z = Z95: 0.10 → 97, 0.05 → 385, 0.03 → 1068.
func SampleSizeProportion(margin, z float64) (int, error) {
	if !(margin > 0 && margin < 1) {
		return 0, fmt.Errorf("sample size: margin %v, want a fraction in (0, 1)", margin)
	}
	return sampleSize(z, 0.25, margin)
}

// SampleSizeNPS returns the number of answers needed to estimate NPS within
// ±points at the worst case Var(NPS/100) = 1 (all promoters or detractors,
// half each): n = ⌈z²·1/(points/100)²⌉ (normal approximation to the
// variance of NPS, Reichheld 2003; Cochran 1977). With z = Z95: ±10 → 385,
// ±5 → 1537.
func SampleSizeNPS(points, z float64) (int, error) {
	if !(points > 0 && points <= 200) {
		return 0, fmt.Errorf("sample size: NPS margin %v points, want (0, 200]", points)
	}
	return sampleSize(z, 1, points/100)
}

func sampleSize(z, variance, margin float64) (int, error) {
	if !(z > 0) || math.IsInf(z, 0) {
		return 0, fmt.Errorf("sample size: z is %v, want a positive finite number", z)
	}
	n := z * z * variance / (margin * margin)
	// Guard against 385.0000000001 turning into 386.
	return int(math.Ceil(n - 1e-9)), nil
}

// TooWide reports whether ci is wider than ±MaxHalfWidthPoints points,
// where pointsPerUnit converts the interval's unit to points (100 for a
// share reported as a fraction, 1 for NPS). Such a score is shown greyed
// out with a note that the sample is too small (evaluation.md §1).
func TooWide(ci Interval, pointsPerUnit float64) bool {
	return (ci.High-ci.Low)/2*pointsPerUnit > MaxHalfWidthPoints
}
