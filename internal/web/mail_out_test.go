package web_test

import (
	"context"
	"net/http"
	"net/url"
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
