package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestNotificationsPage: with no mail relay, a colleague's internal note
// naming the agent puts "Notifications, 1 unread" in the agent's header
// (the number said in words for screen readers) and the mention on
// /notifications (who, which request with a link, the note); opening it
// goes to the request and marks it read; "Mark all as read" marks the
// rest; a user with none reads a sentence saying why, in both languages.
func TestNotificationsPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	boss := &model.User{Email: "boss@example.com", Name: "Li Lei", Role: model.RoleManager, Active: true, PasswordHash: hash}
	if err := f.m.Store.CreateUser(ctx, boss); err != nil {
		t.Fatal(err)
	}
	bp := model.Principal{Kind: model.KindStaff, ID: boss.ID, Name: boss.Name, Role: boss.Role}
	num := f.aliceReq.Number
	for _, body := range []string{"@Wang Fang please call <Alice> first", "@Wang Fang and order the lens"} {
		if _, err := f.m.Requests.Reply(ctx, bp, num, request.ReplyInput{Body: body, Visibility: model.VisibilityInternal}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.m.Requests.Reply(ctx, bp, num, request.ReplyInput{Body: "@Wang Fang will call you"}); err != nil {
		t.Fatal(err)
	}

	c := newClient(t, f.m, "en")
	c.loginStaff()
	expect(t, "queue header", c.get("/queue"), http.StatusOK,
		[]string{`href="/notifications"`, `aria-label="Notifications, 2 unread"`}, nil)
	page := c.get("/notifications")
	expect(t, "notifications", page, http.StatusOK, []string{"Li Lei mentioned you on " + num + ":",
		"@Wang Fang please call &lt;Alice&gt; first", "Lens error on power-up", "Mark all as read", `action="/notifications/read"`},
		[]string{"will call you", "<Alice>"})
	i := strings.Index(page.body, `href="/notifications/`)
	if i < 0 || strings.Index(page.body, "order the lens") > strings.Index(page.body, "please call") {
		t.Fatalf("no link to open a notification, or not newest first:\n%s", page.body)
	}
	link := page.body[i+len(`href="`):]
	link = link[:strings.IndexByte(link, '"')]
	if res := c.get(link); res.status != http.StatusSeeOther || res.location != "/requests/"+num {
		t.Fatalf("open %s: got %d → %q, want 303 → the request", link, res.status, res.location)
	}
	expect(t, "one opened", c.get("/queue"), http.StatusOK, []string{`aria-label="Notifications, 1 unread"`}, nil)

	// The author (a colleague, who has no notifications) cannot open
	// the agent's: not found, and it stays unread.
	other := newClient(t, f.m, "zh-CN")
	if res := other.post("/login", url.Values{"login": {"boss@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("boss login: %d", res.status)
	}
	if res := other.get(link); res.status != http.StatusNotFound {
		t.Errorf("the author opened the agent's notification: %d", res.status)
	}
	expect(t, "empty, in Chinese", other.get("/notifications"), http.StatusOK,
		[]string{"您还没有通知。", `aria-label="通知"`}, []string{"全部标为已读"})
	expect(t, "still one unread", c.get("/queue"), http.StatusOK, []string{`aria-label="Notifications, 1 unread"`}, nil)

	res := c.post("/notifications/read", nil)
	if res.status != http.StatusSeeOther || res.location != "/notifications" {
		t.Fatalf("mark all: got %d → %q, want 303 → /notifications", res.status, res.location)
	}
	expect(t, "all read", c.get("/notifications"), http.StatusOK, []string{"All your notifications are marked as read.",
		`aria-label="Notifications"`, "please call"}, []string{"Mark all as read", `class="notice unread"`})
}
