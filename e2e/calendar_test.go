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
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// TestAdminCalendarInBrowser walks an admin through creating China's
// statutory calendar from its preset, reading October 2026 at a glance
// and asking when a two-hour target started on Friday evening is due —
// once in each language.
func TestAdminCalendarInBrowser(t *testing.T) {
	bin := chromium(t)
	now := time.Date(2026, 10, 9, 8, 0, 0, 0, time.UTC)
	m := apptest.Start(t, apptest.Options{Now: func() time.Time { return now }})
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	const adminEmail = "admin@example.com"
	if err := m.Store.CreateUser(context.Background(), &model.User{Email: adminEmail, Name: "周明", Role: model.RoleAdmin,
		PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("AFTERCARE_SCREENSHOTS")
	for i, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			actx, cancelA := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(bin), chromedp.Headless,
				chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true),
				chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
				chromedp.Flag("disable-dev-shm-usage", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
				chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 900))
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
			do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(ctx, steps...); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			text := func(sel string) string {
				t.Helper()
				v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
				if err != nil {
					t.Fatalf("text of %s: %v", sel, err)
				}
				return strings.TrimSpace(v)
			}
			do("open the login page",
				chromedp.Navigate(m.URL()+"/login"),
				chromedp.WaitVisible(chromedp.CSS(`#login-submit`)))
			if err := chooseLanguage(ctx, lang); err != nil {
				t.Fatalf("choose %s: %v", lang, err)
			}
			do("log in",
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), adminEmail),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
				chromedp.Click(chromedp.CSS(`#login-submit`)),
				chromedp.WaitVisible(chromedp.CSS(`table.queue, .empty-state`)))
			name := fmt.Sprintf("China %d", i)
			do("create the calendar from the preset",
				chromedp.Click(chromedp.CSS(`.mainnav a[href="/admin/calendars"]`)),
				chromedp.Click(chromedp.CSS(`a[href="/admin/calendars/new?preset=cn-2025-2026"]`)),
				chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
				chromedp.SetValue(chromedp.CSS(`input[name="name"]`), name),
				shot("calendar-form"),
				chromedp.Click(chromedp.CSS(`.form-actions button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`table.month`)))
			holiday, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`td[data-date="2026-10-01"]`), "class"))
			if err != nil {
				t.Fatal(err)
			}
			makeup, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`td[data-date="2026-10-10"]`), "class"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(holiday.Value, "day-holiday") || !strings.Contains(makeup.Value, "day-makeup") {
				t.Errorf("1 October: %q, 10 October: %q; want a holiday and a make-up day", holiday.Value, makeup.Value)
			}
			do("ask when it is due",
				chromedp.SetValue(chromedp.CSS(`input[name="start"]`), "2026-10-09T17:00"),
				chromedp.SetValue(chromedp.CSS(`input[name="minutes"]`), "120"),
				chromedp.Click(chromedp.CSS(`.calendar-layout aside form button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`.due-answer`)),
				shot("calendar"))
			// Friday 17:00–18:00, then the make-up Saturday from 09:00.
			if got := text(`.due-utc`); got != "2026-10-10T02:00:00Z" {
				t.Errorf("due (UTC): got %q, want 2026-10-10T02:00:00Z", got)
			}
			if got := text(`.due-local strong`); !strings.HasPrefix(got, "2026-10-10 10:00:00") {
				t.Errorf("due (Asia/Shanghai): got %q, want 2026-10-10 10:00:00", got)
			}
			if got, want := text(`.month-head h2`), bundle.T(lang, "calendar.month_label", bundle.T(lang, "month.10"), 2026, 10); got != want {
				t.Errorf("month heading: got %q, want %q", got, want)
			}
		})
	}
}
