package sentiment

import (
	"unicode"
	"unicode/utf8"
)

// enScope is how many tokens after a negator are in its scope, unless
// the clause ends first.
const enScope = 6

// normEn writes the normalised tokens of text to sc.buf, separated by
// single spaces, with one sc.toks span each. Letters are lower-cased,
// digits become 0, letters repeated more than twice are cut to two
// ("soooo" → "soo"), and negative contractions become two tokens
// ("don't", "dont" → "do not").
func (sc *scratch) normEn(lx *lexicons, text string) {
	sc.buf, sc.toks, sc.brk = sc.buf[:0], sc.toks[:0], sc.brk[:0]
	pending := true
	start := -1 // byte offset of the current word in sc.buf
	for _, r := range text {
		r = foldRune(r)
		if r == '’' || r == '‘' || r == '`' {
			r = '\''
		}
		if r == '\'' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				if len(sc.buf) > 0 {
					sc.buf = append(sc.buf, ' ')
				}
				start = len(sc.buf)
			}
			if r >= '0' && r <= '9' {
				r = '0'
			}
			if r < 0x80 {
				c := byte(r)
				if k := len(sc.buf); k-start >= 2 && sc.buf[k-1] == c && sc.buf[k-2] == c {
					continue
				}
				sc.buf = append(sc.buf, c)
			} else {
				sc.buf = utf8.AppendRune(sc.buf, r)
			}
			continue
		}
		if start >= 0 {
			pending = sc.endWord(lx, start, pending)
			start = -1
		}
		if r >= 0x2100 && unicode.Is(unicode.So, r) {
			// An emoji or other pictograph is a token of its own.
			if len(sc.buf) > 0 {
				sc.buf = append(sc.buf, ' ')
			}
			s := len(sc.buf)
			sc.buf = utf8.AppendRune(sc.buf, r)
			sc.toks = append(sc.toks, span{int32(s), int32(len(sc.buf))})
			sc.brk = append(sc.brk, pending)
			pending = false
			continue
		}
		if r != '-' && r != '&' && isBreak(r) && r != ' ' {
			pending = true
		}
	}
	if start >= 0 {
		sc.endWord(lx, start, pending)
	}
}

// endWord finishes the word at sc.buf[start:], rewriting contractions,
// and reports the pending clause-start flag for the next token.
func (sc *scratch) endWord(lx *lexicons, start int, brk bool) bool {
	w := sc.buf[start:]
	// Split "n't" off before dropping apostrophes.
	notSuffix := len(w) > 3 && w[len(w)-3] == 'n' && w[len(w)-2] == '\'' && w[len(w)-1] == 't'
	if notSuffix {
		w = w[:len(w)-3]
	}
	// Drop apostrophes ("it's" → "its").
	k := 0
	for _, c := range w {
		if c != '\'' {
			w[k] = c
			k++
		}
	}
	sc.buf = sc.buf[:start+k]
	if k == 0 {
		if start > 0 {
			sc.buf = sc.buf[:start-1] // the separating space
		}
		if !notSuffix {
			return brk
		}
		start = len(sc.buf)
		if start > 0 {
			sc.buf = append(sc.buf, ' ')
			start++
		}
	} else if stem, ok := lx.enContr[string(sc.buf[start:])]; ok {
		sc.buf = append(sc.buf[:start], stem...)
		notSuffix = true
	}
	if len(sc.buf) > start {
		sc.toks = append(sc.toks, span{int32(start), int32(len(sc.buf))})
		sc.brk = append(sc.brk, brk)
		brk = false
	}
	if notSuffix {
		if len(sc.buf) > 0 {
			sc.buf = append(sc.buf, ' ')
		}
		s := len(sc.buf)
		sc.buf = append(sc.buf, "not"...)
		sc.toks = append(sc.toks, span{int32(s), int32(len(sc.buf))})
		sc.brk = append(sc.brk, brk)
		brk = false
	}
	return brk
}

// matchEn returns the longest lexicon entry starting at token i that
// does not cross a clause start, and its length in tokens.
func (sc *scratch) matchEn(lx *lexicons, i int) (entry, int) {
	n := len(sc.toks)
	end := min(n, i+lx.enMaxLen)
	for j := i + 1; j < end; j++ {
		if sc.brk[j] {
			end = j
			break
		}
	}
	for j := end; j > i; j-- {
		if e, ok := lx.en[string(sc.buf[sc.toks[i].s:sc.toks[j-1].e])]; ok {
			return e, j - i
		}
	}
	// "unrecommended", "unimpressive": un- turns a positive word negative.
	if w := sc.buf[sc.toks[i].s:sc.toks[i].e]; len(w) > 5 && w[0] == 'u' && w[1] == 'n' {
		if e, ok := lx.en[string(w[2:])]; ok && e.kind == kindWord && e.value > 0 {
			return entry{kind: kindWord, value: -e.value}, 1
		}
	}
	return entry{}, 0
}

// extractEn featurises English: word unigrams (marked as negated inside a
// negation scope) and bigrams within clauses, and VADER-based lexicon
// scores with negation, fixed phrases and contrast handled.
func (sc *scratch) extractEn(lx *lexicons, text string, mask uint32) [nDense]float32 {
	sc.normEn(lx, text)
	n := len(sc.toks)
	sc.neg = resetBools(sc.neg, n)
	sc.atom = resetBools(sc.atom, n)
	var p polarity
	scope := 0
	for i := 0; i < n; {
		if sc.brk[i] {
			scope = 0
			p.endClause()
		}
		e, l := sc.matchEn(lx, i)
		switch e.kind {
		case kindWord:
			v := e.value
			if e.atomic {
				sc.emit(saltPhrase, sc.buf[sc.toks[i].s:sc.toks[i+l-1].e], mask)
				for j := i; j < i+l; j++ {
					sc.atom[j] = true
				}
			} else if scope > 0 {
				v = negate(v)
				for j := i; j < i+l; j++ {
					sc.neg[j] = true
				}
			}
			sc.emitLex(e.value, v, mask)
			p.add(v)
			scope -= l
		case kindNegator:
			scope = enScope
		case kindContrast:
			p.contrast()
			scope = 0
		default:
			if scope > 0 {
				sc.neg[i] = true
			}
			scope--
			l = 1
		}
		i += l
	}
	if v, ok := ratingValue(text); ok {
		sc.emitLex(v, v, mask)
		p.add(v)
	}
	b, t := sc.buf, sc.toks
	for i := 0; i < n; i++ {
		switch {
		case sc.atom[i]:
		case sc.neg[i]:
			sc.emit(saltNegUni, b[t[i].s:t[i].e], mask)
		default:
			sc.emit(saltUni, b[t[i].s:t[i].e], mask)
		}
		if i >= 1 && !sc.brk[i] && (!sc.atom[i] || !sc.atom[i-1]) {
			sc.emit(saltBi, b[t[i-1].s:t[i].e], mask)
		}
	}
	return p.dense()
}
