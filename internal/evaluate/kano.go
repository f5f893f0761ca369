package evaluate

import "fmt"

// KanoCategory is a Kano category: A, O, M, I, R or Q.
type KanoCategory string

// Kano categories (Kano et al. 1984).
const (
	KanoAttractive   KanoCategory = "A" // delights when present, no harm when absent
	KanoOneDimension KanoCategory = "O" // one-dimensional: more is better
	KanoMustBe       KanoCategory = "M" // expected: absence dissatisfies
	KanoIndifferent  KanoCategory = "I"
	KanoReverse      KanoCategory = "R" // the customer prefers it absent
	KanoQuestionable KanoCategory = "Q" // contradictory answers
)

// KanoCategories lists the categories in tie-break order for the mode:
// M > O > A > I > R > Q.
func KanoCategories() []KanoCategory {
	return []KanoCategory{KanoMustBe, KanoOneDimension, KanoAttractive, KanoIndifferent, KanoReverse, KanoQuestionable}
}

// KanoResult classifies one attribute.
type KanoResult struct {
	Category KanoCategory         `json:"category"`
	Counts   map[KanoCategory]int `json:"counts"`
	Better   float64              `json:"better"`
	Worse    float64              `json:"worse"`
}

// kanoTable is the standard Kano evaluation table: row = functional
// answer, column = dysfunctional answer, both 1 like, 2 must-be,
// 3 neutral, 4 live-with, 5 dislike.
var kanoTable = [5][5]KanoCategory{
	{"Q", "A", "A", "A", "O"},
	{"R", "I", "I", "I", "M"},
	{"R", "I", "I", "I", "M"},
	{"R", "I", "I", "I", "M"},
	{"R", "R", "R", "R", "Q"},
}

// KanoClassify maps one functional/dysfunctional answer pair (each 1 like,
// 2 must-be, 3 neutral, 4 live-with, 5 dislike) through the standard Kano
// evaluation table (Kano et al. 1984), rows functional, columns
// dysfunctional:
//
//	like:                        Q A A A O
//	must-be, neutral, live-with: R I I I M
//	dislike:                     R R R R Q
func KanoClassify(functional, dysfunctional int) (KanoCategory, error) {
	if functional < 1 || functional > 5 {
		return "", fmt.Errorf("kano: functional answer %d, want 1–5", functional)
	}
	if dysfunctional < 1 || dysfunctional > 5 {
		return "", fmt.Errorf("kano: dysfunctional answer %d, want 1–5", dysfunctional)
	}
	return kanoTable[functional-1][dysfunctional-1], nil
}

// Kano classifies one attribute from paired answers (1 like, 2 must-be,
// 3 neutral, 4 live-with, 5 dislike) through the standard evaluation table
// (Kano et al. 1984; see KanoClassify) and summarises the counts with
// KanoFromCounts. Errors name the 0-based index of a bad answer.
func Kano(functional, dysfunctional []int) (KanoResult, error) {
	if len(functional) != len(dysfunctional) {
		return KanoResult{}, fmt.Errorf("kano: %d functional and %d dysfunctional answers, want pairs", len(functional), len(dysfunctional))
	}
	if len(functional) == 0 {
		return KanoResult{}, fmt.Errorf("kano: no answers")
	}
	counts := make(map[KanoCategory]int, 6)
	for i, f := range functional {
		c, err := KanoClassify(f, dysfunctional[i])
		if err != nil {
			return KanoResult{}, fmt.Errorf("%w at index %d", err, i)
		}
		counts[c]++
	}
	return KanoFromCounts(counts)
}

// KanoFromCounts summarises category counts (missing keys count 0): the
// category is the mode, ties broken M > O > A > I > R > Q, and the
// customer satisfaction coefficients (Berger et al. 1993) are
//
//	Better = (A + O)/(A + O + M + I),  Worse = −(O + M)/(A + O + M + I).
//
// The returned Counts holds all six keys. Negative counts, unknown keys, or
// A + O + M + I = 0 are errors.
func KanoFromCounts(counts map[KanoCategory]int) (KanoResult, error) {
	full := make(map[KanoCategory]int, 6)
	for _, c := range KanoCategories() {
		full[c] = 0
	}
	for c, n := range counts {
		if _, ok := full[c]; !ok {
			return KanoResult{}, fmt.Errorf("kano: unknown category %q (want A, O, M, I, R or Q)", c)
		}
		if n < 0 {
			return KanoResult{}, fmt.Errorf("kano: count of %s is %d, want ≥ 0", c, n)
		}
		full[c] = n
	}
	a, o, m, i := full[KanoAttractive], full[KanoOneDimension], full[KanoMustBe], full[KanoIndifferent]
	den := a + o + m + i
	if den == 0 {
		return KanoResult{}, fmt.Errorf("kano: A + O + M + I is 0 (only reverse or questionable answers), Better and Worse are undefined")
	}
	best := KanoMustBe
	for _, c := range KanoCategories() {
		if full[c] > full[best] {
			best = c
		}
	}
	return KanoResult{
		Category: best,
		Counts:   full,
		Better:   float64(a+o) / float64(den),
		Worse:    -float64(o+m) / float64(den),
	}, nil
}
