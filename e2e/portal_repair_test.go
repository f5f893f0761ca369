package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
)

// phoneWindow is a fresh 390×844 chromium for a journey on a phone.
func phoneWindow(t *testing.T, bin string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelT(); cancelB(); cancelA() })
	// Headless Chromium keeps a window at least 500 px wide: the viewport
	// is what a 390-pixel phone shows.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("phone viewport: %v", err)
	}
	return ctx
}

// stepper returns a function that runs steps in ctx and fails the test,
// naming what was being done, when one fails.
func stepper(t *testing.T, ctx context.Context) func(what string, steps ...chromedp.Action[chromedp.Void]) {
	return func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
}

// portalOnPhone opens the portal's login in a fresh phone-sized window,
// in lang; it returns the window and its stepper.
func portalOnPhone(t *testing.T, bin, base, lang string) (context.Context, func(string, ...chromedp.Action[chromedp.Void])) {
	t.Helper()
	ctx := phoneWindow(t, bin)
	do := stepper(t, ctx)
	do("open the portal login", chromedp.Navigate(base+"/portal/login"), chromedp.WaitVisible(chromedp.CSS(`#login-submit`)))
	if err := chooseLanguage(ctx, lang); err != nil {
		t.Fatalf("choose %s: %v", lang, err)
	}
	return ctx, do
}

// receiptPhoto writes a small JPEG, a photo of a receipt, and returns its
// path.
func receiptPhoto(t *testing.T) string {
	t.Helper()
	receipt := filepath.Join(t.TempDir(), "receipt.jpg")
	if err := os.WriteFile(receipt, append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), make([]byte, 2048)...), 0o600); err != nil {
		t.Fatal(err)
	}
	return receipt
}

// waitForPath waits until the window shows path — any path under it
// when it ends in "/" — (a form's redirect has landed) and returns it.
func waitForPath(t *testing.T, ctx context.Context, path string) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : ""`))
		if err == nil && (got == path || strings.HasSuffix(path, "/") && strings.HasPrefix(got, path)) {
			return got
		}
	}
	t.Fatalf("the window never showed %s", path)
	return ""
}

// TestPortalRepairRequestOnPhone: on a phone, the customer sees the
// warranty of their camera and the centres nearest the city they pick,
// books an in-store slot and lands on the new request with its repair
// awaiting the device and the booking on the timeline.
func TestPortalRepairRequestOnPhone(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	seed(t, m)
	ctx0 := context.Background()
	for _, c := range []*model.ServiceCentre{
		{Code: "BJ01", Name: "北京朝阳服务中心", Address: "北京市朝阳区建国路 88 号", Lat: 39.91, Lng: 116.46},
		{Code: "SH01", Name: "上海徐汇服务中心", Address: "上海市徐汇区漕溪北路 398 号", Lat: 31.19, Lng: 121.43},
	} {
		c.TimeZone, c.DailyCapacity, c.Categories, c.Active = "Asia/Shanghai", 20, []string{"camera"}, true
		if err := m.Store.CreateCentre(ctx0, c); err != nil {
			t.Fatal(err)
		}
	}
	ctx, do := portalOnPhone(t, bin, m.URL(), "zh-CN")
	do("log in",
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "chen@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`#login-submit`)))
	waitForPath(t, ctx, "/portal")
	do("open the repair request from the menu",
		chromedp.Click(chromedp.CSS(`a[href="/portal/repairs/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#repair-city`)),
		chromedp.SetValue(chromedp.CSS(`#repair-city`), "Shanghai"),
		chromedp.Click(chromedp.CSS(`#find-centres`)),
		chromedp.WaitVisible(chromedp.CSS(`#centres .distance`)))
	inWarranty, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#warranty").dataset.inWarranty`))
	if err != nil || inWarranty != "true" {
		t.Errorf("warranty answer for a camera bought three months ago: %q (%v), want in warranty", inWarranty, err)
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#centres input[name="centre"]').value`))
	if err != nil || first != "SH01" {
		t.Errorf("nearest centre from Shanghai: %q (%v), want SH01 first", first, err)
	}
	fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if err != nil || !fits {
		t.Errorf("the repair request is wider than the 390-pixel window (%v)", err)
	}
	day := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 3).Format(time.DateOnly)
	do("book an in-store slot and send",
		chromedp.Click(chromedp.CSS(`input[name="mode"][value="in_store"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="day"]`), day),
		chromedp.SetValue(chromedp.CSS(`select[name="slot"]`), "14:00-15:00"),
		chromedp.SendKeys(chromedp.CSS(`#repair-subject`), "镜头无法伸出"),
		chromedp.Click(chromedp.CSS(`#repair-submit`)))
	path := waitForPath(t, ctx, "/portal/requests/")
	do("the new request shows its repair", chromedp.WaitVisible(chromedp.CSS(`#repair-stage[data-stage="awaiting_device"]`)))
	number := strings.TrimPrefix(path, "/portal/requests/")
	r, err := m.Store.RequestByNumber(ctx0, number)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := m.Repairs.ForRequest(ctx0, r.ID)
	if err != nil || rp == nil || rp.CentreCode != "SH01" || rp.Mode != model.ModeInStore {
		t.Fatalf("the repair made in the browser: %+v (%v)", rp, err)
	}
	appts, err := m.Network.List(ctx0, model.Principal{Kind: model.KindStaff, Name: "test", Role: model.RoleAdmin},
		network.DayQuery{RequestNumber: number})
	if err != nil || len(appts) != 1 || appts[0].StartsAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04") != day+" 14:00" {
		t.Errorf("the booking made in the browser: %+v (%v), want %s 14:00 Shanghai time", appts, err, day)
	}
}
