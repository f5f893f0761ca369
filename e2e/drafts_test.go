package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
)

// endSession ends the browser's session on the server, as an expiry
// does (the page stays as it is).
func endSession(t *testing.T, ctx context.Context, logout string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`fetch(`+"`"+logout+"`"+`, {method: "POST", credentials: "same-origin"}).then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("end the session: %v", err)
	}
}

// TestTypedTextSurvivesAnExpiredSession: in each language, an agent
// types a long reply, the session ends, and Send leads to the login page,
// which says the session expired; after signing in the agent is back on
// the request with the reply in the box. The same for a customer's new
// request in the portal.
func TestTypedTextSurvivesAnExpiredSession(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	number := seed(t, m)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			ctx := staffLogin(t, bin, m.URL(), lang, agentEmail)
			page := "/requests/" + number
			if err := chromedp.Do(ctx, chromedp.Navigate(m.URL()+page)); err != nil {
				t.Fatal(err)
			}
			settle(t, ctx, page)
			reply := map[string]string{i18n.ZhCN: "您好，已为您登记上门维修，工程师会在两个工作日内联系您。", i18n.En: "Hello, a home visit is booked; the engineer will call within two working days."}[lang]
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#reply-body`), reply)); err != nil {
				t.Fatal(err)
			}
			endSession(t, ctx, "/logout")
			follow(t, ctx, "send after the session ended", "/login", chromedp.Click(chromedp.CSS(`#reply-submit`)))
			if got := evalString(t, ctx, "expired notice", `document.getElementById("session-expired")?.textContent.trim() ?? ""`); got != bundle.T(lang, "login.expired") {
				t.Errorf("login page notice %q, want %q", got, bundle.T(lang, "login.expired"))
			}
			if err := chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), agentEmail),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password)); err != nil {
				t.Fatal(err)
			}
			follow(t, ctx, "sign in again", page, chromedp.Click(chromedp.CSS(`#login-submit`)))
			if got := evalString(t, ctx, "reply box", `document.getElementById("reply-body").value`); got != reply {
				t.Errorf("the reply after signing in again: %q, want %q", got, reply)
			}
			follow(t, ctx, "send it now", page, chromedp.Click(chromedp.CSS(`#reply-submit`)))
			if got := evalString(t, ctx, "last message", `[...document.querySelectorAll(".timeline li.msg .msg-body")].pop()?.textContent.trim() ?? ""`); got != reply {
				t.Errorf("last message %q, want %q", got, reply)
			}
			if n := evalString(t, ctx, "drafts left", `String(Object.keys(localStorage).filter(k => k.startsWith("draft:")).length)`); n != "0" {
				t.Errorf("%s drafts left in the browser after the reply was sent", n)
			}
			screenshot(t, ctx, "console-draft-after-expiry", lang)

			// A customer's new request in the portal.
			ctx = browser(t, bin)
			if err := chromedp.Do(ctx, chromedp.Navigate(m.URL()+"/portal/login")); err != nil {
				t.Fatal(err)
			}
			settle(t, ctx, "/portal/login")
			if err := chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "chen@example.com"),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password)); err != nil {
				t.Fatal(err)
			}
			follow(t, ctx, "customer login", "/portal", chromedp.Click(chromedp.CSS(`#login-submit`)))
			if err := chromedp.Do(ctx, chromedp.Navigate(m.URL()+"/portal/requests/new")); err != nil {
				t.Fatal(err)
			}
			settle(t, ctx, "/portal/requests/new")
			desc := strings.Repeat(reply, 3)
			if err := chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS(`#subject`), "Draft "+lang),
				chromedp.SendKeys(chromedp.CSS(`#description`), desc)); err != nil {
				t.Fatal(err)
			}
			endSession(t, ctx, "/portal/logout")
			follow(t, ctx, "send the request after the session ended", "/portal/login", chromedp.Click(chromedp.CSS(`#new-request button[type="submit"]`)))
			if evalString(t, ctx, "expired notice", `document.getElementById("session-expired") ? "yes" : ""`) != "yes" {
				t.Errorf("the portal login does not say the session expired")
			}
			if err := chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "chen@example.com"),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password)); err != nil {
				t.Fatal(err)
			}
			follow(t, ctx, "customer signs in again", "/portal/requests/new", chromedp.Click(chromedp.CSS(`#login-submit`)))
			if got := evalString(t, ctx, "description", `document.getElementById("description").value`); got != desc {
				t.Errorf("the new request's description after signing in again: %q, want %q", got, desc)
			}
			if got := evalString(t, ctx, "subject", `document.getElementById("subject").value`); got != "Draft "+lang {
				t.Errorf("the subject after signing in again: %q", got)
			}
		})
	}
}
