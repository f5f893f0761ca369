package kb

import (
	"bytes"
	"html"
	"html/template"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"

	"github.com/aftercare/aftercare/internal/text/tokenize"
)

// markdown renders article bodies. goldmark's defaults are the safe ones:
// raw HTML in the Markdown is left out ("<!-- raw HTML omitted -->") and
// links with dangerous schemes (javascript:, vbscript:, file:, data: but
// images) are not linked.
var markdown = goldmark.New()

// Render returns the HTML of a Markdown body, safe to show.
func Render(body string) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(body), &b); err != nil {
		return template.HTML("<p>" + html.EscapeString(body) + "</p>") //nolint:gosec // escaped
	}
	return template.HTML(b.String()) //nolint:gosec // goldmark without WithUnsafe escapes everything
}

var (
	mdLink   = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	mdMarks  = regexp.MustCompile("(?m)^\\s{0,3}(#{1,6}\\s+|>\\s?|[-*+]\\s+|\\d+[.)]\\s+)|[*_`~]{1,3}")
	mdSpaces = regexp.MustCompile(`[ \t]*\n[ \t\n]*`)
)

// PlainText is a Markdown body without its markup: what snippets and
// extractive answers quote.
func PlainText(body string) string {
	s := mdLink.ReplaceAllString(body, "$1")
	s = mdMarks.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "\r", "")
	return strings.TrimSpace(mdSpaces.ReplaceAllString(s, "\n"))
}

// Snippet picks the passage of body (plain text, about width
// characters) that holds the most distinct query terms, and the byte
// ranges of the matches within it.
func Snippet(body string, terms []string, width int) (string, [][2]int) {
	text := PlainText(body)
	want := map[string]bool{}
	for _, t := range terms {
		want[t] = true
	}
	var hits []tokenize.Token
	for _, tok := range tokenize.Tokens(text) {
		if want[tok.Term] {
			hits = append(hits, tok)
		}
	}
	start := 0
	if len(hits) > 0 {
		// The window starting at each hit that covers the most distinct
		// terms within width characters.
		best := -1
		for i := range hits {
			seen := map[string]bool{}
			for j := i; j < len(hits) && utf8.RuneCountInString(text[hits[i].Start:hits[j].End]) <= width; j++ {
				seen[hits[j].Term] = true
			}
			if len(seen) > best {
				best, start = len(seen), hits[i].Start
			}
		}
		// Back up a little to the start of the sentence or some context.
		back := start
		for n := 0; back > 0 && n < width/4; n++ {
			r, size := utf8.DecodeLastRuneInString(text[:back])
			if strings.ContainsRune("。！？.!?\n", r) {
				break
			}
			back -= size
		}
		start = back
	}
	end, n := start, 0
	for end < len(text) && n < width {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
		n++
	}
	snippet := strings.TrimSpace(text[start:end])
	lead := len(text[start:end]) - len(strings.TrimLeft(text[start:end], " \t\n"))
	var marks [][2]int
	last := -1
	for _, h := range hits {
		a, b := h.Start-start-lead, h.End-start-lead
		if a < 0 || b > len(snippet) {
			continue
		}
		if a <= last && len(marks) > 0 { // overlapping bigrams: one mark
			marks[len(marks)-1][1] = max(b, last)
		} else {
			marks = append(marks, [2]int{a, b})
		}
		last = max(b, last)
	}
	if start > 0 {
		snippet = "…" + snippet
		for i := range marks {
			marks[i][0] += len("…")
			marks[i][1] += len("…")
		}
	}
	if end < len(text) {
		snippet += "…"
	}
	return strings.ReplaceAll(snippet, "\n", " "), marks
}

// Highlight returns snippet as HTML with its marks in <mark>.
func Highlight(snippet string, marks [][2]int) template.HTML {
	var b strings.Builder
	at := 0
	for _, m := range marks {
		if m[0] < at || m[1] > len(snippet) {
			continue
		}
		b.WriteString(html.EscapeString(snippet[at:m[0]]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(snippet[m[0]:m[1]]))
		b.WriteString("</mark>")
		at = m[1]
	}
	b.WriteString(html.EscapeString(snippet[at:]))
	return template.HTML(b.String()) //nolint:gosec // every part escaped
}
