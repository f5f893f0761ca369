// Package email is Aftercare's inbound e-mail channel: an SMTP listener
// and an IMAP poller that store every message in the inbound log before
// acknowledging it, a lenient MIME parser for the mail people really send
// (Chinese charsets mislabelled, broken folding, missing boundaries), and
// the rules that turn a message into a new request or a reply to one —
// threaded by Message-ID or request number, never by subject text — while
// duplicates, auto-replies and bounces create nothing.
package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
)

// Message is a parsed e-mail: what Aftercare needs of it, decoded to
// UTF-8. Parse never fails; what was malformed is listed in Problems.
type Message struct {
	// MessageID is the Message-ID without angle brackets, "" when absent.
	MessageID string
	// Key identifies the message for duplicate detection: the Message-ID,
	// or a hash of sender, date, subject and body when it has none.
	Key string
	// Refs are In-Reply-To then References (newest first): the
	// Message-IDs this mail replies to.
	Refs    []string
	From    Address
	Subject string
	// Number is a request number named in the subject (SR-2026-000123).
	Number string
	// Text is the whole body as text (HTML-only mail converted); Visible is
	// Text without quoted history and signature.
	Text, Visible string
	Files         []File
	// Auto says why the mail is automatic (out-of-office, list mail), ""
	// when a person wrote it.
	Auto string
	// Bounce is set for a delivery-status notification.
	Bounce   *Bounce
	Problems []string
}

// File is an attachment as received.
type File struct {
	Name        string
	ContentType string // as declared; the stored type is detected from the content
	Content     []byte
}

// Bounce is what a delivery-status notification says about the mail that
// could not be delivered.
type Bounce struct {
	OriginalIDs []string
	Recipients  []string
	Permanent   bool
	Diagnostic  string
}

// Limits of what Parse keeps.
const (
	maxSubjectRunes = 2000
	maxFiles        = 50
	maxParts        = 500
	// maxBoundaries bounds MIME nesting: a message declaring more
	// boundaries than this is read as plain text, so that hostile nesting
	// cannot exhaust memory.
	maxBoundaries = 200
)

// noReply matches the senders of web forms and notification systems,
// whose Reply-To names the person.
var noReply = regexp.MustCompile(`(?i)^(no-?reply|do-?not-?reply|donotreply|noreply-[a-z0-9-]+)@`)

var requestNumber = regexp.MustCompile(`(?i)\bSR-(\d{4})-(\d{6})\b`)

// Parse reads a raw message. It never fails and never panics on any
// input (a fuzz test checks); every string it returns is valid UTF-8
// without NUL characters.
func Parse(raw []byte) *Message {
	norm := normalizeEOL(raw)
	h, body := splitMessage(norm)
	m := &Message{}
	m.From = parseAddress(h.get("from"))
	if noReply.MatchString(m.From.Email) {
		// A web form or a system writing for someone: the answer goes to Reply-To.
		if rt := parseAddress(h.get("reply-to")); rt.Email != "" {
			m.From = rt
		}
	}
	m.Subject = oneLine(decodeHeader(h.get("subject")))
	if utf8.RuneCountInString(m.Subject) > maxSubjectRunes {
		m.Subject = string([]rune(m.Subject)[:maxSubjectRunes])
		m.Problems = append(m.Problems, "subject shortened")
	}
	if ids := messageIDs(h.get("message-id")); len(ids) > 0 {
		m.MessageID = ids[0]
	}
	m.Refs = threadRefs(h)
	if sm := requestNumber.FindStringSubmatch(m.Subject); sm != nil {
		m.Number = "SR-" + sm[1] + "-" + sm[2]
	}
	p := &partWalker{m: m, report: isDeliveryReport(h.get("content-type"))}
	if bytes.Count(bytes.ToLower(norm), []byte("boundary")) > maxBoundaries {
		m.Problems = append(m.Problems, "too many MIME parts; read as plain text")
		p.texts = append(p.texts, toUTF8(charsetOf(h.get("content-type")), decodeTransfer(h.get("content-transfer-encoding"), body)))
	} else {
		p.read(norm, h, body)
	}
	p.finish()
	m.Key = m.MessageID
	if m.Key == "" {
		sum := sha256.New()
		fmt.Fprintf(sum, "%s\x00%s\x00%s\x00", m.From.Email, unfold(h.get("date")), m.Subject)
		sum.Write(body)
		m.Key = "sha256:" + hex.EncodeToString(sum.Sum(nil))
	}
	classify(m, h, p)
	return m
}

// threadRefs returns In-Reply-To, then References from the newest.
func threadRefs(h header) []string {
	refs := messageIDs(h.get("in-reply-to"))
	older := messageIDs(h.get("references"))
	for i := len(older) - 1; i >= 0; i-- {
		refs = append(refs, older[i])
	}
	seen := map[string]bool{}
	out := refs[:0]
	for _, r := range refs {
		if !seen[r] && len(out) < maxRefs {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// partWalker collects the text, HTML, attachments and report parts of a
// MIME tree.
type partWalker struct {
	m          *Message
	texts      []string
	htmls      []string
	dsn        []string // message/delivery-status contents
	origHeader []header // headers of the returned message in a report
	report     bool     // multipart/report; report-type=delivery-status
	parts      int
}

// read parses the MIME structure with enmime, reading contents raw and
// decoding transfer encodings and charsets here (see decode.go). When the
// structure cannot be read at all, the body is taken as plain text.
func (p *partWalker) read(norm []byte, h header, body []byte) {
	parser := enmime.NewParser(enmime.RawContent(true), enmime.SkipMalformedParts(true),
		enmime.MultipartWOBoundaryAsSinglePart(true), enmime.MaxStoredPartErrors(20))
	root, err := parser.ReadParts(bytes.NewReader(norm))
	if err != nil || root == nil {
		p.m.Problems = append(p.m.Problems, "MIME structure unreadable; read as plain text")
		p.texts = append(p.texts, toUTF8(charsetOf(h.get("content-type")), decodeTransfer(h.get("content-transfer-encoding"), body)))
		return
	}
	p.walk(root, 0)
	for _, e := range root.Errors {
		if len(p.m.Problems) < 20 {
			p.m.Problems = append(p.m.Problems, clean(e.Error()))
		}
	}
}

func (p *partWalker) walk(part *enmime.Part, depth int) {
	if part == nil || depth > 50 || p.parts > maxParts {
		return
	}
	p.parts++
	if part.FirstChild != nil {
		for c := part.FirstChild; c != nil; c = c.NextSibling {
			p.walk(c, depth+1)
		}
		return
	}
	if len(part.Errors) > 0 && depth > 0 {
		for _, e := range part.Errors {
			if len(p.m.Problems) < 20 {
				p.m.Problems = append(p.m.Problems, clean(e.Error()))
			}
		}
	}
	ct := strings.ToLower(part.ContentType)
	disp := strings.ToLower(part.Disposition)
	content := decodeTransfer(part.Header.Get("Content-Transfer-Encoding"), part.Content)
	name := cleanFileName(part.FileName)
	switch {
	case ct == "message/delivery-status" || ct == "message/global-delivery-status":
		p.dsn = append(p.dsn, toUTF8("utf-8", content))
		p.report = true
	case ct == "text/rfc822-headers" || ((ct == "message/rfc822" || ct == "message/global") && p.report):
		oh, _ := splitMessage(normalizeEOL(content))
		p.origHeader = append(p.origHeader, oh)
		if ct != "text/rfc822-headers" {
			p.addFile(name, ct, content)
		}
	case (ct == "text/plain" || ct == "") && disp != "attachment" && name == "":
		p.texts = append(p.texts, toUTF8(part.Charset, content))
	case ct == "text/html" && disp != "attachment" && name == "":
		p.htmls = append(p.htmls, toUTF8(part.Charset, content))
	case strings.HasPrefix(ct, "multipart/"):
		// An empty container.
	default:
		p.addFile(name, ct, content)
	}
}

func (p *partWalker) addFile(name, ct string, content []byte) {
	if len(content) == 0 {
		return
	}
	if len(p.m.Files) >= maxFiles {
		p.m.Problems = append(p.m.Problems, fmt.Sprintf("more than %d attachments; the rest are only in the original", maxFiles))
		return
	}
	if name == "" {
		name = fmt.Sprintf("attachment-%d%s", len(p.m.Files)+1, extensionFor(ct))
	}
	p.m.Files = append(p.m.Files, File{Name: name, ContentType: ct, Content: content})
}

// finish picks the body: the plain-text parts, else the HTML parts as
// text; then folds quoted history away for Visible.
func (p *partWalker) finish() {
	m := p.m
	for i := range p.texts {
		p.texts[i] = textEOL(p.texts[i])
	}
	switch {
	case len(p.texts) > 0:
		m.Text = tidyText(strings.Join(p.texts, "\n\n"))
		m.Visible = foldQuoted(m.Text)
	case len(p.htmls) > 0:
		var full, visible []string
		for _, h := range p.htmls {
			full = append(full, htmlToText(h, false))
			visible = append(visible, htmlToText(h, true))
		}
		m.Text = tidyText(strings.Join(full, "\n\n"))
		m.Visible = foldQuoted(tidyText(strings.Join(visible, "\n\n")))
		if m.Visible == "" {
			m.Visible = foldQuoted(m.Text)
		}
	}
	m.Text, m.Visible = clean(m.Text), clean(m.Visible)
}

// textEOL turns the CRLF and CR line ends of decoded text into LF.
func textEOL(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
}

// cleanFileName decodes what enmime left encoded (or raw 8-bit) in a file
// name and drops path parts and control characters.
func cleanFileName(name string) string {
	if name == "" {
		return ""
	}
	if strings.Contains(name, "=?") || !utf8.ValidString(name) {
		name = decodeHeader(name)
	}
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 0x7f {
			return -1
		}
		return r
	}, clean(name))
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	for len(name) > 200 {
		r := []rune(name)
		name = string(r[:len(r)-1])
	}
	return name
}

func extensionFor(ct string) string {
	switch ct {
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "application/pdf":
		return ".pdf"
	case "text/plain":
		return ".txt"
	case "text/html":
		return ".html"
	case "message/rfc822":
		return ".eml"
	}
	return ""
}

// isDeliveryReport reports whether a Content-Type value is
// multipart/report; report-type=delivery-status.
func isDeliveryReport(ct string) bool {
	ct = strings.ToLower(unfold(ct))
	return strings.HasPrefix(strings.TrimSpace(ct), "multipart/report") && strings.Contains(ct, "delivery-status")
}

// charsetOf returns the charset parameter of a Content-Type value.
func charsetOf(ct string) string {
	for _, p := range strings.Split(unfold(ct), ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "charset") {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}

// oneLine collapses the whitespace of a header value.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
