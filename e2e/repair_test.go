package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
)

// TestRepairApprovalOnPhone: the customer approves a repair quote in the
// portal on a 390×844 window, and the technician moves the repair to
// completed with the stage buttons.
func TestRepairApprovalOnPhone(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	number := seed(t, m)
	ctx0 := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	centre := &model.ServiceCentre{Code: "SH01", Name: "上海徐汇服务中心", Lat: 31.19, Lng: 121.43, TimeZone: "Asia/Shanghai",
		DailyCapacity: 20, Categories: []string{"camera"}, Active: true}
	must(m.Store.CreateCentre(ctx0, centre))
	hash, err := auth.HashPassword(password)
	must(err)
	tech := &model.User{Email: "tech@example.com", Name: "Zhao Lei", Role: model.RoleTechnician, PasswordHash: hash, Active: true, CentreID: &centre.ID}
	must(m.Store.CreateUser(ctx0, tech))
	tp := model.Principal{Kind: model.KindStaff, ID: tech.ID, Name: tech.Name, Role: tech.Role, CentreID: centre.ID}
	rp, err := m.Repairs.Open(ctx0, tp, number, repair.OpenInput{Mode: model.ModeInStore, Centre: "SH01"})
	must(err)
	for _, st := range []model.RepairStage{model.StageReceived, model.StageDiagnosing} {
		_, err := m.Repairs.Step(ctx0, tp, rp.ID, repair.StepInput{Stage: st})
		must(err)
	}
	labour, fee := int64(8000), int64(5000)
	_, err = m.Repairs.Quote(ctx0, tp, rp.ID, []repair.LineInput{
		{Kind: model.LineLabour, Description: "Lens assembly check", UnitPrice: &labour},
		{Kind: model.LineFee, Description: "Data backup", UnitPrice: &fee},
	})
	must(err)

	ctx := phoneWindow(t, bin)
	doIn := func(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	attr := func(ctx context.Context, sel, name string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(sel)+`).getAttribute(`+strconv.Quote(name)+`)`))
		if err != nil {
			t.Fatalf("%s of %s: %v", name, sel, err)
		}
		return v
	}

	// The customer, on the phone.
	customer := ctx
	doIn(customer, "the customer logs in to the portal",
		chromedp.Navigate(m.URL()+"/portal/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-submit`)))
	if err := chooseLanguage(customer, "zh-CN"); err != nil {
		t.Fatalf("choose Chinese: %v", err)
	}
	doIn(customer, "log in and open the request",
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "chen@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`#login-submit`)))
	waitForPath(t, customer, "/portal")
	doIn(customer, "open the request",
		chromedp.Navigate(m.URL()+"/portal/requests/"+number),
		chromedp.WaitVisible(chromedp.CSS(`#approve-quote`)))
	total, err := chromedp.Run(customer, chromedp.Text(chromedp.CSS(`#quote-total`)))
	must(err)
	if !strings.Contains(total, "50.00") {
		t.Errorf("quote total on the portal: %q, want 50.00 (labour covered, the fee to pay)", total)
	}
	fits, err := chromedp.Run(customer, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	must(err)
	if !fits {
		t.Errorf("the portal's repair page is wider than the 390-pixel window")
	}
	doIn(customer, "approve the quote",
		chromedp.Click(chromedp.CSS(`#approve-quote`)),
		chromedp.WaitVisible(chromedp.CSS(`#repair-stage[data-stage="quoted"]`)))
	if got := attr(customer, `#repair-stage`, "data-stage"); got != "quoted" {
		t.Fatalf("after approving: stage %q, want quoted", got)
	}

	// The technician, in a browser context of their own.
	tctx, cancelC := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancelC()
	doIn(tctx, "the technician logs in and opens the repair",
		chromedp.Navigate(m.URL()+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`#login-submit`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), "tech@example.com"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password),
		chromedp.Click(chromedp.CSS(`#login-submit`)))
	waitForPath(t, tctx, "/queue")
	doIn(tctx, "open the repair",
		chromedp.Navigate(m.URL()+"/repairs/"+strconv.FormatInt(rp.ID, 10)),
		chromedp.WaitVisible(chromedp.CSS(`#repair-stage`)))
	for _, st := range []string{"repairing", "testing", "ready", "returned", "completed"} {
		doIn(tctx, "move to "+st,
			chromedp.Click(chromedp.CSS(`#stage button[data-stage="`+st+`"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#repair-stage[data-stage="`+st+`"]`)))
		if got := attr(tctx, `#repair-stage`, "data-stage"); got != st {
			t.Fatalf("after the %s button: stage %q", st, got)
		}
	}
	got, err := m.Repairs.Get(ctx0, tp, rp.ID)
	must(err)
	if got.Stage != model.StageCompleted || got.QuoteTotal != 5000 || got.ApprovalByKind != "customer" {
		t.Errorf("repair after the browser: stage %s, total %d, answered by %s", got.Stage, got.QuoteTotal, got.ApprovalByKind)
	}
}
