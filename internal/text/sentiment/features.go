package sentiment

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// lang is the language a text is scored in; each has its own weights.
type lang int

const (
	langZh lang = iota
	langEn
)

// detectLang picks Chinese when Han characters make up a fair share of
// the text: one Han character weighs about as much as a four-letter word.
func detectLang(s string) lang {
	var han, letters int
	for _, r := range s {
		switch {
		case r < 0x80:
			if c := r | 0x20; c >= 'a' && c <= 'z' {
				letters++
			}
		case isHan(r) || r >= 0x2E80 && unicode.Is(unicode.Han, r):
			han++
		}
	}
	if han > 0 && han*4 >= letters {
		return langZh
	}
	return langEn
}

// nDense is the number of dense lexicon features each text gets besides
// its hashed n-grams.
const nDense = 5

// Hash salts keep the kinds of n-gram apart in the shared hash space.
const (
	saltUni uint32 = iota + 1
	saltBi
	saltTri
	saltNegUni
	saltNegBi
	saltPhrase
	saltLex
)

// Kinds of lexicon entry.
const (
	kindWord uint8 = iota + 1
	kindNegator
	kindContrast
	kindSkip
)

// entry is one lexicon entry: a polar word (value ≠ 0), a negator, a
// contrast word or a word to skip.
type entry struct {
	kind  uint8
	value float32
	// atomic marks fixed phrases whose parts mislead ("not bad", "没有问题",
	// "不贵"): the featuriser emits one phrase feature instead of their
	// n-grams.
	atomic bool
}

// lexicons holds the word lists of both languages in the form the
// featuriser looks them up in. It is built once per Model and read-only.
type lexicons struct {
	zh       map[string]entry
	zhMaxLen int // in runes
	// zhFirst is, by first rune (below U+10000), the length in runes of
	// the longest Chinese entry starting with it, 0 for none: most
	// characters start no entry and need no lookup. zhFirstHi holds the
	// runes above.
	zhFirst   []uint8
	zhFirstHi map[rune]uint8
	en        map[string]entry
	enMaxLen  int // in tokens
	enContr   map[string]string
}

func newLexicons() *lexicons {
	lx := &lexicons{zh: map[string]entry{}, en: map[string]entry{}, enContr: enContractionWords()}
	for w := range zhNotNegatorWords() {
		lx.zh[w] = entry{kind: kindSkip}
	}
	for w := range zhNegatorWords() {
		lx.zh[w] = entry{kind: kindNegator}
	}
	for w := range zhContrastWords() {
		lx.zh[w] = entry{kind: kindContrast}
	}
	for w, v := range emojiWords() {
		lx.zh[w] = entry{kind: kindWord, value: v}
		lx.en[w] = entry{kind: kindWord, value: v}
	}
	for w, v := range zhNegativeWords() {
		lx.zh[w] = entry{kind: kindWord, value: -v}
	}
	for w, v := range zhPositiveWords() {
		lx.zh[w] = entry{kind: kindWord, value: v}
	}
	lx.zhFirst, lx.zhFirstHi = make([]uint8, 0x10000), map[rune]uint8{}
	for w, e := range lx.zh {
		n := utf8.RuneCountInString(w)
		lx.zhMaxLen = max(lx.zhMaxLen, n)
		if r, _ := utf8.DecodeRuneInString(foldString(w)); r < 0x10000 {
			lx.zhFirst[r] = max(lx.zhFirst[r], uint8(n))
		} else {
			lx.zhFirstHi[r] = max(lx.zhFirstHi[r], uint8(n))
		}
		if r, _ := utf8.DecodeRuneInString(w); e.kind == kindWord && n > 1 && strings.ContainsRune("不没无未别", r) {
			e.atomic = true
			lx.zh[w] = e
		}
	}
	for w, v := range parseLexicon(vaderTSV, enExtraWords()) {
		lx.en[w] = entry{kind: kindWord, value: v, atomic: strings.Contains(w, " ")}
	}
	for w := range enNegatorWords() {
		lx.en[w] = entry{kind: kindNegator}
	}
	for w := range enContrastWords() {
		lx.en[w] = entry{kind: kindContrast}
	}
	for w := range lx.en {
		n := 1
		for i := 0; i < len(w); i++ {
			if w[i] == ' ' {
				n++
			}
		}
		lx.enMaxLen = max(lx.enMaxLen, n)
	}
	return lx
}

// span is a byte range of scratch.buf.
type span struct{ s, e int32 }

// scratch holds the buffers of one featurisation, reused across texts so
// that scoring does not allocate.
type scratch struct {
	buf   []byte  // normalised text
	off   []int32 // zh: byte offset of each rune, then the end
	toks  []span  // en: tokens
	brk   []bool  // the rune (zh) or token (en) starts a clause
	neg   []bool  // the rune or token is in a negation scope
	atom  []bool  // the rune or token is part of an atomic phrase
	feats []uint32
	// set and stamp find a text's distinct features for self-training:
	// an open-addressing set of (stamp, feature) slots, a slot being in
	// use for the current text when its stamp is stamp.
	set   [][2]uint32
	stamp uint32
	zh    zhPrep // Chinese: the prepared text (see prepZh)
}

// hash is FNV-1a over b seeded with salt, finished with a murmur3 mix so
// that the low bits used as bucket index are well spread.
func hash(salt uint32, b []byte) uint32 {
	h := uint32(2166136261) ^ (salt * 0x9E3779B1)
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	h ^= h >> 16
	h *= 0x85EBCA6B
	h ^= h >> 13
	h *= 0xC2B2AE35
	h ^= h >> 16
	return h
}

// polarity accumulates lexicon hits. A contrast word halves what came
// before it, so "价格贵，但是质量很好" leans positive, and starts the
// verdict: what follows the last contrast or summing-up word ("房间有点小，
// 但服务很周到", "总的来说还不错", "…, but overall a good stay") is also
// counted on its own.
type polarity struct {
	pos, neg, clause, last float32
	verdict                float32 // lexicon sum since the last contrast word
	contrasted             bool
}

func (p *polarity) add(v float32) {
	if v > 0 {
		p.pos += v
	} else {
		p.neg -= v
	}
	p.clause += v
	p.verdict += v
}

func (p *polarity) endClause() {
	if p.clause != 0 {
		p.last = p.clause
	}
	p.clause = 0
}

func (p *polarity) contrast() {
	p.pos *= 0.5
	p.neg *= 0.5
	p.verdict = 0
	p.contrasted = true
}

func (p *polarity) dense() [nDense]float32 {
	p.endClause()
	var d [nDense]float32
	d[0] = float32(math.Log1p(float64(p.pos)))
	d[1] = float32(math.Log1p(float64(p.neg)))
	d[2] = (p.pos - p.neg) / (p.pos + p.neg + 1)
	switch {
	case p.last > 0:
		d[3] = 1
	case p.last < 0:
		d[3] = -1
	}
	if p.contrasted {
		d[4] = p.verdict / (float32(math.Abs(float64(p.verdict))) + 1)
	}
	return d
}

// negate flips a polar word in a negation scope. A negated negative word
// is only mildly positive ("不贵", "not bad"), a negated positive one is
// plainly negative ("不满意", "not good").
func negate(v float32) float32 {
	if v > 0 {
		return -v
	}
	return -v * 0.6
}

// extract fills sc.feats with the hashed n-gram features of text (bucket
// indices under mask) and returns its dense lexicon features.
func (sc *scratch) extract(lx *lexicons, l lang, text string, mask uint32) [nDense]float32 {
	sc.feats = sc.feats[:0]
	if l == langZh {
		return sc.extractZh(lx, text, mask)
	}
	return sc.extractEn(lx, text, mask)
}

func (sc *scratch) emit(salt uint32, b []byte, mask uint32) {
	sc.feats = append(sc.feats, hash(salt, b)&mask)
}

// emitLex adds a feature for a lexicon hit's class: its listed value and
// the value after negation. Such features are shared by all words of a
// class, so they carry over to domains whose words the n-grams never saw.
func (sc *scratch) emitLex(listed, got float32, mask uint32) {
	k := [2]byte{byte(int8(math.Round(float64(listed * 2)))), byte(int8(math.Round(float64(got * 2))))}
	sc.emit(saltLex, k[:], mask)
}

// foldString applies foldRune to every rune of s.
func foldString(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = utf8.AppendRune(b, foldRune(r))
	}
	return string(b)
}

// foldRune maps full-width forms to ASCII and upper to lower case.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		return ' '
	}
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		return r
	}
	return unicode.ToLower(r)
}

func isBreak(r rune) bool {
	if r < 0x80 {
		switch r {
		case ' ', '\t', '\n', '\r', ',', '.', '!', '?', ';', ':', '(', ')', '"', '[', ']', '/', '\\':
			return true
		}
		return false
	}
	return unicode.IsSpace(r) || unicode.IsPunct(r)
}

// resetBools returns b resized to n and cleared.
func resetBools(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}
