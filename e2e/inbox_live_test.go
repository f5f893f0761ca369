package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestMentionCountShowsLive: in each language, an agent has the queue
// open when a colleague mentions them in an internal note; the header's
// "Notifications" count turns to 1 without a reload (label included),
// and goes again when the agent reads the notifications elsewhere. The
// time from the note to the count is logged.
func TestMentionCountShowsLive(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	number := seed(t, m)
	ctx0 := context.Background()
	lead := &model.User{Email: "lead@example.com", Name: "Li Lei", Role: model.RoleManager, Active: true}
	if err := m.Store.CreateUser(ctx0, lead); err != nil {
		t.Fatal(err)
	}
	leadP := model.Principal{Kind: model.KindStaff, ID: lead.ID, Name: lead.Name, Role: lead.Role}
	agent, err := m.Store.UserByEmail(ctx0, agentEmail)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			ctx := staffLogin(t, bin, m.URL(), lang, agentEmail)
			if err := chromedp.Do(ctx, chromedp.Navigate(m.URL()+"/queue")); err != nil {
				t.Fatal(err)
			}
			settle(t, ctx, "/queue")
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__samePage = true`)); err != nil {
				t.Fatal(err)
			}
			waitTrue(t, ctx, "the live stream to connect", `document.getElementById("notices-link").dataset.live === "ready"`)
			if got := evalString(t, ctx, "count before", `document.getElementById("notices-link").dataset.unread`); got != "0" {
				t.Fatalf("unread before the mention: %q, want 0", got)
			}
			sent := time.Now()
			if _, err := m.Requests.Reply(ctx0, leadP, number, request.ReplyInput{Body: "@" + agent.Name + " please call the customer back",
				Visibility: model.VisibilityInternal}); err != nil {
				t.Fatal(err)
			}
			waitTrue(t, ctx, "the header's count", `document.querySelector("#notices-link .count")?.textContent === "1"`)
			t.Logf("the count showed %v after the note was sent", time.Since(sent))
			if got, want := evalString(t, ctx, "label", `document.getElementById("notices-link").getAttribute("aria-label")`),
				bundle.T(lang, "nav.notifications_unread", 1); got != want {
				t.Errorf("label %q, want %q", got, want)
			}
			if same := evalString(t, ctx, "same page", `String(window.__samePage === true)`); same != "true" {
				t.Errorf("the page was reloaded by the live update")
			}
			screenshot(t, ctx, "console-mention-count", lang)
			agentP := model.Principal{Kind: model.KindStaff, ID: agent.ID, Name: agent.Name, Role: agent.Role}
			if n, err := m.Inbox.MarkRead(ctx0, agentP, nil); err != nil || n != 1 {
				t.Fatalf("read elsewhere: %d, %v", n, err)
			}
			waitTrue(t, ctx, "the count to go", `!document.querySelector("#notices-link .count") && document.getElementById("notices-link").dataset.unread === "0"`)
			if got, want := evalString(t, ctx, "label after reading", `document.getElementById("notices-link").getAttribute("aria-label")`),
				bundle.T(lang, "nav.notifications"); got != want {
				t.Errorf("label after reading %q, want %q", got, want)
			}
		})
	}
}
