package mailout

import (
	"bytes"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// composed is what goes into one message's header and body.
type composed struct {
	From       mail.Address
	To         mail.Address
	Subject    string
	Date       time.Time
	MessageID  string   // without brackets
	InReplyTo  string   // without brackets; "" for none
	References []string // without brackets, oldest first
	Auto       bool     // Auto-Submitted: auto-generated
	Request    string   // the request number, in X-Aftercare-Request
	Body       string
	Locale     string // the recipient's language: the HTML part's lang
}

func (m *composed) write(b *bytes.Buffer) {
	header := func(name, value string) {
		b.WriteString(name + ": " + value + "\r\n")
	}
	header("From", address(m.From))
	header("To", address(m.To))
	header("Subject", fold(mime.QEncoding.Encode("UTF-8", clean(m.Subject))))
	header("Date", m.Date.Format(time.RFC1123Z))
	header("Message-ID", "<"+m.MessageID+">")
	if m.InReplyTo != "" {
		header("In-Reply-To", "<"+m.InReplyTo+">")
	}
	if len(m.References) > 0 {
		header("References", fold(bracketed(m.References)))
	}
	if m.Auto {
		// RFC 3834: automatic mail; well-behaved autoresponders do not
		// answer it, and Exchange is asked not to either.
		header("Auto-Submitted", "auto-generated")
		header("X-Auto-Response-Suppress", "All")
	}
	if m.Request != "" {
		header("X-Aftercare-Request", clean(m.Request))
	}
	header("MIME-Version", "1.0")
	// multipart/alternative: the text, then the same text as simple HTML
	// (readers show the last part they understand).
	mw := multipart.NewWriter(b)
	header("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	text := strings.ReplaceAll(m.Body, "\r\n", "\n")
	writePart(mw, "text/plain; charset=UTF-8", text)
	writePart(mw, "text/html; charset=UTF-8", htmlBody(text, m.Locale, clean(m.Subject)))
	_ = mw.Close()
	b.WriteString("\r\n")
}

// writePart adds one quoted-printable part (writes to a buffer do not
// fail).
func writePart(mw *multipart.Writer, contentType, body string) {
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", contentType)
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	pw, _ := mw.CreatePart(h)
	w := quotedprintable.NewWriter(pw)
	_, _ = w.Write([]byte(body))
	_ = w.Close()
}

// address renders an address with its name encoded when needed.
func address(a mail.Address) string {
	a.Name = clean(a.Name)
	return a.String()
}

// bracketed renders Message-IDs as a References value.
func bracketed(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "<" + id + ">"
	}
	return strings.Join(out, " ")
}

// clean keeps a header value on one line.
func clean(s string) string { return oneLine(s) }

// fold breaks a header value at its spaces so that lines stay short
// (RFC 5322 §2.2.3); encoded words are separated by spaces already.
func fold(v string) string {
	var b strings.Builder
	line := 0
	for i, w := range strings.Split(v, " ") {
		if i > 0 {
			if line+1+len(w) > 76 {
				b.WriteString("\r\n ")
				line = 1
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}
