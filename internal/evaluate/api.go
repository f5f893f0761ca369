// Package evaluate implements the service-quality and satisfaction methods
// of shared/evaluation.md: CSAT, NPS, CES with intervals, driver analysis
// (correlation, standardised regression, Johnson's relative weights,
// Shapley/LMG, IPA), entropy weights, AHP, fuzzy comprehensive evaluation,
// Kano, and a composite index over the six service-quality dimensions.
// Degenerate input is an error saying what is wrong, never NaN.
//
// This file holds the types shared by the single-question scores; every
// method lives in its own file (single.go, drivers.go, relweights.go,
// entropy.go, ahp.go, ahp_hierarchy.go, fuzzy.go, kano.go, index.go).
package evaluate

// Z95 is the 0.975 quantile of the standard normal distribution used for
// every 95 % interval.
const Z95 = 1.959964

// Interval is a two-sided confidence interval.
type Interval struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// CSATResult is a CSAT score on a 1–5 scale.
type CSATResult struct {
	N         int      `json:"n"`
	Satisfied int      `json:"satisfied"` // answers 4 or 5
	Value     float64  `json:"value"`     // Satisfied / N
	CI        Interval `json:"ci"`        // Wilson, 95 %
	TooWide   bool     `json:"too_wide"`  // CI wider than ±10 points: grey it out
}

// NPSResult is a Net Promoter Score on a 0–10 scale, in points.
type NPSResult struct {
	N          int      `json:"n"`
	Promoters  int      `json:"promoters"`
	Passives   int      `json:"passives"`
	Detractors int      `json:"detractors"`
	Value      float64  `json:"value"` // −100…100
	SE         float64  `json:"se"`    // in points
	CI         Interval `json:"ci"`
	TooWide    bool     `json:"too_wide"` // CI wider than ±10 points: grey it out
}

// CESResult is a Customer Effort Score (CES 2.0, 1–7 agreement).
type CESResult struct {
	N       int      `json:"n"`
	Mean    float64  `json:"mean"`
	SD      float64  `json:"sd"` // sample SD (n−1)
	CI      Interval `json:"ci"` // z interval of the mean
	Agree   float64  `json:"agree"`
	AgreeCI Interval `json:"agree_ci"` // Wilson
	Value   float64  `json:"value"`    // the mean, as evaluation.md names it
	TooWide bool     `json:"too_wide"` // AgreeCI wider than ±10 points: grey it out
}
