package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/testenv"
)

// phoneFit is a script that lists what a thumb cannot use on the page:
// a horizontal scroll, and every visible control (button, field, select,
// a link styled as a button or in a navigation bar) smaller than 44×44
// CSS pixels. Links inside running text are exempt (WCAG 2.5.8 inline).
const phoneFit = `(() => {
  const bad = [];
  if (window.innerWidth !== 390) bad.push("the window is " + window.innerWidth + "px wide, not 390");
  if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push("page is " + document.documentElement.scrollWidth + "px wide");
  const sel = 'button, input:not([type=hidden]), select, textarea, a.btn, nav a, .tabs a, .langswitch button';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || st.visibility === "hidden") continue;
    let target = r;
    if (el.type === "checkbox" || el.type === "radio") { const l = el.closest("label"); if (l) target = l.getBoundingClientRect(); }
    if (target.height < 44 || (target.width < 44)) bad.push((el.id || el.name || el.textContent.trim().slice(0, 20) || el.tagName) + " " + Math.round(target.width) + "×" + Math.round(target.height));
    if (r.right > window.innerWidth + 1) bad.push((el.id || el.name || el.tagName) + " sticks out to " + Math.round(r.right) + "px");
  }
  return bad.join("; ");
})()`

// assertPhoneFit fails the test with what does not fit a phone.
func assertPhoneFit(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[string](phoneFit))
	if err != nil {
		t.Fatalf("%s: measure: %v", page, err)
	}
	if bad != "" {
		t.Errorf("%s at 390 px: %s", page, bad)
	}
}

// TestPortalSignupJourneyOnPhone: on a 390×844 window, in each language,
// a visitor creates a portal account at /portal/signup, types the code the
// notification channel delivered, registers a camera by its serial with
// the purchase date and a photo of the receipt, and opens a request for
// it with the product already chosen. Every page of the way fits the
// window (no horizontal scroll) and every control is at least 44 px
// high and wide. The last screen is written under AFTERCARE_SCREENSHOTS.
func TestPortalSignupJourneyOnPhone(t *testing.T) {
	bin := chromium(t)
	box := &testenv.Inbox{} // the notification channel the test reads
	m := apptest.Start(t, apptest.Options{Prepare: func(m *app.Main) { m.SignupMailer = box }})
	ctx0 := context.Background()
	if err := m.Store.CreateProduct(ctx0, &model.Product{SKU: "CAM-X100", Name: "X100 camera", Brand: "Lumix", Category: "camera", WarrantyMonths: 24}, nil); err != nil {
		t.Fatal(err)
	}
	serials := map[string]string{i18n.ZhCN: "X100-2026-0200", i18n.En: "X100-2026-0201"}
	if _, err := m.Store.AddSerials(ctx0, "CAM-X100", []string{serials[i18n.ZhCN], serials[i18n.En]}); err != nil {
		t.Fatal(err)
	}
	receipt := receiptPhoto(t)
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			serial := serials[lang]
			email := "visitor-" + strings.ToLower(lang) + "@example.com"
			ctx, do := portalOnPhone(t, bin, m.URL(), lang)
			assertPhoneFit(t, ctx, "login")
			follow(t, ctx, "follow the sign-up link", "/portal/signup", chromedp.Click(chromedp.CSS(`a[href="/portal/signup"]`)))
			assertPhoneFit(t, ctx, "sign-up")
			do("type a name and an address",
				chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), map[string]string{i18n.ZhCN: "周杰", i18n.En: "Jay Chow"}[lang]),
				chromedp.SendKeys(chromedp.CSS(`input[name="email"]`), email))
			follow(t, ctx, "ask for a code", "/portal/signup/verify", chromedp.Click(chromedp.CSS(`form[action="/portal/signup"] button[type="submit"]`)))
			assertPhoneFit(t, ctx, "verify")
			code := box.Code(email)
			if len(code) != 6 {
				t.Fatalf("the code delivered to %s: %q, want six digits", email, code)
			}
			do("type the code and a password",
				chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), code),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
				chromedp.SendKeys(chromedp.CSS(`input[name="password2"]`), password))
			follow(t, ctx, "finish", "/portal", chromedp.Click(chromedp.CSS(`form[action="/portal/signup/verify"] button[type="submit"]`)))
			if err := chooseLanguage(ctx, lang); err != nil {
				t.Fatalf("choose %s after sign-up: %v", lang, err)
			}
			assertPhoneFit(t, ctx, "portal home")
			follow(t, ctx, "My products", "/portal/products", chromedp.Click(chromedp.CSS(`nav a[href="/portal/products"]`)))
			follow(t, ctx, "Register a product", "/portal/products/register", chromedp.Click(chromedp.CSS(`.page-head a[href="/portal/products/register"]`)))
			assertPhoneFit(t, ctx, "register a product")
			do("fill in the serial, the date and the receipt",
				chromedp.SendKeys(chromedp.CSS(`#serial`), serial),
				chromedp.SetValue(chromedp.CSS(`#purchased_at`), time.Now().AddDate(0, -1, 0).Format(time.DateOnly)),
				chromedp.SetUploadFiles(chromedp.CSS(`#proof`), []string{receipt}))
			follow(t, ctx, "register", "/portal/products", chromedp.Click(chromedp.CSS(`#register-product button[type="submit"]`)))
			assertPhoneFit(t, ctx, "my products")
			card := fmt.Sprintf(`[...document.querySelectorAll(".unit-card")].find(c => c.textContent.includes(%q))`, serial)
			if state, err := chromedp.Run(ctx, chromedp.Evaluate[string](card+`?.querySelector("[data-warranty]")?.dataset.warranty ?? ""`)); err != nil || state != "in" {
				t.Fatalf("the new unit's warranty on My products: %q (%v), want in warranty", state, err)
			}
			follow(t, ctx, "open a request for it", "/portal/requests/new", chromedp.Click(chromedp.CSS(`a[href="/portal/requests/new?serial=`+serial+`"]`)))
			assertPhoneFit(t, ctx, "new request")
			if chosen, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('select[name="serial"]').value`)); err != nil || chosen != serial {
				t.Fatalf("the product chosen on the new request: %q (%v), want %s", chosen, err, serial)
			}
			do("describe", chromedp.SendKeys(chromedp.CSS(`#subject`), "Lens error "+lang))
			follow(t, ctx, "send", "/portal/requests/", chromedp.Click(chromedp.CSS(`#new-request button[type="submit"]`)))
			path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
			if err != nil {
				t.Fatal(err)
			}
			r, err := m.Store.RequestByNumber(ctx0, strings.TrimPrefix(path, "/portal/requests/"))
			if err != nil {
				t.Fatalf("the request the browser landed on (%s): %v", path, err)
			}
			if r.Serial != serial {
				t.Errorf("the request made in the browser is about %q, want %s", r.Serial, serial)
			}
			cust, err := m.Store.CustomerByID(ctx0, r.CustomerID)
			if err != nil || cust.Email != email {
				t.Errorf("the request belongs to %+v (%v), want the new account %s", cust, err, email)
			}
			if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || got != lang {
				t.Errorf("the last page's language: %q (%v), want %s", got, err, lang)
			}
			assertPhoneFit(t, ctx, "the new request")
			screenshot(t, ctx, "portal-signup-journey", lang)
		})
	}
}
