package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/aftercare/aftercare/internal/i18n"
)

// TestConsoleKeyboard: in each language, an agent works the queue from
// the keyboard alone — "/" puts the cursor in the search box, j and k
// move the highlight down and up the rows, x ticks the highlighted row
// for the bulk bar, "?" opens the list of keys, o opens the highlighted
// request — and on the request page r starts a public reply and n an
// internal note. A key typed into a field stays in the field.
func TestConsoleKeyboard(t *testing.T) {
	bin := chromium(t)
	m := boot(t)
	seed(t, m)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			ctx := staffLogin(t, bin, m.URL(), lang, agentEmail)
			key := func(k string) {
				t.Helper()
				if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
					t.Fatalf("press %q: %v", k, err)
				}
			}
			blur := func() { evalString(t, ctx, "leave the field", `document.activeElement.blur(); ""`) }
			rows := strings.Split(evalString(t, ctx, "rows", `[...document.querySelectorAll("table.queue tbody tr")].map(r => r.dataset.number).join(",")`), ",")
			if len(rows) < 2 {
				t.Fatalf("the queue lists %q, want at least two requests", rows)
			}
			first, second := rows[0], rows[1]
			current := `document.querySelector("tr.kb-current")?.dataset.number ?? ""`

			key("/")
			if got := evalString(t, ctx, "focus after /", `document.activeElement.id`); got != "queue-q" {
				t.Errorf(`after "/" the focus is on %q, want the search box`, got)
			}
			// The page cancels the "/" keydown; the DevTools protocol then
			// still sends the key's character as an event of its own (a
			// person's "/" is not typed), so the box starts empty here.
			evalString(t, ctx, "empty the search box", `document.getElementById("queue-q").value = ""`)
			key("j")
			if got := evalString(t, ctx, "search box", `document.getElementById("queue-q").value`); got != "j" {
				t.Errorf(`"j" typed into the search box left %q there, want "j"`, got)
			}
			if got := evalString(t, ctx, "highlight", current); got != "" {
				t.Errorf(`"j" typed into the search box moved the highlight to %s`, got)
			}
			evalString(t, ctx, "clear the search box", `document.getElementById("queue-q").value = ""`)
			blur()
			key("j")
			key("j")
			if got := evalString(t, ctx, "highlight after j j", current); got != second {
				t.Errorf("after j j the highlight is on %q, want the second row %s", got, second)
			}
			key("k")
			if got := evalString(t, ctx, "highlight after k", current); got != first {
				t.Errorf("after k the highlight is on %q, want the first row %s", got, first)
			}
			key("x")
			if got := evalString(t, ctx, "tick", `String(document.querySelector("tr.kb-current input[type=checkbox]")?.checked)`); got != "true" {
				t.Errorf("after x the highlighted row is ticked: %s, want true", got)
			}
			// The bulk bar counts the ticks, and "select all on this page"
			// is a tick box in the table's head (shown, as scripts run) that
			// the space bar ticks: every row, then none.
			count := `document.getElementById("bulk-count").textContent`
			if got, want := evalString(t, ctx, "count after x", count), bundle.T(lang, "bulk.selected.one"); got != want {
				t.Errorf("after x the bulk bar says %q, want %q", got, want)
			}
			if got := evalString(t, ctx, "focus select all", `const a = document.getElementById("bulk-all"); a.focus();
				(a.offsetParent !== null && document.activeElement === a) + " " + a.labels[0].textContent`); got != "true "+bundle.T(lang, "bulk.select_all") {
				t.Fatalf("the select-all box (shown and focused, its label): %q", got)
			}
			ticks := `[...document.querySelectorAll("table.queue tbody input[name=n]")].filter(b => b.checked).length + " " + document.getElementById("bulk-all").checked`
			key(" ")
			if got, want := evalString(t, ctx, "ticks after select all", ticks), fmt.Sprintf("%d true", len(rows)); got != want {
				t.Errorf("after ticking select all: %q ticked, want %q", got, want)
			}
			if got, want := evalString(t, ctx, "count after select all", count), bundle.T(lang, "bulk.selected.other", len(rows)); got != want {
				t.Errorf("after ticking select all the bulk bar says %q, want %q", got, want)
			}
			key(" ")
			if got := evalString(t, ctx, "ticks after unticking select all", ticks); got != "0 false" {
				t.Errorf("after unticking select all: %q ticked, want none", got)
			}
			if got, want := evalString(t, ctx, "count after unticking", count), bundle.T(lang, "bulk.selected.none"); got != want {
				t.Errorf("after unticking select all the bulk bar says %q, want %q", got, want)
			}
			blur()
			key("?")
			if got := evalString(t, ctx, "key list", `document.getElementById("kb-help").open ? document.getElementById("kb-help-title").textContent : ""`); got != bundle.T(lang, "keys.title") {
				t.Errorf(`after "?" the key list shows %q, want %q`, got, bundle.T(lang, "keys.title"))
			}
			evalString(t, ctx, "close the key list", `document.getElementById("kb-help").close(); ""`)
			follow(t, ctx, "open the highlighted request", "/requests/"+first, chromedp.KeyEvent("o"))

			blur()
			key("r")
			if got := evalString(t, ctx, "after r", `document.activeElement.id + " " + document.querySelector('#reply-form input[name="visibility"]:checked')?.value`); got != "reply-body public" {
				t.Errorf(`after r: %q, want the reply box focused for a public reply ("reply-body public")`, got)
			}
			blur()
			key("n")
			if got := evalString(t, ctx, "after n", `document.activeElement.id + " " + document.querySelector('#reply-form input[name="visibility"]:checked')?.value`); got != "reply-body internal" {
				t.Errorf(`after n: %q, want the reply box focused for an internal note ("reply-body internal")`, got)
			}
		})
	}
}
