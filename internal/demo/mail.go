package demo

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/mailout"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// MailReceiver takes inbound mail the way the SMTP listener hands it over
// (the e-mail channel's Service).
type MailReceiver interface {
	Receive(ctx context.Context, src email.Source, raw []byte) (int64, bool, error)
}

// demoMail is the inbound mail log of the demo: real messages through the
// real pipeline, so that each outcome is the one Aftercare reaches —
// a new request (Chinese, GB2312 as Outlook sends it), the customer's
// reply joined by In-Reply-To, the same message delivered twice, automatic
// replies in English and Chinese, a new request with an attachment, and a
// bounce of a reply Aftercare sent.
func demoMail() []struct {
	null bool
	msg  string
} {
	gb := func(s string) string { return "=?GB2312?B?" + base64.StdEncoding.EncodeToString(gbk(s)) + "?=" }
	first := "From: " + gb("刘洋") + " <" + customerEmail + ">\nTo: support@demo.aftercare.local\n" +
		"Subject: " + gb("洗衣机脱水时噪音很大") + "\nMessage-ID: <demo-mail-1@mail.demo.example>\n" +
		"Content-Type: text/plain; charset=GB2312\nContent-Transfer-Encoding: base64\n\n" +
		base64.StdEncoding.EncodeToString(gbk("你好，洗衣机脱水的时候噪音很大，机身也在晃动。请问需要上门检修吗？\n\n刘洋")) + "\n"
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"))
	return []struct {
		null bool
		msg  string
	}{
		{false, first},
		{false, "From: " + gb("刘洋") + " <" + customerEmail + ">\nSubject: Re: " + gb("洗衣机脱水时噪音很大") + "\n" +
			"Message-ID: <demo-mail-2@mail.demo.example>\nIn-Reply-To: <demo-mail-1@mail.demo.example>\n" +
			"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n" +
			"=E8=A1=A5=E5=85=85=E4=B8=80=E4=B8=8B=EF=BC=9A=E5=9E=8B=E5=8F=B7=E6=98=AF WM-100=E3=80=82\n\n" +
			"=E5=9C=A8 2026-03-01=EF=BC=8C=E5=88=98=E6=B4=8B =E5=86=99=E9=81=93=EF=BC=9A\n> =E4=BD=A0=E5=A5=BD\n"},
		{false, first},
		{false, "From: Emma Wilson <emma.wilson@example.com>\nSubject: Automatic reply: Your repair quote\n" +
			"Auto-Submitted: auto-replied\nX-Auto-Response-Suppress: All\nMessage-ID: <demo-ooo-1@example.com>\n\n" +
			"I am out of the office until Monday.\n"},
		{false, "From: Emma Wilson <emma.wilson@example.com>\nSubject: Receipt for my coffee machine\n" +
			"Message-ID: <demo-mail-3@example.com>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n" +
			"--b\nContent-Type: text/plain; charset=utf-8\n\nHello, the receipt for the warranty claim is attached.\n\nEmma\n\n" +
			"Sent from my iPhone\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=receipt.pdf\n" +
			"Content-Transfer-Encoding: base64\n\n" + pdf + "\n--b--\n"},
		{false, "From: " + gb("赵敏") + " <zhaomin@example.cn>\nSubject: " + gb("自动回复：您的维修单已完成") + "\n" +
			"Precedence: bulk\nMessage-ID: <demo-ooo-2@example.cn>\n\n" + "vacation\n"},
	}
}

// seedMail feeds the demo's inbound mail through r, writes the outbound
// log of what Aftercare "sent" in answer (acknowledgements and replies,
// one refused for good by the relay, a reset link), then a bounce of the
// reply to the customer of the last request, after which mail to that
// address is suppressed. It returns how many outbound mails it wrote.
func seedMail(ctx context.Context, st *store.Store, r MailReceiver) (int, error) {
	var ids []int64
	for _, m := range demoMail() {
		id, _, err := r.Receive(ctx, email.Source{Kind: model.MailSourceSMTP, EnvelopeFrom: "mx@demo.example", NullSender: m.null},
			[]byte(strings.ReplaceAll(m.msg, "\n", "\r\n")))
		if err != nil {
			return 0, fmt.Errorf("demo mail: %w", err)
		}
		ids = append(ids, id)
	}
	first, err := st.InboundByID(ctx, ids[0])
	if err != nil || first.RequestID == nil {
		return 0, fmt.Errorf("demo mail: the first mail did not open a request (%v)", err)
	}
	e, err := st.InboundByID(ctx, ids[len(ids)-2]) // the message with the receipt
	if err != nil || e.RequestID == nil {
		return 0, fmt.Errorf("demo mail: the receipt did not open a request (%v)", err)
	}
	n, err := seedOutbound(ctx, st, *first.RequestID, *e.RequestID)
	if err != nil {
		return 0, fmt.Errorf("demo mail: %w", err)
	}
	bounce := "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nSubject: Undelivered Mail Returned to Sender\n" +
		"Message-ID: <demo-bounce-1@mx.example.com>\nContent-Type: multipart/report; report-type=delivery-status; boundary=R\n\n" +
		"--R\nContent-Type: text/plain\n\nThe mailbox is full.\n--R\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; emma.wilson@example.com\nAction: failed\nStatus: 5.2.2\n" +
		"Diagnostic-Code: smtp; 552 5.2.2 mailbox full\n\n--R\nContent-Type: text/rfc822-headers\n\n" +
		"Message-ID: <demo-reply-1@aftercare.demo>\nSubject: Re: Receipt for my coffee machine\n\n--R--\n"
	if _, _, err = r.Receive(ctx, email.Source{Kind: model.MailSourceSMTP, NullSender: true}, []byte(strings.ReplaceAll(bounce, "\n", "\r\n"))); err != nil {
		return 0, err
	}
	// The next mail to the bouncing address is not sent.
	if err := outbound(ctx, st, *e.RequestID, model.MailStatusChanged, "demo-status-2@aftercare.demo", model.OutSuppressed,
		mailout.Data{Status: "Resolved", PreviousStatus: "Open"}); err != nil {
		return 0, err
	}
	return n + 1, nil
}

// seedOutbound writes the outbound log of the demo's mail conversations:
// the acknowledgement and a reply on 刘洋's request, sent; the
// acknowledgement of Emma's and the reply that is about to bounce, sent;
// a status mail the relay refused for good; a password-reset link, sent
// (its text cleared, as after a real send).
func seedOutbound(ctx context.Context, st *store.Store, liu, emma int64) (int, error) {
	mails := []struct {
		req    int64
		kind   model.MailKind
		id     string
		status model.OutboundStatus
		data   mailout.Data
	}{
		{liu, model.MailRequestCreated, "demo-ack-1@aftercare.demo", model.OutSent, mailout.Data{}},
		{liu, model.MailReply, "demo-reply-0@aftercare.demo", model.OutSent, mailout.Data{AuthorName: "王芳",
			Message: "刘先生您好，脱水时噪音大、机身晃动，多半是运输螺栓没有拆除或底脚不平。我们已为您安排明天上午上门检查，技术员到达前会先电话联系您。"}},
		{emma, model.MailRequestCreated, "demo-ack-2@aftercare.demo", model.OutSent, mailout.Data{}},
		{emma, model.MailReply, "demo-reply-1@aftercare.demo", model.OutSent, mailout.Data{AuthorName: "Wang Fang",
			Message: "Thank you, Emma. The receipt confirms the purchase date: the repair is covered by the warranty."}},
		{liu, model.MailStatusChanged, "demo-status-1@aftercare.demo", model.OutFailed, mailout.Data{Status: "待客户回复", PreviousStatus: "处理中"}},
		{0, model.MailPasswordReset, "demo-reset-1@aftercare.demo", model.OutSent, mailout.Data{
			Link: "https://demo.aftercare.local/portal/reset/(not shown)", ExpiresAt: "2026-03-02 10:00 CST"}},
	}
	for _, m := range mails {
		if err := outbound(ctx, st, m.req, m.kind, m.id, m.status, m.data); err != nil {
			return 0, err
		}
	}
	return len(mails), nil
}

// outbound writes one outbound mail about request req (0: about the demo
// customer's account) through the log's real life cycle: queued, then
// sent, or refused after every attempt, or suppressed.
func outbound(ctx context.Context, st *store.Store, req int64, kind model.MailKind, msgID string, status model.OutboundStatus, d mailout.Data) error {
	var to *store.MailRecipient
	var reqID, custID *int64
	if req == 0 {
		c, err := st.CustomerByLogin(ctx, customerEmail)
		if err != nil {
			return err
		}
		custID = &c.ID
		to = &store.MailRecipient{Name: c.Name, Email: c.Email, Locale: c.Locale}
	}
	var id int64
	err := st.Tx(ctx, func(q store.Querier) error {
		if req != 0 {
			r, err := st.MailRequestIn(ctx, q, req)
			if err != nil {
				return err
			}
			reqID, custID = &r.ID, &r.CustomerID
			to = &store.MailRecipient{Name: r.CustomerName, Email: r.CustomerEmail, Locale: r.CustomerLocale}
			d.RequestNumber, d.RequestSubject = r.Number, r.Subject
			d.Link = "https://demo.aftercare.local/portal/requests/" + r.Number
		}
		d.RecipientName = to.Name
		locale := mailout.Locale(to.Locale)
		subject, body, err := mailout.RenderDefault(kind, locale, d)
		if err != nil {
			return err
		}
		if d.RequestNumber != "" {
			subject = "[" + d.RequestNumber + "] " + subject
		}
		m := &model.OutboundMail{Kind: kind, Auto: kind.Auto(), Sensitive: kind == model.MailPasswordReset, RequestID: reqID,
			CustomerID: custID, To: to.Email, ToName: to.Name, Locale: locale, Subject: subject, Body: body, MessageID: msgID,
			Status: model.OutQueued}
		if status == model.OutSuppressed {
			m.Status, m.LastError = model.OutSuppressed, "not sent: this address bounced mail before"
		}
		if err := st.QueueOutbound(ctx, q, m); err != nil {
			return err
		}
		id = m.ID
		return nil
	})
	if err != nil || status == model.OutSuppressed {
		return err
	}
	switch status {
	case model.OutSent:
		inReplyTo, refs := "", ""
		if req != 0 {
			irt, ids, err := st.Thread(ctx, req, msgID)
			if err != nil {
				return err
			}
			inReplyTo = irt
			for i, x := range ids {
				if i > 0 {
					refs += " "
				}
				refs += "<" + x + ">"
			}
		}
		return st.OutboundSent(ctx, id, inReplyTo, refs)
	case model.OutFailed:
		for i := range len(mailout.DefaultSchedule()) + 1 {
			if err := st.OutboundFailed(ctx, id, "relay smtp.demo.example:587: dial tcp 192.0.2.25:587: connect: connection timed out",
				i == len(mailout.DefaultSchedule())); err != nil {
				return err
			}
		}
	}
	return nil
}

// gbk encodes s as Chinese mail clients still often send it.
func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		return []byte(s)
	}
	return b
}
