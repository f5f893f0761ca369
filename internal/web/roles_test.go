package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/survey"
	"github.com/aftercare/aftercare/internal/web"
)

// webAccess is who may use each route of the web UI, written out here
// independently of the code's role matrix: A admin, M manager, G agent,
// T technician, C customer, V visitor (not logged in). A route missing
// from this table fails the test.
func webAccess() map[string]string {
	all := "AMGTCV"
	return map[string]string{
		"GET /static/": all, "GET /login": all, "POST /login": all, "POST /logout": all,
		"GET /portal/login": all, "POST /portal/login": all, "POST /portal/logout": all,
		"GET /portal/invite/{secret}": all, "POST /portal/invite/{secret}": all,
		"GET /portal/reset/{secret}": all, "POST /portal/reset/{secret}": all,
		"GET /portal/forgot": all, "POST /portal/forgot": all, "POST /lang": all, "GET /{$}": all,

		"GET /queue":                     "AMGT",
		"GET /queue/export":              "AMGT",
		"GET /requests/new":              "AMGT",
		"POST /requests/new":             "AMGT",
		"GET /requests/{number}":         "AMGT",
		"POST /requests/{number}/reply":  "AMGT",
		"POST /requests/{number}/status": "AMGT",
		"POST /requests/{number}/update": "AMGT",
		"POST /requests/{number}/invite": "AMG",
		"GET /admin/audit":               "A",
		"GET /attachments/{id}":          "AMGTC",

		"GET /portal":                           "C",
		"GET /portal/requests/new":              "C",
		"POST /portal/requests/new":             "C",
		"GET /portal/requests/{number}":         "C",
		"POST /portal/requests/{number}/reply":  "C",
		"POST /portal/requests/{number}/status": "C",

		// Feedback. The public survey's link is its credential: anyone
		// may open one (an unknown link is 404 for everyone).
		"GET /s/done": all, "GET /s/{token}": all, "POST /s/{token}": all,
		"GET /feedback":                         "AM",
		"GET /feedback/export":                  "AM",
		"GET /followups":                        "AMG",
		"GET /followups/{id}":                   "AMG",
		"POST /followups/{id}/calls":            "AMG",
		"GET /admin/survey":                     "A",
		"POST /admin/survey":                    "A",
		"POST /requests/{number}/complaint":     "AMG",
		"POST /requests/{number}/compensations": "AMG",
		"POST /compensations/{id}/decision":     "AM",
	}
}

// TestEveryWebRouteEveryRole visits every route of web.Routes as every
// role. Allowed: the handler runs (not the 403 page, not the 404 a
// customer gets for staff pages, not a redirect to a login). Denied:
// staff without the permission get 403, customers on staff pages and
// staff on portal pages 404, visitors a redirect to the right login.
func TestEveryWebRouteEveryRole(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword(password)
	clients := map[byte]*client{}
	for code, role := range map[byte]model.Role{'A': model.RoleAdmin, 'M': model.RoleManager, 'T': model.RoleTechnician} {
		email := string(role) + "@example.com"
		if err := f.m.Store.CreateUser(ctx, &model.User{Email: email, Name: string(role), Role: role, PasswordHash: hash, Active: true}); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, f.m, "en")
		if res := c.post("/login", url.Values{"login": {email}, "password": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("login %s: %d", role, res.status)
		}
		clients[code] = c
	}
	clients['G'] = newClient(t, f.m, "en")
	clients['G'].loginStaff()
	clients['C'] = newClient(t, f.m, "en")
	clients['C'].loginCustomer("alice@example.com")
	clients['V'] = newClient(t, f.m, "en")

	num := f.aliceReq.Number
	res := clients['C'].multipart("/portal/requests/"+num+"/reply", map[string]string{"body": "photo"}, "p.png", []byte("\x89PNG\r\n\x1a\n0000"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("customer reply with a file: %d", res.status)
	}
	var attID int64
	if err := f.m.Store.Read().QueryRow(ctx, "SELECT id FROM attachments").Scan(&attID); err != nil {
		t.Fatal(err)
	}
	// A resolved complaint: its follow-up call, and compensation above
	// the approval threshold that waits for a manager.
	complaint, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeComplaint, Subject: "late",
		CustomerID: f.bob.ID, Channel: model.ChannelPhone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Requests.ChangeStatus(ctx, f.agent, complaint.Number, model.StatusResolved, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	fb, err := f.m.Feedback.RequestFeedback(ctx, f.agent, complaint.Number)
	if err != nil || fb.Followup == nil {
		t.Fatalf("complaint follow-up: %v", err)
	}
	comp, err := f.m.Feedback.AddCompensation(ctx, f.agent, complaint.Number, survey.CompensationInput{Kind: model.CompVoucher, Amount: 99999999})
	if err != nil || comp.Status != model.CompPending {
		t.Fatalf("pending compensation: %+v %v", comp, err)
	}
	idFor := map[string]string{"/followups/{id}": itoa(fb.Followup.ID), "/followups/{id}/calls": itoa(fb.Followup.ID),
		"/compensations/{id}/decision": itoa(comp.ID)}
	concrete := strings.NewReplacer("{number}", num, "{id}", itoa(attID), "{secret}", "no-such-link", "{token}", "sv_nosuchlink",
		"{$}", "", "/static/", "/static/app.css")
	forms := map[string]url.Values{
		"POST /requests/new":                    {"customer": {"alice@example.com"}, "type": {"inquiry"}, "channel": {"phone"}, "priority": {"normal"}, "subject": {"x"}},
		"POST /requests/{number}/reply":         {"body": {"role check"}, "visibility": {"internal"}},
		"POST /requests/{number}/status":        {"status": {"open"}},
		"POST /requests/{number}/update":        {"assignee": {""}, "version": {"1"}},
		"POST /portal/requests/new":             {"type": {"inquiry"}, "subject": {"x"}},
		"POST /portal/requests/{number}/reply":  {"body": {"role check"}},
		"POST /portal/requests/{number}/status": {"action": {"cancel"}},
		"POST /lang":                            {"lang": {"en"}},
		"POST /s/{token}":                       {"csat": {"5"}},
		"POST /followups/{id}/calls":            {"reachability": {"no_answer"}},
		"POST /admin/survey":                    {"version": {"1"}},
		"POST /requests/{number}/complaint":     {"severity": {"1"}},
		"POST /requests/{number}/compensations": {"comp_kind": {"gift"}, "comp_amount": {"1"}},
		"POST /compensations/{id}/decision":     {"decision": {"approve"}},
	}
	want := webAccess()
	seen := map[string]bool{}
	for _, rt := range web.Routes() {
		seen[rt.Pattern] = true
		allowed, ok := want[rt.Pattern]
		if !ok {
			t.Errorf("%s has no entry in webAccess: say who may use it", rt.Pattern)
			continue
		}
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		path := concrete.Replace(pattern)
		if id, ok := idFor[pattern]; ok {
			path = strings.Replace(pattern, "{id}", id, 1)
		}
		if pattern == "/queue/export" || pattern == "/admin/audit" || pattern == "/feedback/export" {
			path += "?format=csv"
		}
		if strings.HasSuffix(pattern, "/logout") {
			continue // open to all (it only ends one's own session); running it would log the roles out
		}
		for _, code := range []byte("AMGTCV") {
			c := clients[code]
			var res response
			if method == http.MethodGet {
				res = c.get(path)
			} else {
				res = c.post(path, forms[rt.Pattern])
			}
			// The home page sends visitors to the login: that is its job.
			toLogin := pattern != "/{$}" && res.status == http.StatusSeeOther &&
				(strings.HasPrefix(res.location, "/login") || strings.HasPrefix(res.location, "/portal/login"))
			// Links (portal invites, surveys) that do not exist are 404 for
			// everyone: that is the page, not a refusal.
			link := strings.Contains(pattern, "{secret}") || strings.Contains(pattern, "{token}")
			denied := res.status == http.StatusForbidden || (res.status == http.StatusNotFound && !link) || toLogin
			if strings.IndexByte(allowed, code) >= 0 {
				if denied {
					t.Errorf("%s as %c: got %d → %q, want the page", rt.Pattern, code, res.status, res.location)
				}
				continue
			}
			var wantStatus int
			switch {
			case code == 'V':
				if !toLogin {
					t.Errorf("%s as a visitor: got %d → %q, want a redirect to a login", rt.Pattern, res.status, res.location)
				}
				continue
			case code == 'C' || rt.Who == "customers":
				wantStatus = http.StatusNotFound
			default:
				wantStatus = http.StatusForbidden
			}
			if res.status != wantStatus {
				t.Errorf("%s as %c: got %d, want %d", rt.Pattern, code, res.status, wantStatus)
			}
		}
	}
	for p := range want {
		if !seen[p] {
			t.Errorf("webAccess lists %s, which the web UI does not serve", p)
		}
	}
}
