package demo

import "strings"

// fill replaces the {placeholders} of scenario texts, as a
// strings.Replacer of the same pairs would, without building one per
// request: building a Replacer's lookup trie for each of a million
// requests was most of a large seed's garbage.
type fill struct {
	pairs []string // key, value, key, value …; every key is {name}
}

// newFill returns a fill of the given key/value pairs.
func newFill(pairs ...string) fill { return fill{pairs: pairs} }

// Replace returns s with every key replaced by its value. Keys are
// braced names, so none is a prefix of another and a match is
// unambiguous.
func (f fill) Replace(s string) string {
	i := strings.IndexByte(s, '{')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 32)
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		matched := false
		for k := 0; k+1 < len(f.pairs); k += 2 {
			if strings.HasPrefix(s, f.pairs[k]) {
				b.WriteString(f.pairs[k+1])
				s = s[len(f.pairs[k]):]
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte('{')
			s = s[1:]
		}
		i = strings.IndexByte(s, '{')
	}
	b.WriteString(s)
	return b.String()
}
