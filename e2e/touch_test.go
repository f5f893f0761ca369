package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// smallTargets is a script that lists every visible control on the page
// a thumb can miss: each a, button, input, select, textarea, summary and
// [role=button] smaller than 44×44 CSS pixels (WCAG 2.5.5). Closed
// <details> are opened first, so what they hide is measured too. A
// checkbox or radio button counts with the label around it (tapping the
// label ticks it).
//
// One exception, WCAG's "inline" one: a link inside running text — a
// plain link (not a button, not in a navigation bar) whose nearest block
// is a sentence (a paragraph, a message body, a hint or a lead) that has
// words besides the link — stays as tall as its line; making it 44 px
// would tear the sentence apart. A link that is a value of its own (a
// table cell, a property, a list entry) is not running text and must be
// 44 px like any other control. Visually hidden elements (the 1-pixel
// screen-reader-only text) are not targets and are skipped.
const smallTargets = `(() => {
  const bad = [];
  if (window.innerWidth !== 390) return "the window is " + window.innerWidth + "px wide, not 390";
  for (const d of document.querySelectorAll("details")) d.open = true;
  const name = el => (el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.name ? "[name=" + el.name + "]" : "") +
    " \"" + (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 24) + "\"");
  const blockOf = el => {
    let b = el.parentElement;
    while (b && getComputedStyle(b).display.startsWith("inline")) b = b.parentElement;
    return b;
  };
  const inRunningText = el => {
    if (el.tagName !== "A" || el.matches(".btn, nav a, [role=button]")) return false;
    const b = blockOf(el);
    return !!b && b.matches("p, .msg-body, .hint, .lead") && b.textContent.trim().length > el.textContent.trim().length;
  };
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(sel)) {
    const st = getComputedStyle(el);
    let r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || st.visibility === "hidden") continue;
    if (el.type === "checkbox" || el.type === "radio") {
      const l = el.closest("label") || (el.id && document.querySelector('label[for="' + el.id + '"]'));
      if (l) r = l.getBoundingClientRect();
    }
    if (r.width >= 43.5 && r.height >= 43.5) continue;
    if (inRunningText(el)) continue;
    bad.push(name(el) + " " + Math.round(r.width) + "×" + Math.round(r.height));
  }
  return bad.join("\n");
})()`

// TestStaffTouchTargetsOnPhone: on a 390-pixel phone, in each language,
// every control of the staff's main pages — the queue, a saved view, a
// request page, the call form, the customer list and a customer's page,
// the macros — is at least 44×44 CSS pixels (WCAG 2.5.5; links inside
// running text exempt, see smallTargets), so an agent on the move can
// work the console with a thumb. Each page (its <details> opened) is
// written under AFTERCARE_SCREENSHOTS.
func TestStaffTouchTargetsOnPhone(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	number := seed(t, m)
	ctx0 := context.Background()
	agent := staffBy(t, m, agentEmail)
	var custID int64
	if err := m.Store.Read().QueryRow(ctx0, "SELECT id FROM customers WHERE email = 'chen@example.com'").Scan(&custID); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Requests.ChangeTags(ctx0, agent, number, []string{"lens"}, nil, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Requests.CreateView(ctx0, agent, request.ViewInput{Name: "Lens / 镜头", Filters: model.ViewFilters{Tag: "lens"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Requests.CreateMacro(ctx0, agent, request.MacroInput{Name: "Greeting / 问候",
		BodyEN: "Dear {{customer.name}},", BodyZH: "{{customer.name}}您好，"}); err != nil {
		t.Fatal(err)
	}
	// A colleague's internal note names the agent: /notifications lists it.
	boss := &model.User{Email: "boss@example.com", Name: "李雷", Role: model.RoleManager, Active: true}
	if err := m.Store.CreateUser(ctx0, boss); err != nil {
		t.Fatal(err)
	}
	bossP := model.Principal{Kind: model.KindStaff, ID: boss.ID, Name: boss.Name, Role: boss.Role}
	if _, err := m.Requests.Reply(ctx0, bossP, number, request.ReplyInput{Body: "@" + agent.Name + " 请先联系客户 / call the customer first",
		Visibility: model.VisibilityInternal}); err != nil {
		t.Fatal(err)
	}
	// savedView stands for the address of the saved view, read from its
	// link under the queue's tabs.
	const savedView = "saved view"
	pages := []string{"/queue", savedView, "/requests/" + number, "/requests/new",
		"/admin/customers", fmt.Sprintf("/admin/customers/%d", custID), "/macros", "/notifications"}
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			ctx := phoneWindow(t, bin)
			do := stepper(t, ctx)
			do("open the login", chromedp.Navigate(m.URL()+"/login"))
			settle(t, ctx, "/login")
			if err := chooseLanguage(ctx, lang); err != nil {
				t.Fatalf("choose %s: %v", lang, err)
			}
			settle(t, ctx, "/login")
			do("type the login",
				chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), agentEmail),
				chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), password))
			follow(t, ctx, "log in", "/queue", chromedp.Click(chromedp.CSS(`#login-submit`)))
			for _, p := range pages {
				if p == savedView {
					p = evalString(t, ctx, "the saved view's link", `document.querySelector("#saved-views a")?.getAttribute("href") ?? ""`)
					if !strings.HasPrefix(p, "/queue?") {
						t.Fatalf("no saved view under the queue's tabs (got %q)", p)
					}
				}
				path, _, _ := strings.Cut(p, "?")
				follow(t, ctx, "open "+p, path, chromedp.Navigate(m.URL()+p))
				if got := evalString(t, ctx, "language of "+p, `document.documentElement.lang`); got != lang {
					t.Fatalf("%s is in %q, want %s", p, got, lang)
				}
				if bad := evalString(t, ctx, "measure "+p, smallTargets); bad != "" {
					t.Errorf("%s (%s, 390 px): controls under 44×44 px:\n  %s", p, lang, strings.ReplaceAll(bad, "\n", "\n  "))
				}
				screenshot(t, ctx, "phone"+strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(p), lang)
			}
		})
	}
}
