package mailout

import (
	"bytes"
	"mime"
	"mime/quotedprintable"
	"net/mail"
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
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(b)
	_, _ = w.Write([]byte(strings.ReplaceAll(m.Body, "\r\n", "\n")))
	_ = w.Close()
	b.WriteString("\r\n")
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
