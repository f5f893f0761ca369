package email

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Character sets and transfer encodings, decoded the way real mail needs:
// labels lie (GB2312 text that is really GBK or GB18030, Latin-1 labels on
// UTF-8 text), encoded words split a character in two, and base64 comes
// with stray characters. Nothing here fails: the worst case is text with
// replacement characters.

// toUTF8 converts b from the declared charset to valid UTF-8 without NUL
// characters. A label of the GB family decodes as GB18030 (a superset of
// GB2312 and GBK); a charset that does not decode cleanly, or is unknown,
// is tried as UTF-8 and GB18030, and the cleanest result wins.
func toUTF8(charset string, b []byte) string {
	return clean(decodeCharset(charset, b))
}

func decodeCharset(charset string, b []byte) string {
	label := strings.ToLower(strings.Trim(strings.TrimSpace(charset), `"'`))
	if strings.HasPrefix(label, "utf-16") {
		if enc, err := htmlindex.Get(label); err == nil {
			if s, bad := decodeWith(enc, b); bad == 0 {
				return s
			}
		}
	}
	// Valid UTF-8 with non-ASCII characters is almost never text in
	// another charset, whatever the label says (mail clients label UTF-8
	// as Latin-1 or GB2312 more often than not).
	if isASCII(b) || utf8.Valid(b) {
		return string(b)
	}
	if enc := lookupCharset(label); enc != nil {
		if s, bad := decodeWith(enc, b); bad == 0 {
			return s
		}
	}
	return fallback(b)
}

// fallback decodes text whose charset is unknown or wrong: valid UTF-8
// stays, else GB18030 when it decodes cleanly, else whichever of the two
// has fewer replacement characters.
func fallback(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	gb, bad := decodeWith(simplifiedchinese.GB18030, b)
	if bad == 0 {
		return gb
	}
	u := strings.ToValidUTF8(string(b), "\uFFFD")
	if strings.Count(u, "\uFFFD") < bad {
		return u
	}
	return gb
}

// lookupCharset returns the decoder for a charset label, nil for UTF-8,
// US-ASCII and unknown labels (which the caller handles).
func lookupCharset(label string) encoding.Encoding {
	switch label {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit":
		return nil
	case "gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "gb_2312-80", "csgb2312", "chinese", "ms936",
		"windows-936", "x-euc-cn", "gb_2312", "iso-ir-58", "csiso58gb231280", "x-mac-chinesesimp":
		return simplifiedchinese.GB18030
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil
	}
	return enc
}

// decodeWith decodes b and counts the replacement characters the
// decoder produced (ones already in b do not count).
func decodeWith(enc encoding.Encoding, b []byte) (string, int) {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), len(b) + 1
	}
	s := string(out)
	bad := strings.Count(s, "\uFFFD") - strings.Count(strings.ToValidUTF8(string(b), ""), "\uFFFD")
	return s, max(bad, 0)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// clean returns s as valid UTF-8 without NUL characters (neither database
// stores them).
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return s
}

// decodeHeader decodes a header value: RFC 2047 encoded words (adjacent
// words of one charset are joined before decoding, so a character split
// across two words survives; the space between encoded words is dropped),
// and raw 8-bit text in whatever charset it is. Folding is undone.
func decodeHeader(v string) string {
	v = unfold(v)
	if !strings.Contains(v, "=?") {
		return clean(decodeCharset("", []byte(v)))
	}
	var out strings.Builder
	var pending []byte // decoded bytes of a run of encoded words
	pendingCS := ""
	flush := func() {
		if len(pending) > 0 {
			out.WriteString(decodeCharset(pendingCS, pending))
			pending, pendingCS = nil, ""
		}
	}
	rest := v
	lastWasWord := false
	for rest != "" {
		i := strings.Index(rest, "=?")
		if i < 0 {
			flush()
			out.WriteString(decodeCharset("", []byte(rest)))
			break
		}
		w, n, ok := parseEncodedWord(rest[i:])
		if !ok {
			flush()
			out.WriteString(decodeCharset("", []byte(rest[:i+2])))
			rest = rest[i+2:]
			lastWasWord = false
			continue
		}
		between := rest[:i]
		if !(lastWasWord && strings.TrimSpace(between) == "") {
			flush()
			out.WriteString(decodeCharset("", []byte(between)))
		}
		if pendingCS != "" && !strings.EqualFold(pendingCS, w.charset) {
			flush()
		}
		pendingCS = w.charset
		pending = append(pending, w.data...)
		rest = rest[i+n:]
		lastWasWord = true
	}
	flush()
	return clean(out.String())
}

type encodedWord struct {
	charset string
	data    []byte
}

// parseEncodedWord reads "=?charset?B|Q?text?=" at the start of s and
// returns the decoded bytes and the length read. The charset may carry an
// RFC 2231 language ("utf-8*en"), which is dropped.
func parseEncodedWord(s string) (encodedWord, int, bool) {
	if !strings.HasPrefix(s, "=?") {
		return encodedWord{}, 0, false
	}
	body := s[2:]
	q1 := strings.IndexByte(body, '?')
	if q1 <= 0 || q1 > 64 || len(body) < q1+3 || body[q1+2] != '?' {
		return encodedWord{}, 0, false
	}
	charset, enc := body[:q1], body[q1+1]
	text := body[q1+3:]
	end := strings.Index(text, "?=")
	if end < 0 || strings.ContainsAny(text[:end], " \t\r\n") {
		return encodedWord{}, 0, false
	}
	if star := strings.IndexByte(charset, '*'); star >= 0 {
		charset = charset[:star]
	}
	var data []byte
	switch enc {
	case 'B', 'b':
		data = decodeBase64([]byte(text[:end]))
	case 'Q', 'q':
		data = decodeQ(text[:end])
	default:
		return encodedWord{}, 0, false
	}
	return encodedWord{charset: charset, data: data}, 2 + q1 + 3 + end + 2, true
}

// decodeQ decodes the Q encoding of RFC 2047 ("_" is a space).
func decodeQ(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// unfold joins folded header lines (and broken ones) into one line.
func unfold(v string) string {
	if !strings.ContainsAny(v, "\r\n") {
		return v
	}
	v = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(v)
	lines := strings.Split(v, "\n")
	for i := range lines {
		if i > 0 {
			lines[i] = strings.TrimLeft(lines[i], " \t")
		}
	}
	return strings.Join(lines, " ")
}

// decodeBase64 decodes base64 leniently: characters outside the alphabet
// (line breaks, stray punctuation) are skipped, padding is optional, and a
// truncated last group yields what it can.
func decodeBase64(b []byte) []byte {
	buf := make([]byte, 0, len(b))
	for _, c := range b {
		if ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '+' || c == '/' {
			buf = append(buf, c)
		}
	}
	if len(buf)%4 == 1 {
		buf = buf[:len(buf)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(buf)))
	n, _ := base64.RawStdEncoding.Decode(out, buf)
	return out[:n]
}

// decodeQP decodes quoted-printable leniently: where the strict decoder
// stops at a malformed escape, the rest is decoded byte by byte.
func decodeQP(b []byte) []byte {
	out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
	if err == nil {
		return out
	}
	var buf bytes.Buffer
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '=' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]):
			buf.WriteByte(unhex(b[i+1])<<4 | unhex(b[i+2]))
			i += 2
		case c == '=' && i+1 < len(b) && b[i+1] == '\n':
			i++
		case c == '=' && i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n':
			i += 2
		default:
			buf.WriteByte(c)
		}
	}
	return buf.Bytes()
}

// decodeTransfer undoes a Content-Transfer-Encoding.
func decodeTransfer(cte string, b []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return decodeBase64(b)
	case "quoted-printable":
		return decodeQP(b)
	}
	return b
}
