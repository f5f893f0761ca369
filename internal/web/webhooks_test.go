package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// loginAdmin creates an admin and returns a client logged in as them.
func adminClient(t *testing.T, m *app.Main, lang string) *client {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	email := "admin-" + lang + "@example.com"
	if err := m.Store.CreateUser(context.Background(), &model.User{Email: email, Name: "Admin", Role: model.RoleAdmin,
		PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, m, lang)
	if res := c.post("/login", url.Values{"login": {email}, "password": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("admin login: %d", res.status)
	}
	return c
}

// until fetches path until its body contains every text of want, failing
// after 30 seconds.
func until(t *testing.T, c *client, path string, want ...string) response {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := c.get(path)
		missing := ""
		for _, w := range want {
			if !strings.Contains(res.body, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s lacks %q after 30 s:\n%.3000s", path, missing, res.body)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// TestWebhookAdminPage walks the admin's page as a person would: add a
// webhook (bad input first), see a failed and a successful attempt of
// its first delivery with status and error, redeliver it, read the page
// in Chinese, pause it and delete it; the secret is never shown after
// saving, and the audit log has the webhook's life.
func TestWebhookAdminPage(t *testing.T) {
	var hits atomic.Int32
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			http.Error(w, "down", http.StatusServiceUnavailable)
		}
	}))
	defer rcv.Close()
	f := newFixtureWith(t, apptest.Options{
		Configure: func(c *config.Config) { c.WebhookAllowPrivate = true },
		Prepare: func(m *app.Main) {
			m.WebhookSchedule = []time.Duration{20 * time.Millisecond}
			m.JobPollInterval = 50 * time.Millisecond
		}})
	en := adminClient(t, f.m, "en")

	res := en.get("/admin/webhooks")
	expect(t, "empty list", res, http.StatusOK, []string{"Add a webhook", "No webhooks yet", `name="secret" value="whsec_`}, nil)
	form := url.Values{"url": {rcv.URL + "/in"}, "secret": {"web-secret-123"}, "description": {"ERP"}}
	res = en.post("/admin/webhooks", form)
	expect(t, "no events", res, http.StatusUnprocessableEntity, []string{"choose at least one event", rcv.URL + "/in"}, nil)
	form["events"] = []string{"request.created", "message.created"}
	form.Set("url", "ftp://example.com/")
	res = en.post("/admin/webhooks", form)
	expect(t, "bad URL", res, http.StatusUnprocessableEntity, []string{"must be an http:// or https:// URL", `value="request.created" checked`}, nil)
	form.Set("url", rcv.URL+"/in")
	res = en.post("/admin/webhooks", form)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/webhooks/") {
		t.Fatalf("create: got %d → %q, want 303 to the webhook", res.status, res.location)
	}
	page := res.location
	expect(t, "new webhook", en.get(page), http.StatusOK, []string{"Webhook added", rcv.URL + "/in", "Nothing delivered yet"}, []string{"web-secret-123"})

	if _, err := f.m.Requests.Create(context.Background(), f.alice, request.CreateInput{Type: model.TypeRepair, Subject: "Lens error"}); err != nil {
		t.Fatal(err)
	}
	res = until(t, en, page, "delivered", "503", "200", "Answer was not 2xx", "HTTP 503 Service Unavailable", "Redeliver")
	expect(t, "delivered", res, http.StatusOK, []string{"a request was opened", "attempts: 2"}, []string{"web-secret-123"})

	action := between(res.body, `<form method="post" action="/admin/webhooks/`, `"`)
	res = en.post("/admin/webhooks/"+action, nil)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, page) {
		t.Fatalf("redeliver: got %d → %q", res.status, res.location)
	}
	until(t, en, page, "by hand", "attempts: 3")
	if n := hits.Load(); n != 3 {
		t.Errorf("receiver hits: got %d, want 3", n)
	}

	zh := newClient(t, f.m, "zh-CN")
	zh.hc.Jar = en.hc.Jar // the same admin, reading in Chinese
	expect(t, "zh-CN page", zh.get(page), http.StatusOK, []string{"投递记录", "重新投递", "已送达", "手动", "响应不是 2xx"}, nil)

	res = en.post(page, url.Values{"url": {rcv.URL + "/in"}, "events": {"request.created"}, "description": {"ERP"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("pause: got %d, want 303\n%.2000s", res.status, res.body)
	}
	expect(t, "paused", en.get(page), http.StatusOK, []string{"Changes saved", "paused"}, nil)
	expect(t, "list", en.get("/admin/webhooks"), http.StatusOK, []string{rcv.URL + "/in", "paused", `<code class="chip">request.created</code>`}, []string{`<code class="chip">message.created</code>`})

	res = en.post(page+"/delete", url.Values{"confirm": {"on"}})
	if res.status != http.StatusSeeOther || res.location != "/admin/webhooks" {
		t.Fatalf("delete: got %d → %q", res.status, res.location)
	}
	expect(t, "after delete", en.get("/admin/webhooks"), http.StatusOK, []string{"Webhook deleted", "No webhooks yet"}, nil)
	expect(t, "gone", en.get(page), http.StatusNotFound, nil, nil)
	expect(t, "audit", en.get("/admin/audit"), http.StatusOK, []string{"Webhook created", "Webhook changed", "Webhook deleted"}, []string{"web-secret-123"})
}

// between returns the text of s after the first from up to the next to.
func between(s, from, to string) string {
	_, after, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, to)
	return v
}
