package demo

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/aftercare/aftercare/internal/channel/email"
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

// seedMail feeds the demo's inbound mail through r, then a bounce of a
// reply Aftercare "sent" to the customer of the last request (its
// Message-ID recorded as outbound mail records it).
func seedMail(ctx context.Context, st *store.Store, r MailReceiver) error {
	var lastID int64
	for _, m := range demoMail() {
		id, _, err := r.Receive(ctx, email.Source{Kind: model.MailSourceSMTP, EnvelopeFrom: "mx@demo.example", NullSender: m.null},
			[]byte(strings.ReplaceAll(m.msg, "\n", "\r\n")))
		if err != nil {
			return fmt.Errorf("demo mail: %w", err)
		}
		lastID = id
	}
	e, err := st.InboundByID(ctx, lastID-1) // the message with the receipt
	if err != nil || e.RequestID == nil {
		return fmt.Errorf("demo mail: the receipt did not open a request (%v)", err)
	}
	if err := st.RecordMessageID(ctx, *e.RequestID, "demo-reply-1@aftercare.demo", store.MailOut); err != nil {
		return err
	}
	bounce := "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nSubject: Undelivered Mail Returned to Sender\n" +
		"Message-ID: <demo-bounce-1@mx.example.com>\nContent-Type: multipart/report; report-type=delivery-status; boundary=R\n\n" +
		"--R\nContent-Type: text/plain\n\nThe mailbox is full.\n--R\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; emma.wilson@example.com\nAction: failed\nStatus: 5.2.2\n" +
		"Diagnostic-Code: smtp; 552 5.2.2 mailbox full\n\n--R\nContent-Type: text/rfc822-headers\n\n" +
		"Message-ID: <demo-reply-1@aftercare.demo>\nSubject: Re: Receipt for my coffee machine\n\n--R--\n"
	_, _, err = r.Receive(ctx, email.Source{Kind: model.MailSourceSMTP, NullSender: true}, []byte(strings.ReplaceAll(bounce, "\n", "\r\n")))
	return err
}

// gbk encodes s as Chinese mail clients still often send it.
func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		return []byte(s)
	}
	return b
}
