package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// receive hands a message to the inbound mail service as the SMTP
// listener does.
func (f *fixture) receive(t *testing.T, nullSender bool, msg string) int64 {
	t.Helper()
	id, _, err := f.Inbound.Receive(context.Background(), email.Source{Kind: model.MailSourceSMTP, NullSender: nullSender,
		EnvelopeFrom: "x@example.com"}, []byte(msg))
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
	return id
}

func TestInboundMailAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		raw := "From: Alice <alice@example.com>\r\nSubject: Lens error\r\nMessage-ID: <m1@example.com>\r\n\r\nIt shows E-01.\r\n"
		created := f.receive(t, false, raw)
		f.receive(t, false, raw)
		f.receive(t, false, "From: alice@example.com\r\nSubject: Automatic reply: x\r\nAuto-Submitted: auto-replied\r\n\r\naway\r\n")

		var page api.InboundMailPage
		f.Run(t, apitest.Scenario{Name: "list", Method: "GET", Path: "/api/v1/mail/inbound?limit=2", Token: f.admin,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"outcome":"auto_reply"`, `"outcome":"duplicate"`, `"next_cursor":"`},
			NotExpectedContent: []string{`"raw"`}}).JSON(t, &page)
		if len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("first page: got %d items, cursor %q; want 2 and a cursor", len(page.Items), page.NextCursor)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/mail/inbound?cursor="+page.NextCursor, f.admin, nil).JSON(t, &page)
		if len(page.Items) != 1 || page.Items[0].ID != created || page.NextCursor != "" {
			t.Fatalf("second page: got %+v, want the first message only", page)
		}
		e := page.Items[0]
		if e.Outcome != "created" || e.From != "alice@example.com" || e.Subject != "Lens error" || e.MessageID != "m1@example.com" ||
			e.RequestNumber == "" || e.ReceivedAt.IsZero() {
			t.Errorf("entry: got %+v, want created, alice, Lens error, m1@example.com, a request number", e)
		}
		f.Run(t, apitest.Scenario{Name: "filter", Method: "GET", Path: "/api/v1/mail/inbound?outcome=duplicate", Token: f.admin,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"outcome":"duplicate"`, `"request_number":"` + e.RequestNumber + `"`},
			NotExpectedContent: []string{`"outcome":"created"`, `"outcome":"auto_reply"`}})
		f.Run(t, apitest.Scenario{Name: "bad outcome", Method: "GET", Path: "/api/v1/mail/inbound?outcome=lost", Token: f.admin,
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.outcome"`}})
		res := f.mustStatus(t, http.StatusOK, "GET", fmt.Sprintf("/api/v1/mail/inbound/%d/raw", created), f.admin, nil)
		if string(res.Body) != raw || res.Header.Get("Content-Type") != "message/rfc822" {
			t.Errorf("raw: got %q (%s), want the message as received, message/rfc822", res.Body, res.Header.Get("Content-Type"))
		}
		f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/mail/inbound/999999/raw", f.admin, nil)
		f.mustStatus(t, http.StatusConflict, "POST", fmt.Sprintf("/api/v1/mail/inbound/%d/retry", created), f.admin, nil)
		f.mustStatus(t, http.StatusForbidden, "GET", "/api/v1/mail/inbound", f.manager, nil)

		// The request it created: its message came by e-mail.
		d := f.getRequest(t, f.alice, e.RequestNumber)
		if d.Channel != model.ChannelEmail || len(d.Messages) != 1 || d.Messages[0].Channel != model.ChannelEmail || d.Messages[0].Body != "It shows E-01." {
			t.Errorf("request: got channel %s, messages %+v; want one e-mail message", d.Channel, d.Messages)
		}

		// A bounce of mail Aftercare sent to Alice: her address is bouncing.
		rid, _ := f.Store.RequestIDByNumber(context.Background(), e.RequestNumber)
		if err := f.Store.RecordMessageID(context.Background(), rid, "reply-1@aftercare.example", store.MailOut); err != nil {
			t.Fatal(err)
		}
		f.receive(t, true, "From: MAILER-DAEMON@mx.example.com\r\nSubject: Undeliverable\r\n"+
			"Content-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n--R\r\nContent-Type: message/delivery-status\r\n\r\n"+
			"Final-Recipient: rfc822; alice@example.com\r\nAction: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp; 552 mailbox full\r\n\r\n"+
			"--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <reply-1@aftercare.example>\r\n\r\n--R--\r\n")
		f.Run(t, apitest.Scenario{Name: "customer bouncing", Method: "GET", Path: fmt.Sprintf("/api/v1/customers/%d", f.aliceID),
			Token: f.agent, ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"email_bouncing":true`, `mailbox full`}})
		f.Run(t, apitest.Scenario{Name: "other customer not bouncing", Method: "GET", Path: fmt.Sprintf("/api/v1/customers/%d", f.bobID),
			Token: f.agent, ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"email_bouncing":false`}, NotExpectedContent: []string{`"email_bounce"`}})
	})
}
