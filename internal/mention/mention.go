// Package mention finds the staff users an internal note names with
// "@": "@Wang Fang", "@周杰" or "@wang" (the local part of the e-mail
// address). Only people on the list count, so an e-mail address or a
// stray "@" mentions nobody; the longest name wins ("@Wang Fang" is not
// "@Wang" when both exist).
package mention

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// Person is a staff user who may be mentioned.
type Person struct {
	ID    int64
	Name  string
	Email string
}

// Staff are the active staff users, who may be mentioned.
func Staff(users []model.User) []Person {
	out := make([]Person, 0, len(users))
	for _, u := range users {
		if u.Active {
			out = append(out, Person{ID: u.ID, Name: u.Name, Email: u.Email})
		}
	}
	return out
}

// handles are the ways to write a person after "@", names first.
func (p Person) handles() []string {
	var hs []string
	if n := strings.TrimSpace(p.Name); n != "" {
		hs = append(hs, n)
		if squeezed := strings.ReplaceAll(n, " ", ""); squeezed != n {
			hs = append(hs, squeezed)
		}
	}
	if local, _, ok := strings.Cut(p.Email, "@"); ok && local != "" {
		hs = append(hs, local)
	}
	return hs
}

// match is one mention: text[Start:End] is "@handle".
type match struct {
	Start, End int
	Person     Person
}

// scan finds every mention in text, in order.
func scan(text string, people []Person) []match {
	var out []match
	for i := 0; i < len(text); {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			break
		}
		at += i
		// "li@example.com" is an address, not a mention.
		if at > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:at]); isLatinWord(r) || r == '.' || r == '-' {
				i = at + 1
				continue
			}
		}
		// The longest handle wins; at equal length a name beats an
		// address's local part.
		best, bestRank := match{End: -1}, 0
		rest := text[at+1:]
		for _, p := range people {
			for rank, h := range p.handles() {
				if len(h) > len(rest) || !strings.EqualFold(rest[:len(h)], h) || !boundary(h, rest[len(h):]) {
					continue
				}
				if end := at + 1 + len(h); end > best.End || (end == best.End && rank < bestRank) {
					best, bestRank = match{Start: at, End: end, Person: p}, rank
				}
			}
		}
		if best.End < 0 {
			i = at + 1
			continue
		}
		out = append(out, best)
		i = best.End
	}
	return out
}

// boundary reports whether a handle ends where a mention may end: a
// Latin handle must not run on into more Latin letters or digits ("@wang"
// is not in "@wangwei"); Chinese is written without spaces, so a Chinese
// name may be followed by anything.
func boundary(handle, after string) bool {
	last, _ := utf8.DecodeLastRuneInString(handle)
	next, _ := utf8.DecodeRuneInString(after)
	if after == "" || last >= utf8.RuneSelf {
		return true
	}
	return !isLatinWord(next)
}

// isLatinWord is an ASCII letter, digit or underscore.
func isLatinWord(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// Find returns the people text mentions, each once, in the order first
// mentioned.
func Find(text string, people []Person) []Person {
	var out []Person
	seen := map[int64]bool{}
	for _, m := range scan(text, people) {
		if !seen[m.Person.ID] {
			seen[m.Person.ID] = true
			out = append(out, m.Person)
		}
	}
	return out
}

// Segment is a piece of a note: plain text, or a mention to highlight.
type Segment struct {
	Text    string
	Mention bool
}

// Split cuts text into plain and mention segments, so that a page can
// highlight the mentions while escaping everything; nil when text
// mentions nobody.
func Split(text string, people []Person) []Segment {
	ms := scan(text, people)
	if len(ms) == 0 {
		return nil
	}
	var out []Segment
	prev := 0
	for _, m := range ms {
		if m.Start > prev {
			out = append(out, Segment{Text: text[prev:m.Start]})
		}
		out = append(out, Segment{Text: text[m.Start:m.End], Mention: true})
		prev = m.End
	}
	if prev < len(text) {
		out = append(out, Segment{Text: text[prev:]})
	}
	return out
}
