package tokenize

import (
	"unicode/utf8"
)

// SearchTerms returns the terms the request search indexes and queries
// with: each run of Chinese characters as its overlapping character
// bigrams (a lone character as itself), with no dictionary, so that any
// two-character word ("屏幕", "退款") is a term wherever it stands and a
// longer query matches the same bigrams in the same text; the rest as
// Terms does it (lower-cased, stemmed English words, model numbers).
// Duplicates are kept.
func SearchTerms(text string) []string {
	var out []string
	start := 0 // of the text not yet handed to Terms
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isHan(r) {
			i += size
			continue
		}
		out = append(out, Terms(text[start:i])...)
		var run []string
		for i < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[i:])
			if !isHan(r2) {
				break
			}
			run = append(run, text[i:i+s2])
			i += s2
		}
		if len(run) == 1 {
			out = append(out, run[0])
		}
		for k := 0; k+1 < len(run); k++ {
			out = append(out, run[k]+run[k+1])
		}
		start = i
	}
	return append(out, Terms(text[start:])...)
}
