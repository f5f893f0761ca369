package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"unicode/utf8"
)

// header is a message's header fields in order, with raw (undecoded,
// possibly folded) values.
type header []field

type field struct {
	name  string // lower-case
	value string
}

// get returns the first value of name ("" when absent).
func (h header) get(name string) string {
	for _, f := range h {
		if f.name == name {
			return f.value
		}
	}
	return ""
}

// has reports whether the field is present (even empty).
func (h header) has(name string) bool {
	for _, f := range h {
		if f.name == name {
			return true
		}
	}
	return false
}

// maxFields bounds how many header fields are kept.
const maxFields = 2000

// splitMessage reads the header of a message (line ends already
// normalised to LF) leniently: a line that is neither a field nor a
// continuation (broken folding) continues the previous field, and a
// leading mbox "From " line is skipped. It returns the header and the
// body after the first empty line.
func splitMessage(msg []byte) (header, []byte) {
	var h header
	rest := msg
	for len(rest) > 0 {
		var line []byte
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			line, rest = rest, nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			return h, rest
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(h) > 0 {
				h[len(h)-1].value += "\n" + string(line)
			}
			continue
		}
		if name, value, ok := fieldLine(line); ok && len(h) < maxFields {
			h = append(h, field{name: name, value: value})
			continue
		}
		if len(h) > 0 {
			h[len(h)-1].value += "\n " + string(line)
		}
	}
	return h, nil
}

// fieldLine splits "Name: value"; the name must be printable ASCII
// without spaces (RFC 5322 ftext).
func fieldLine(line []byte) (string, string, bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 || i > 100 {
		return "", "", false
	}
	name := bytes.TrimRight(line[:i], " \t")
	if len(name) == 0 {
		return "", "", false
	}
	for _, c := range name {
		if c <= 32 || c >= 127 {
			return "", "", false
		}
	}
	return strings.ToLower(string(name)), strings.TrimLeft(string(line[i+1:]), " \t"), true
}

// normalizeEOL turns CRLF and bare CR line ends into LF.
func normalizeEOL(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			if i+1 < len(b) && b[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// Message-IDs are kept without angle brackets, at most maxIDLen bytes
// (a longer one is replaced by its hash, so that an absurd header cannot
// break the index), at most maxRefs per message.
const (
	maxIDLen = 500
	maxRefs  = 100
)

var msgIDToken = regexp.MustCompile(`<([^<>\s]+)>`)

// messageIDs extracts the Message-IDs of an In-Reply-To or References
// value; a lone ID without angle brackets is accepted too.
func messageIDs(v string) []string {
	v = unfold(v)
	var out []string
	for _, m := range msgIDToken.FindAllStringSubmatch(v, maxRefs*2) {
		out = append(out, normalizeID(m[1]))
	}
	if len(out) == 0 {
		if f := strings.Fields(v); len(f) == 1 && strings.Contains(f[0], "@") {
			out = append(out, normalizeID(strings.Trim(f[0], "<>")))
		}
	}
	return out
}

func normalizeID(id string) string {
	id = clean(strings.TrimSpace(id))
	if len(id) > maxIDLen || !utf8.ValidString(id) {
		sum := sha256.Sum256([]byte(id))
		return "sha256:" + hex.EncodeToString(sum[:])
	}
	return id
}

// Address is a mailbox: an optional display name and an address.
type Address struct {
	Name  string
	Email string // lower-case; "" when the header had no usable address
}

var angleAddr = regexp.MustCompile(`<\s*([^<>\s@]{1,64}@[^<>\s@]{1,255})\s*>`)

// parseAddress reads the first mailbox of an address header leniently:
// "Name <a@b>", "a@b (Name)", encoded or raw 8-bit display names.
func parseAddress(raw string) Address {
	v := unfold(raw)
	if len(v) > 4096 {
		v = v[:4096]
	}
	var a Address
	if m := angleAddr.FindStringSubmatchIndex(v); m != nil {
		a.Email = v[m[2]:m[3]]
		a.Name = v[:m[0]]
	} else {
		for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' }) {
			tok = strings.Trim(tok, `<>"'()`)
			if strings.Count(tok, "@") == 1 {
				a.Email = tok
				break
			}
		}
		if i := strings.IndexByte(v, '('); i >= 0 {
			if j := strings.LastIndexByte(v, ')'); j > i {
				a.Name = v[i+1 : j]
			}
		}
	}
	a.Name = strings.Trim(strings.TrimSpace(decodeHeader(a.Name)), `"' `)
	a.Name = strings.ReplaceAll(a.Name, `\"`, `"`)
	a.Email = strings.ToLower(strings.TrimSpace(a.Email))
	if !plausibleAddress(a.Email) {
		a.Email = ""
	}
	return a
}

// plausibleAddress checks the shape of an address: local@domain, printable
// ASCII or UTF-8 without spaces or controls, a domain with a dot.
func plausibleAddress(s string) bool {
	if len(s) > 254 || !utf8.ValidString(s) {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`<>()[]\,;:"`, r) {
			return false
		}
	}
	return true
}
