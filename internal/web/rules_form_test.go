package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestRuleFormRows saves a rule from the structured form: condition rows
// (a list for "is one of"), action rows, blank rows dropped; the stored
// rule is what the API would take, and its edit page shows the rows. A
// bad strategy or a due time that is not a number comes back on its row,
// with the form as typed, in both languages.
func TestRuleFormRows(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	team := &model.Team{Name: "Washers"}
	if err := f.m.Store.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	en, zh := loginAdmin(t, f, "en"), loginAdmin(t, f, "zh-CN")
	expect(t, "form rows", en.get("/admin/rules"), http.StatusOK,
		[]string{`name="c0.field"`, `name="c1.value"`, `name="a0.type"`, `<option value="contains">contains</option>`, "Advanced: JSON"}, nil)
	form := url.Values{"name": {"Floods"}, "position": {"5"}, "trigger": {"request.created"}, "active": {"1"}, "editor": {"rows"},
		"c0.group": {"all"}, "c0.field": {"subject"}, "c0.op": {"contains"}, "c0.value": {"flood"},
		"c1.group": {"all"}, "c1.field": {"priority"}, "c1.op": {"in"}, "c1.value": {"high, urgent"},
		"c2.group": {"any"}, "c2.field": {""}, "c2.op": {"equals"}, "c2.value": {""},
		"a0.type": {"assign_agent"}, "a0.team_id": {itoa(team.ID)}, "a0.strategy": {"random"},
		"a1.type": {"create_task"}, "a1.title": {"Call the customer"}, "a1.due_in_minutes": {"30"},
		"a2.type": {""}, "a2.title": {""}}
	expect(t, "bad strategy", en.post("/admin/rules", form), http.StatusUnprocessableEntity,
		[]string{`class="rule-row action-row invalid" id="act-0"`, "strategy: must be one of round_robin", `value="flood"`, `value="high, urgent"`,
			"Some rows need attention"}, []string{`class="rule-row invalid" id="cond-0"`})
	expect(t, "bad strategy (zh)", zh.post("/admin/rules", form), http.StatusUnprocessableEntity,
		[]string{"部分行需要修改", "strategy:"}, nil)
	form.Set("a0.strategy", "round_robin")
	form.Set("a1.due_in_minutes", "soon")
	expect(t, "due not a number", en.post("/admin/rules", form), http.StatusUnprocessableEntity,
		[]string{`id="act-1"`, "due_in_minutes: Give a number.", `value="soon"`}, nil)
	form.Set("a1.due_in_minutes", "30")
	if res := en.post("/admin/rules", form); res.status != http.StatusSeeOther {
		t.Fatalf("save from rows: got %d\n%.3000s", res.status, res.body)
	}
	list, err := f.m.Rules.List(ctx, model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin})
	if err != nil || len(list) != 1 {
		t.Fatalf("rules: %+v, %v", list, err)
	}
	r := list[0]
	c := r.Conditions
	if len(c.All) != 2 || len(c.Any) != 0 || c.All[0].Field != "subject" || string(c.All[0].Value) != `"flood"` ||
		c.All[1].Op != "in" || string(c.All[1].Value) != `["high","urgent"]` {
		t.Errorf("conditions: %+v", c)
	}
	if len(r.Actions) != 2 || r.Actions[0].Type != "assign_agent" || r.Actions[0].TeamID != team.ID || r.Actions[0].Strategy != "round_robin" ||
		r.Actions[1].Title != "Call the customer" || r.Actions[1].DueInMinutes == nil || *r.Actions[1].DueInMinutes != 30 {
		t.Errorf("actions: %+v", r.Actions)
	}
	page := en.get("/admin/rules/" + itoa(r.ID))
	expect(t, "edit rows", page, http.StatusOK, []string{`name="c0.value" value="flood"`, `name="c1.value" value="high, urgent"`,
		`name="a1.title" value="Call the customer"`, `name="a1.due_in_minutes" value="30"`}, nil)
	if !strings.Contains(page.body, `<option value="round_robin" selected>`) {
		t.Errorf("edit page: the strategy is not selected")
	}
}
