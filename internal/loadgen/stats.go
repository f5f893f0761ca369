package loadgen

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p ≤ 100) of samples by the
// nearest-rank method: the smallest sample with at least p% of all
// samples at or below it. It is exact (no histogram buckets) and always
// one of the samples; 0 for no samples. samples must be sorted.
func Percentile(samples []time.Duration, p float64) time.Duration {
	if len(samples) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(samples))))
	rank = min(max(rank, 1), len(samples))
	return samples[rank-1]
}

// summarize fills the latency and rate figures of res from all samples
// and the wall time of the run.
func summarize(res *Result, samples []time.Duration, elapsed time.Duration) {
	slices.Sort(samples)
	ms := func(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Millisecond)*1000) / 1000 }
	res.P50 = ms(Percentile(samples, 50))
	res.P90 = ms(Percentile(samples, 90))
	res.P99 = ms(Percentile(samples, 99))
	if elapsed > 0 {
		res.RPS = math.Round(float64(len(samples))/elapsed.Seconds()*10) / 10
	}
}
