package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// TestMailPages: the outbound log says when there is no relay and shows
// an entry (a reset mail's text never); the template editor re-renders a
// bad template with the message beside its field, in the admin's
// language, and saves a good one; a technician turns a notification off.
func TestMailPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := staffClient(t, f, model.RoleAdmin, "admin2@example.com", "zh-CN", nil)
	expect(t, "empty log", admin.get("/admin/outbound"), http.StatusOK, []string{"未配置 SMTP 中继", "还没有外发邮件"}, nil)

	reset := &model.OutboundMail{Kind: model.MailPasswordReset, Auto: true, Sensitive: true, To: "li@example.com",
		Locale: "zh-CN", Subject: "重设服务门户密码", Body: "https://x/portal/reset/SECRET-LINK", MessageID: "r1@example.com",
		Status: model.OutFailed, LastError: "relay 127.0.0.1:25: connection refused"}
	if err := f.m.Store.Tx(ctx, func(q store.Querier) error { return f.m.Store.QueueOutbound(ctx, q, reset) }); err != nil {
		t.Fatal(err)
	}
	expect(t, "log", admin.get("/admin/outbound?status=failed"), http.StatusOK, []string{"重设服务门户密码", "connection refused"}, []string{"SECRET-LINK"})
	expect(t, "reset mail", admin.get("/admin/outbound/"+itoa(reset.ID)), http.StatusOK, []string{"不能重发"}, []string{"SECRET-LINK", "/resend"})
	res := admin.get("/admin/outbound?format=csv")
	expect(t, "csv", res, http.StatusOK, []string{"li@example.com"}, []string{"SECRET-LINK"})

	expect(t, "templates", admin.get("/admin/mail-templates"), http.StatusOK, []string{"/admin/mail-templates/reply/zh-CN", "内置文本"}, nil)
	bad := url.Values{"subject": {"回复：{{.RequestSubject}}"}, "body": {"{{.Secret}}"}}
	expect(t, "bad template", admin.post("/admin/mail-templates/reply/zh-CN", bad), http.StatusUnprocessableEntity,
		[]string{"未知的占位符 {{.Secret}}", `aria-invalid="true"`}, nil)
	good := url.Values{"subject": {"回复：{{.RequestSubject}}"}, "body": {"{{.Message}}\n—— 售后服务部"}}
	if res := admin.post("/admin/mail-templates/reply/zh-CN", good); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	expect(t, "edited", admin.get("/admin/mail-templates/reply/zh-CN"), http.StatusOK, []string{"售后服务部", "恢复内置文本"}, nil)

	tech := staffClient(t, f, model.RoleTechnician, "tech2@example.com", "en", nil)
	expect(t, "prefs", tech.get("/settings/notifications"), http.StatusOK, []string{`name="new_reply" checked`, "No SMTP relay"}, nil)
	if res := tech.post("/settings/notifications", url.Values{"assigned": {"on"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save prefs: %d", res.status)
	}
	expect(t, "prefs saved", tech.get("/settings/notifications"), http.StatusOK, []string{`name="assigned" checked`}, []string{`name="new_reply" checked`})
	expect(t, "technician and templates", tech.get("/admin/mail-templates"), http.StatusForbidden, nil, nil)
}

// TestRequestMailAndMentions: the staff request page lists the mail sent
// about the request with where each stands (sent, failed, bounced) and
// highlights the colleagues an internal note mentions, escaping the rest
// of the note; the portal shows neither.
func TestRequestMailAndMentions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	agent := newClient(t, f.m, "en")
	agent.loginStaff()
	number := f.aliceReq.Number
	res := agent.post("/requests/"+number+"/reply", url.Values{"body": {"@Wang Fang <b>check</b> the lens"}, "visibility": {"internal"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("note: %d %s", res.status, res.body)
	}
	now := f.m.Store.Now()
	rid := f.aliceReq.ID
	for i, st := range []model.OutboundStatus{model.OutSent, model.OutFailed, model.OutSent} {
		o := &model.OutboundMail{Kind: model.MailReply, To: "alice@example.com", Locale: "en", Subject: "Re: lens",
			MessageID: "m" + itoa(int64(i)) + "@example.com", Status: st, RequestID: &rid, LastError: map[bool]string{true: "relay said 550 mailbox full"}[st == model.OutFailed]}
		if err := f.m.Store.Tx(ctx, func(q store.Querier) error { return f.m.Store.QueueOutbound(ctx, q, o) }); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			err := f.m.Store.Tx(ctx, func(q store.Querier) error {
				_, err := q.Exec(ctx, "UPDATE mail_outbound SET sent_at = $1, bounced_at = $1, bounce_reason = 'no such user' WHERE id = $2", now, o.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	expect(t, "request page", agent.get("/requests/"+number), http.StatusOK,
		[]string{`<mark class="mention">@Wang Fang</mark> &lt;b&gt;check&lt;/b&gt; the lens`, "E-mail about this request",
			`out-bounced">Bounced`, "no such user", `out-failed">Failed`, "550 mailbox full", `out-sent">Sent`},
		[]string{"<b>check</b>", "/admin/outbound/"})
	admin := staffClient(t, f, model.RoleAdmin, "admin3@example.com", "zh-CN", nil)
	expect(t, "request page, admin", admin.get("/requests/"+number), http.StatusOK, []string{"本请求的外发邮件", "被退回", "/admin/outbound/"}, nil)
	expect(t, "bounced filter", admin.get("/admin/outbound?status=bounced"), http.StatusOK, []string{"no such user"}, []string{"550 mailbox full"})

	portal := newClient(t, f.m, "en")
	portal.loginCustomer("alice@example.com")
	expect(t, "portal", portal.get("/portal/requests/"+number), http.StatusOK, nil, []string{"E-mail about this request", "@Wang Fang", "lens&lt;"})
}

// TestOutboundExportEveryPage: the CSV export holds every logged mail,
// not only the first page of store.MaxPageSize rows.
func TestOutboundExportEveryPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n := store.MaxPageSize*2 + 7
	err := f.m.Store.Tx(ctx, func(q store.Querier) error {
		for i := range n {
			o := &model.OutboundMail{Kind: model.MailReply, To: "li@example.com", Locale: "en", Subject: "Mail " + itoa(int64(i)),
				MessageID: "x" + itoa(int64(i)) + "@example.com", Status: model.OutSent}
			if err := f.m.Store.QueueOutbound(ctx, q, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := staffClient(t, f, model.RoleAdmin, "admin4@example.com", "en", nil)
	res := admin.get("/admin/outbound?format=csv")
	if res.status != http.StatusOK {
		t.Fatalf("export: %d", res.status)
	}
	rows := strings.Count(strings.TrimSpace(res.body), "\n") + 1
	if rows != n+1 {
		t.Errorf("export has %d lines, want %d mails and a header", rows, n)
	}
	for _, want := range []string{"Mail 0,", "Mail " + itoa(int64(n-1)) + ","} {
		if !strings.Contains(res.body, want) {
			t.Errorf("export lacks %q", want)
		}
	}
}
