package api_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/model"
)

// TestCustomerCannotSetPriorityOrChannel guards finding 7: a customer's
// request gets the normal priority and the channel it came through; a
// body that sets either is 422 naming the field, and nothing is created.
func TestCustomerCannotSetPriorityOrChannel(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		before := f.count(t, "requests")
		for _, tc := range []struct {
			field string
			body  map[string]any
		}{
			{"priority", map[string]any{"type": "repair", "subject": "Urgent!!!", "priority": "urgent"}},
			{"priority", map[string]any{"type": "repair", "subject": "Normal, I promise", "priority": "normal"}},
			{"channel", map[string]any{"type": "repair", "subject": "Phoned in", "channel": "phone"}},
		} {
			f.Run(t, apitest.Scenario{Name: "customer sets " + tc.field, Method: "POST", Path: "/api/v1/requests", Token: f.alice,
				Body: tc.body, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"body.` + tc.field + `"`}})
		}
		if n := f.count(t, "requests"); n != before {
			t.Errorf("requests after refusals: got %d, want %d", n, before)
		}
		// Messages: a customer cannot claim a channel either.
		r := f.newRequest(t, f.aliceID, "Noise")
		f.Run(t, apitest.Scenario{Name: "customer message with a channel", Method: "POST", Path: "/api/v1/requests/" + r.Number + "/messages",
			Token: f.alice, Body: map[string]any{"body": "hi", "channel": "phone"}, ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{`"location":"body.channel"`}})
		var m api.Message
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.alice, map[string]any{"body": "hi"}).JSON(t, &m)
		if m.Channel != "api" {
			t.Errorf("customer message channel: got %s, want api", m.Channel)
		}
		// Staff still choose both.
		var staff api.Request
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": "repair", "subject": "Call",
			"customer_id": f.aliceID, "channel": "phone", "priority": "high"}).JSON(t, &staff)
		if staff.Channel != "phone" || staff.Priority != "high" {
			t.Errorf("staff request: channel %s priority %s", staff.Channel, staff.Priority)
		}
	})
}

// TestInviteRules guards finding 2 (API): invites are for admins,
// managers and agents, and only for customers without a password; the
// issue is in the audit log, the link is not.
func TestInviteRules(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		path := "/api/v1/customers/" + itoa(f.aliceID) + "/invite"
		f.Run(t, apitest.Scenario{Name: "technician", Method: "POST", Path: path, Token: f.tech, ExpectedStatus: http.StatusForbidden})
		var inv api.Invite
		f.mustStatus(t, http.StatusCreated, "POST", path, f.manager, nil).JSON(t, &inv)
		secret := inv.URL[strings.LastIndex(inv.URL, "/")+1:]
		if _, err := f.Auth.UseLink(ctx, secret, "alice's password"); err != nil {
			t.Fatal(err)
		}
		res := f.Run(t, apitest.Scenario{Name: "customer with a password", Method: "POST", Path: path, Token: f.agent,
			Headers: []string{"Accept-Language: en"}, ExpectedStatus: http.StatusConflict,
			ExpectedContent: []string{"already has a portal password", "Forgot password"}})
		if res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("content type: %s", res.Header.Get("Content-Type"))
		}
		page, err := f.Store.ListAudit(ctx, auditFilter("customer.invite_issued"))
		if err != nil || len(page.Items) != 1 || !strings.Contains(page.Items[0].Target, "alice@example.com") ||
			strings.Contains(page.Items[0].Detail+page.Items[0].Target, secret) {
			t.Fatalf("audit: %+v %v", page.Items, err)
		}
	})
}

// TestAuditLog checks that admin-relevant actions are recorded with who,
// when and from where, and that only admins read them.
func TestAuditLog(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		var u api.User
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/users", f.admin, map[string]any{"email": "new@example.com",
			"name": "New Agent", "role": "agent", "password": "long enough password"}).JSON(t, &u)
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/users/"+itoa(u.ID), f.admin, map[string]any{"role": "manager"})
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/users/"+itoa(u.ID), f.admin, map[string]any{"role": "manager"}) // no change
		f.Run(t, apitest.Scenario{Name: "manager changes a role", Method: "PATCH", Path: "/api/v1/users/" + itoa(u.ID), Token: f.manager,
			Body: map[string]any{"role": "admin"}, ExpectedStatus: http.StatusForbidden})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/customers/"+itoa(f.bobID)+"/invite", f.agent, nil)

		var page api.AuditPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/audit", f.admin, nil).JSON(t, &page)
		var actions []string
		for _, e := range page.Items {
			actions = append(actions, e.Action)
		}
		want := []string{"customer.invite_issued", "user.updated", "user.created"}
		if strings.Join(actions[:min(3, len(actions))], " ") != strings.Join(want, " ") {
			t.Fatalf("newest audit entries: got %v, want %v first", actions, want)
		}
		upd := page.Items[1]
		if upd.ActorName != "admin" || upd.ActorKind != "staff" || upd.ClientAddr != "127.0.0.1" ||
			upd.Detail != "role: agent → manager" || !strings.Contains(upd.Target, "new@example.com") || upd.At.IsZero() {
			t.Errorf("role change entry: %+v", upd)
		}
		if strings.Contains(string(f.Do(t, "GET", "/api/v1/audit", f.admin, nil).Body), "long enough password") {
			t.Error("a password reached the audit log")
		}
		for _, tok := range []string{f.manager, f.agent, f.tech, f.alice} {
			f.mustStatus(t, http.StatusForbidden, "GET", "/api/v1/audit", tok, nil)
		}
		// Filter and pages.
		var one api.AuditPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/audit?action=user.created&limit=1", f.admin, nil).JSON(t, &one)
		if len(one.Items) != 1 || one.Items[0].Action != "user.created" || one.NextCursor != "" {
			t.Errorf("filtered page: %+v", one)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/audit?limit=1", f.admin, nil).JSON(t, &one)
		var next api.AuditPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/audit?limit=1&cursor="+one.NextCursor, f.admin, nil).JSON(t, &next)
		if one.NextCursor == "" || len(next.Items) != 1 || next.Items[0].ID >= one.Items[0].ID {
			t.Errorf("paging: %+v then %+v", one, next)
		}
		f.Run(t, apitest.Scenario{Name: "bad cursor", Method: "GET", Path: "/api/v1/audit?cursor=x", Token: f.admin,
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.cursor"`}})
		// The last admin cannot demote itself.
		var me api.Principal
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/me", f.admin, nil).JSON(t, &me)
		f.Run(t, apitest.Scenario{Name: "last admin demotes itself", Method: "PATCH", Path: "/api/v1/users/" + itoa(me.ID), Token: f.admin,
			Body: map[string]any{"role": "agent"}, ExpectedStatus: http.StatusConflict})
		// A deactivated user's token stops working.
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/users/"+itoa(f.agentID), f.admin, map[string]any{"active": false})
		f.mustStatus(t, http.StatusUnauthorized, "GET", "/api/v1/me", f.agent, nil)
	})
}

func auditFilter(action string) model.AuditFilter { return model.AuditFilter{Action: action} }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
