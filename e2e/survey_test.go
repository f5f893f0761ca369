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

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// TestSurveyRoundTripOnPhone walks the survey loop on a 390×844 window:
// the agent resolves a request, River sends its survey, the customer
// answers the public page without logging in, the agent sees the answer
// on the request page, and a manager finds it on the analytics dashboard.
func TestSurveyRoundTripOnPhone(t *testing.T) {
	bin := chromium(t)
	m := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.SurveyDelay, c.SurveyCooldownDays = 0, 0 }})
	number := seed(t, m)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	defer cancelT()

	shots := os.Getenv("AFTERCARE_SCREENSHOTS")
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if shots == "" {
				return nil
			}
			buf, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, "aftercare-survey-"+name+".png"), buf, 0o644)
		})
	}
	// The customer uses a browser context of their own (made once the
	// browser runs): no cookie of the agent's (language, session) reaches
	// the survey page.
	staff := ctx
	var customer context.Context
	doIn := func(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) { t.Helper(); doIn(staff, what, steps...) }
	textIn := func(ctx context.Context, sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	text := func(sel string) string { t.Helper(); return textIn(staff, sel) }
	fitsWidth := func(what string) {
		t.Helper()
		fits, err := chromedp.Run(customer, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
		if err != nil {
			t.Fatal(err)
		}
		if !fits {
			t.Errorf("%s: the page is wider than the 390-pixel window", what)
		}
	}

	do("the agent opens the login page",
		chromedp.Navigate(m.URL()+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-submit`)))
	if err := chooseLanguage(staff, "en"); err != nil {
		t.Fatalf("choose English: %v", err)
	}
	do("the agent logs in (English) and resolves the request",
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), agentEmail),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`table.queue`)),
		chromedp.Navigate(m.URL()+"/requests/"+number),
		chromedp.Click(chromedp.CSS(`button.to-resolved`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))

	// River sends the invitation in the background; the page shows its
	// link once it has.
	var link string
	deadline := time.Now().Add(45 * time.Second)
	for link == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no survey link on the request page after 45 s (status %q)", text(`#survey-status`))
		}
		do("reload the request page", chromedp.Navigate(m.URL()+"/requests/"+number), chromedp.WaitVisible(chromedp.CSS(`#survey-status`)))
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#survey-link').length`))
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			time.Sleep(300 * time.Millisecond)
			continue
		}
		v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#survey-link`)))
		if err != nil {
			t.Fatal(err)
		}
		link = v
	}
	if !strings.HasPrefix(link, m.Config.BaseURL+"/s/") {
		t.Fatalf("survey link %q, want %s/s/…", link, m.Config.BaseURL)
	}
	// The base URL of a test instance names port 0 (it is chosen when
	// listening); the link's path is what matters.
	link = m.URL() + strings.TrimPrefix(link, m.Config.BaseURL)
	if got := text(`#survey-status`); got != bundle.T(i18n.En, "survey.status.sent") {
		t.Errorf("survey status: got %q, want %q", got, bundle.T(i18n.En, "survey.status.sent"))
	}

	cctx, cancelC := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancelC()
	customer = cctx
	doIn(customer, "the customer opens the link on the phone",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`#survey-form`)),
		shot("page"))
	fitsWidth("survey page")
	// The customer's language is Chinese, whatever the agent chose.
	if got := textIn(customer, `h1`); got != "服务满意度调查" {
		t.Errorf("survey title: got %q, want the customer's Chinese", got)
	}
	doIn(customer, "send without the overall rating: the error is beside it",
		chromedp.Click(chromedp.CSS(`#q-nps label:nth-child(10)`)), // 9
		chromedp.Click(chromedp.CSS(`#survey-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#q-csat .field-error`)),
		shot("error"))
	if got := textIn(customer, `#q-csat .field-error`); got != "为必填项" {
		t.Errorf("csat error: got %q, want 为必填项", got)
	}
	comment := "维修很及时，师傅很专业"
	doIn(customer, "answer and send",
		chromedp.Click(chromedp.CSS(`#q-csat label:nth-child(5)`)), // 5
		chromedp.Click(chromedp.CSS(`#q-ces label:nth-child(6)`)),  // 6
		chromedp.Click(chromedp.CSS(`#q-technical label:nth-child(5)`)),
		chromedp.Click(chromedp.CSS(`#q-efficiency label:nth-child(4)`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="comment"]`), comment),
		chromedp.Click(chromedp.CSS(`#survey-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#survey-thanks`)),
		shot("thanks"))
	fitsWidth("thank-you page")
	doIn(customer, "the link is used now", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#survey-answered`)))

	do("the agent sees the answer",
		chromedp.Navigate(m.URL()+"/requests/"+number),
		chromedp.WaitVisible(chromedp.CSS(`.response`)),
		shot("staff"))
	if got, want := text(`#survey-status`), bundle.T(i18n.En, "survey.status.answered"); got != want {
		t.Errorf("survey status: got %q, want %q", got, want)
	}
	resp := text(`.response`)
	for _, want := range []string{comment, "5/5", "6/7", "9/10", bundle.T(i18n.En, "sentiment.positive"),
		fmt.Sprintf(bundle.T(i18n.En, "survey.answered_via"), bundle.T(i18n.En, "channel."+string(model.ChannelWeb)))} {
		if !strings.Contains(resp, want) {
			t.Errorf("response on the request page lacks %q: %q", want, resp)
		}
	}

	// A manager opens the dashboard (in a browser context of their own):
	// the response counts, in its team and channel, and the charts draw
	// under the page's Content-Security-Policy.
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Store.CreateUser(context.Background(), &model.User{Email: "manager@example.com", Name: "Zhou Min",
		Role: model.RoleManager, PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	mctx, cancelM := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancelM()
	doIn(mctx, "the manager logs in and opens the dashboard",
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(m.URL()+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-submit`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "manager@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`table.queue`)),
		chromedp.Navigate(m.URL()+"/analytics?group_by=team"),
		chromedp.WaitVisible(chromedp.CSS(`#table-satisfaction`)),
		chromedp.WaitVisible(chromedp.CSS(`#satisfaction .chart[data-drawn] svg`)),
		shot("dashboard"))
	overall := textIn(mctx, `#table-satisfaction tbody tr:first-child`)
	if !strings.Contains(overall, "100.0%") || !strings.Contains(overall, "1") {
		t.Errorf("dashboard overall row %q: want the one response, CSAT 100%%", overall)
	}
	if got := textIn(mctx, `#table-satisfaction tbody tr:nth-child(2) td:first-child`); got != "Camera repair" {
		t.Errorf("dashboard group: got %q, want the request's team", got)
	}
	drawn, err := chromedp.Run(mctx, chromedp.Evaluate[int](`document.querySelectorAll('.chart[data-drawn] svg').length`))
	if err != nil || drawn < 2 {
		t.Errorf("charts drawn: %d (%v), want the satisfaction chart and the trend at least", drawn, err)
	}
}
