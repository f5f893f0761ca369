package email_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// startApp boots the app with the SMTP listener on a free port.
func startApp(t *testing.T, databaseURL string, maxBytes int64) *app.Main {
	t.Helper()
	return apptest.Start(t, apptest.Options{DatabaseURL: databaseURL, Configure: func(c *config.Config) {
		c.SMTPListen = "127.0.0.1:0"
		if maxBytes > 0 {
			c.SMTPMaxBytes = maxBytes
		}
	}})
}

// send has one SMTP conversation with the listener: MAIL FROM (empty for
// the null sender), RCPT TO, DATA. It returns the server's answer to the
// end of DATA as an error (nil for 250).
func send(t *testing.T, addr, from string, msg string) error {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	_ = conn.SetDeadline(time.Now().Add(time.Minute)) // every wait has a deadline
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatalf("greeting from %s: %v", addr, err)
	}
	defer c.Close()
	if err := c.Hello("mx.example.com"); err != nil {
		t.Fatalf("EHLO: %v", err)
	}
	if err := c.Mail(from); err != nil {
		t.Fatalf("MAIL FROM: %v", err)
	}
	if err := c.Rcpt("support@example.com"); err != nil {
		t.Fatalf("RCPT TO: %v", err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if _, err := w.Write([]byte(strings.ReplaceAll(msg, "\n", "\r\n"))); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// mustSend sends msg and fails unless it is answered 250.
func mustSend(t *testing.T, addr, from, msg string) {
	t.Helper()
	if err := send(t, addr, from, msg); err != nil {
		t.Fatalf("send: got %v, want 250", err)
	}
}

// lastInbound returns the newest entry of the inbound log.
func lastInbound(t *testing.T, m *app.Main) model.InboundMail {
	t.Helper()
	page, err := m.Store.ListInbound(context.Background(), model.InboundFilter{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("inbound log: %v, %d entries", err, len(page.Items))
	}
	return page.Items[0]
}

func count(t *testing.T, m *app.Main, table string) int {
	t.Helper()
	var n int
	if err := m.Store.Read().QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func eachDB(t *testing.T, fn func(t *testing.T, databaseURL string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "") })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresURL(t)) })
}

func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// TestSMTPConversation drives the listener as an MTA would and checks
// what each message becomes: a new request, a reply joined by
// In-Reply-To, one request for a message sent twice, nothing for an
// automatic reply or a bounce, Chinese and quoted-printable text decoded,
// attachments kept.
func TestSMTPConversation(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		m := startApp(t, dbURL, 0)
		ctx := context.Background()
		addr := m.SMTPAddr()
		pdf := "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
		first := "From: =?GB2312?B?" + gbk(t, "李雷") + "?= <LiLei@Example.com>\n" +
			"To: support@example.com\n" +
			"Subject: =?GB2312?B?" + gbk(t, "相机无法开机") + "?=\n" +
			"Message-ID: <first-1@mail.example.com>\n" +
			"MIME-Version: 1.0\n" +
			"Content-Type: multipart/mixed; boundary=\"b1\"\n\n" +
			"--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" +
			"=E7=9B=B8=E6=9C=BA=E6=8C=89=E7=94=B5=E6=BA=90=E9=94=AE=E6=B2=A1=E6=9C=89=E5=8F=8D=E5=BA=94=E3=80=82 Lens=\n cap is on.\n" +
			"--b1\nContent-Type: application/pdf\nContent-Disposition: attachment; filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf\n" +
			"Content-Transfer-Encoding: base64\n\n" + base64.StdEncoding.EncodeToString([]byte(pdf)) + "\n--b1--\n"

		// A new mail becomes a request of a new customer, with its attachment.
		mustSend(t, addr, "lilei@example.com", first)
		e := lastInbound(t, m)
		if e.Outcome != model.MailCreated || e.RequestNumber == "" || e.MessageID != "first-1@mail.example.com" || e.From != "lilei@example.com" {
			t.Fatalf("first mail: got %+v, want created with a request number", e)
		}
		r, err := m.Store.RequestByNumber(ctx, e.RequestNumber)
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != "相机无法开机" || r.Channel != model.ChannelEmail || r.CustomerName != "李雷" {
			t.Errorf("request: got subject %q, channel %s, customer %q; want 相机无法开机, email, 李雷", r.Subject, r.Channel, r.CustomerName)
		}
		msgs, err := m.Store.Messages(ctx, r.ID, true)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("messages: got %d (%v), want 1", len(msgs), err)
		}
		if msgs[0].Body != "相机按电源键没有反应。 Lens cap is on." || msgs[0].Channel != model.ChannelEmail || msgs[0].AuthorKind != model.AuthorCustomer {
			t.Errorf("message: got %q via %s by %s, want the decoded quoted-printable text via email by the customer", msgs[0].Body, msgs[0].Channel, msgs[0].AuthorKind)
		}
		if atts := msgs[0].Attachments; len(atts) != 1 || atts[0].Filename != "发票.pdf" || atts[0].ContentType != "application/pdf" {
			t.Errorf("attachments: got %+v, want 发票.pdf (application/pdf)", atts)
		} else if b, err := blob.ReadAll(ctx, m.Files, atts[0].Path); err != nil || string(b) != pdf {
			t.Errorf("attachment content: got %q (%v), want the PDF sent", b, err)
		}

		// The same message again (an MTA retrying after a lost 250): one request.
		mustSend(t, addr, "lilei@example.com", first)
		if e := lastInbound(t, m); e.Outcome != model.MailDuplicate || e.RequestNumber != r.Number {
			t.Errorf("second delivery: got %s for %q, want duplicate of %s", e.Outcome, e.RequestNumber, r.Number)
		}

		// A reply with In-Reply-To joins the request; the quoted part is folded away.
		mustSend(t, addr, "lilei@example.com", "From: lilei@example.com\nSubject: Re: something else entirely\n"+
			"Message-ID: <reply-2@mail.example.com>\nIn-Reply-To: <first-1@mail.example.com>\n\n"+
			"I tried another battery.\n\nOn Mon, 1 Jan 2026, support wrote:\n> Please try another battery.\n")
		if e := lastInbound(t, m); e.Outcome != model.MailAppended || e.RequestNumber != r.Number {
			t.Errorf("reply: got %s to %q, want appended to %s", e.Outcome, e.RequestNumber, r.Number)
		}
		msgs, _ = m.Store.Messages(ctx, r.ID, true)
		if len(msgs) != 2 || msgs[1].Body != "I tried another battery." {
			t.Errorf("after the reply: got %d messages, last %q; want 2, the reply without the quote", len(msgs), msgs[len(msgs)-1].Body)
		}

		// The request number in the subject joins too; subject text alone never does.
		mustSend(t, addr, "lilei@example.com", "From: lilei@example.com\nSubject: Re: ["+r.Number+"] camera\nMessage-ID: <n-3@x>\n\nstill broken\n")
		if e := lastInbound(t, m); e.Outcome != model.MailAppended || e.RequestNumber != r.Number {
			t.Errorf("number in subject: got %s to %q, want appended to %s", e.Outcome, e.RequestNumber, r.Number)
		}
		mustSend(t, addr, "lilei@example.com", "From: lilei@example.com\nSubject: Re: =?GB2312?B?"+gbk(t, "相机无法开机")+"?=\nMessage-ID: <s-4@x>\n\nnew topic\n")
		if e := lastInbound(t, m); e.Outcome != model.MailCreated || e.RequestNumber == r.Number {
			t.Errorf("same subject, no reference: got %s to %q, want a new request", e.Outcome, e.RequestNumber)
		}

		// Automatic replies and bounces create nothing.
		requests := count(t, m, "requests")
		mustSend(t, addr, "lilei@example.com", "From: lilei@example.com\nSubject: Re: "+r.Number+"\n"+
			"Auto-Submitted: auto-replied\nMessage-ID: <ooo-5@x>\nIn-Reply-To: <first-1@mail.example.com>\n\nI am away.\n")
		if e := lastInbound(t, m); e.Outcome != model.MailAutoReply {
			t.Errorf("Auto-Submitted reply: got %s, want auto_reply", e.Outcome)
		}
		mustSend(t, addr, "lilei@example.com", "From: lilei@example.com\nSubject: =?utf-8?B?6Ieq5Yqo5Zue5aSN?=: "+r.Number+"\n"+
			"Message-ID: <ooo-6@x>\nIn-Reply-To: <first-1@mail.example.com>\n\nI am away.\n")
		if e := lastInbound(t, m); e.Outcome != model.MailAutoReply {
			t.Errorf("自动回复 subject: got %s, want auto_reply", e.Outcome)
		}
		mustSend(t, addr, "", "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\nSubject: Undelivered Mail Returned to Sender\n"+
			"Content-Type: multipart/report; report-type=delivery-status; boundary=R\n\n--R\nContent-Type: text/plain\n\nfailed\n"+
			"--R\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; nobody@example.org\nAction: failed\nStatus: 5.1.1\n\n--R--\n")
		if e := lastInbound(t, m); e.Outcome != model.MailBounce {
			t.Errorf("bounce: got %s, want bounce", e.Outcome)
		}
		mustSend(t, addr, "", "From: someone@example.org\nSubject: hello\n\nnull sender, no other signal\n")
		if e := lastInbound(t, m); e.Outcome != model.MailAutoReply {
			t.Errorf("null sender: got %s, want auto_reply", e.Outcome)
		}
		if n := count(t, m, "requests"); n != requests {
			t.Errorf("requests after automatic mail: got %d, want %d", n, requests)
		}
		if n := count(t, m, "mail_inbound"); n != 9 {
			t.Errorf("inbound log: got %d entries, want all 9 messages", n)
		}
	})
}

// TestSMTPBounceMarksAddress: a bounce of a mail Aftercare sent marks the
// customer's address as bouncing; it opens no request.
func TestSMTPBounceMarksAddress(t *testing.T) {
	m := startApp(t, "", 0)
	ctx := context.Background()
	mustSend(t, m.SMTPAddr(), "li@example.com", "From: li@example.com\nSubject: help\nMessage-ID: <in-1@x>\n\nhelp me\n")
	e := lastInbound(t, m)
	rid, err := m.Store.RequestIDByNumber(ctx, e.RequestNumber)
	if err != nil || rid == 0 {
		t.Fatalf("request: %v", err)
	}
	// What outbound mail records when it sends a reply.
	if err := m.Store.RecordMessageID(ctx, rid, "out-7@aftercare.example", store.MailOut); err != nil {
		t.Fatal(err)
	}
	requests := count(t, m, "requests")
	mustSend(t, m.SMTPAddr(), "", "From: MAILER-DAEMON@mx.example.com\nSubject: Undeliverable: Re: help\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=R\n\n--R\nContent-Type: text/plain\n\nNo such user\n"+
		"--R\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; li@example.com\nAction: failed\nStatus: 5.1.1\n"+
		"Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n--R\nContent-Type: text/rfc822-headers\n\nMessage-ID: <out-7@aftercare.example>\n\n--R--\n")
	if e := lastInbound(t, m); e.Outcome != model.MailBounce || e.RequestNumber == "" {
		t.Errorf("bounce: got %s for %q, want bounce for the request", e.Outcome, e.RequestNumber)
	}
	r, _ := m.Store.RequestByNumber(ctx, e.RequestNumber)
	b, bouncing, err := m.Store.CustomerEmailBounce(ctx, r.CustomerID)
	if err != nil || !bouncing || b.Email != "li@example.com" || !strings.Contains(b.Reason, "user unknown") {
		t.Errorf("customer bounce: got %+v, %v, %v; want li@example.com bouncing with the reason", b, bouncing, err)
	}
	if n := count(t, m, "requests"); n != requests {
		t.Errorf("requests: got %d, want %d (a bounce opens none)", n, requests)
	}
}

// TestSMTPLimits: a message over --smtp-max-bytes is refused (552) and
// nothing is stored; the listener goes on serving.
func TestSMTPLimits(t *testing.T) {
	m := startApp(t, "", 4096)
	err := send(t, m.SMTPAddr(), "a@example.com", "From: a@example.com\nSubject: big\n\n"+strings.Repeat("x", 8000)+"\n")
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 552 {
		t.Fatalf("oversized message: got %v, want 552", err)
	}
	if n := count(t, m, "mail_inbound"); n != 0 {
		t.Errorf("inbound log: got %d, want nothing stored for a refused message", n)
	}
	mustSend(t, m.SMTPAddr(), "a@example.com", "From: a@example.com\nSubject: small\n\nok\n")
	if e := lastInbound(t, m); e.Outcome != model.MailCreated {
		t.Errorf("after a refusal: got %s, want created", e.Outcome)
	}
}

// TestSMTPDuringOutage: while PostgreSQL is away a message is answered
// 451 (the sending MTA keeps it and retries), never 250; once the
// database is back the retry is accepted and stored once.
func TestSMTPDuringOutage(t *testing.T) {
	dbURL, proxy := storetest.ProxiedPostgresURL(t)
	m := startApp(t, dbURL, 0)
	mustSend(t, m.SMTPAddr(), "a@example.com", "From: a@example.com\nSubject: before\nMessage-ID: <outage-0@x>\n\nhello\n")
	msg := "From: a@example.com\nSubject: during the outage\nMessage-ID: <outage-1@x>\n\nhello\n"
	proxy.Down()
	err := send(t, m.SMTPAddr(), "a@example.com", msg)
	var te *textproto.Error
	if !errors.As(err, &te) || te.Code != 451 {
		t.Fatalf("while the database is away: got %v, want 451", err)
	}
	proxy.Up(t)
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := send(t, m.SMTPAddr(), "a@example.com", msg)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the outage: still %v after 30 s", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if e := lastInbound(t, m); e.Outcome != model.MailCreated || e.MessageID != "outage-1@x" {
		t.Errorf("after the outage: got %s for %q, want created", e.Outcome, e.MessageID)
	}
	if n := count(t, m, "mail_inbound"); n != 2 {
		t.Errorf("inbound log: got %d entries, want 2 (before and after)", n)
	}
}

// TestSMTPStopsWithTheApp: the listener listens only where --smtp-listen
// says, and stops with the app; a conversation in progress finishes
// first.
func TestSMTPStopsWithTheApp(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir, cfg.Listen, cfg.SMTPListen, cfg.LogLevel = t.TempDir(), "127.0.0.1:0", "127.0.0.1:0", "warn"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if host, _, _ := net.SplitHostPort(m.SMTPAddr()); host != "127.0.0.1" {
		t.Errorf("listening on %s, want 127.0.0.1 only", m.SMTPAddr())
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	conn, err := net.DialTimeout("tcp", m.SMTPAddr(), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Hello("mx.example.com"); err != nil {
		t.Fatal(err)
	}
	cancel() // the app stops while a client is connected
	_ = c.Mail("a@example.com")
	_ = c.Quit()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: got %v, want a clean stop", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the app did not stop within 30 s")
	}
	if conn, err := net.DialTimeout("tcp", m.SMTPAddr(), 2*time.Second); err == nil {
		conn.Close()
		t.Errorf("the SMTP listener still accepts connections after the app stopped")
	}
}
