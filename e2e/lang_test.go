package e2e

import (
	"context"
	"fmt"

	"github.com/chromedp/chromedp"
)

// chooseLanguage picks lang with the header's language switch on the page
// open in ctx and waits for the page that answers it. The switch posts a
// form and reloads the page; when the page is already in lang (Chromium
// asks for English), it is not clicked, since a navigation started right
// after that reload would abort it.
func chooseLanguage(ctx context.Context, lang string) error {
	current, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if err != nil {
		return err
	}
	if current == lang {
		return nil
	}
	return chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`.langswitch button[value="%s"]`, lang))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`html[lang="%s"] .langswitch button.current[value="%s"]`, lang, lang))))
}
