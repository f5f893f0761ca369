// Package e2e drives the real Aftercare app in a headless Chromium the
// way people use it. It skips when Chromium is missing (and fails when
// AFTERCARE_REQUIRE lists "browser", as in CI).
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/testenv"
)

const (
	agentEmail = "agent@example.com"
	password   = "correct-horse-battery"
)

// chromium finds the browser or skips (fails in CI).
func chromium(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	testenv.Missing(t, "browser", "chromium not found")
	return ""
}

// boot starts the app on a free port with a fresh SQLite store.
func boot(t *testing.T) *app.Main {
	t.Helper()
	return apptest.Start(t, apptest.Options{})
}

// seed creates an agent, a customer with a registered camera, and a few
// requests; it returns the number of the request the test works on.
func seed(t *testing.T, m *app.Main) string {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	hash, err := auth.HashPassword(password)
	must(err)
	team := &model.Team{Name: "Camera repair"}
	must(m.Store.CreateTeam(ctx, team))
	agent := &model.User{Email: agentEmail, Name: "Wang Fang", Role: model.RoleAgent, PasswordHash: hash, Active: true, TeamID: &team.ID}
	must(m.Store.CreateUser(ctx, agent))
	must(m.Store.CreateCategory(ctx, &model.Category{NameZh: "镜头故障", NameEn: "Lens fault"}))
	staff := model.Principal{Kind: model.KindStaff, ID: agent.ID, Name: agent.Name, Role: agent.Role}
	cust := &model.Customer{Name: "陈晓丽", Email: "chen@example.com", Phone: "13800000001", Locale: i18n.ZhCN}
	must(m.Store.CreateCustomer(ctx, cust))
	must(m.Store.SetCustomerPassword(ctx, cust.ID, hash))
	other := &model.Customer{Name: "Tom Becker", Email: "tom@example.com"}
	must(m.Store.CreateCustomer(ctx, other))
	must(m.Store.CreateProduct(ctx, &model.Product{SKU: "CAM-X100", Name: "X100 camera", Brand: "Lumix", Category: "camera", WarrantyMonths: 24}, nil))
	must(m.Store.CreateUnit(ctx, &model.Unit{Serial: "X100-2026-0042", SKU: "CAM-X100", CustomerID: cust.ID,
		PurchasedAt: time.Now().AddDate(0, -3, 0).UTC().Truncate(24 * time.Hour), Channel: "online"}))
	cp := model.Principal{Kind: model.KindCustomer, ID: cust.ID, Name: cust.Name}
	r, err := m.Requests.Create(ctx, cp, request.CreateInput{Type: model.TypeRepair, Serial: "X100-2026-0042",
		Subject: "相机开机提示镜头错误", Description: "开机后屏幕显示“镜头错误”，镜头无法伸出。"})
	must(err)
	for _, in := range []request.CreateInput{
		{Type: model.TypeReturn, Subject: "Blender arrived with a cracked jar", CustomerID: other.ID, Channel: model.ChannelEmail, Priority: model.PriorityHigh},
		{Type: model.TypeInquiry, Subject: "Does the X100 support 4K at 60 fps?", CustomerID: other.ID, Channel: model.ChannelPhone, Priority: model.PriorityLow},
		{Type: model.TypeComplaint, Subject: "Technician arrived two hours late", CustomerID: other.ID, Priority: model.PriorityUrgent},
	} {
		_, err := m.Requests.Create(ctx, staff, in)
		must(err)
	}
	high := model.PriorityHigh
	_, err = m.Requests.Update(ctx, staff, r.Number, model.RequestPatch{Priority: &high, AssigneeID: &agent.ID, TeamID: &team.ID, Version: r.Version}, model.ChannelWeb)
	must(err)
	_, err = m.Requests.ChangeStatus(ctx, staff, r.Number, model.StatusOpen, model.ChannelWeb)
	must(err)
	_, err = m.Requests.Reply(ctx, staff, r.Number, request.ReplyInput{Body: "客户说相机曾经摔过，需检查镜头组。", Visibility: model.VisibilityInternal, Channel: model.ChannelPhone})
	must(err)
	return r.Number
}

// TestAgentRepliesInBrowser walks agent login → queue → request → public
// reply, once in each language.
func TestAgentRepliesInBrowser(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	number := seed(t, m)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("AFTERCARE_SCREENSHOTS") // a directory, e.g. /tmp; empty: no screenshots
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			opts := []chromedp.ExecAllocatorOption{
				chromedp.ExecPath(bin),
				chromedp.Headless,
				chromedp.NoSandbox,
				chromedp.DisableGPU,
				chromedp.Flag("disable-background-networking", true),
				chromedp.Flag("disable-component-update", true),
				chromedp.Flag("disable-sync", true),
				chromedp.Flag("disable-dev-shm-usage", true),
				chromedp.NoFirstRun,
				chromedp.NoDefaultBrowserCheck,
				chromedp.UserDataDir(t.TempDir()),
				chromedp.WindowSize(1366, 900),
			}
			actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
			defer cancelA()
			ctx, cancelB := chromedp.NewContext(actx)
			defer cancelB()
			ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
			defer cancelT()

			shot := func(name string) chromedp.Action[chromedp.Void] {
				return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					if shots == "" {
						return nil
					}
					buf, err := chromedp.FullScreenshot(100)(ctx, tg)
					if err != nil {
						return err
					}
					return os.WriteFile(filepath.Join(shots, fmt.Sprintf("aftercare-%s-%s.png", name, lang)), buf, 0o644)
				})
			}
			text := func(sel string) string {
				t.Helper()
				v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
				if err != nil {
					t.Fatalf("text of %s: %v", sel, err)
				}
				return v
			}
			do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(ctx, steps...); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			reply := map[string]string{i18n.ZhCN: "您好，请将相机寄回维修中心，运费由我们承担。", i18n.En: "Hello, please send the camera to our repair centre; shipping is on us."}[lang]

			// Each page is touched only once it is complete (see settle).
			do("open the login page in "+lang, chromedp.Navigate(m.URL()+"/login"))
			settle(t, ctx, "/login")
			// Pick the language with the header switcher.
			if err := chooseLanguage(ctx, lang); err != nil {
				t.Fatalf("choose %s: %v", lang, err)
			}
			settle(t, ctx, "/login")
			button := text(`#login-submit`)
			do("type the login",
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), agentEmail),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password))
			follow(t, ctx, "log in", "/queue", chromedp.Click(chromedp.CSS(`#login-submit`)))
			do("see the queue", chromedp.WaitVisible(chromedp.CSS(`table.queue`)), shot("queue"))
			heading := text(`h1`)
			follow(t, ctx, "open the request", "/requests/"+number, chromedp.Click(chromedp.CSS(fmt.Sprintf(`td.subject a[href="/requests/%s"]`, number))))
			do("type the reply", chromedp.SendKeys(chromedp.CSS(`#reply-body`), reply))
			follow(t, ctx, "send it", "/requests/"+number, chromedp.Click(chromedp.CSS(`#reply-submit`)))
			do("see it sent", chromedp.WaitVisible(chromedp.CSS(`.flash`)), shot("request"))
			flash := text(`.flash`)
			lastMsg := text(`.timeline li.msg:last-of-type .msg-body`)
			htmlLang, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`html`), "lang"))
			if err != nil {
				t.Fatal(err)
			}
			check := func(what, got, want string) {
				t.Helper()
				if strings.TrimSpace(got) != want {
					t.Errorf("%s: got %q, want %q", what, strings.TrimSpace(got), want)
				}
			}
			check("login button", button, bundle.T(lang, "login.submit"))
			check("queue heading", heading, bundle.T(lang, "queue.title"))
			check("flash", flash, bundle.T(lang, "flash.reply_sent"))
			check("last message", lastMsg, reply)
			check("html lang", htmlLang.Value, lang)
		})
	}
}
