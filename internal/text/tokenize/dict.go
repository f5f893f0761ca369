package tokenize

import (
	_ "embed"
	"slices"
	"strings"
)

//go:embed dict.txt
var dictText string

//go:embed stop.txt
var stopText string

//go:embed synonyms.txt
var synonymText string

// The word lists are read once into these read-only tables at start-up;
// nothing changes them afterwards.
var (
	dictionary, stopZH, stopZHChar, stopEN = loadLists()
	synonyms                               = loadSynonyms()
)

// maxWord is the longest dictionary word, in characters.
const maxWord = 6

func fields(text string, each func(line string)) {
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		each(line)
	}
}

func loadLists() (dict, words, chars, en map[string]bool) {
	dict, words, chars, en = map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	fields(dictText, func(line string) {
		for _, w := range strings.Fields(line) {
			dict[w] = true
		}
	})
	fields(stopText, func(line string) {
		kind, list, _ := strings.Cut(line, ":")
		to := map[string]map[string]bool{"chars": chars, "words": words, "en": en}[kind]
		for _, w := range strings.Fields(list) {
			to[w] = true
		}
	})
	return dict, words, chars, en
}

// synonymGroup is one line of synonyms.txt: each phrase as its terms.
type synonymGroup [][]string

func loadSynonyms() []synonymGroup {
	var out []synonymGroup
	fields(synonymText, func(line string) {
		var g synonymGroup
		for _, phrase := range strings.Fields(line) {
			if ts := Terms(phrase); len(ts) > 0 {
				g = append(g, ts)
			}
		}
		out = append(out, g)
	})
	return out
}

// Query returns the distinct terms to search for text: its own terms and
// those of the synonyms (synonyms.txt) of phrases it contains, original
// terms first. Extra reports how many of them came from synonyms (the
// last ones).
func Query(text string) (terms []string, extra int) {
	seen := map[string]bool{}
	for _, t := range Terms(text) {
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	own := len(terms)
	for _, g := range synonyms {
		hit := false
		for _, phrase := range g {
			all := true
			for _, t := range phrase {
				if !seen[t] {
					all = false
					break
				}
			}
			if all {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, phrase := range g {
			for _, t := range phrase {
				if !seen[t] {
					seen[t] = true
					terms = append(terms, t)
				}
			}
		}
	}
	return terms, len(terms) - own
}

// IsStopWord reports whether an English word (lower case) is one the
// index leaves out.
func IsStopWord(w string) bool { return stopEN[w] }

// Alternatives returns term and the terms of its synonyms: the other
// phrases of every synonyms.txt line one of whose phrases contains term.
func Alternatives(term string) []string {
	out := []string{term}
	for _, g := range synonyms {
		hit := false
		for _, phrase := range g {
			for _, t := range phrase {
				if t == term {
					hit = true
				}
			}
		}
		if !hit {
			continue
		}
		for _, phrase := range g {
			for _, t := range phrase {
				if !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
	}
	return out
}
