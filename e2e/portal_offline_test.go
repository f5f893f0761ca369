package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
)

// workerActivated waits for the portal's service worker to be ready and
// answers its state once it is "activated".
const workerActivated = `navigator.serviceWorker.ready.then((reg) => new Promise((done) => {
  const w = reg.active;
  if (w.state === "activated") { done(w.state); return; }
  w.addEventListener("statechange", () => { if (w.state === "activated") done(w.state); });
}))`

// waitOfflineCached waits until the worker's cache holds the offline
// page in lang (its <html lang>), for at most 30 seconds.
func waitOfflineCached(ctx context.Context, lang string) error {
	js := `caches.match("/portal/offline").then((r) => r ? r.text() : "").then((html) => (html.match(/<html[^>]* lang="([^"]+)"/) || ["", ""])[1])`
	got := ""
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var err error
		if got, err = chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise)); err == nil && got == lang {
			return nil
		}
	}
	return fmt.Errorf("its language is %q, not %s", got, lang)
}

// goOffline cuts the window off the network, and the portal's service
// worker too: Chromium applies a page's network emulation to the page's
// own requests only (emulateOfflineServiceWorker notwithstanding, the
// worker's fetch still reached the server), so the worker's target gets
// the same conditions. The page is told it is offline (navigator.onLine).
func goOffline(ctx context.Context) error {
	if err := cutOff(ctx); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true,
		DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		return err
	}
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		return err
	}
	for _, tg := range targets {
		if tg.Type == "service_worker" && strings.HasSuffix(tg.URL, "/portal/sw.js") {
			// Attached for the rest of the test: the window's context
			// ends it.
			sw, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(tg.TargetID))
			return cutOff(sw)
		}
	}
	return fmt.Errorf("no service worker among the browser's targets")
}

// cutOff emulates a lost connection for the requests of ctx's target.
func cutOff(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return err
	}
	on := true
	_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &on,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	})
	return err
}

// TestPortalOfflinePageOnPhone: on a 390-pixel phone, in each language, a
// customer signs in to the portal, whose service worker installs; when the
// network goes down, opening one of their requests shows the portal's
// offline page in their language (not the browser's error page, and
// nothing of the request: the worker keeps no customer's page). The last
// screen is written under AFTERCARE_SCREENSHOTS.
func TestPortalOfflinePageOnPhone(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	number := seed(t, m)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			ctx := phoneWindow(t, bin)
			do := stepper(t, ctx)
			// The worker installs on the first portal page, in the
			// browser's language, before the customer chooses theirs.
			do("open the portal login", chromedp.Navigate(m.URL()+"/portal/login"), chromedp.WaitVisible(chromedp.CSS(`#login-submit`)))
			state, err := chromedp.Run(ctx, chromedp.Evaluate[string](workerActivated, chromedp.EvalAwaitPromise))
			if err != nil || state != "activated" {
				t.Fatalf("the service worker: %q (%v), want activated", state, err)
			}
			if err := chooseLanguage(ctx, lang); err != nil {
				t.Fatalf("choose %s: %v", lang, err)
			}
			do("log in",
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "chen@example.com"),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
				chromedp.Click(chromedp.CSS(`#login-submit`)))
			waitForPath(t, ctx, "/portal")
			// Signed in, the portal speaks the customer's saved language
			// unless one was chosen: choose it (again) here.
			if err := chooseLanguage(ctx, lang); err != nil {
				t.Fatalf("choose %s after signing in: %v", lang, err)
			}
			// The worker keeps the offline page in the language the
			// customer reads the portal in, not the one it was installed in.
			if err := waitOfflineCached(ctx, lang); err != nil {
				t.Fatalf("the cached offline page: %v", err)
			}
			if err := goOffline(ctx); err != nil {
				t.Fatalf("go offline: %v", err)
			}
			do("open a request without a network", chromedp.Navigate(m.URL()+"/portal/requests/"+number),
				chromedp.WaitVisible(chromedp.CSS(`h1`)))
			page, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				`document.documentElement.lang + "\n" + document.querySelector("h1").textContent.trim() + "\n" + document.body.innerText`))
			if err != nil {
				t.Fatal(err)
			}
			htmlLang, h1, body := splitPage(page)
			if want := bundle.T(lang, "pwa.offline.title"); h1 != want {
				t.Errorf("heading without a network: got %q, want the offline page's %q; the page: %.300s", h1, want, body)
			}
			if htmlLang != lang {
				t.Errorf("offline page language: got %q, want %q", htmlLang, lang)
			}
			for _, want := range []string{bundle.T(lang, "pwa.offline.text"), bundle.T(lang, "pwa.offline.retry")} {
				if !strings.Contains(body, want) {
					t.Errorf("offline page lacks %q: %.300s", want, body)
				}
			}
			if strings.Contains(body, "相机开机提示镜头错误") {
				t.Error("offline, the request's own page was shown: the worker must not keep customers' pages")
			}
			assertPhoneFit(t, ctx, "offline page")
			screenshot(t, ctx, "portal-offline", lang)
		})
	}
}

// splitPage splits what the page script answered: the language, the
// heading, then the text of the page.
func splitPage(s string) (lang, h1, body string) {
	lang, rest, _ := strings.Cut(s, "\n")
	h1, body, _ = strings.Cut(rest, "\n")
	return lang, h1, body
}
