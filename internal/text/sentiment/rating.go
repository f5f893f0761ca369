package sentiment

import (
	"regexp"
	"strconv"
	"strings"
)

// ratingRE finds explicit ratings in English comments: "3/10", "8 out of
// 10", "4.5 stars", "1-star", "gave it a 10".
var ratingRE = regexp.MustCompile(`(?i)\b(\d{1,3}(?:\.\d)?)\s*(?:/|out of)\s*(10|5|100)\b|\b(\d(?:\.\d)?)[\s-]*stars?\b|\b(?:gave|give|given|giving|rate|rated|rating)\b[^.!?]{0,30}?\ba (\d{1,2})\b`)

// ratingValue returns the lexicon value of the first explicit rating in
// text: from −3 for the lowest rating to +3 for the highest.
func ratingValue(text string) (float32, bool) {
	if !strings.ContainsAny(text, "0123456789") {
		return 0, false
	}
	m := ratingRE.FindStringSubmatch(text)
	if m == nil {
		return 0, false
	}
	var num, den string
	switch {
	case m[1] != "":
		num, den = m[1], m[2]
	case m[3] != "":
		num, den = m[3], "5"
	default:
		num, den = m[4], "10"
	}
	n, err1 := strconv.ParseFloat(num, 64)
	d, err2 := strconv.ParseFloat(den, 64)
	if err1 != nil || err2 != nil || d == 0 || n > d {
		return 0, false
	}
	// A rating scale starts at 1 (or 0); the middle is neutral.
	return float32(6*n/d - 3), true
}
