package mailout

import (
	"strings"
	"testing"
)

// TestParseRelay: the URL forms of --smtp-relay, and that neither errors
// nor the relay's name ever show its password.
func TestParseRelay(t *testing.T) {
	for _, c := range []struct {
		raw, user, pass string
		want            string // String(), "" for an error
		implicit        bool
		starttls        string
	}{
		{"smtp://mail.example.com", "", "", "smtp://mail.example.com:587", false, ""},
		{"smtp://mail.example.com:25?starttls=required", "", "", "smtp://mail.example.com:25", false, "required"},
		{"smtp://127.0.0.1:2525?starttls=none", "", "", "smtp://127.0.0.1:2525", false, "none"},
		{"smtps://u%40x:s3cret-pw@mail.example.com", "", "", "smtps://u%40x@mail.example.com:465", true, ""},
		{"smtp://mail.example.com", "relay-user", "s3cret-pw", "smtp://relay-user@mail.example.com:587", false, ""},
		{"smtps://mail.example.com?starttls=required", "", "", "", false, ""},
		{"http://mail.example.com", "", "", "", false, ""},
		{"smtp://:s3cret-pw@mail.example.com", "", "", "", false, ""},
		{"smtp://mail.example.com?starttls=maybe", "", "", "", false, ""},
		{"smtp:///nohost", "", "", "", false, ""},
	} {
		r, err := ParseRelay(c.raw, c.user, c.pass)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s: no error", c.raw)
			} else if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%s: the error shows the password: %v", c.raw, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.raw, err)
			continue
		}
		if got := r.String(); got != c.want || strings.Contains(got, "s3cret") {
			t.Errorf("%s: String() = %q, want %q", c.raw, got, c.want)
		}
		if r.ImplicitTLS != c.implicit || r.StartTLS != c.starttls {
			t.Errorf("%s: implicit %v starttls %q", c.raw, r.ImplicitTLS, r.StartTLS)
		}
		if c.pass != "" && r.Password != c.pass {
			t.Errorf("%s: password from the file not taken", c.raw)
		}
	}
}

// TestCompose: the header of a Chinese mail is ASCII, one line per field
// (folded), and the text survives quoted-printable.
func TestCompose(t *testing.T) {
	m := &composed{Subject: "[SR-2026-000001] 回复：" + strings.Repeat("屏幕闪烁", 20) + "\r\nBcc: evil@example.com",
		MessageID: "a@example.com", References: []string{"x@example.net", "y@example.com"}, Auto: true, Body: "您好\n再见"}
	m.From.Address, m.To.Address, m.To.Name = "support@example.com", "li@example.net", "李娜\r\nBcc: x"
	raw := string(compose(m))
	head, _, _ := strings.Cut(raw, "\r\n\r\n")
	for _, line := range strings.Split(head, "\r\n") {
		if len(line) > 998 {
			t.Errorf("header line of %d bytes", len(line))
		}
		for _, r := range line {
			if r > 127 {
				t.Fatalf("non-ASCII header line %q", line)
			}
		}
		if strings.HasPrefix(line, "Bcc:") {
			t.Errorf("header injected: %q", line)
		}
	}
	for _, want := range []string{"Auto-Submitted: auto-generated", "References: <x@example.net> <y@example.com>", "Message-ID: <a@example.com>"} {
		if !strings.Contains(head, want) {
			t.Errorf("header lacks %q:\n%s", want, head)
		}
	}
}
