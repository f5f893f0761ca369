package web_test

import (
	"bytes"
	"context"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

func bundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	b := bundle(t)
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		t.Run(lang, func(t *testing.T) {
			c := newClient(t, f.m, lang)
			expect(t, "form", c.get("/login"), http.StatusOK,
				[]string{`<html lang="` + lang + `">`, b.T(lang, "login.staff_title"), b.T(lang, "login.submit")}, nil)
			expect(t, "missing password", c.post("/login", url.Values{"login": {"agent@example.com"}}),
				http.StatusUnprocessableEntity, []string{b.T(lang, "form.required"), `value="agent@example.com"`}, nil)
			res := c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {"wrong-password"}})
			expect(t, "bad password", res, http.StatusUnauthorized,
				[]string{b.Error(lang, auth.ErrBadCredentials), `value="agent@example.com"`, `lang="` + lang + `"`}, []string{"wrong-password"})
			c.loginStaff()
			res = c.get("/queue")
			expect(t, "queue after login", res, http.StatusOK, []string{b.T(lang, "queue.title"), "Wang Fang"}, nil)
			expect(t, "root", c.get("/"), http.StatusSeeOther, nil, nil)
			res = c.post("/logout", nil)
			if res.status != http.StatusSeeOther || res.location != "/login" {
				t.Errorf("logout: got %d → %q", res.status, res.location)
			}
			if res := c.get("/queue"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
				t.Errorf("queue after logout: got %d → %q, want a redirect to /login", res.status, res.location)
			}
		})
	}
	t.Run("portal by mobile number", func(t *testing.T) {
		c := newClient(t, f.m, "en")
		expect(t, "portal form", c.get("/portal/login"), http.StatusOK, []string{b.T("en", "login.email_or_mobile")}, nil)
		expect(t, "portal bad", c.post("/portal/login", url.Values{"login": {"13800000001"}, "password": {"nope-nope"}}),
			http.StatusUnauthorized, []string{b.Error("en", auth.ErrBadCredentials), `value="13800000001"`}, nil)
		c.loginCustomer("13800000001")
		expect(t, "portal home", c.get("/portal"), http.StatusOK, []string{f.aliceReq.Number}, nil)
	})
	t.Run("rate limited", func(t *testing.T) {
		// A stopped clock: a token comes back every 6 s, and eleven
		// argon2id checks under the race detector on a busy machine can
		// take that long.
		at := time.Now()
		f := newFixtureWith(t, apptest.Options{Now: func() time.Time { return at }})
		c := newClient(t, f.m, "zh-CN")
		var res response
		for range 11 {
			res = c.post("/portal/login", url.Values{"login": {"bob@example.com"}, "password": {"guessing-1"}})
		}
		expect(t, "11th attempt", res, http.StatusTooManyRequests, []string{`class="alert error"`, `value="bob@example.com"`}, nil)
	})
}

func TestQueue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := newClient(t, f.m, "en")
	c.loginStaff()
	a, b := f.aliceReq.Number, f.bobReq.Number
	if _, err := f.m.Requests.Update(ctx, f.agent, a, model.RequestPatch{AssigneeID: &f.agent.ID, Version: f.aliceReq.Version}, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []struct {
		name, path   string
		want, forbid []string
	}{
		{"open work", "/queue", []string{a, b, "Alice Chen", "Bob Li", "Lens error on power-up", "Wang Fang"}, nil},
		{"type", "/queue?type=return", []string{b}, []string{a}},
		{"search", "/queue?q=lens", []string{a}, []string{b}},
		{"search by number", "/queue?view=all&q=" + strings.ToLower(b), []string{b}, []string{a}},
		{"mine", "/queue?mine=1", []string{a}, []string{b}},
		{"unassigned", "/queue?unassigned=1", []string{b}, []string{a}},
		{"closed", "/queue?view=closed", []string{"No requests match"}, []string{a, b}},
		{"status multi", "/queue?status=new&status=open", []string{a, b}, nil},
		{"priority sort", "/queue?view=all&sort=priority", []string{a, b}, nil},
	} {
		expect(t, sc.name, c.get(sc.path), http.StatusOK, sc.want, sc.forbid)
	}
	expect(t, "bad status", c.get("/queue?view=bogus"), http.StatusUnprocessableEntity, []string{`class="alert error"`}, nil)

	// htmx filter changes get the results table only.
	res := c.get("/queue?type=return", "HX-Request", "true", "HX-Target", "queue-results")
	expect(t, "htmx partial", res, http.StatusOK, []string{`id="queue-results"`, b}, []string{"<html", a})

	// Keyset pagination: 25 a page.
	for i := range 30 {
		if _, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeInquiry, Subject: "Question " + string(rune('A'+i%26))}); err != nil {
			t.Fatal(err)
		}
	}
	res = c.get("/queue")
	expect(t, "page 1", res, http.StatusOK, []string{"Next page"}, []string{"First page"})
	next := regexp.MustCompile(`href="(/queue\?[^"]*cursor=[^"]+)"`).FindStringSubmatch(res.body)
	if next == nil {
		t.Fatal("no next-page link")
	}
	res = c.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	expect(t, "page 2", res, http.StatusOK, []string{"First page", a, b}, []string{"Next page"})
}

func TestRequestPageStaff(t *testing.T) {
	f := newFixture(t)
	b := bundle(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	num := f.aliceReq.Number
	page := "/requests/" + num

	expect(t, "page", c.get(page), http.StatusOK, []string{num, "Lens error on power-up", "Alice Chen", "The camera shows a lens error."}, nil)
	expect(t, "lower-case number", c.get("/requests/"+strings.ToLower(num)), http.StatusOK, []string{num}, nil)
	expect(t, "unknown", c.get("/requests/SR-1999-000001"), http.StatusNotFound, []string{"Page not found"}, nil)

	// An internal note and a public reply.
	res := c.post(page+"/reply", url.Values{"body": {"Secret: customer dropped it."}, "visibility": {"internal"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("note: got %d\n%s", res.status, res.body)
	}
	res = c.post(page+"/reply", url.Values{"body": {"We will repair it for free."}, "visibility": {"public"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, page+"#m") {
		t.Fatalf("reply: got %d → %q", res.status, res.location)
	}
	expect(t, "after replies", c.get(page), http.StatusOK, []string{"Secret: customer dropped it.", "Internal note", "msg note",
		"We will repair it for free.", "Your reply was sent."}, nil)

	// Empty reply: the field error; refused file: the typed text stays.
	expect(t, "empty reply", c.post(page+"/reply", url.Values{"body": {"  "}}), http.StatusUnprocessableEntity,
		[]string{b.T("en", "form.required")}, nil)
	res = c.multipart(page+"/reply", map[string]string{"body": "Typed text that must survive", "visibility": "public"},
		"tool.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00binary"))
	expect(t, "refused file", res, http.StatusUnprocessableEntity, []string{"Typed text that must survive", `class="field-error"`}, nil)

	big := bytes.Repeat([]byte("0123456789abcdef"), 22<<16) // 22 MiB of text
	res = c.multipart(page+"/reply", map[string]string{"body": "Text kept after a huge file", "visibility": "public"}, "huge.txt", big)
	expect(t, "huge file", res, http.StatusUnprocessableEntity, []string{"Text kept after a huge file", b.T("en", "reply.file_too_large")}, nil)

	// A reply with an attachment, then the download.
	res = c.multipart(page+"/reply", map[string]string{"body": "See the attached log.", "visibility": "public"}, "log.txt", []byte("lens error E:01\n"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("reply with file: got %d\n%.2000s", res.status, res.body)
	}
	res = c.get(page)
	m := regexp.MustCompile(`href="(/attachments/\d+)"[^>]*>📎 log.txt`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no attachment link\n%.4000s", res.body)
	}
	res = c.get(m[1])
	if res.status != http.StatusOK || res.body != "lens error E:01\n" || !strings.HasPrefix(res.header.Get("Content-Disposition"), "attachment") ||
		res.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download: got %d %q, disposition %q", res.status, res.body, res.header.Get("Content-Disposition"))
	}

	// Status change and the timeline event.
	res = c.post(page+"/status", url.Values{"status": {"open"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("status: got %d\n%s", res.status, res.body)
	}
	expect(t, "after status", c.get(page), http.StatusOK, []string{"Wang Fang changed the status from New to Open", `status-open`}, nil)
	// The status it already has: a no-op success, said as such, and no
	// second timeline event.
	if res := c.post(page+"/status", url.Values{"status": {"open"}}); res.status != http.StatusSeeOther {
		t.Fatalf("same status again: got %d, want a redirect\n%.2000s", res.status, res.body)
	}
	if res := c.get(page); !strings.Contains(res.body, "Nothing was changed.") || strings.Count(res.body, "changed the status from New to Open") != 1 {
		t.Errorf("same status again: want \"Nothing was changed.\" and one status event\n%.3000s", res.body)
	}
	expect(t, "forbidden transition", c.post(page+"/status", url.Values{"status": {"new"}, "body": {"kept on error"}}), http.StatusConflict,
		[]string{`class="alert error"`, "kept on error"}, nil)
	// A successful action keeps the reply being written as a draft, once.
	res = c.multipart(page+"/status", map[string]string{"status": "pending", "body": "Half-written reply"}, "photo.png", []byte("\x89PNG\r\n\x1a\n"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("status with draft: got %d\n%s", res.status, res.body)
	}
	expect(t, "draft kept", c.get(page), http.StatusOK, []string{">Half-written reply</textarea>", "status-pending"}, nil)
	expect(t, "draft used once", c.get(page), http.StatusOK, nil, []string{"Half-written reply"})
	if res := c.post(page+"/status", url.Values{"status": {"open"}}); res.status != http.StatusSeeOther {
		t.Fatalf("reopen: got %d", res.status)
	}

	// Update with a stale version: conflict, page back with the choice kept.
	cur, err := f.m.Store.RequestByNumber(context.Background(), num)
	if err != nil {
		t.Fatal(err)
	}
	res = c.multipart(page+"/update", map[string]string{"priority": "urgent", "assignee": "", "team": "", "category": "", "version": "1",
		"body": "Draft typed while classifying", "visibility": "internal"}, "", nil)
	expect(t, "stale version", res, http.StatusConflict, []string{`<option value="urgent" selected>`, `class="alert error"`,
		"Draft typed while classifying", `value="internal" checked`}, nil)
	res = c.post(page+"/update", url.Values{"priority": {"urgent"}, "assignee": {itoa(f.agent.ID)}, "team": {""}, "category": {""},
		"version": {itoa(cur.Version)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("update: got %d\n%.3000s", res.status, res.body)
	}
	expect(t, "after update", c.get(page), http.StatusOK, []string{"prio-urgent", "Wang Fang assigned the request to Wang Fang",
		"changed the priority from Normal to Urgent"}, nil)

	// A customer who has a portal password cannot be invited: an invite
	// would let the agent set the customer's password.
	res = c.post(page+"/invite", nil)
	expect(t, "invite refused", res, http.StatusConflict, []string{`class="alert error"`}, []string{"/portal/invite/"})

	// Portal invite for a customer without a password: the link sets a
	// password once and logs the customer in.
	ctx := context.Background()
	carol := &model.Customer{Name: "Carol Wu", Email: "carol@example.com"}
	if err := f.m.Store.CreateCustomer(ctx, carol); err != nil {
		t.Fatal(err)
	}
	carolReq, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeSupport, Subject: "How do I pair the app?", CustomerID: carol.ID})
	if err != nil {
		t.Fatal(err)
	}
	num = carolReq.Number
	res = c.post("/requests/"+num+"/invite", nil)
	expect(t, "invite", res, http.StatusOK, []string{"/portal/invite/"}, nil)
	link := regexp.MustCompile(`value="[^"]*(/portal/invite/[^"]+)"`).FindStringSubmatch(res.body)
	if link == nil {
		t.Fatal("no invite link")
	}
	cust := newClient(t, f.m, "zh-CN")
	expect(t, "invite form", cust.get(link[1]), http.StatusOK, []string{"Carol Wu", b.T(i18n.ZhCN, "invite.submit")}, nil)
	expect(t, "mismatch", cust.post(link[1], url.Values{"password": {"new-password-1"}, "password2": {"other-password"}}),
		http.StatusUnprocessableEntity, []string{b.T(i18n.ZhCN, "invite.mismatch")}, nil)
	res = cust.post(link[1], url.Values{"password": {"new-password-1"}, "password2": {"new-password-1"}})
	if res.status != http.StatusSeeOther || res.location != "/portal" {
		t.Fatalf("accept invite: got %d → %q\n%s", res.status, res.location, res.body)
	}
	expect(t, "portal after invite", cust.get("/portal"), http.StatusOK, []string{num, b.T(i18n.ZhCN, "flash.welcome")}, nil)
	expect(t, "used invite", newClient(t, f.m, "en").get(link[1]), http.StatusNotFound, []string{b.T("en", "invite.invalid")}, nil)
	expect(t, "unknown invite", newClient(t, f.m, "zh-CN").get("/portal/invite/nope"), http.StatusNotFound, []string{b.T(i18n.ZhCN, "invite.invalid")}, nil)
}

func TestPortal(t *testing.T) {
	f := newFixture(t)
	b := bundle(t)
	ctx := context.Background()
	if _, err := f.m.Requests.Reply(ctx, f.agent, f.aliceReq.Number, request.ReplyInput{Body: "INTERNAL: refund is likely", Visibility: model.VisibilityInternal, Channel: model.ChannelWeb}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Requests.Reply(ctx, f.agent, f.aliceReq.Number, request.ReplyInput{Body: "Please send the camera in.", Visibility: model.VisibilityPublic, Channel: model.ChannelWeb}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, "zh-CN")
	c.loginCustomer("alice@example.com")
	own := "/portal/requests/" + f.aliceReq.Number
	expect(t, "list", c.get("/portal"), http.StatusOK, []string{f.aliceReq.Number, "Lens error on power-up", b.T(i18n.ZhCN, "portal.list.title")},
		[]string{f.bobReq.Number, "Return my blender"})
	expect(t, "own request", c.get(own), http.StatusOK, []string{"Please send the camera in.", "Wang Fang"}, []string{"INTERNAL", "refund is likely"})
	for _, p := range []string{"/portal/requests/" + f.bobReq.Number, "/requests/" + f.aliceReq.Number, "/requests/" + f.bobReq.Number, "/queue"} {
		expect(t, "404 "+p, c.get(p), http.StatusNotFound, []string{b.T(i18n.ZhCN, "error.404.title")}, []string{"Return my blender", "INTERNAL"})
	}
	expect(t, "other's reply", c.post("/portal/requests/"+f.bobReq.Number+"/reply", url.Values{"body": {"hi"}}), http.StatusNotFound, nil, nil)
	expect(t, "staff action", c.post("/requests/"+f.aliceReq.Number+"/reply", url.Values{"body": {"x"}, "visibility": {"internal"}}), http.StatusNotFound, nil, nil)

	// Reply and cancel.
	res := c.post(own+"/reply", url.Values{"body": {"I will post it tomorrow."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("portal reply: got %d\n%s", res.status, res.body)
	}
	expect(t, "after reply", c.get(own), http.StatusOK, []string{"I will post it tomorrow.", b.T(i18n.ZhCN, "portal.cancel")}, nil)
	if res := c.post(own+"/status", url.Values{"action": {"cancel"}, "confirm": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("cancel: got %d", res.status)
	}
	expect(t, "cancelled", c.get(own), http.StatusOK, []string{"status-cancelled"}, []string{`name="body"`})

	// New request: a missing subject stays on the form with the text kept.
	expect(t, "new form", c.get("/portal/requests/new"), http.StatusOK, []string{b.T(i18n.ZhCN, "portal.new.title")}, nil)
	res = c.post("/portal/requests/new", url.Values{"type": {"repair"}, "subject": {""}, "description": {"Screen flickers"}})
	expect(t, "new invalid", res, http.StatusUnprocessableEntity, []string{b.T(i18n.ZhCN, "form.required"), "Screen flickers"}, nil)
	res = c.post("/portal/requests/new", url.Values{"type": {"repair"}, "subject": {"Screen flickers"}, "description": {"Since Monday."}, "serial": {"NOPE-1"}})
	expect(t, "new bad serial", res, http.StatusUnprocessableEntity, []string{"Since Monday."}, nil)
	res = c.post("/portal/requests/new", url.Values{"type": {"repair"}, "subject": {"Screen flickers"}, "description": {"Since Monday."}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/portal/requests/SR-") {
		t.Fatalf("new: got %d → %q\n%s", res.status, res.location, res.body)
	}
	expect(t, "created", c.get(res.location), http.StatusOK, []string{"Screen flickers", "Since Monday."}, nil)

	// Keyset pages of 20, newest first.
	for i := range 21 {
		if _, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeInquiry, Subject: "Question " + itoa(int64(i))}); err != nil {
			t.Fatal(err)
		}
	}
	res = c.get("/portal")
	expect(t, "portal page 1", res, http.StatusOK, []string{"Question 20", b.T(i18n.ZhCN, "pager.next")}, []string{b.T(i18n.ZhCN, "pager.first"), "Lens error"})
	next := regexp.MustCompile(`href="(/portal\?cursor=[^"]+)"`).FindStringSubmatch(res.body)
	if next == nil {
		t.Fatal("no next page")
	}
	expect(t, "portal page 2", c.get(next[1]), http.StatusOK, []string{"Lens error", b.T(i18n.ZhCN, "pager.first")}, []string{"Question 20", f.bobReq.Number})
	if res := c.get("/portal?cursor=garbage"); res.status != http.StatusSeeOther {
		t.Errorf("bad cursor: got %d, want a redirect to the first page", res.status)
	}

	// Visitors are sent to the right login.
	anon := newClient(t, f.m, "en")
	if res := anon.get("/portal"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/portal/login") {
		t.Errorf("anonymous portal: got %d → %q", res.status, res.location)
	}
	if res := anon.get(own); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/portal/login") {
		t.Errorf("anonymous portal request: got %d → %q", res.status, res.location)
	}
	if res := anon.get("/requests/" + f.aliceReq.Number); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/login") {
		t.Errorf("anonymous staff page: got %d → %q", res.status, res.location)
	}
}

// TestPortalNotFoundIndistinguishable checks that in the portal another
// customer's request looks exactly like a number that does not exist:
// same status, content type and body, for the page and its actions.
func TestPortalNotFoundIndistinguishable(t *testing.T) {
	f := newFixture(t)
	other := f.bobReq.Number
	missing := other[:len(other)-6] + "999999" // well-formed, same length, no such request
	for _, lang := range []string{i18n.ZhCN, i18n.En} {
		c := newClient(t, f.m, lang)
		c.loginCustomer("alice@example.com")
		for _, a := range []struct {
			name string
			send func(number string) response
		}{
			{"page", func(n string) response { return c.get("/portal/requests/" + n) }},
			{"reply", func(n string) response { return c.post("/portal/requests/"+n+"/reply", url.Values{"body": {"hi"}}) }},
			{"cancel", func(n string) response {
				return c.post("/portal/requests/"+n+"/status", url.Values{"action": {"cancel"}})
			}},
		} {
			got, want := a.send(other), a.send(missing)
			// The page echoes its own path (the language switch's "back"
			// field); apart from the number asked for, the bytes must match.
			got.body = strings.ReplaceAll(got.body, other, "{number}")
			want.body = strings.ReplaceAll(want.body, missing, "{number}")
			if want.status != http.StatusNotFound {
				t.Fatalf("%s %s, missing number: got %d, want 404", lang, a.name, want.status)
			}
			if got.status != want.status || got.header.Get("Content-Type") != want.header.Get("Content-Type") || got.body != want.body {
				t.Errorf("%s %s, another customer's request: got %d %q, want the missing number's %d %q; bodies equal: %v\n%.3000s",
					lang, a.name, got.status, got.header.Get("Content-Type"), want.status, want.header.Get("Content-Type"), got.body == want.body, got.body)
			}
		}
	}
	if r, err := f.m.Requests.Get(context.Background(), f.agent, other); err != nil || r.Request.Status != model.StatusNew || len(r.Messages) != 0 {
		t.Errorf("bob's request after alice's attempts: got %+v %v, want new and no messages", r, err)
	}
}

func TestCrossOriginRefused(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	page := "/requests/" + f.aliceReq.Number
	res := c.post(page+"/reply", url.Values{"body": {"forged"}}, "Sec-Fetch-Site", "cross-site")
	if res.status != http.StatusForbidden {
		t.Errorf("cross-site POST: got %d, want 403", res.status)
	}
	res = c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {password}}, "Origin", "https://evil.example")
	if res.status != http.StatusForbidden {
		t.Errorf("cross-origin login: got %d, want 403", res.status)
	}
	res = c.post(page+"/reply", url.Values{"body": {"same-origin reply"}}, "Sec-Fetch-Site", "same-origin")
	if res.status != http.StatusSeeOther {
		t.Errorf("same-origin POST: got %d, want 303", res.status)
	}
	expect(t, "page", c.get(page), http.StatusOK, []string{"same-origin reply"}, []string{"forged"})
}

func TestLanguageSwitch(t *testing.T) {
	f := newFixture(t)
	b := bundle(t)
	c := newClient(t, f.m, "en")
	expect(t, "en by header", c.get("/login"), http.StatusOK, []string{`lang="en"`, b.T("en", "login.submit")}, nil)
	res := c.post("/lang", url.Values{"lang": {"zh-CN"}, "back": {"/login?next=%2Fqueue"}})
	if res.status != http.StatusSeeOther || res.location != "/login?next=%2Fqueue" {
		t.Fatalf("switch: got %d → %q", res.status, res.location)
	}
	expect(t, "zh by cookie", c.get("/login"), http.StatusOK, []string{`lang="zh-CN"`, b.T(i18n.ZhCN, "login.submit")}, nil)
	if res := c.post("/lang", url.Values{"lang": {"en"}, "back": {"https://evil.example/"}}); res.location != "/" {
		t.Errorf("foreign back: got → %q, want /", res.location)
	}
	// Logged in, the choice is saved to the profile.
	c.loginStaff()
	c.post("/lang", url.Values{"lang": {"zh-CN"}, "back": {"/queue"}})
	u, err := f.m.Store.UserByID(context.Background(), f.agent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Locale != i18n.ZhCN {
		t.Errorf("saved locale: got %q, want zh-CN", u.Locale)
	}
	// Another device without the cookie follows the profile.
	d := newClient(t, f.m, "en")
	d.loginStaff()
	expect(t, "profile locale", d.get("/queue"), http.StatusOK, []string{`lang="zh-CN"`, b.T(i18n.ZhCN, "queue.title")}, nil)
	// Error pages in both languages.
	expect(t, "404 en", newClient(t, f.m, "en").get("/no/such/page"), http.StatusNotFound, []string{b.T("en", "error.404.title")}, nil)
	expect(t, "404 zh", newClient(t, f.m, "zh-CN").get("/no/such/page"), http.StatusNotFound, []string{b.T(i18n.ZhCN, "error.404.title")}, nil)
}

// multipart posts fields and one file as multipart/form-data.
func (c *client) multipart(path string, fields map[string]string, filename string, content []byte) response {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(fields)) { // page order: body before visibility and file
		_ = w.WriteField(k, fields[k])
	}
	fw, _ := w.CreateFormFile("file", filename)
	_, _ = fw.Write(content)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestStaticAndHeaders(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	res := c.get("/login")
	if csp := res.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP: got %q", csp)
	}
	for _, name := range []string{"app.css", "vendor/htmx.min.js"} {
		m := regexp.MustCompile(`(/static/` + regexp.QuoteMeta(name) + `\?v=[0-9a-f]+)`).FindStringSubmatch(res.body)
		if m == nil {
			t.Fatalf("layout does not link %s", name)
		}
		got := c.get(m[1])
		if got.status != http.StatusOK || len(got.body) < 1000 || !strings.Contains(got.header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: got %d, %d bytes, Cache-Control %q", name, got.status, len(got.body), got.header.Get("Cache-Control"))
		}
	}
	if res := c.get("/static/vendor/"); res.status != http.StatusNotFound {
		t.Errorf("directory listing: got %d, want 404", res.status)
	}
}
