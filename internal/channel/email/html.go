package email

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText turns an HTML-only mail into readable text: paragraphs and
// line breaks kept, lists as bullets, links with their address, scripts
// and styles dropped. With fold, the quoted history that mail clients
// mark up (blockquotes, Gmail's gmail_quote, everything after Outlook's
// reply separator) is left out.
func htmlToText(src string, fold bool) string {
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return ""
	}
	w := &textWriter{fold: fold}
	w.walk(doc, 0)
	return tidyText(w.b.String())
}

type textWriter struct {
	b       strings.Builder
	fold    bool
	stopped bool // fold: Outlook's separator reached; the rest is history
	pre     int
}

// maxDepth bounds recursion on absurdly nested markup.
const maxDepth = 200

func (w *textWriter) walk(n *html.Node, depth int) {
	if w.stopped || depth > maxDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		if w.pre > 0 {
			w.b.WriteString(n.Data)
		} else {
			w.b.WriteString(collapseSpace(n.Data))
		}
		return
	case html.ElementNode:
		if w.fold && quotedElement(n) {
			if isOutlookSeparator(n) {
				w.stopped = true
			}
			return
		}
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript, atom.Template:
			return
		case atom.Br:
			w.b.WriteString("\n")
			return
		case atom.Hr:
			w.b.WriteString("\n----\n")
			return
		case atom.Img:
			if alt := attr(n, "alt"); alt != "" {
				w.b.WriteString("[" + collapseSpace(alt) + "]")
			}
			return
		case atom.Li:
			w.b.WriteString("\n• ")
		case atom.Td, atom.Th:
			w.b.WriteString(" ")
		case atom.Pre:
			w.pre++
			defer func() { w.pre-- }()
		}
	}
	block := n.Type == html.ElementNode && blockElement(n.DataAtom)
	if block {
		w.b.WriteString("\n")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, depth+1)
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		if href := attr(n, "href"); (strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")) &&
			!strings.Contains(textOf(n), href) {
			w.b.WriteString(" (" + href + ")")
		}
	}
	if block {
		w.b.WriteString("\n")
	}
}

func blockElement(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Tr, atom.Table, atom.Ul, atom.Ol, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5,
		atom.H6, atom.Blockquote, atom.Pre, atom.Section, atom.Article, atom.Header, atom.Footer, atom.Address,
		atom.Dl, atom.Dt, atom.Dd, atom.Center:
		return true
	}
	return false
}

// quotedElement reports whether n holds quoted history in the markup of
// common mail clients.
func quotedElement(n *html.Node) bool {
	if n.DataAtom == atom.Blockquote {
		return true
	}
	class := " " + attr(n, "class") + " "
	for _, c := range []string{" gmail_quote ", " gmail_extra ", " yahoo_quoted ", " moz-cite-prefix ", " protonmail_quote "} {
		if strings.Contains(class, c) {
			return true
		}
	}
	return isOutlookSeparator(n)
}

// isOutlookSeparator reports whether n starts the quoted history of
// Outlook ("appendonsend", "divRplyFwdMsg") or QQ Mail.
func isOutlookSeparator(n *html.Node) bool {
	switch attr(n, "id") {
	case "appendonsend", "divRplyFwdMsg", "original-content", "isReplyContent", "isForwardContent":
		return true
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth || b.Len() > 4096 {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

var spaceRun = regexp.MustCompile(`[ \t\r\n\f\x{00a0}]+`)

func collapseSpace(s string) string { return spaceRun.ReplaceAllString(s, " ") }

var blankLines = regexp.MustCompile(`\n{3,}`)

// tidyText trims every line and leaves at most one empty line in a row.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimLeft(l, " "), " \t")
	}
	return strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}
