package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// TestInboundMailPages: an admin reads the inbound mail log in both
// languages, filters it, opens a message with its raw text, downloads
// it, and retries a failed one; the request page shows a bouncing
// address.
func TestInboundMailPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword(password)
	if err := f.m.Store.CreateUser(ctx, &model.User{Email: "admin@example.com", Name: "Admin", Role: model.RoleAdmin, PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	receive := func(null bool, msg string) int64 {
		id, _, err := f.m.Inbound.Receive(ctx, email.Source{Kind: model.MailSourceSMTP, NullSender: null}, []byte(msg))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	created := receive(false, "From: Alice <alice@example.com>\r\nSubject: =?utf-8?B?6ZWc5aS05pWF6Zqc?=\r\nMessage-ID: <w1@x>\r\n\r\n<b>not html</b>\r\n")
	auto := receive(false, "From: alice@example.com\r\nSubject: Out of office\r\nPrecedence: bulk\r\n\r\naway\r\n")
	var number string
	if e, err := f.m.Store.InboundByID(ctx, created); err != nil || e.RequestNumber == "" {
		t.Fatalf("created: %+v %v", e, err)
	} else {
		number = e.RequestNumber
	}

	for _, lang := range []struct{ code, title, outcome, auto string }{
		{"en", "Inbound mail", "New request", "Automatic reply"}, {"zh-CN", "收件日志", "新建服务单", "自动回复"},
	} {
		c := newClient(t, f.m, lang.code)
		if res := c.post("/login", url.Values{"login": {"admin@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("login: %d", res.status)
		}
		expect(t, lang.code+" log", c.get("/admin/mail"), http.StatusOK,
			[]string{lang.title, lang.outcome, lang.auto, "镜头故障", number, `href="/admin/mail/` + strconv.FormatInt(created, 10) + `"`}, nil)
		expect(t, lang.code+" filtered", c.get("/admin/mail?outcome=auto_reply"), http.StatusOK,
			[]string{"Precedence: bulk"}, []string{number})
		expect(t, lang.code+" message", c.get("/admin/mail/"+strconv.FormatInt(created, 10)), http.StatusOK,
			[]string{"w1@x", "&lt;b&gt;not html&lt;/b&gt;", "/raw"}, []string{"<b>not html</b>"})
	}
	c := newClient(t, f.m, "en")
	c.post("/login", url.Values{"login": {"admin@example.com"}, "password": {password}})
	res := c.get("/admin/mail/" + strconv.FormatInt(auto, 10) + "/raw")
	if res.status != http.StatusOK || res.header.Get("Content-Type") != "message/rfc822" || res.body != "From: alice@example.com\r\nSubject: Out of office\r\nPrecedence: bulk\r\n\r\naway\r\n" {
		t.Errorf("raw download: got %d %s %q", res.status, res.header.Get("Content-Type"), res.body)
	}
	if res := c.get("/admin/mail?format=csv"); res.status != http.StatusOK || !strings.Contains(res.body, "Out of office") {
		t.Errorf("CSV export: got %d", res.status)
	}

	// A failed message is retried from its page.
	failed := storeFailed(t, f.m.Store, "From: carol@example.com\r\nSubject: retry me\r\n\r\nhello\r\n")
	page := c.get("/admin/mail/" + strconv.FormatInt(failed, 10))
	expect(t, "failed message", page, http.StatusOK, []string{"Retry now", "/retry"}, nil)
	if res := c.post("/admin/mail/"+strconv.FormatInt(failed, 10)+"/retry", nil); res.status != http.StatusSeeOther {
		t.Errorf("retry: got %d, want 303", res.status)
	}
	if e, _ := f.m.Store.InboundByID(ctx, failed); e.Outcome != model.MailCreated || e.Attempts != 2 {
		t.Errorf("after retry: got %s after %d attempts, want created after 2", e.Outcome, e.Attempts)
	}

	// A bounce of a mail sent to Alice shows on her request.
	rid, _ := f.m.Store.RequestIDByNumber(ctx, number)
	if err := f.m.Store.RecordMessageID(ctx, rid, "sent-1@aftercare", store.MailOut); err != nil {
		t.Fatal(err)
	}
	receive(true, "From: postmaster@example.com\r\nSubject: Undeliverable\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n"+
		"--R\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; alice@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"+
		"--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <sent-1@aftercare>\r\n\r\n--R--\r\n")
	expect(t, "request page", c.get("/requests/"+number), http.StatusOK, []string{"mail to this address bounces"}, nil)
	expect(t, "other request page", c.get("/requests/"+f.bobReq.Number), http.StatusOK, nil, []string{"mail to this address bounces"})
}

// storeFailed logs a message whose first attempt failed (the database
// went away while it was processed).
func storeFailed(t *testing.T, st *store.Store, msg string) int64 {
	t.Helper()
	ctx := context.Background()
	id, _, err := st.LogInbound(ctx, store.NewInbound{Source: model.MailSourceSMTP, From: "carol@example.com",
		Subject: "retry me", Outcome: model.MailReceived, RetryAt: st.Now(), Raw: []byte(msg)})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FailInbound(ctx, id, "store unavailable", nil); err != nil {
		t.Fatal(err)
	}
	return id
}
