package mailout_test

import (
	"context"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/mailout"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

func eachDB(t *testing.T, fn func(t *testing.T, databaseURL string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "") })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresURL(t)) })
}

// startApp boots the app with its SMTP listener and the sink as relay;
// failed sends are retried after 100 ms.
func startApp(t *testing.T, databaseURL string, sk *sink) *app.Main {
	t.Helper()
	return apptest.Start(t, apptest.Options{DatabaseURL: databaseURL, Configure: func(c *config.Config) {
		c.SurveyDelay = 0
		c.SMTPListen = "127.0.0.1:0"
		c.SMTPRelay = "smtp://" + sk.addr
		c.MailFrom = "Aftercare Support <support@example.com>"
		c.BaseURL = "https://help.example.com"
	}, Prepare: func(m *app.Main) {
		m.JobPollInterval = 50 * time.Millisecond
		m.MailSchedule = []time.Duration{100 * time.Millisecond, 100 * time.Millisecond}
	}})
}

// sendIn has one SMTP conversation with the app's listener, as the
// customer's MTA would.
func sendIn(t *testing.T, addr, from, msg string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, step := range []func() error{
		func() error { return c.Hello("mx.example.net") },
		func() error { return c.Mail(from) },
		func() error { return c.Rcpt("support@example.com") },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(strings.ReplaceAll(msg, "\n", "\r\n"))); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("end of DATA: %v", err)
	}
	_ = c.Quit()
}

// settle waits until the app serves HTTP, which it does once its jobs
// have started: a test that ends sooner stops Run halfway.
func settle(t *testing.T, m *app.Main) {
	t.Helper()
	res, err := http.Get(m.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

func header(t *testing.T, r received, name string) string {
	t.Helper()
	v := r.Msg.Header.Get(name)
	if name == "Subject" {
		d, err := new(mime.WordDecoder).DecodeHeader(v)
		if err != nil {
			t.Fatalf("subject %q: %v", v, err)
		}
		return d
	}
	return v
}

// text is the text/plain part of a mail.
func text(t *testing.T, r received) string {
	t.Helper()
	return parts(t, r)["text/plain"]
}

// parts decodes the parts of a multipart/alternative mail, by media type.
func parts(t *testing.T, r received) map[string]string {
	t.Helper()
	m := *r.Msg
	m.Body = strings.NewReader(r.Body)
	return mailout.DecodeParts(t, &m)
}

func countRows(t *testing.T, m *app.Main, query string, args ...any) int {
	t.Helper()
	var n int
	if err := m.Store.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitStatus waits until outbound mail id has status want.
func waitStatus(t *testing.T, m *app.Main, id int64, want model.OutboundStatus) *model.OutboundMail {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		o, err := m.Store.OutboundByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status == want {
			return o
		}
		if time.Now().After(deadline) {
			t.Fatalf("mail %d: status %s (%s), want %s", id, o.Status, o.LastError, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func lastOutbound(t *testing.T, m *app.Main) model.OutboundMail {
	t.Helper()
	page, err := m.Store.ListOutbound(context.Background(), model.OutboundFilter{Limit: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("outbound log: %v, %d rows", err, len(page.Items))
	}
	return page.Items[0]
}

// TestMailRoundTrip: a customer mails in; the acknowledgement and an
// agent's reply reach a real SMTP server with headers that thread them
// with the customer's mail; an internal note is never mailed; the
// customer's auto-reply to the agent's mail starts no loop; the customer's
// real answer joins the request through the Message-ID we sent; an
// address that bounced is not mailed again.
func TestMailRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, databaseURL string) {
		ctx := context.Background()
		sk := startSink(t)
		m := startApp(t, databaseURL, sk)
		agent := &model.User{Email: "agent@example.com", Name: "Wang Fang", Role: model.RoleAgent, Active: true, Locale: "en"}
		if err := m.Store.CreateUser(ctx, agent); err != nil {
			t.Fatal(err)
		}
		staff := model.Principal{Kind: model.KindStaff, ID: agent.ID, Name: agent.Name, Role: model.RoleAgent}

		sendIn(t, m.SMTPAddr(), "li@example.net", `From: =?UTF-8?B?5p2O5aic?= <li@example.net>
To: support@example.com
Subject: =?UTF-8?B?5bGP5bmV6Zeq54OB?=
Message-ID: <c1@example.net>
Date: Mon, 30 Nov 2026 09:00:00 +0800
Content-Type: text/plain; charset=UTF-8

我的电视屏幕一直闪烁。
`)
		ack := sk.next(t)
		var number string
		if err := m.Store.Read().QueryRow(ctx, "SELECT number FROM requests ORDER BY id DESC LIMIT 1").Scan(&number); err != nil {
			t.Fatal(err)
		}
		if got := header(t, ack, "Subject"); !strings.HasPrefix(got, "["+number+"] ") || !strings.Contains(got, "屏幕闪烁") {
			t.Errorf("acknowledgement subject %q, want [%s] and the request's subject", got, number)
		}
		if got := header(t, ack, "Auto-Submitted"); got != "auto-generated" {
			t.Errorf("acknowledgement Auto-Submitted %q, want auto-generated", got)
		}
		if got := header(t, ack, "In-Reply-To"); got != "<c1@example.net>" {
			t.Errorf("acknowledgement In-Reply-To %q, want <c1@example.net>", got)
		}
		if ack.From != "support@example.com" || len(ack.To) != 1 || ack.To[0] != "li@example.net" {
			t.Errorf("envelope %s → %v", ack.From, ack.To)
		}
		if body := text(t, ack); !strings.Contains(body, "您的服务请求编号为 "+number) {
			t.Errorf("acknowledgement not in the customer's language (zh-CN):\n%s", body)
		}
		ackID := strings.Trim(header(t, ack, "Message-ID"), "<>")

		if _, err := m.Requests.Reply(ctx, staff, number, request.ReplyInput{Body: "Internal: check the panel", Visibility: model.VisibilityInternal}); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound"); n != 1 {
			t.Fatalf("after an internal note: %d outbound mails, want 1 (the acknowledgement)", n)
		}
		if _, err := m.Requests.Reply(ctx, staff, number, request.ReplyInput{Body: "请把电视送到最近的服务中心。"}); err != nil {
			t.Fatal(err)
		}
		reply := sk.next(t)
		if got := header(t, reply, "Auto-Submitted"); got != "" {
			t.Errorf("a person's reply has Auto-Submitted %q, want none", got)
		}
		if got := header(t, reply, "In-Reply-To"); got != "<c1@example.net>" {
			t.Errorf("reply In-Reply-To %q, want the customer's last mail <c1@example.net>", got)
		}
		refs := header(t, reply, "References")
		if !strings.Contains(refs, "<c1@example.net>") || !strings.Contains(refs, "<"+ackID+">") {
			t.Errorf("reply References %q, want the customer's mail and the acknowledgement", refs)
		}
		if got := header(t, reply, "Subject"); !strings.HasPrefix(got, "["+number+"] ") {
			t.Errorf("reply subject %q, want the request number", got)
		}
		if body := text(t, reply); !strings.Contains(body, "请把电视送到最近的服务中心。") || strings.Contains(body, "Internal") {
			t.Errorf("reply body:\n%s", body)
		}
		replyID := strings.Trim(header(t, reply, "Message-ID"), "<>")
		if n := countRows(t, m, "SELECT COUNT(*) FROM mail_message_ids WHERE message_id = $1 AND direction = 'out'", replyID); n != 1 {
			t.Errorf("the reply's Message-ID is recorded %d times as sent, want 1", n)
		}
		o := waitStatus(t, m, lastOutbound(t, m).ID, model.OutSent)
		if o.InReplyTo != "c1@example.net" || o.Attempts != 1 {
			t.Errorf("log: in_reply_to %q attempts %d", o.InReplyTo, o.Attempts)
		}

		// The customer's out-of-office answers our reply: nothing happens.
		messages := countRows(t, m, "SELECT COUNT(*) FROM messages")
		sendIn(t, m.SMTPAddr(), "li@example.net", `From: li@example.net
To: support@example.com
Subject: Automatic reply: [`+number+`] Re: screen
Message-ID: <ooo1@example.net>
In-Reply-To: <`+replyID+`>
Auto-Submitted: auto-replied

I am away until Monday.
`)
		page, err := m.Store.ListInbound(ctx, model.InboundFilter{Limit: 1})
		if err != nil || page.Items[0].Outcome != model.MailAutoReply {
			t.Fatalf("the auto-reply: %v %+v, want outcome auto_reply", err, page.Items)
		}
		if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound"); n != 2 {
			t.Errorf("after the customer's auto-reply: %d outbound mails, want 2 (no answer to it)", n)
		}
		if n := countRows(t, m, "SELECT COUNT(*) FROM messages"); n != messages {
			t.Errorf("the auto-reply added %d messages", n-messages)
		}

		// A real answer to our reply joins the request by its Message-ID alone.
		sendIn(t, m.SMTPAddr(), "li@example.net", `From: li@example.net
To: support@example.com
Subject: Re: screen
Message-ID: <c2@example.net>
In-Reply-To: <`+replyID+`>

OK, tomorrow.
`)
		page, _ = m.Store.ListInbound(ctx, model.InboundFilter{Limit: 1})
		if page.Items[0].Outcome != model.MailAppended || page.Items[0].RequestNumber != number {
			t.Errorf("the customer's answer: %s %s, want appended to %s", page.Items[0].Outcome, page.Items[0].RequestNumber, number)
		}

		// A permanent bounce of our reply marks the address; the next reply is not sent.
		sendIn(t, m.SMTPAddr(), "", `From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: support@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

The mail could not be delivered.
--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; li@example.net
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 no such user

--b
Content-Type: text/rfc822-headers

Message-ID: <`+replyID+`>
--b--
`)
		if _, ok, err := m.Store.CustomerEmailBounce(ctx, *o.CustomerID); err != nil || !ok {
			t.Fatalf("after the bounce the address is not marked bouncing: %v", err)
		}
		if got, err := m.Store.OutboundByID(ctx, o.ID); err != nil || got.State() != model.OutBounced ||
			!strings.Contains(got.BounceReason, "no such user") {
			t.Errorf("the bounced reply: %v, want state bounced with the diagnostic (%v)", got, err)
		}
		before := sk.count()
		if _, err := m.Requests.Reply(ctx, staff, number, request.ReplyInput{Body: "Are you there?"}); err != nil {
			t.Fatal(err)
		}
		last := lastOutbound(t, m)
		if last.Status != model.OutSuppressed || !strings.Contains(last.LastError, "bounced") {
			t.Errorf("reply to a bouncing address: status %s (%s), want suppressed", last.Status, last.LastError)
		}
		time.Sleep(300 * time.Millisecond) // a job, had one been queued, would have run
		if sk.count() != before {
			t.Errorf("a bouncing address was mailed")
		}
	})
}

// TestSendRetries: a relay that answers 451 twice is tried again until it
// takes the mail; one that answers 550 is not tried again and the log
// says why.
func TestSendRetries(t *testing.T) {
	ctx := context.Background()
	sk := startSink(t)
	m := startApp(t, "", sk)
	agent := &model.User{Email: "agent@example.com", Name: "Agent", Role: model.RoleAgent, Active: true}
	if err := m.Store.CreateUser(ctx, agent); err != nil {
		t.Fatal(err)
	}
	staff := model.Principal{Kind: model.KindStaff, ID: agent.ID, Name: agent.Name, Role: model.RoleAgent}
	cust := &model.Customer{Name: "Bob", Email: "bob@example.org", Locale: "en"}
	if err := m.Store.CreateCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	sk.set(func(s *sink) { s.tempFails = 2 })
	r, err := m.Requests.Create(ctx, staff, request.CreateInput{CustomerID: cust.ID, Type: model.TypeInquiry,
		Priority: model.PriorityNormal, Channel: model.ChannelPhone, Subject: "Remote lost", Description: "Lost it."})
	if err != nil {
		t.Fatal(err)
	}
	ack := sk.next(t)
	if got := header(t, ack, "Subject"); got != "["+r.Number+"] We received your request: Remote lost" {
		t.Errorf("subject %q", got)
	}
	o := waitStatus(t, m, lastOutbound(t, m).ID, model.OutSent)
	if o.Attempts != 3 {
		t.Errorf("attempts %d, want 3 (two 451 answers, then accepted)", o.Attempts)
	}

	sk.set(func(s *sink) { s.reject = true; s.attempts = 0 })
	if _, err := m.Requests.Reply(ctx, staff, r.Number, request.ReplyInput{Body: "Found it?"}); err != nil {
		t.Fatal(err)
	}
	o = waitStatus(t, m, lastOutbound(t, m).ID, model.OutFailed)
	if o.Attempts != 1 || !strings.Contains(o.LastError, "550") {
		t.Errorf("refused mail: attempts %d, error %q; want one attempt and the 550 answer", o.Attempts, o.LastError)
	}
	time.Sleep(300 * time.Millisecond)
	sk.set(func(s *sink) {
		if s.attempts != 1 {
			t.Errorf("the relay was asked %d times after a 550, want 1", s.attempts)
		}
	})
}

// TestNoRelayQueuesNothing: without --smtp-relay a reply queues no mail
// (nothing is faked as sent) and reset links are not offered by e-mail.
func TestNoRelayQueuesNothing(t *testing.T) {
	ctx := context.Background()
	m := apptest.Start(t, apptest.Options{})
	defer settle(t, m)
	if m.Mail.Enabled() || m.Auth.CanMailResets() {
		t.Fatal("mail enabled without a relay")
	}
	agent := &model.User{Email: "agent@example.com", Name: "Agent", Role: model.RoleAgent, Active: true}
	if err := m.Store.CreateUser(ctx, agent); err != nil {
		t.Fatal(err)
	}
	staff := model.Principal{Kind: model.KindStaff, ID: agent.ID, Name: agent.Name, Role: model.RoleAgent}
	cust := &model.Customer{Name: "Bob", Email: "bob@example.org"}
	if err := m.Store.CreateCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	r, err := m.Requests.Create(ctx, staff, request.CreateInput{CustomerID: cust.ID, Type: model.TypeInquiry,
		Priority: model.PriorityNormal, Channel: model.ChannelPhone, Subject: "S", Description: "D"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Requests.Reply(ctx, staff, r.Number, request.ReplyInput{Body: "Hello"}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound"); n != 0 {
		t.Errorf("%d outbound mails without a relay, want 0", n)
	}
}

// TestPasswordResetMail: with a relay, the portal's "forgot password"
// e-mails the link in the customer's language; the log never shows the
// link, clears it once sent, and refuses to resend it.
func TestPasswordResetMail(t *testing.T) {
	ctx := context.Background()
	sk := startSink(t)
	m := startApp(t, "", sk)
	if !m.Auth.CanMailResets() {
		t.Fatal("reset links are not offered by e-mail with a relay")
	}
	cust := &model.Customer{Name: "赵敏", Email: "zhao@example.org", Locale: "zh-CN"}
	if err := m.Store.CreateCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	if err := m.Auth.RequestReset(ctx, "zhao@example.org", "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	got := sk.next(t)
	body := text(t, got)
	i := strings.Index(body, "https://help.example.com/portal/reset/")
	if i < 0 || !strings.Contains(body, "重设您的服务门户密码") {
		t.Fatalf("reset mail body:\n%s", body)
	}
	if header(t, got, "Auto-Submitted") != "auto-generated" || header(t, got, "In-Reply-To") != "" {
		t.Errorf("reset mail headers: %v", got.Msg.Header)
	}
	admin := model.Principal{Kind: model.KindStaff, ID: 1, Role: model.RoleAdmin}
	o := waitStatus(t, m, lastOutbound(t, m).ID, model.OutSent)
	if o.Body != "" {
		t.Errorf("the sent reset mail's body is still stored: %q", o.Body)
	}
	if _, err := m.Mail.Resend(ctx, admin, o.ID); model.ErrorCode(err) != model.ECONFLICT {
		t.Errorf("resend of a reset mail: %v, want ECONFLICT", err)
	}
	// Unknown addresses get nothing, and the answer is the same.
	before := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound")
	if err := m.Auth.RequestReset(ctx, "nobody@example.org", "127.0.0.2"); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound"); n != before {
		t.Errorf("a reset for an unknown address queued mail")
	}
}

// TestNotifications: staff get mail when a request is assigned to them by
// someone else (never for taking it themselves) and when its customer
// replies, unless they turned that off; other features use the Notify
// seam (an SLA warning here). Staff mail is in the staff user's language
// and links to the staff page.
func TestNotifications(t *testing.T) {
	ctx := context.Background()
	sk := startSink(t)
	m := startApp(t, "", sk)
	mgr := &model.User{Email: "boss@example.com", Name: "Boss", Role: model.RoleManager, Active: true, Locale: "en"}
	agent := &model.User{Email: "zhou@example.com", Name: "周杰", Role: model.RoleAgent, Active: true, Locale: "zh-CN"}
	for _, u := range []*model.User{mgr, agent} {
		if err := m.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	boss := model.Principal{Kind: model.KindStaff, ID: mgr.ID, Name: mgr.Name, Role: model.RoleManager}
	zhou := model.Principal{Kind: model.KindStaff, ID: agent.ID, Name: agent.Name, Role: model.RoleAgent}
	cust := &model.Customer{Name: "Phone Only", Phone: "13800000000", Locale: "en"}
	if err := m.Store.CreateCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	r, err := m.Requests.Create(ctx, boss, request.CreateInput{CustomerID: cust.ID, Type: model.TypeRepair,
		Priority: model.PriorityNormal, Channel: model.ChannelPhone, Subject: "Drum noise", Description: "Loud."})
	if err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound"); n != 0 {
		t.Fatalf("a customer without an address got %d mails", n)
	}
	id := agent.ID
	if _, err := m.Requests.Update(ctx, boss, r.Number, model.RequestPatch{Version: r.Version, AssigneeID: &id}, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	got := sk.next(t)
	if subj := header(t, got, "Subject"); subj != "["+r.Number+"] 分配给您：Drum noise" {
		t.Errorf("assigned: subject %q", subj)
	}
	if body := text(t, got); !strings.Contains(body, "https://help.example.com/requests/"+r.Number) {
		t.Errorf("assigned: no staff link in\n%s", body)
	}
	if got.To[0] != "zhou@example.com" || header(t, got, "Auto-Submitted") != "auto-generated" {
		t.Errorf("assigned: to %v, headers %v", got.To, got.Msg.Header)
	}

	// Taking a request oneself is not news.
	r2, err := m.Requests.Create(ctx, zhou, request.CreateInput{CustomerID: cust.ID, Type: model.TypeRepair,
		Priority: model.PriorityNormal, Channel: model.ChannelPhone, Subject: "Second", Description: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Requests.Update(ctx, zhou, r2.Number, model.RequestPatch{Version: r2.Version, AssigneeID: &id}, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound"); n != 1 {
		t.Errorf("self-assignment mailed: %d mails, want 1", n)
	}

	// The customer replies: the assignee hears of it, until they turn it off.
	custP := model.Principal{Kind: model.KindCustomer, ID: cust.ID, Name: cust.Name}
	if _, err := m.Requests.Reply(ctx, custP, r.Number, request.ReplyInput{Body: "Still loud", Via: model.ChannelWeb}); err != nil {
		t.Fatal(err)
	}
	got = sk.next(t)
	if body := text(t, got); !strings.Contains(body, "Still loud") || !strings.Contains(header(t, got, "Subject"), "客户有新回复") {
		t.Errorf("new reply mail: %s\n%s", header(t, got, "Subject"), body)
	}
	if _, err := m.Mail.SetPreferences(ctx, zhou, map[model.MailKind]bool{model.MailNewReply: false}); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound")
	if _, err := m.Requests.Reply(ctx, custP, r.Number, request.ReplyInput{Body: "Hello?", Via: model.ChannelWeb}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound"); n != before {
		t.Errorf("new_reply turned off, yet %d mails were queued", n-before)
	}

	// The seam other features call.
	if err := m.Mail.Notify(ctx, agent.ID, model.MailSLAWarning, r.ID, mailout.Data{DueAt: "2026-12-01 18:00 CST"}); err != nil {
		t.Fatal(err)
	}
	got = sk.next(t)
	if body := text(t, got); !strings.Contains(body, "将于 2026-12-01 18:00 CST 到期") {
		t.Errorf("SLA warning body:\n%s", body)
	}
	if err := m.Mail.Notify(ctx, agent.ID, model.MailReply, r.ID, mailout.Data{}); err == nil {
		t.Error("Notify sent a customer kind to staff")
	}
}

// TestStatusAndSurveyMail: resolving a request tells the customer (in
// their language, threaded into the request) and the survey invitation
// follows by mail with its link; the customer's own cancellation is not
// announced to them.
func TestStatusAndSurveyMail(t *testing.T) {
	ctx := context.Background()
	sk := startSink(t)
	m := startApp(t, "", sk)
	agent := &model.User{Email: "agent@example.com", Name: "Agent", Role: model.RoleAgent, Active: true}
	if err := m.Store.CreateUser(ctx, agent); err != nil {
		t.Fatal(err)
	}
	staff := model.Principal{Kind: model.KindStaff, ID: agent.ID, Name: agent.Name, Role: model.RoleAgent}
	cust := &model.Customer{Name: "Emma", Email: "emma@example.org", Locale: "en"}
	if err := m.Store.CreateCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	r, err := m.Requests.Create(ctx, staff, request.CreateInput{CustomerID: cust.ID, Type: model.TypeRepair,
		Priority: model.PriorityNormal, Channel: model.ChannelPhone, Subject: "Kettle", Description: "Leaks."})
	if err != nil {
		t.Fatal(err)
	}
	ack := sk.next(t)
	if _, err := m.Requests.ChangeStatus(ctx, staff, r.Number, model.StatusResolved, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	// Two jobs, two mails, in either order.
	status, inv := sk.next(t), sk.next(t)
	if strings.Contains(header(t, status, "Subject"), "How did we do?") {
		status, inv = inv, status
	}
	if got := header(t, status, "Subject"); got != "["+r.Number+"] Kettle: Resolved" {
		t.Errorf("status mail subject %q", got)
	}
	if got := header(t, status, "References"); !strings.Contains(got, header(t, ack, "Message-ID")) {
		t.Errorf("status mail References %q, want the acknowledgement's %s", got, header(t, ack, "Message-ID"))
	}
	body := text(t, inv)
	if !strings.Contains(header(t, inv, "Subject"), "How did we do?") || !strings.Contains(body, "https://help.example.com/s/") {
		t.Errorf("survey invitation: %s\n%s", header(t, inv, "Subject"), body)
	}

	r2, err := m.Requests.Create(ctx, staff, request.CreateInput{CustomerID: cust.ID, Type: model.TypeInquiry,
		Priority: model.PriorityNormal, Channel: model.ChannelPhone, Subject: "Second", Description: "x"})
	if err != nil {
		t.Fatal(err)
	}
	sk.next(t) // its acknowledgement
	before := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound")
	custP := model.Principal{Kind: model.KindCustomer, ID: cust.ID, Name: cust.Name}
	if _, err := m.Requests.ChangeStatus(ctx, custP, r2.Number, model.StatusCancelled, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, m, "SELECT COUNT(*) FROM mail_outbound"); n != before {
		t.Errorf("the customer's own cancellation mailed them (%d mails)", n-before)
	}
}
