package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// TestMailTemplatesAndPreferences: admins change a template (a bad one is
// a problem naming its field, and the built-in text stays), go back to
// the built-in text; staff read and change their own notification
// choices; without a relay the outbound log is empty and resend is 409.
func TestMailTemplatesAndPreferences(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		var all []api.MailTemplate
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/mail/templates", f.admin, nil).JSON(t, &all)
		if len(all) != 22 {
			t.Fatalf("%d templates, want 11 kinds × 2 languages", len(all))
		}
		for _, c := range []struct{ name, subject, body, location string }{
			{"unknown placeholder", "Hi", "{{.Password}}", "body.body"},
			{"does not parse", "Hi {{.RequestSubject", "x", "body.subject"},
			{"blank subject", " ", "x", "body.subject"},
		} {
			f.Run(t, apitest.Scenario{Name: c.name, Method: "PUT", Path: "/api/v1/mail/templates/reply/en", Token: f.admin,
				Body: map[string]any{"subject": c.subject, "body": c.body}, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"` + c.location + `"`}})
		}
		f.Run(t, apitest.Scenario{Name: "reset without its link", Method: "PUT", Path: "/api/v1/mail/templates/password_reset/zh-CN",
			Token: f.admin, Body: map[string]any{"subject": "重设", "body": "请联系我们"}, ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{`"location":"body.body"`, "{{.Link}}"}})
		f.Run(t, apitest.Scenario{Name: "no such kind", Method: "GET", Path: "/api/v1/mail/templates/poem/en", Token: f.admin,
			ExpectedStatus: http.StatusNotFound})
		var got api.MailTemplate
		f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/mail/templates/reply/en", f.admin,
			map[string]any{"subject": "Re: {{.RequestSubject}}", "body": "{{.Message}}\n\n{{.AuthorName}}, Acme Service"}).JSON(t, &got)
		if !got.Custom || !strings.Contains(got.Body, "Acme Service") {
			t.Errorf("saved: %+v", got)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/mail/templates/reply/en", f.admin, nil).JSON(t, &got)
		if !got.Custom || got.UpdatedAt == nil {
			t.Errorf("read back: %+v, want the edited template", got)
		}
		f.mustStatus(t, http.StatusOK, "DELETE", "/api/v1/mail/templates/reply/en", f.admin, nil).JSON(t, &got)
		if got.Custom || strings.Contains(got.Body, "Acme") {
			t.Errorf("after reset: %+v, want the built-in text", got)
		}
		f.Run(t, apitest.Scenario{Name: "agent", Method: "PUT", Path: "/api/v1/mail/templates/reply/en", Token: f.agent,
			Body: map[string]any{"subject": "x", "body": "y"}, ExpectedStatus: http.StatusForbidden})

		var prefs api.NotificationPrefs
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/me/notifications", f.tech, nil).JSON(t, &prefs)
		if !prefs.Assigned || !prefs.Mentioned || !prefs.SLAWarning || !prefs.NewReply {
			t.Errorf("defaults %+v, want all on", prefs)
		}
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/me/notifications", f.tech, map[string]any{"new_reply": false}).JSON(t, &prefs)
		if !prefs.Assigned || prefs.NewReply {
			t.Errorf("after turning new_reply off: %+v", prefs)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/me/notifications", f.agent, nil).JSON(t, &prefs)
		if !prefs.NewReply {
			t.Errorf("another user's choice changed the agent's: %+v", prefs)
		}
		f.Run(t, apitest.Scenario{Name: "customer", Method: "GET", Path: "/api/v1/me/notifications", Token: f.alice,
			ExpectedStatus: http.StatusForbidden})

		var page api.OutboundMailPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/mail/outbound", f.admin, nil).JSON(t, &page)
		if len(page.Items) != 0 {
			t.Errorf("without a relay the outbound log has %d entries, want 0", len(page.Items))
		}
		f.Run(t, apitest.Scenario{Name: "bad status", Method: "GET", Path: "/api/v1/mail/outbound?status=lost", Token: f.admin,
			ExpectedStatus: http.StatusUnprocessableEntity})
	})
}
