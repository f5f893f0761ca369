package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestStaffAdmin: an admin adds a staff user (every empty field flagged at
// once and what was typed kept; a taken e-mail named beside its field),
// changes one's role and team ("saved" only when something changed),
// takes away a user's sign-in (their login then fails), and adds a team
// (a blank or taken name beside the field). A manager adds teams but not
// staff. In both languages.
func TestStaffAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	admin := staffClient(t, f, model.RoleAdmin, "boss@example.com", "en", nil)

	expect(t, "list", admin.get("/admin/staff"), http.StatusOK, []string{`href="/admin/staff/new"`, `action="/admin/teams"`, "There are no teams yet"}, nil)
	expect(t, "new form", admin.get("/admin/staff/new"), http.StatusOK, []string{`name="email"`, `name="password"`, "Centre manager"}, nil)
	res := admin.post("/admin/staff/new", url.Values{"name": {""}, "email": {""}, "role": {"agent"}, "password": {""}})
	expect(t, "all empty", res, http.StatusUnprocessableEntity, nil, nil)
	if n := strings.Count(res.body, `aria-invalid="true"`); n != 3 {
		t.Errorf("empty form: %d fields flagged, want 3 (name, e-mail, password)", n)
	}
	res = admin.post("/admin/staff/new", url.Values{"name": {"Zhou Jie"}, "email": {"agent@example.com"}, "role": {"technician"}, "password": {"a long password"}})
	expect(t, "taken e-mail", res, http.StatusConflict, []string{`value="Zhou Jie"`, `value="agent@example.com"`, `value="technician" selected`, `aria-invalid="true"`},
		[]string{"a long password"})

	res = admin.post("/admin/teams", url.Values{"name": {" "}})
	expect(t, "blank team", res, http.StatusUnprocessableEntity, []string{`aria-invalid="true"`}, nil)
	if res := admin.post("/admin/teams", url.Values{"name": {"Front desk"}}); res.status != http.StatusSeeOther {
		t.Fatalf("add team: %d %s", res.status, res.body)
	}
	res = admin.post("/admin/teams", url.Values{"name": {"Front desk"}})
	expect(t, "taken team", res, http.StatusConflict, []string{`value="Front desk"`, "already exists"}, nil)
	teams, err := f.m.Store.ListTeams(ctx)
	if err != nil || len(teams) != 1 {
		t.Fatalf("teams: %v, %v", teams, err)
	}
	team := itoa(teams[0].ID)

	res = admin.post("/admin/staff/new", url.Values{"name": {"Zhou Jie"}, "email": {"zhou@example.com"}, "role": {"agent"},
		"team_id": {team}, "locale": {"zh-CN"}, "password": {"a long password"}})
	if res.status != http.StatusSeeOther || res.location != "/admin/staff" {
		t.Fatalf("add staff: %d → %q\n%s", res.status, res.location, res.body)
	}
	expect(t, "added", admin.get("/admin/staff"), http.StatusOK, []string{"Staff user added.", "zhou@example.com", "Front desk", "staff: 1"}, nil)
	zhou, err := f.m.Store.UserByEmail(ctx, "zhou@example.com")
	if err != nil || zhou.Role != model.RoleAgent || zhou.TeamID == nil || *zhou.TeamID != teams[0].ID {
		t.Fatalf("new user: %+v, %v", zhou, err)
	}
	edit := "/admin/staff/" + itoa(zhou.ID) + "/edit"
	expect(t, "edit form", admin.get(edit), http.StatusOK, []string{`value="Zhou Jie"`, `value="` + team + `" selected`, `name="active" checked`}, nil)
	same := url.Values{"name": {"Zhou Jie"}, "role": {"agent"}, "team_id": {team}, "locale": {"zh-CN"}, "active": {"on"}}
	if res := admin.post(edit, same); res.status != http.StatusSeeOther {
		t.Fatalf("unchanged: %d %s", res.status, res.body)
	}
	expect(t, "nothing changed", admin.get("/admin/staff"), http.StatusOK, []string{"Nothing was changed."}, []string{"changes saved"})
	bad := url.Values{"name": {""}, "role": {"manager"}, "team_id": {team}, "locale": {"zh-CN"}, "active": {"on"}}
	expect(t, "bad edit", admin.post(edit, bad), http.StatusUnprocessableEntity, []string{`value="manager" selected`, `aria-invalid="true"`}, nil)
	if u, _ := f.m.Store.UserByID(ctx, zhou.ID); u.Role != model.RoleAgent {
		t.Errorf("a refused edit changed the role to %s", u.Role)
	}
	// Log Zhou in, then take the sign-in away.
	zc := newClient(t, f.m, "zh-CN")
	if res := zc.post("/login", url.Values{"login": {"zhou@example.com"}, "password": {"a long password"}}); res.status != http.StatusSeeOther {
		t.Fatalf("zhou login: %d", res.status)
	}
	off := url.Values{"name": {"Zhou Jie"}, "role": {"manager"}, "team_id": {""}, "locale": {"zh-CN"}}
	if res := admin.post(edit, off); res.status != http.StatusSeeOther {
		t.Fatalf("deactivate: %d %s", res.status, res.body)
	}
	expect(t, "saved", admin.get("/admin/staff"), http.StatusOK, []string{"Staff user&#39;s changes saved.", "inactive"}, nil)
	if u, _ := f.m.Store.UserByID(ctx, zhou.ID); u.Active || u.Role != model.RoleManager || u.TeamID != nil {
		t.Errorf("after the edit: %+v, want an inactive manager without a team", u)
	}
	if res := zc.get("/queue"); res.status != http.StatusSeeOther {
		t.Errorf("a deactivated user's session: got %d, want a redirect to the login", res.status)
	}
	// Admins cannot lock themselves out here.
	me := staffClient(t, f, model.RoleAdmin, "boss2@example.com", "zh-CN", nil)
	self, _ := f.m.Store.UserByEmail(ctx, "boss2@example.com")
	expect(t, "self", me.get("/admin/staff/"+itoa(self.ID)+"/edit"), http.StatusOK, []string{"您不能在此取消自己的登录权限"}, []string{`name="active"`})

	mgr := staffClient(t, f, model.RoleManager, "mgr@example.com", "zh-CN", nil)
	expect(t, "manager", mgr.get("/admin/staff"), http.StatusOK, []string{`action="/admin/teams"`, "团队"}, []string{`href="/admin/staff/new"`})
	expect(t, "manager adds staff", mgr.get("/admin/staff/new"), http.StatusForbidden, nil, nil)
}
