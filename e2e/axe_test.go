package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/testenv"
)

// axeViolation is what the test reports of one axe-core violation.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axeRun runs axe-core (injected from the test-only npm tools) on the
// page and returns its serious and critical violations.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
  r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " + n.failureSummary)}))))`

// TestAccessibility runs the axe-core accessibility engine on the main
// pages — login, the queue, a request page, logging a call, the customer
// pages, the macros; the portal's login and sign-up, its list, a request,
// the new-request form, the products and registering one — in both
// languages, light and dark
// (prefers-color-scheme emulated), and fails on any serious or critical
// violation (missing labels, contrast under 4.5:1, broken ARIA).
func TestAccessibility(t *testing.T) {
	bin := chromium(t)
	src, err := os.ReadFile(testenv.NodeTool(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := boot(t)
	number := seed(t, m)
	var custID int64
	if err := m.Store.Read().QueryRow(context.Background(), "SELECT id FROM customers WHERE email = 'chen@example.com'").Scan(&custID); err != nil {
		t.Fatal(err)
	}
	for _, run := range []struct{ lang, scheme string }{{i18n.ZhCN, "light"}, {i18n.En, "light"}, {i18n.ZhCN, "dark"}, {i18n.En, "dark"}} {
		lang := run.lang
		t.Run(lang+"-"+run.scheme, func(t *testing.T) {
			browser := func(t *testing.T, bin string) context.Context {
				t.Helper()
				ctx := browser(t, bin)
				if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: run.scheme}}}); err != nil {
					t.Fatalf("emulate %s: %v", run.scheme, err)
				}
				return ctx
			}
			ctx := browser(t, bin)
			check := func(path string) {
				t.Helper()
				if err := chromedp.Do(ctx, chromedp.Navigate(m.URL()+path), chromedp.WaitReady(chromedp.CSS(`footer`))); err != nil {
					t.Fatalf("open %s: %v", path, err)
				}
				if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true")); err != nil {
					t.Fatalf("inject axe on %s: %v", path, err)
				}
				out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("axe on %s: %v", path, err)
				}
				var vs []axeViolation
				if err := json.Unmarshal([]byte(out), &vs); err != nil {
					t.Fatalf("axe result on %s: %v", path, err)
				}
				for _, v := range vs {
					t.Errorf("%s (%s, %s): %s %s — %s\n  %s", path, lang, run.scheme, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n  "))
				}
			}
			login := func(page, loginSel, who, submit, wait string) {
				t.Helper()
				if err := chromedp.Do(ctx, chromedp.Navigate(m.URL()+page), chromedp.WaitVisible(chromedp.CSS(submit))); err != nil {
					t.Fatal(err)
				}
				if err := chooseLanguage(ctx, lang); err != nil {
					t.Fatalf("choose %s: %v", lang, err)
				}
				if err := chromedp.Do(ctx,
					chromedp.SendKeys(chromedp.CSS(loginSel), who),
					chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
					chromedp.Click(chromedp.CSS(submit)),
					chromedp.WaitVisible(chromedp.CSS(wait))); err != nil {
					t.Fatalf("log in as %s: %v", who, err)
				}
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(m.URL()+"/login"), chromedp.WaitVisible(chromedp.CSS(`#login-submit`))); err != nil {
				t.Fatal(err)
			}
			if err := chooseLanguage(ctx, lang); err != nil {
				t.Fatal(err)
			}
			check("/login")
			login("/login", `input[name="login"]`, agentEmail, `#login-submit`, `table.queue`)
			for _, p := range []string{"/queue", "/requests/" + number, "/requests/new", "/admin/customers", fmt.Sprintf("/admin/customers/%d", custID), "/macros"} {
				check(p)
			}
			// The portal, in a fresh browser: first the pages of visitors.
			ctx = browser(t, bin)
			if err := chromedp.Do(ctx, chromedp.Navigate(m.URL()+"/portal/login"), chromedp.WaitVisible(chromedp.CSS(`#login-submit`))); err != nil {
				t.Fatal(err)
			}
			if err := chooseLanguage(ctx, lang); err != nil {
				t.Fatal(err)
			}
			check("/portal/login")
			check("/portal/signup")
			login("/portal/login", `input[name="login"]`, "chen@example.com", `#login-submit`, `.mainnav a[href="/portal/requests/new"]`)
			for _, p := range []string{"/portal", "/portal/requests/" + number, "/portal/requests/new", "/portal/products", "/portal/products/register"} {
				check(p)
			}
		})
	}
}

// browser starts a headless Chromium for the test and returns its context.
func browser(t *testing.T, bin string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(cancelB)
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelT)
	return ctx
}
