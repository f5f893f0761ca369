package demo

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFillAsReplacer checks that fill gives what strings.Replacer gives
// for the same pairs, on texts mixing keys, broken keys and plain text.
func TestFillAsReplacer(t *testing.T) {
	pairs := []string{"{product}", "Orbis R8", "{serial}", "OR8-{x}", "{cust}", "王芳", "{agent}", "{cust}",
		"{days}", "3", "{fee}", ""}
	f, r := newFill(pairs...), strings.NewReplacer(pairs...)
	parts := []string{"{product}", "{serial}", "{cust}", "{agent}", "{days}", "{fee}", "{", "}", "{prod", "{x}",
		"屏幕碎了", "the screen ", "{{", "", "{tracking}"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b strings.Builder
		for range rnd.IntN(8) {
			b.WriteString(parts[rnd.IntN(len(parts))])
		}
		s := b.String()
		if got, want := f.Replace(s), r.Replace(s); got != want {
			t.Fatalf("Replace(%q) = %q, strings.Replacer gives %q", s, got, want)
		}
	}
}
