package mailout

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestHTMLPart: every mail is multipart/alternative, its text and HTML
// parts both decode to the rendered template (in each language), and the
// HTML escapes what a customer wrote while linking the request's link.
func TestHTMLPart(t *testing.T) {
	evil := `<script>alert("x")</script> & <img src=x onerror=1>`
	for _, locale := range Locales() {
		d := sampleData()
		d.Message = evil
		d.Link = "https://help.example.com/portal/requests/SR-2026-000123?a=1&b=2"
		subject, body, err := RenderDefault(model.MailReply, locale, d)
		if err != nil {
			t.Fatal(err)
		}
		raw := compose(&composed{Subject: subject, MessageID: "a@example.com", Body: body, Locale: locale})
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		got := DecodeParts(t, msg)
		if got["text/plain"] != body {
			t.Errorf("%s: text part %q, want %q", locale, got["text/plain"], body)
		}
		h := got["text/html"]
		for _, want := range []string{`<html lang="` + locale + `">`, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=1&gt;",
			`<a href="https://help.example.com/portal/requests/SR-2026-000123?a=1&amp;b=2"`, "Wang Fang"} {
			if !strings.Contains(h, want) {
				t.Errorf("%s: HTML part lacks %q:\n%s", locale, want, h)
			}
		}
		if strings.Contains(h, "<script") || strings.Contains(h, "<img") {
			t.Errorf("%s: HTML part lets the customer's markup through:\n%s", locale, h)
		}
		intro := map[string]string{"en": "Reply to this e-mail", "zh-CN": "直接回复此邮件"}[locale]
		if !strings.Contains(h, intro) {
			t.Errorf("%s: HTML part lacks the template's %q", locale, intro)
		}
	}
}
