package demo

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestSeedMail: the demo's inbound mail log shows every outcome a visitor
// should see — created, appended, duplicate, auto_reply and bounce — each
// reached by the real pipeline, and the bounced address is marked.
func TestSeedMail(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	mail := email.NewService(st, request.NewService(st, request.Options{AttachmentDir: t.TempDir()}), nil, 0)
	if _, err := Seed(ctx, st, Options{Scale: 0.001, PasswordHash: "x", Mail: mail}); err != nil {
		t.Fatal(err)
	}
	page, err := st.ListInbound(ctx, model.InboundFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := map[model.MailOutcome]int{}
	var receipt model.InboundMail
	for _, e := range page.Items {
		got[e.Outcome]++
		if e.Subject == "Receipt for my coffee machine" {
			receipt = e
		}
	}
	want := map[model.MailOutcome]int{model.MailCreated: 2, model.MailAppended: 1, model.MailDuplicate: 1,
		model.MailAutoReply: 2, model.MailBounce: 1}
	for o, n := range want {
		if got[o] != n {
			t.Errorf("%s: got %d, want %d (all: %v)", o, got[o], n, got)
		}
	}
	if receipt.RequestID == nil {
		t.Fatalf("the receipt opened no request")
	}
	r, err := st.RequestByNumber(ctx, receipt.RequestNumber)
	if err != nil {
		t.Fatal(err)
	}
	if _, bouncing, err := st.CustomerEmailBounce(ctx, r.CustomerID); err != nil || !bouncing {
		t.Errorf("emma's address: got bouncing %v (%v), want bouncing", bouncing, err)
	}
	atts, _ := st.Attachments(ctx, r.ID)
	if len(atts) != 1 || atts[0].Filename != "receipt.pdf" {
		t.Errorf("receipt attachments: got %+v, want receipt.pdf", atts)
	}
}

// TestSeedOutbound: the demo's outbound log shows sent, failed and
// suppressed mail, the reply that bounced is the one recorded as sent,
// threaded to the customer's mail, and the reset link's text is gone.
func TestSeedOutbound(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	mail := email.NewService(st, request.NewService(st, request.Options{AttachmentDir: t.TempDir()}), nil, 0)
	res, err := Seed(ctx, st, Options{Scale: 0.001, PasswordHash: "x", Mail: mail})
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.ListOutbound(ctx, model.OutboundFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != res.Counts.OutboundMail || len(page.Items) != 7 {
		t.Fatalf("%d outbound mails (counted %d), want 7", len(page.Items), res.Counts.OutboundMail)
	}
	got := map[model.OutboundStatus]int{}
	for _, m := range page.Items {
		got[m.Status]++
		switch m.MessageID {
		case "demo-reply-0@aftercare.demo":
			if m.InReplyTo != "demo-mail-2@mail.demo.example" || m.Locale != "zh-CN" {
				t.Errorf("reply to 刘洋: in-reply-to %q, locale %s", m.InReplyTo, m.Locale)
			}
		case "demo-reset-1@aftercare.demo":
			if m.Body != "" {
				t.Errorf("the reset mail's text is kept: %q", m.Body)
			}
		case "demo-status-1@aftercare.demo":
			if m.Attempts != 9 || m.LastError == "" {
				t.Errorf("failed mail: %d attempts, error %q", m.Attempts, m.LastError)
			}
		}
	}
	if got[model.OutSent] != 5 || got[model.OutFailed] != 1 || got[model.OutSuppressed] != 1 {
		t.Errorf("statuses %v, want 5 sent, 1 failed, 1 suppressed", got)
	}
}
