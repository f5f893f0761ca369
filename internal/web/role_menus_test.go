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
)

// TestMenusFollowTheRoleMatrix logs in as each staff role and checks that
// the navigation and the buttons of the queue and the request page offer
// exactly what the role matrix (model.Grants) lets that role do: a link
// or button that leads to a refusal is a defect, and so is a missing one.
func TestMenusFollowTheRoleMatrix(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword(password)
	// A customer without a portal password, so that the invite is on offer.
	carol := &model.Customer{Name: "Carol Wu", Phone: "13800000009"}
	if err := f.m.Store.CreateCustomer(ctx, carol); err != nil {
		t.Fatal(err)
	}
	req, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeInquiry, Subject: "Menus",
		CustomerID: carol.ID, Channel: model.ChannelPhone})
	if err != nil {
		t.Fatal(err)
	}
	num := req.Number
	// What each link or button needs, as the role matrix says.
	marks := []struct {
		name, mark string
		may        func(model.Principal) bool
	}{
		{"export link", `href="/queue/export?`, func(p model.Principal) bool { return p.Can(model.PermRequestExport) }},
		{"invite button", `formaction="/requests/` + num + `/invite"`, func(p model.Principal) bool { return p.Can(model.PermCustomerInvite) }},
		{"cancel button", `name="status" value="cancelled"`, func(p model.Principal) bool { return p.Role != model.RoleTechnician }},
		{"staff menu", `href="/admin/staff"`, func(p model.Principal) bool { return p.Can(model.PermDirectoryRead) }},
		{"audit menu", `href="/admin/audit"`, func(p model.Principal) bool { return p.Can(model.PermAuditRead) }},
		{"rules menu", `href="/admin/rules"`, func(p model.Principal) bool { return p.Can(model.PermRuleManage) }},
		{"revenue menu", `href="/reports/revenue"`, func(p model.Principal) bool { return p.Can(model.PermRevenueRead) }},
		{"analytics menu", `href="/analytics"`, func(p model.Principal) bool { return p.Can(model.PermFeedbackAnalyze) }},
		{"mail menu", `href="/admin/mail"`, func(p model.Principal) bool { return p.Can(model.PermMailRead) }},
		{"products menu", `href="/admin/catalog"`, func(p model.Principal) bool { return p.Can(model.PermProductRead) }},
	}
	for _, role := range []model.Role{model.RoleAdmin, model.RoleManager, model.RoleAgent, model.RoleTechnician, model.RoleCentreManager} {
		t.Run(string(role), func(t *testing.T) {
			email := "menu-" + string(role) + "@example.com"
			u := &model.User{Email: email, Name: string(role), Role: role, PasswordHash: hash, Active: true}
			if err := f.m.Store.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			p := model.Principal{Kind: model.KindStaff, ID: u.ID, Role: role}
			c := newClient(t, f.m, "en")
			if res := c.post("/login", url.Values{"login": {email}, "password": {password}}); res.status != http.StatusSeeOther {
				t.Fatalf("login: %d", res.status)
			}
			queue, page := c.get("/queue"), c.get("/requests/"+num)
			if queue.status != http.StatusOK || page.status != http.StatusOK {
				t.Fatalf("queue %d, request page %d, want 200", queue.status, page.status)
			}
			both := queue.body + page.body
			for _, m := range marks {
				if got, want := strings.Contains(both, m.mark), m.may(p); got != want {
					t.Errorf("%s (%s): shown %v, want %v", m.name, m.mark, got, want)
				}
			}
			// The staff page offers adding staff to admins and teams to leads.
			if p.Can(model.PermDirectoryRead) {
				staff := c.get("/admin/staff")
				for _, m := range []struct {
					name, mark string
					may        bool
				}{
					{"add staff", `href="/admin/staff/new"`, p.Can(model.PermUserManage)},
					{"change staff", `/edit">Change`, p.Can(model.PermUserManage)},
					{"add team", `action="/admin/teams"`, p.Can(model.PermTeamManage)},
				} {
					if got := strings.Contains(staff.body, m.mark); got != m.may {
						t.Errorf("%s (%s) on the staff page: shown %v, want %v", m.name, m.mark, got, m.may)
					}
				}
			}
			// What is not offered is refused too.
			if role == model.RoleTechnician {
				if res := c.post("/requests/"+num+"/status", url.Values{"status": {"cancelled"}}); res.status != http.StatusForbidden {
					t.Errorf("technician cancels: got %d, want 403", res.status)
				}
				if res := c.get("/queue/export?format=csv"); res.status != http.StatusForbidden {
					t.Errorf("technician exports: got %d, want 403", res.status)
				}
			}
		})
	}
}
