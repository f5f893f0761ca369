package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
)

// waitText waits until the script js yields a string containing want and
// returns it; it fails the test with the last value after 15 seconds.
func waitText(t *testing.T, ctx context.Context, what, js, want string) string {
	t.Helper()
	var got string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err == nil {
			got = v
			if strings.Contains(got, want) {
				return got
			}
		}
	}
	t.Fatalf("%s: got %q, want it to contain %q", what, got, want)
	return ""
}

// TestCallFormShowsTheCaller: an agent logging a phone call types the
// caller's number as they say it ("+86 138 0000 0001") and the form shows
// whom it finds while they type — before anything is sent, without
// pressing "Look up the caller" — then, for a number nobody has, says
// so and offers to add the caller; the request is created for the
// customer shown. In each language.
func TestCallFormShowsTheCaller(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	seed(t, m)
	caller := `(document.querySelector("#caller [role=status]") || {textContent: ""}).textContent`
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			ctx := staffLogin(t, bin, m.URL(), lang, agentEmail)
			follow(t, ctx, "open the call form", "/requests/new", chromedp.Navigate(m.URL()+"/requests/new"))
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`input[name="customer"]`), "+86 139 0000 0009")); err != nil {
				t.Fatal(err)
			}
			unknown := map[string]string{i18n.ZhCN: "还没有使用该手机号或邮箱的客户", i18n.En: "No customer has this mobile number"}[lang]
			waitText(t, ctx, "an unknown number", caller, unknown)
			if n := evalString(t, ctx, "the add-caller field", `String(document.querySelectorAll('#caller input[name="new_name"]').length)`); n != "1" {
				t.Errorf("an unknown caller: %s name fields to add them, want 1", n)
			}
			evalString(t, ctx, "clear the number", `document.querySelector('input[name="customer"]').value = ""`)
			if err := chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.CSS(`input[name="customer"]`), "+86 138 0000 0001")); err != nil {
				t.Fatal(err)
			}
			if v := evalString(t, ctx, "the typed number", `document.querySelector('input[name="customer"]').value`); v != "+86 138 0000 0001" {
				t.Fatalf("the customer field holds %q", v)
			}
			found := waitText(t, ctx, "the matched customer", caller, "陈晓丽")
			if !strings.Contains(found, "13800000001") {
				t.Errorf("the matched customer shows %q, want the number too", found)
			}
			if p := evalString(t, ctx, "still on the form", `location.pathname`); p != "/requests/new" {
				t.Errorf("the lookup left the form for %s", p)
			}
			screenshot(t, ctx, "call-form-caller", lang)
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`input[name="subject"]`), "Called about the lens "+lang)); err != nil {
				t.Fatal(err)
			}
			follow(t, ctx, "create the request", "/requests/", chromedp.Click(chromedp.CSS(`#new-request button[type="submit"]:not([name])`)))
			number := strings.TrimPrefix(evalString(t, ctx, "the new request", `location.pathname`), "/requests/")
			r, err := m.Store.RequestByNumber(context.Background(), number)
			if err != nil {
				t.Fatal(err)
			}
			cust, err := m.Store.CustomerByID(context.Background(), r.CustomerID)
			if err != nil || cust.Name != "陈晓丽" {
				t.Errorf("the request is for %+v (%v), want 陈晓丽", cust, err)
			}
		})
	}
}
