package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestRulesPages walks the rules page (errors beside the field, the form
// as typed, in both languages; a saved rule acts and its action shows on
// the request's timeline under its name) and the staff page's skills.
func TestRulesPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword(password)
	if err := f.m.Store.CreateUser(ctx, &model.User{Email: "admin@example.com", Name: "Admin", Role: model.RoleAdmin,
		PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	team := &model.Team{Name: "Washers"}
	if err := f.m.Store.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	login := func(lang string) *client {
		c := newClient(t, f.m, lang)
		if res := c.post("/login", url.Values{"login": {"admin@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("admin login: %d", res.status)
		}
		return c
	}
	en, zh := login("en"), login("zh-CN")
	expect(t, "rules page", en.get("/admin/rules"), http.StatusOK, []string{"Automation rules", "Request created"}, nil)
	bad := url.Values{"name": {"Urgent to washers"}, "position": {"1"}, "trigger": {"request.created"}, "active": {"1"},
		"conditions": {`{"all": [{"field": "priority", "op": "like", "value": "urgent"}]}`},
		"actions":    {`[{"type": "assign_team", "team_id": ` + itoa(team.ID) + `}]`}}
	expect(t, "bad op", en.post("/admin/rules", bad), http.StatusUnprocessableEntity,
		[]string{"conditions.all[0].op", "must be one of equals", `aria-invalid="true"`, `value="Urgent to washers"`}, nil)
	expect(t, "bad op (zh)", zh.post("/admin/rules", bad), http.StatusUnprocessableEntity,
		[]string{"conditions.all[0].op", "须为以下之一", "自动化规则"}, nil)
	bad.Set("conditions", `{"all": [`)
	expect(t, "bad json", en.post("/admin/rules", bad), http.StatusUnprocessableEntity, []string{"Not valid JSON"}, nil)
	bad.Set("conditions", `{"all": [{"field": "subject", "op": "contains", "value": "flood"}]}`)
	if res := en.post("/admin/rules", bad); res.status != http.StatusSeeOther {
		t.Fatalf("save rule: %d %.2000s", res.status, res.body)
	}
	expect(t, "rules listed", zh.get("/admin/rules"), http.StatusOK, []string{"Urgent to washers", "服务单创建", "分配团队"}, nil)

	r, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeRepair, Subject: "Flood in the kitchen"})
	if err != nil {
		t.Fatal(err)
	}
	if r.TeamID == nil || *r.TeamID != team.ID {
		t.Fatalf("rule did not assign the team: %+v", r)
	}
	expect(t, "timeline", en.get("/requests/"+r.Number), http.StatusOK, []string{"Rule “Urgent to washers”: assigned team Washers"}, nil)

	expect(t, "staff page", en.get("/admin/staff"), http.StatusOK, []string{"Wang Fang", "Skills (skill:level)"}, nil)
	expect(t, "bad level", en.post("/admin/staff/"+itoa(f.agent.ID)+"/skills", url.Values{"skills": {"washer:9"}}),
		http.StatusUnprocessableEntity, []string{"must be between 1 and 5", `value="washer:9"`}, nil)
	if res := en.post("/admin/staff/"+itoa(f.agent.ID)+"/skills", url.Values{"skills": {"washer:4, en:3"}}); res.status != http.StatusSeeOther {
		t.Fatalf("save skills: %d %.2000s", res.status, res.body)
	}
	u, err := f.m.Store.UserByID(ctx, f.agent.ID)
	if err != nil || model.SkillsString(u.Skills) != "en:3, washer:4" {
		t.Errorf("skills saved: %v %v", u.Skills, err)
	}
	expect(t, "staff page (zh)", zh.get("/admin/staff"), http.StatusOK, []string{"技能", `value="en:3, washer:4"`}, nil)
}
