package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// TestHelpCentreInBrowser walks the help centre as a customer, once in
// each language: a search finds the article with the term highlighted;
// the assistant answers a paraphrased question, quoting the article and
// linking it; a question no article covers gets "not sure" and the offer
// of a person, and the hand-off opens a request that carries the
// conversation.
func TestHelpCentreInBrowser(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	seed(t, m)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	zh := &model.Article{Locale: i18n.ZhCN, Title: "空调不制冷怎么办", Body: "空调开机后不制冷、吹热风时，先清洗滤网，再检查室外机是否运转。",
		Visibility: model.VisibilityPublic, Status: model.ArticlePublished}
	if err := m.Store.CreateArticle(ctx, zh, ""); err != nil {
		t.Fatal(err)
	}
	en := &model.Article{Locale: i18n.En, Title: "Air conditioner not cooling", TranslationOf: &zh.ID,
		Body:       "If the air conditioner blows warm air, clean the filter first, then check that the outdoor unit runs.",
		Visibility: model.VisibilityPublic, Status: model.ArticlePublished}
	if err := m.Store.CreateArticle(ctx, en, ""); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		search, ask, unknown string
		article              *model.Article
	}{
		i18n.ZhCN: {"滤网", "空调吹热风不凉快怎么办", "可以用比特币买披萨吗", zh},
		i18n.En:   {"filter", "my air conditioner blows warm air", "Can I pay for a pizza with bitcoin?", en},
	}
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		c := cases[lang]
		t.Run(lang, func(t *testing.T) {
			opts := []chromedp.ExecAllocatorOption{
				chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
				chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
				chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
				chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
				chromedp.WindowSize(1280, 900),
			}
			actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
			defer cancelA()
			bctx, cancelB := chromedp.NewContext(actx)
			defer cancelB()
			bctx, cancelT := context.WithTimeout(bctx, 120*time.Second)
			defer cancelT()
			do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(bctx, steps...); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			text := func(sel string) string {
				t.Helper()
				v, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
				if err != nil {
					t.Fatalf("text of %s: %v", sel, err)
				}
				return v
			}

			do("open the portal login", chromedp.Navigate(m.URL()+"/portal/login"), chromedp.WaitVisible(chromedp.CSS(`#login-submit`)))
			if err := chooseLanguage(bctx, lang); err != nil {
				t.Fatalf("choose %s: %v", lang, err)
			}
			do("log in as the customer",
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "chen@example.com"),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
				chromedp.Click(chromedp.CSS(`#login-submit`)),
				chromedp.WaitNotPresent(chromedp.CSS(`#login-submit`)))

			// The customer's own language (zh-CN) applies after login: choose
			// the test's language again.
			do("open the help centre", chromedp.Navigate(m.URL()+"/help"), chromedp.WaitVisible(chromedp.CSS(`input[name="q"]`)))
			if err := chooseLanguage(bctx, lang); err != nil {
				t.Fatalf("choose %s: %v", lang, err)
			}
			if got := text(`h1`); got != bundle.T(lang, "help.title") {
				t.Errorf("heading %q, want %q", got, bundle.T(lang, "help.title"))
			}
			do("search the help centre",
				chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), c.search+"\n"),
				chromedp.WaitVisible(chromedp.CSS(`.kb-hits li`)))
			if got := text(`.kb-hits li:first-child strong`); got != c.article.Title {
				t.Errorf("first hit %q, want %q", got, c.article.Title)
			}
			if got := text(`.kb-hits li:first-child mark`); !strings.Contains(strings.ToLower(got), c.search) {
				t.Errorf("highlight %q, want the term %q", got, c.search)
			}

			source := fmt.Sprintf(`.chat-assistant .chat-sources a[href="/help/%d"]`, c.article.ID)
			do("ask the assistant",
				chromedp.SendKeys(chromedp.CSS(`.chat-form input[name="question"]`), c.ask),
				chromedp.Click(chromedp.CSS(`.chat-form button`)),
				chromedp.WaitVisible(chromedp.CSS(source)))
			if got := text(`.chat-assistant .chat-text`); !strings.Contains(got, map[string]string{i18n.ZhCN: "清洗滤网", i18n.En: "clean the filter"}[lang]) {
				t.Errorf("answer %q does not quote the article", got)
			}

			handoff := `form[action="/portal/assistant/handoff"] button.primary`
			do("ask what no article covers",
				chromedp.SendKeys(chromedp.CSS(`.chat-form input[name="question"]`), c.unknown),
				chromedp.Click(chromedp.CSS(`.chat-form button`)),
				chromedp.WaitVisible(chromedp.CSS(handoff)))
			if got := text(handoff); strings.TrimSpace(got) != bundle.T(lang, "help.handoff") {
				t.Errorf("hand-off button %q, want %q", got, bundle.T(lang, "help.handoff"))
			}
			do("hand over to a person",
				chromedp.Click(chromedp.CSS(handoff)),
				chromedp.WaitVisible(chromedp.CSS(`.req-number`)))
			number := strings.TrimSpace(text(`.req-number`))
			page := text(`main`)
			for _, want := range []string{c.ask, c.unknown} {
				if !strings.Contains(page, want) {
					t.Errorf("request %s does not carry the conversation (%q)", number, want)
				}
			}
			if _, err := m.Store.RequestByNumber(ctx, number); err != nil {
				t.Errorf("the hand-off request %q: %v", number, err)
			}
		})
	}
}
