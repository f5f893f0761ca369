package mailout

import (
	"bytes"
	"html/template"
	"strings"
)

// The HTML part of a mail is made from its text, never written
// separately: what an admin's template says in text is what HTML readers
// see, every character of the text (a customer's words included) is
// escaped by html/template, and links become links. It is deliberately
// plain (no images, no remote content) so that it looks the same in
// Outlook, Gmail, Apple Mail and Foxmail.
var htmlMail = template.Must(template.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Title}}</title></head>
<body style="margin:0;padding:16px;background:#f6f7f9;font-family:-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;font-size:15px;line-height:1.6;color:#1f2328">
<div style="max-width:640px;margin:0 auto;background:#ffffff;border:1px solid #e3e6ea;border-radius:6px;padding:20px 24px">
{{- range .Paragraphs}}
<p style="margin:0 0 14px">{{range $i, $line := .}}{{if $i}}<br>{{end}}{{range $line}}{{if .URL}}<a href="{{.URL}}" style="color:#0b5cad">{{.Text}}</a>{{else}}{{.Text}}{{end}}{{end}}{{end}}</p>
{{- end}}
</div>
</body></html>
`))

// htmlPiece is a run of text or a link.
type htmlPiece struct{ Text, URL string }

// htmlBody renders text as the HTML part: paragraphs at blank lines,
// line breaks kept, http(s) addresses as links. lang is the recipient's
// language (zh-CN or en), title the subject.
func htmlBody(text, lang, title string) string {
	var paras [][][]htmlPiece
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		var lines [][]htmlPiece
		for _, line := range strings.Split(para, "\n") {
			lines = append(lines, linkify(line))
		}
		paras = append(paras, lines)
	}
	var b bytes.Buffer
	if err := htmlMail.Execute(&b, struct {
		Lang, Title string
		Paragraphs  [][][]htmlPiece
	}{Locale(lang), title, paras}); err != nil {
		return "" // cannot happen with this fixed template and plain data
	}
	return b.String()
}

// linkify cuts a line into text and http(s) links; a link ends at white
// space or at a closing bracket or punctuation it cannot end with.
func linkify(line string) []htmlPiece {
	var out []htmlPiece
	for line != "" {
		i := strings.Index(line, "https://")
		if j := strings.Index(line, "http://"); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			out = append(out, htmlPiece{Text: line})
			break
		}
		if i > 0 {
			out = append(out, htmlPiece{Text: line[:i]})
		}
		end := strings.IndexAny(line[i:], " \t<>\"'）】」，。；")
		if end < 0 {
			end = len(line) - i
		}
		u := strings.TrimRight(line[i:i+end], ".,;:!?)]")
		out = append(out, htmlPiece{Text: u, URL: u})
		line = line[i+len(u):]
	}
	return out
}
