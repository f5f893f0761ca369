package web_test

import (
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/aftercare/aftercare/internal/web"
)

// TestExpiredSessionLeadsBack: when the session has ended, a page asked
// for and a reply sent both lead to the login page, which says the
// session expired (in the reader's language) and, after signing in,
// goes back to the page the person was on — where the browser puts back
// what was typed (drafts.js, walked in e2e).
func TestExpiredSessionLeadsBack(t *testing.T) {
	f := newFixture(t)
	b := bundle(t)
	page := "/requests/" + f.aliceReq.Number
	for _, lang := range []string{"en", "zh-CN"} {
		c := newClient(t, f.m, lang)
		c.loginStaff()
		u, _ := url.Parse(f.m.URL())
		c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: "ended-long-ago", Path: "/"}})
		want := "/login?" + (url.Values{"expired": {"1"}, "next": {page}}).Encode()
		res := c.get(page)
		if res.status != http.StatusSeeOther || res.location != want {
			t.Fatalf("%s: page after the session ended: %d → %q, want 303 → %q", lang, res.status, res.location, want)
		}
		res = c.post(page+"/reply", url.Values{"body": {"A long answer typed while the session ended"}, "visibility": {"public"}},
			"Referer", f.m.URL()+page)
		if res.status != http.StatusSeeOther || res.location != want {
			t.Fatalf("%s: reply after the session ended: %d → %q, want 303 → %q", lang, res.status, res.location, want)
		}
		expect(t, lang+": login says so", c.get(res.location), http.StatusOK,
			[]string{html.EscapeString(b.T(lang, "login.expired")), `name="next" value="` + page + `"`}, nil)
		res = c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {password}, "next": {page}})
		if res.status != http.StatusSeeOther || res.location != page {
			t.Fatalf("%s: login: %d → %q, want back to %s", lang, res.status, res.location, page)
		}
	}
	// Someone who never signed in is not told a session expired.
	anon := newClient(t, f.m, "en")
	res := anon.get("/queue")
	if res.status != http.StatusSeeOther || res.location != "/login?next=%2Fqueue" {
		t.Fatalf("anonymous: %d → %q", res.status, res.location)
	}
	expect(t, "plain login", anon.get(res.location), http.StatusOK, nil, []string{html.EscapeString(b.T("en", "login.expired"))})
}
