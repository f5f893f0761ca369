package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
)

// TestPortalNewRequestWithPhotoOnPhone: on a 390×844 window, in each
// language, the customer opens a request with a photo attached (chosen in
// the form's file input) and sees it on the new request's timeline, as a
// link that downloads it. The last screen is written under
// AFTERCARE_SCREENSHOTS when set.
func TestPortalNewRequestWithPhotoOnPhone(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	seed(t, m)
	photo := filepath.Join(t.TempDir(), "IMG_0042.JPG")
	if err := os.WriteFile(photo, append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 4096)...), 0o600); err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("AFTERCARE_SCREENSHOTS")
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			ctx, do := portalOnPhone(t, bin, m.URL(), lang)
			do("log in",
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "chen@example.com"),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
				chromedp.Click(chromedp.CSS(`#login-submit`)))
			waitForPath(t, ctx, "/portal")
			if err := chooseLanguage(ctx, lang); err != nil { // the customer's profile language took over at login
				t.Fatalf("choose %s after login: %v", lang, err)
			}
			do("open the new-request form", chromedp.Navigate(m.URL()+"/portal/requests/new"),
				chromedp.WaitVisible(chromedp.CSS(`#subject`)))
			fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
			if err != nil || !fits {
				t.Errorf("the new-request form is wider than the 390-pixel window (%v)", err)
			}
			subject := "Cracked screen " + lang
			do("describe, attach a photo and send",
				chromedp.SendKeys(chromedp.CSS(`#subject`), subject),
				chromedp.SetUploadFiles(chromedp.CSS(`#new-files`), []string{photo}),
				chromedp.Click(chromedp.CSS(`#new-request button[type="submit"]`)))
			path := ""
			for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline) && !strings.HasPrefix(path, "/portal/requests/SR-"); time.Sleep(100 * time.Millisecond) {
				path, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : ""`))
			}
			if !strings.HasPrefix(path, "/portal/requests/SR-") {
				t.Fatalf("the form did not open the new request (at %q)", path)
			}
			r, err := m.Store.RequestByNumber(context.Background(), strings.TrimPrefix(path, "/portal/requests/"))
			if err != nil || r.Subject != subject {
				t.Fatalf("the request made in the browser: %+v (%v)", r, err)
			}
			link, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				`[...document.querySelectorAll(".timeline .files a")].map(a => a.textContent.trim() + " " + a.getAttribute("href")).join("|")`))
			if err != nil || !strings.Contains(link, "IMG_0042.JPG /attachments/") {
				t.Errorf("the photo on the timeline: %q (%v), want a link to IMG_0042.JPG", link, err)
			}
			if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || got != lang {
				t.Errorf("the last page's language: %q (%v), want %s", got, err, lang)
			}
			if shots != "" {
				buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(shots, "aftercare-portal-new-request-photo-"+lang+".png"), buf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
