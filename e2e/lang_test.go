package e2e

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// chooseLanguage picks lang with the header's language switch on the page
// open in ctx and waits for the page that answers it. The switch posts a
// form and reloads the page; when the page is already in lang (Chromium
// asks for English), it is not clicked, since a navigation started right
// after that reload would abort it.
//
// Once the answer has loaded (polled in JavaScript, which needs no DOM
// node), the page is opened again with Navigate, which returns only when
// chromedp has the new document: a selector right after a reload could
// otherwise still hold a node of the old one ("Could not find node with
// given id", TestPortalRegisterProductOnPhone/en in CI).
func chooseLanguage(ctx context.Context, lang string) error {
	current, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		return err
	}
	if current == lang {
		return nil
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.langswitch button[value="%s"]`, lang)))); err != nil {
		return err
	}
	answered := fmt.Sprintf(`document.readyState === "complete" && document.documentElement.lang === %q ? location.href : ""`, lang)
	href := ""
	for deadline := time.Now().Add(30 * time.Second); href == ""; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the page never came back in %s", lang)
		}
		href, _ = chromedp.Run(ctx, chromedp.Evaluate[string](answered)) // fails while the page is replaced
	}
	return chromedp.Do(ctx, chromedp.Navigate(href),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`html[lang="%s"] .langswitch button.current[value="%s"]`, lang, lang))))
}
