package email

import (
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gb encodes s in GB18030 (GBK for the common characters), as Chinese
// mail clients send it.
func gb(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func TestDecodeHeader(t *testing.T) {
	word := gb(t, "相机无法开机")
	tests := []struct {
		name, in, want string
	}{
		{"GB2312 base64", "=?GB2312?B?" + b64(word) + "?=", "相机无法开机"},
		{"folded across two words", "=?gb2312?B?" + b64(word[:4]) + "?=\r\n =?gb2312?B?" + b64(word[4:]) + "?=", "相机无法开机"},
		{"a character split between words", "=?GBK?B?" + b64(word[:3]) + "?= =?GBK?B?" + b64(word[3:]) + "?=", "相机无法开机"},
		{"GB2312 label on GB18030 text", "=?gb2312?B?" + b64(gb(t, "𠮷野家")) + "?=", "𠮷野家"},
		{"raw 8-bit GBK", string(gb(t, "退货申请")), "退货申请"},
		{"Q encoding UTF-8", "=?UTF-8?Q?Caf=C3=A9_au_lait?=", "Café au lait"},
		{"text around words", "Re: =?utf-8?B?5L2g5aW9?= world", "Re: 你好 world"},
		{"declared UTF-8, really GBK", "=?utf-8?B?" + b64(gb(t, "保修")) + "?=", "保修"},
		{"broken word kept", "=?utf-8?X?abc?= plain", "=?utf-8?X?abc?= plain"},
		{"NUL removed", "=?utf-8?Q?a=00b?=", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := decodeHeader(tt.in); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseBodies(t *testing.T) {
	tests := []struct {
		name                  string
		raw                   []byte
		wantText, wantVisible string // substrings; wantVisible "" means check nothing
		notVisible            string
	}{
		{
			name: "quoted-printable UTF-8",
			raw: crlf("From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=utf-8\n" +
				"Content-Transfer-Encoding: quoted-printable\n\n=E7=9B=B8=E6=9C=BA=E5=9D=8F=E4=BA=86 caf=C3=A9=\n bar\n"),
			wantText: "相机坏了 café bar",
		},
		{
			name: "base64 GBK body labelled gb2312",
			raw: crlf("From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=gb2312\n" +
				"Content-Transfer-Encoding: base64\n\n" + b64(gb(t, "屏幕有裂痕，请问保修吗？")) + "\n"),
			wantText: "屏幕有裂痕，请问保修吗？",
		},
		{
			name: "charset that does not decode falls back to GB18030",
			raw: append(crlf("From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=us-ascii\n\n"),
				gb(t, "洗衣机漏水")...),
			wantText: "洗衣机漏水",
		},
		{
			name: "HTML only",
			raw: crlf("From: a@example.com\nSubject: x\nContent-Type: text/html; charset=utf-8\n\n" +
				"<html><head><style>p{}</style></head><body><p>Hello <b>team</b>,</p><p>The lens is broken.<br>Serial: A1</p>" +
				"<ul><li>one</li></ul><script>alert(1)</script>" +
				`<div class="gmail_quote">On Mon someone wrote:<blockquote>old text</blockquote></div></body></html>`),
			wantText: "Hello team,\n\nThe lens is broken.\nSerial: A1", wantVisible: "• one", notVisible: "old text",
		},
		{
			name:     "quoted history and signature folded",
			raw:      crlf("From: a@example.com\nSubject: Re: x\n\nIt still leaks.\n\n-- \nLi Lei\n\nOn Mon, 1 Jan 2026 at 10:00, Support <s@example.com> wrote:\n> Please try again.\n"),
			wantText: "> Please try again.", wantVisible: "It still leaks.", notVisible: "Li Lei",
		},
		{
			name:     "Chinese reply header and phone signature",
			raw:      crlf("From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n好的，谢谢\n\n发自我的iPhone\n\n------------------ 原始邮件 ------------------\n发件人: 客服\n旧内容\n"),
			wantText: "旧内容", wantVisible: "好的，谢谢", notVisible: "iPhone",
		},
		{
			name:        "Outlook header block",
			raw:         crlf("From: a@example.com\nSubject: x\n\nSee attached.\n\nFrom: Support\nSent: Monday\nTo: me\nSubject: x\nold\n"),
			wantVisible: "See attached.", notVisible: "Sent: Monday",
		},
		{
			name: "missing final boundary",
			raw: crlf("From: a@example.com\nSubject: x\nContent-Type: multipart/mixed; boundary=B\n\n--B\n" +
				"Content-Type: text/plain\n\nbody before the end\n--B\nContent-Type: text/plain\n\nsecond part"),
			wantText: "body before the end",
		},
		{
			name:     "bare CR line ends",
			raw:      []byte("From: a@example.com\rSubject: cr\rContent-Type: text/plain\r\rline one\rline two\r"),
			wantText: "line one\nline two",
		},
		{
			name:     "broken folding",
			raw:      crlf("From: a@example.com\nSubject: =?utf-8?B?5L2g?=\n=?utf-8?B?5aW9?=\nContent-Type: text/plain\n\nbody"),
			wantText: "body",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Parse(tt.raw)
			if !strings.Contains(m.Text, tt.wantText) {
				t.Errorf("text: got %q, want it to contain %q", m.Text, tt.wantText)
			}
			if tt.wantVisible != "" && !strings.Contains(m.Visible, tt.wantVisible) {
				t.Errorf("visible: got %q, want it to contain %q", m.Visible, tt.wantVisible)
			}
			if tt.notVisible != "" && strings.Contains(m.Visible, tt.notVisible) {
				t.Errorf("visible: got %q, want no %q", m.Visible, tt.notVisible)
			}
			if m.From.Email != "a@example.com" {
				t.Errorf("from: got %q, want a@example.com", m.From.Email)
			}
		})
	}
}

func TestParseHeaders(t *testing.T) {
	raw := crlf("From: =?GB2312?B?" + b64(gb(t, "李雷")) + "?= <LiLei@Example.COM>\n" +
		"Subject: =?gb2312?B?" + b64(gb(t, "回复：")) + "?= [SR-2026-000123] =?utf-8?Q?lens?=\n" +
		"Message-ID: <abc@mail.example.com>\nIn-Reply-To: <r2@x>\nReferences: <r0@x>\n <r1@x> <r2@x>\n\nhi\n")
	m := Parse(raw)
	checks := []struct{ name, got, want string }{
		{"from name", m.From.Name, "李雷"},
		{"from email", m.From.Email, "lilei@example.com"},
		{"subject", m.Subject, "回复： [SR-2026-000123] lens"},
		{"number", m.Number, "SR-2026-000123"},
		{"message id", m.MessageID, "abc@mail.example.com"},
		{"key", m.Key, "abc@mail.example.com"},
		{"refs", strings.Join(m.Refs, " "), "r2@x r1@x r0@x"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if m.Auto != "" || m.Bounce != nil {
		t.Errorf("a person's mail: got auto %q, bounce %v", m.Auto, m.Bounce)
	}
}

func TestParseAttachments(t *testing.T) {
	pdf := "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
	raw := crlf("From: a@example.com\nSubject: invoice\nContent-Type: multipart/mixed; boundary=\"XX\"\n\n--XX\n" +
		"Content-Type: text/plain; charset=utf-8\n\nSee the invoice.\n--XX\n" +
		"Content-Type: application/pdf\nContent-Disposition: attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf\n" +
		"Content-Transfer-Encoding: base64\n\n" + b64([]byte(pdf)) + "\n--XX\n" +
		"Content-Type: application/octet-stream; name=\"=?GB2312?B?" + b64(gb(t, "照片")) + "?=.png\"\n" +
		"Content-Transfer-Encoding: base64\n\n" + b64([]byte("\x89PNG\r\n\x1a\n0000")) + "\n--XX--\n")
	m := Parse(raw)
	if len(m.Files) != 2 {
		t.Fatalf("files: got %d, want 2 (%+v)", len(m.Files), m.Problems)
	}
	for i, want := range []struct{ name, content string }{{"发票.pdf", pdf}, {"照片.png", "\x89PNG\r\n\x1a\n0000"}} {
		if m.Files[i].Name != want.name || string(m.Files[i].Content) != want.content {
			t.Errorf("file %d: got %q (%d bytes), want %q (%d bytes)", i, m.Files[i].Name, len(m.Files[i].Content), want.name, len(want.content))
		}
	}
	if m.Text != "See the invoice." {
		t.Errorf("text: got %q, want %q", m.Text, "See the invoice.")
	}
}

func TestClassify(t *testing.T) {
	base := "From: a@example.com\nSubject: hello\n"
	tests := []struct {
		name   string
		head   string
		auto   bool
		bounce bool
	}{
		{"a person", "", false, false},
		{"Auto-Submitted: no", "Auto-Submitted: no\n", false, false},
		{"Auto-Submitted: auto-replied", "Auto-Submitted: auto-replied\n", true, false},
		{"Precedence: bulk", "Precedence: bulk\n", true, false},
		{"Precedence: junk", "Precedence: junk\n", true, false},
		{"Precedence: list", "Precedence: list\n", true, false},
		{"X-Auto-Response-Suppress", "X-Auto-Response-Suppress: All\n", true, false},
		{"empty Return-Path", "Return-Path: <>\n", true, false},
		{"Automatic reply subject", "Subject: Automatic reply: hello\n", true, false},
		{"自动回复 subject", "Subject: 自动回复: 您好\n", true, false},
		{"mailer-daemon sender", "From: MAILER-DAEMON@mx.example.com\n", false, true},
		{"postmaster sender", "From: postmaster@example.com\n", false, true},
		{"delivery-status report", "Content-Type: multipart/report; report-type=delivery-status; boundary=R\n", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := tt.head
			if strings.Contains(head, "From:") {
				head = strings.Replace(base, "From: a@example.com\n", "", 1) + head
			} else if strings.Contains(head, "Subject:") {
				head = strings.Replace(base, "Subject: hello\n", "", 1) + head
			} else {
				head = base + head
			}
			m := Parse(crlf(head + "\nbody\n"))
			if got := m.Auto != ""; got != tt.auto {
				t.Errorf("auto: got %v (%q), want %v", got, m.Auto, tt.auto)
			}
			if got := m.Bounce != nil; got != tt.bounce {
				t.Errorf("bounce: got %v, want %v", got, tt.bounce)
			}
		})
	}
}

func TestParseBounce(t *testing.T) {
	raw := crlf(`From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: support@example.com
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary="RR"

--RR
Content-Type: text/plain

Your message could not be delivered.
--RR
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; Li@Example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <li@example.com>: Recipient address rejected: User unknown

--RR
Content-Type: text/rfc822-headers

From: support@example.com
To: li@example.com
Message-ID: <out-1@aftercare.example>
Subject: [SR-2026-000001] Your request

--RR--
`)
	m := Parse(raw)
	if m.Bounce == nil {
		t.Fatalf("bounce: got nil, want a report")
	}
	b := m.Bounce
	if !b.Permanent || strings.Join(b.OriginalIDs, ",") != "out-1@aftercare.example" || strings.Join(b.Recipients, ",") != "li@example.com" {
		t.Errorf("bounce: got %+v, want permanent, out-1@aftercare.example, li@example.com", b)
	}
	if !strings.Contains(b.Diagnostic, "User unknown") {
		t.Errorf("diagnostic: got %q, want the server's answer", b.Diagnostic)
	}
}

func TestParseHostile(t *testing.T) {
	longSubject := "Subject: " + strings.Repeat("长", 70000) + "\n" // 210 KB on one line
	nested := "From: a@example.com\nContent-Type: multipart/mixed; boundary=b0\n\n"
	for i := 0; i < 300; i++ {
		nested += "--b" + itoa(i) + "\nContent-Type: multipart/mixed; boundary=b" + itoa(i+1) + "\n\n"
	}
	for _, raw := range [][]byte{
		crlf("From: a@example.com\n" + longSubject + "\nbody"),
		[]byte(nested),
		{},
		[]byte("\x00\xff\xfe"),
		[]byte("From: <>\n\n"),
		[]byte("Content-Type: multipart/mixed; boundary=\n\n--\n--\n"),
	} {
		m := Parse(raw)
		for _, s := range append([]string{m.Subject, m.Text, m.Visible, m.MessageID, m.From.Name, m.From.Email}, m.Refs...) {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Errorf("got %q, want valid UTF-8 without NUL", s)
			}
		}
		if utf8.RuneCountInString(m.Subject) > maxSubjectRunes {
			t.Errorf("subject: got %d runes, want at most %d", utf8.RuneCountInString(m.Subject), maxSubjectRunes)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
