package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
)

// TestPortalRegisterProductOnPhone: on a 390×844 window, in each
// language, the customer registers a camera by its serial number with a
// photo of the receipt, finds it under My products in warranty, and opens
// a request for it with the product already chosen. The last screen is
// written under AFTERCARE_SCREENSHOTS when set.
func TestPortalRegisterProductOnPhone(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	seed(t, m)
	ctx0 := context.Background()
	serials := map[string]string{i18n.ZhCN: "X100-2026-0100", i18n.En: "X100-2026-0101"}
	if _, err := m.Store.AddSerials(ctx0, "CAM-X100", []string{serials[i18n.ZhCN], serials[i18n.En]}); err != nil {
		t.Fatal(err)
	}
	receipt := receiptPhoto(t)
	shots := os.Getenv("AFTERCARE_SCREENSHOTS")
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			serial := serials[lang]
			ctx, do := portalOnPhone(t, bin, m.URL(), lang)
			do("log in",
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "chen@example.com"),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
				chromedp.Click(chromedp.CSS(`#login-submit`)))
			waitForPath(t, ctx, "/portal")
			if err := chooseLanguage(ctx, lang); err != nil { // the customer's profile language took over at login
				t.Fatalf("choose %s after login: %v", lang, err)
			}
			do("My products, then Register",
				chromedp.Click(chromedp.CSS(`nav a[href="/portal/products"]`)),
				chromedp.WaitVisible(chromedp.CSS(`.page-head a[href="/portal/products/register"]`)),
				chromedp.Click(chromedp.CSS(`.page-head a[href="/portal/products/register"]`)),
				chromedp.WaitVisible(chromedp.CSS(`#serial`)))
			bought := time.Now().AddDate(0, -1, 0).Format(time.DateOnly)
			do("fill in the serial, the date and the receipt, and register",
				chromedp.SendKeys(chromedp.CSS(`#serial`), serial),
				chromedp.SetValue(chromedp.CSS(`#purchased_at`), bought),
				chromedp.SetUploadFiles(chromedp.CSS(`#proof`), []string{receipt}),
				chromedp.Click(chromedp.CSS(`#register-product button[type="submit"]`)))
			waitForPath(t, ctx, "/portal/products")
			card := fmt.Sprintf(`[...document.querySelectorAll(".unit-card")].find(c => c.textContent.includes(%q))`, serial)
			state, err := chromedp.Run(ctx, chromedp.Evaluate[string](card+`?.querySelector("[data-warranty]")?.dataset.warranty ?? ""`))
			if err != nil || state != "in" {
				t.Fatalf("the new unit's warranty on My products: %q (%v), want in warranty", state, err)
			}
			name, err := chromedp.Run(ctx, chromedp.Evaluate[string](card+`.querySelector("h2").textContent`))
			if err != nil || name != "X100 camera" {
				t.Errorf("the unit's product name: %q (%v)", name, err)
			}
			fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
			if err != nil || !fits {
				t.Errorf("My products is wider than the 390-pixel window (%v)", err)
			}
			do("open a request for it", chromedp.Click(chromedp.CSS(`a[href="/portal/requests/new?serial=`+serial+`"]`)),
				chromedp.WaitVisible(chromedp.CSS(`#subject`)))
			chosen, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('select[name="serial"]').value`))
			if err != nil || chosen != serial {
				t.Fatalf("the product chosen on the new request: %q (%v), want %s", chosen, err, serial)
			}
			do("describe and send",
				chromedp.SendKeys(chromedp.CSS(`#subject`), "Lens error "+lang),
				chromedp.Click(chromedp.CSS(`#new-request button[type="submit"]`)))
			path := ""
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !strings.HasPrefix(path, "/portal/requests/SR-"); time.Sleep(100 * time.Millisecond) {
				path, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : ""`))
			}
			r, err := m.Store.RequestByNumber(ctx0, strings.TrimPrefix(path, "/portal/requests/"))
			if err != nil {
				t.Fatal(err)
			}
			if r.Serial != serial {
				t.Errorf("the request made in the browser is about %q, want %s", r.Serial, serial)
			}
			if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || got != lang {
				t.Errorf("the last page's language: %q (%v), want %s", got, err, lang)
			}
			if shots != "" {
				buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(shots, "aftercare-portal-register-product-"+lang+".png"), buf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
