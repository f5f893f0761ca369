package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/demo"
	"github.com/aftercare/aftercare/internal/i18n"
)

var (
	navBlock = regexp.MustCompile(`(?s)<nav class="mainnav"[^>]*>(.*?)</nav>`)
	hrefAttr = regexp.MustCompile(`href="([^"]+)"`)
	// dropBlocks are not read as prose: scripts, styles, and code (the
	// names of placeholders and event types an admin types, shown as such).
	dropBlocks = regexp.MustCompile(`(?is)<(script|style|template|code)[^>]*>.*?</(script|style|template|code)>`)
	anyTag     = regexp.MustCompile(`(?s)<[^>]*>`)
	// readAttrs are the attributes a person reads or hears.
	readAttrs = regexp.MustCompile(`(?:placeholder|title|aria-label|alt)="([^"]*)"`)
	dotted    = regexp.MustCompile(`\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b`)
	// emptyList is a table body or a list that shows nothing at all.
	emptyList = regexp.MustCompile(`(?s)<tbody[^>]*>\s*</tbody>|<(ul|ol)( [^>]*)?>\s*</(ul|ol)>`)
)

// rawErrorMarks are pieces of text that only a Go program or a database
// writes: a person must never read them.
var rawErrorMarks = []string{"%!", "<nil>", "map[", "sql: ", "SQLSTATE", "pq: ", "sqlite", "runtime error",
	"context deadline", "context canceled", "no rows in result set", "invalid memory address", "goroutine ",
	"strconv.", "json: ", "template: ", "ERROR: ", "%s", "%d", "%v"}

// pageText is what a person reads of a page: the text between tags and
// the attributes read aloud, unescaped, without scripts and styles.
func pageText(body string) string {
	var b strings.Builder
	for _, m := range readAttrs.FindAllStringSubmatch(body, -1) {
		b.WriteString(html.UnescapeString(m[1]))
		b.WriteByte('\n')
	}
	b.WriteString(html.UnescapeString(anyTag.ReplaceAllString(dropBlocks.ReplaceAllString(body, ""), " ")))
	return b.String()
}

// TestEveryNavPageEveryRole signs in as each demo account (admin,
// manager, agent, technician, centre manager, customer) in each language,
// follows every link of its navigation and checks what a person sees on
// each page: 200, no untranslated catalog key, no raw Go or database
// error text, no formatting artefact, and no table or list left empty
// without a sentence saying why.
func TestEveryNavPageEveryRole(t *testing.T) {
	m := apptest.Start(t, apptest.Options{})
	ctx := context.Background()
	if res, err := demo.Seed(ctx, m.Store, demo.Options{Scale: 0.05, EventData: api.EventJSON}); err != nil || !res.Seeded {
		t.Fatalf("seed: %+v %v", res, err)
	}
	b := bundle(t)
	for _, login := range demo.Logins() {
		for _, lang := range []string{i18n.ZhCN, i18n.En} {
			t.Run(login.Role+"/"+lang, func(t *testing.T) {
				c := newClient(t, m, lang)
				path := "/login"
				if login.Where == "portal" {
					path = "/portal/login"
				}
				res := c.post(path, url.Values{"login": {login.Email}, "password": {login.Password}})
				if res.status != http.StatusSeeOther {
					t.Fatalf("login as %s: %d", login.Email, res.status)
				}
				// The account's own language took over at login: choose lang.
				if r := c.post("/lang", url.Values{"lang": {lang}, "back": {res.location}}); r.status != http.StatusSeeOther {
					t.Fatalf("choose %s: %d", lang, r.status)
				}
				home := c.get(res.location)
				if !strings.Contains(home.body, `<html lang="`+lang+`"`) {
					t.Fatalf("%s is not in %s", res.location, lang)
				}
				nav := navBlock.FindStringSubmatch(home.body)
				if nav == nil {
					t.Fatalf("%s shows no navigation", res.location)
				}
				links := hrefAttr.FindAllStringSubmatch(nav[1], -1)
				if len(links) < 3 {
					t.Fatalf("the navigation has %d links", len(links))
				}
				for _, l := range links {
					href := html.UnescapeString(l[1])
					page := c.get(href)
					if page.status != http.StatusOK {
						t.Errorf("%s: %d, want 200", href, page.status)
						continue
					}
					checkPage(t, b, lang, href, page.body)
				}
			})
		}
	}
}

// checkPage reports what on one page a person should never read.
func checkPage(t *testing.T, b *i18n.Bundle, lang, href, body string) {
	t.Helper()
	text := pageText(body)
	for _, m := range dotted.FindAllStringIndex(text, -1) {
		if tok := text[m[0]:m[1]]; b.Has(tok) || strings.HasPrefix(tok, "web.") || strings.HasPrefix(tok, "errors.") {
			t.Errorf("%s (%s): the catalog key %q is on the page untranslated: …%s…", href, lang, tok, excerpt(text, m[0]))
		}
	}
	for _, mark := range rawErrorMarks {
		if i := strings.Index(text, mark); i >= 0 {
			t.Errorf("%s (%s): %q on the page: …%s…", href, lang, mark, excerpt(text, i))
		}
	}
	if m := emptyList.FindStringIndex(body); m != nil {
		t.Errorf("%s (%s): an empty table or list with no sentence saying why: %s", href, lang, excerpt(body, m[0]))
	}
}

// excerpt is the text around i, on one line.
func excerpt(s string, i int) string {
	from, to := max(0, i-80), min(len(s), i+80)
	for from > 0 && !isRuneStart(s[from]) {
		from--
	}
	for to < len(s) && !isRuneStart(s[to]) {
		to++
	}
	return strings.Join(strings.Fields(s[from:to]), " ")
}

func isRuneStart(c byte) bool { return c&0xC0 != 0x80 }
