// Package tokenize turns Chinese and English text into the search terms
// that the knowledge base indexes and queries with (SQLite FTS5, and a
// GIN-indexed tsvector on PostgreSQL: the database only ever sees these
// terms, so both stores rank the same way).
//
// Chinese has no spaces. A run of Chinese characters is segmented by
// forward maximum matching against an embedded dictionary of common and
// after-sales words (dict.txt: 保修, 压缩机, 不制冷 …); a dictionary word
// is one term, and, when it is longer than two characters, its character
// bigrams are terms too, so that a shorter wording still meets it. Text
// between dictionary words becomes overlapping character bigrams (or a
// single character when alone). Function characters (的, 了, 吗 …) and
// question words (怎么, 如何 …) split runs and are dropped. So every
// two-character term is found, whether the dictionary knows it or not.
//
// English words are lower-cased, stop words dropped and the rest stemmed
// (Porter). A product model number such as "KFR-35GW" (letters and digits
// joined by hyphens) is one term, "kfr35gw", plus its parts, so "KFR35GW"
// and "kfr-35gw" find it as well.
//
// Every term is made of letters and digits only, which FTS5's unicode61
// tokenizer and PostgreSQL's tsvector both keep as one lexeme.
//
// Why not a full segmenter: github.com/go-ego/gse (Apache-2.0, pure Go) is
// not served by this project's module proxy, and the architecture notes
// measured it at ~38 MB of binary and 3.5 s of start-up; jiebago has no
// licence and gojieba needs cgo. Bigrams guarantee recall for any
// two-character word; the dictionary adds the longer after-sales terms and
// the query-side synonyms (Expand) bridge customers' and writers' wording.
package tokenize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one term and where its text lies in the input (byte offsets),
// for snippets and highlighting.
type Token struct {
	Term       string
	Start, End int
}

// Terms returns the terms of text in order, duplicates kept (term
// frequency counts them).
func Terms(text string) []string {
	toks := Tokens(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Term
	}
	return out
}

// Tokens returns the terms of text with their positions.
func Tokens(text string) []Token {
	var out []Token
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case isHan(r):
			j := i
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !isHan(r2) {
					break
				}
				j += s2
			}
			out = appendHan(out, text, i, j)
			i = j
		case isWordRune(r):
			j := i
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) {
					j += s2
					continue
				}
				// An apostrophe inside a word joins it (don't, customer's).
				if (r2 == '\'' || r2 == '’') && j+s2 < len(text) {
					if r3, _ := utf8.DecodeRuneInString(text[j+s2:]); unicode.IsLetter(r3) && !isHan(r3) {
						j += s2
						continue
					}
				}
				// A hyphen or slash between letters/digits joins a model
				// number: KFR-35GW, WM-100.
				if (r2 == '-' || r2 == '_') && j+1 < len(text) {
					if r3, _ := utf8.DecodeRuneInString(text[j+1:]); isWordRune(r3) && !isHan(r3) {
						j += s2
						continue
					}
				}
				break
			}
			out = appendLatin(out, text[i:j], i)
			i = j
		default:
			i += size
		}
	}
	return out
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// appendLatin adds the terms of one Latin run (a word, a number or a
// model number with hyphens) starting at byte off.
func appendLatin(out []Token, run string, off int) []Token {
	lower := strings.ToLower(run)
	if i := strings.IndexAny(lower, "'’"); i >= 0 {
		// don't → dont, customer's → customer: the part after the
		// apostrophe is a contraction or a possessive.
		if rest := strings.TrimLeft(lower[i:], "'’"); rest == "t" {
			lower = lower[:i] + "t"
		} else {
			lower = lower[:i]
		}
	}
	if !strings.ContainsAny(lower, "-_") {
		if stopEN[lower] || utf8.RuneCountInString(lower) == 1 && !unicode.IsDigit([]rune(lower)[0]) {
			return out
		}
		return append(out, Token{Term: Stem(lower), Start: off, End: off + len(run)})
	}
	parts := strings.FieldsFunc(lower, func(r rune) bool { return r == '-' || r == '_' })
	out = append(out, Token{Term: strings.Join(parts, ""), Start: off, End: off + len(run)})
	pos := off
	for _, p := range parts {
		k := strings.Index(strings.ToLower(run[pos-off:]), p)
		start := pos + k
		if !stopEN[p] {
			out = append(out, Token{Term: Stem(p), Start: start, End: start + len(p)})
		}
		pos = start + len(p)
	}
	return out
}

// appendHan segments text[i:j], a run of Chinese characters.
func appendHan(out []Token, text string, i, j int) []Token {
	// Offsets of each character, plus the end.
	var offs []int
	for k := i; k < j; {
		_, s := utf8.DecodeRuneInString(text[k:])
		offs = append(offs, k)
		k += s
	}
	offs = append(offs, j)
	n := len(offs) - 1
	word := func(a, b int) string { return text[offs[a]:offs[b]] }

	// pending is the start of text not yet matched by the dictionary.
	pending := 0
	flush := func(end int) {
		// Bigrams of the unmatched characters [pending, end), split at
		// function characters.
		a := pending
		for a < end {
			if stopZHChar[word(a, a+1)] {
				a++
				continue
			}
			b := a
			for b < end && !stopZHChar[word(b, b+1)] {
				b++
			}
			if b-a == 1 {
				out = append(out, Token{Term: word(a, b), Start: offs[a], End: offs[b]})
			}
			for k := a; k+2 <= b; k++ {
				if w := word(k, k+2); !stopZH[w] {
					out = append(out, Token{Term: w, Start: offs[k], End: offs[k+2]})
				}
			}
			a = b
		}
	}
	k := 0
	for k < n {
		l := min(maxWord, n-k)
		for ; l >= 2; l-- {
			if w := word(k, k+l); dictionary[w] || stopZH[w] {
				break
			}
		}
		if l < 2 {
			k++
			continue
		}
		flush(k)
		w := word(k, k+l)
		if !stopZH[w] {
			out = append(out, Token{Term: w, Start: offs[k], End: offs[k+l]})
			if l > 2 {
				for b := k; b+2 <= k+l; b++ {
					out = append(out, Token{Term: word(b, b+2), Start: offs[b], End: offs[b+2]})
				}
			}
		}
		k += l
		pending = k
	}
	flush(n)
	return out
}
