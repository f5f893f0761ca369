package rules_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/rules"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

var (
	admin    = model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin}
	device   = model.Principal{Kind: model.KindDevice, ID: 1, Name: "washer-fleet"}
	customer = store.Actor{Kind: model.AuthorCustomer, Name: "Customer", Channel: model.ChannelWeb}
)

// env is a store with the rules hooked in, a team of three agents, a
// customer owning a washing machine (serial WM-1) and a second one.
type env struct {
	st     *store.Store
	svc    *rules.Service
	team   int64
	agents []int64
	owner  int64
}

func setup(t *testing.T, d store.Dialect) *env {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t, d)
	svc := rules.New(st, nil, nil, nil)
	svc.Start()
	e := &env{st: st, svc: svc}
	team := &model.Team{Name: "Washers"}
	if err := st.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	e.team = team.ID
	for i := range 3 {
		u := &model.User{Email: fmt.Sprintf("agent%d@example.com", i), Name: fmt.Sprintf("Agent %d", i),
			Role: model.RoleAgent, TeamID: &team.ID, Locale: "en", Active: true}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		e.agents = append(e.agents, u.ID)
	}
	c := &model.Customer{Name: "Owner", Phone: "13800000001", Locale: "en"}
	if err := st.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	e.owner = c.ID
	if err := st.CreateProduct(ctx, &model.Product{SKU: "WM", Name: "Washer", Category: "washing_machine", WarrantyMonths: 12}, nil); err != nil {
		t.Fatal(err)
	}
	for _, serial := range []string{"WM-1", "WM-2"} {
		if err := st.CreateUnit(ctx, &model.Unit{Serial: serial, SKU: "WM", CustomerID: c.ID, PurchasedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *env) rule(t *testing.T, in rules.Input) *model.Rule {
	t.Helper()
	in.Active = true
	r, err := e.svc.Create(context.Background(), admin, in)
	if err != nil {
		t.Fatalf("create rule %q: %v", in.Name, err)
	}
	return r
}

func (e *env) create(t *testing.T, serial string) *model.Request {
	t.Helper()
	r, err := e.st.CreateRequest(context.Background(), store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
		Channel: model.ChannelWeb, Subject: "Broken", CustomerID: e.owner, Serial: serial}, customer)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func cond(field, op string, v any) model.RuleCondition {
	b, _ := json.Marshal(v)
	return model.RuleCondition{Field: field, Op: op, Value: b}
}

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) { fn(t, setup(t, d)) })
	}
}

// Round robin within a team of three gives two of six new requests to
// each, and says so on each request's timeline under the rule's name.
func TestRoundRobin(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.rule(t, rules.Input{Name: "Spread", Trigger: model.TriggerRequestCreated,
			Actions: []model.RuleAction{{Type: model.ActAssignAgent, TeamID: e.team, Strategy: model.StrategyRoundRobin}}})
		got := map[int64]int{}
		for range 6 {
			r := e.create(t, "")
			if r.AssigneeID == nil || r.TeamID == nil || *r.TeamID != e.team {
				t.Fatalf("request %s: assignee %v team %v, want one of the team", r.Number, r.AssigneeID, r.TeamID)
			}
			got[*r.AssigneeID]++
		}
		for _, a := range e.agents {
			if got[a] != 2 {
				t.Errorf("agent %d got %d requests, want 2 (all: %v)", a, got[a], got)
			}
		}
		r := e.create(t, "")
		evs, err := e.st.Events(context.Background(), r.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		logged := false
		for _, ev := range evs {
			if ev.Kind == "rule" && ev.OldValue == "Spread" && strings.HasPrefix(ev.NewValue, "assign_agent") {
				logged = true
			}
		}
		if !logged {
			t.Errorf("timeline has no entry of rule Spread: %+v", evs)
		}
	})
}

// Skill routing picks the agent qualified at the level asked, for the
// product's category; least_loaded the agent with the least open work.
func TestSkillAndLeastLoaded(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		skills := [][]model.Skill{{{Skill: "washing_machine", Level: 2}}, {{Skill: "washing_machine", Level: 4}}, nil}
		for i, ks := range skills {
			if _, _, err := e.st.UpdateUser(ctx, e.agents[i], model.UserPatch{Skills: &ks}); err != nil {
				t.Fatal(err)
			}
		}
		e.rule(t, rules.Input{Name: "Experts", Trigger: model.TriggerRequestCreated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("product.category", model.OpEquals, "washing_machine")}},
			Actions:    []model.RuleAction{{Type: model.ActAssignAgent, TeamID: e.team, Strategy: model.StrategySkill, MinLevel: 3}}})
		r := e.create(t, "WM-1")
		if r.AssigneeID == nil || *r.AssigneeID != e.agents[1] {
			t.Errorf("skill routing assigned %v, want agent %d (level 4)", r.AssigneeID, e.agents[1])
		}
		// Without a unit the condition fails: no assignment.
		if r := e.create(t, ""); r.AssigneeID != nil {
			t.Errorf("request without a washer assigned to %d", *r.AssigneeID)
		}
		// Agent 1 has one open request now; give agent 0 two more.
		for range 2 {
			r := e.create(t, "")
			a := e.agents[0]
			if _, err := e.st.PatchRequest(ctx, r.Number, model.RequestPatch{AssigneeID: &a, Version: r.Version}, customer); err != nil {
				t.Fatal(err)
			}
		}
		e.rule(t, rules.Input{Name: "Least", Position: 1, Trigger: model.TriggerMessageReceived,
			Actions: []model.RuleAction{{Type: model.ActAssignAgent, TeamID: e.team, Strategy: model.StrategyLeastLoaded}}})
		r = e.create(t, "")
		m := &model.Message{AuthorKind: model.AuthorCustomer, AuthorName: "Owner", Visibility: model.VisibilityPublic,
			Channel: model.ChannelWeb, Body: "any news?"}
		if err := e.st.AddMessage(ctx, r.Number, m, nil, nil, customer, store.UploadLimits{}); err != nil {
			t.Fatal(err)
		}
		r, _ = e.st.RequestByNumber(ctx, r.Number)
		if r.AssigneeID == nil || *r.AssigneeID != e.agents[2] {
			t.Errorf("least_loaded assigned %v, want agent %d (no open work)", r.AssigneeID, e.agents[2])
		}
	})
}

// Rules that undo each other stop: each fires once per chain.
func TestNoLoop(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		set := func(p string) []model.RuleAction {
			return []model.RuleAction{{Type: model.ActSet, Field: "priority", Value: p}}
		}
		e.rule(t, rules.Input{Name: "Raise", Trigger: model.TriggerRequestCreated, Actions: set("high")})
		e.rule(t, rules.Input{Name: "Escalate", Trigger: model.TriggerRequestUpdated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("priority", model.OpEquals, "high")}}, Actions: set("urgent")})
		e.rule(t, rules.Input{Name: "Calm", Trigger: model.TriggerRequestUpdated,
			Conditions: model.RuleConditions{Any: []model.RuleCondition{cond("priority", model.OpIn, []string{"urgent"})}}, Actions: set("high")})
		r := e.create(t, "")
		if r.Priority != model.PriorityHigh {
			t.Errorf("priority %s, want high (Raise, Escalate, Calm, then stop)", r.Priority)
		}
		evs, _ := e.st.Events(context.Background(), r.ID, true)
		fired := map[string]int{}
		for _, ev := range evs {
			if ev.Kind == "rule" {
				fired[ev.OldValue]++
			}
		}
		if fired["Raise"] != 1 || fired["Escalate"] != 1 || fired["Calm"] != 1 {
			t.Errorf("rules fired %v, want each once", fired)
		}
	})
}

// Three E12 events for one serial within a day open one proactive
// request for the owner (channel device); a fourth opens nothing new.
// Concurrent events for another serial open exactly one too.
func TestDeviceEvents(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.rule(t, rules.Input{Name: "E12 thrice", Trigger: model.TriggerDeviceEvent,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("code", model.OpEquals, "E12"),
				cond("count_24h", model.OpGreaterThan, 2)}},
			Actions: []model.RuleAction{{Type: model.ActCreateRequest, RequestType: "repair"},
				{Type: model.ActAssignTeam, TeamID: e.team}}})
		post := func(serial, code string, at time.Time) *model.DeviceEvent {
			ev, err := e.svc.RecordEvent(ctx, device, rules.EventInput{Serial: serial, Code: code, At: at})
			if err != nil {
				t.Fatal(err)
			}
			return ev
		}
		count := func(serial string) []model.Request {
			page, err := e.st.ListRequests(ctx, model.RequestFilter{CustomerID: e.owner, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var out []model.Request
			for _, r := range page.Items {
				if r.Channel == model.ChannelDevice && r.Serial == serial {
					out = append(out, r)
				}
			}
			return out
		}
		now := time.Now().UTC()
		post("WM-1", "E12", now.Add(-30*time.Hour)) // outside the 24 hours
		post("WM-1", "E07", now.Add(-3*time.Hour))  // another code
		post("WM-1", "E12", now.Add(-2*time.Hour))
		if ev := post("WM-1", "E12", now.Add(-time.Hour)); ev.Count24h != 2 || len(count("WM-1")) != 0 {
			t.Fatalf("after two E12 in 24 h: count_24h %d, %d requests; want 2 and none", ev.Count24h, len(count("WM-1")))
		}
		if ev := post("WM-1", "E12", now); ev.Count24h != 3 {
			t.Errorf("count_24h %d, want 3", ev.Count24h)
		}
		got := count("WM-1")
		if len(got) != 1 {
			t.Fatalf("three E12 opened %d requests, want 1", len(got))
		}
		if r := got[0]; r.Type != model.TypeRepair || r.CustomerID != e.owner || r.TeamID == nil || *r.TeamID != e.team {
			t.Errorf("proactive request %+v: want a repair for the owner, in the team", r)
		}
		post("WM-1", "E12", now.Add(time.Minute))
		if n := len(count("WM-1")); n != 1 {
			t.Errorf("a fourth E12 left %d requests, want still 1", n)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.svc.RecordEvent(ctx, device, rules.EventInput{Serial: "WM-2", Code: "E12", At: now}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := len(count("WM-2")); n != 1 {
			t.Errorf("eight concurrent E12 opened %d requests, want 1", n)
		}
		if _, err := e.svc.RecordEvent(ctx, admin, rules.EventInput{Serial: "WM-1", Code: "E12", At: now}); model.ErrorCode(err) != model.EFORBIDDEN {
			t.Errorf("staff posting a device event: %v, want forbidden", err)
		}
	})
}

// A bad trigger, field, op or action is refused naming the field.
func TestValidation(t *testing.T) {
	ok := []model.RuleAction{{Type: model.ActAssignTeam, TeamID: 1}}
	cases := []struct {
		name  string
		in    rules.Input
		field string
	}{
		{"trigger", rules.Input{Name: "x", Trigger: "request.deleted", Actions: ok}, "trigger"},
		{"op", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated, Actions: ok,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("priority", "like", "high")}}}, "conditions.all[0].op"},
		{"field", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated, Actions: ok,
			Conditions: model.RuleConditions{Any: []model.RuleCondition{cond("colour", model.OpEquals, "red")}}}, "conditions.any[0].field"},
		{"device field on request", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated, Actions: ok,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("count_24h", model.OpGreaterThan, 2)}}}, "conditions.all[0].field"},
		{"in needs a list", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated, Actions: ok,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("priority", model.OpIn, "high")}}}, "conditions.all[0].value"},
		{"action", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated,
			Actions: []model.RuleAction{{Type: "delete"}}}, "actions[0].type"},
		{"strategy", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated,
			Actions: []model.RuleAction{{Type: model.ActAssignAgent, TeamID: 1, Strategy: "random"}}}, "actions[0].strategy"},
		{"set field", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated,
			Actions: []model.RuleAction{{Type: model.ActSet, Field: "status", Value: "closed"}}}, "actions[0].field"},
		{"idle minutes", rules.Input{Name: "x", Trigger: model.TriggerRequestIdle, Actions: ok}, "idle_minutes"},
		{"create_request outside devices", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated,
			Actions: []model.RuleAction{{Type: model.ActCreateRequest, RequestType: "repair"}}}, "actions[0].type"},
		{"reply template", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated,
			Actions: []model.RuleAction{{Type: model.ActReply, Template: "Hi {{.Nope}}"}}}, "actions[0].template"},
		{"no actions", rules.Input{Name: "x", Trigger: model.TriggerRequestCreated}, "actions"},
	}
	for _, c := range cases {
		_, err := rules.Validate(c.in)
		var me *model.Error
		if err == nil || !asModel(err, &me) || me.Field != c.field {
			t.Errorf("%s: got %v, want an error naming %s", c.name, err, c.field)
		}
	}
}

func asModel(err error, me **model.Error) bool {
	e, ok := err.(*model.Error)
	*me = e
	return ok
}

// add_tag tags the request (normalised); a later rule of the same event
// sees the tag.
func TestTags(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.rule(t, rules.Input{Name: "Tag floods", Position: 1, Trigger: model.TriggerRequestCreated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("subject", model.OpContains, "flood")}},
			Actions:    []model.RuleAction{{Type: model.ActAddTag, Tag: "Water  Damage"}}})
		e.rule(t, rules.Input{Name: "Floods are urgent", Position: 2, Trigger: model.TriggerRequestCreated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("tags", model.OpContains, "water-damage")}},
			Actions:    []model.RuleAction{{Type: model.ActSet, Field: "priority", Value: "urgent"}}})
		r, err := e.st.CreateRequest(context.Background(), store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
			Channel: model.ChannelWeb, Subject: "Flood in the kitchen", CustomerID: e.owner}, customer)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Tags) != 1 || r.Tags[0] != "water-damage" || r.Priority != model.PriorityUrgent {
			t.Errorf("tags %v priority %s, want [water-damage] and urgent", r.Tags, r.Priority)
		}
		if r := e.create(t, ""); len(r.Tags) != 0 || r.Priority != model.PriorityNormal {
			t.Errorf("a request without flood: tags %v priority %s", r.Tags, r.Priority)
		}
	})
}

// Tag changes are updates: a person's tag change and the bulk bar's
// add_tags run the request.updated rules, as a field change does; a
// rule whose own add_tag is a tag change fires once, not in a loop.
func TestTagChangesFireUpdated(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.rule(t, rules.Input{Name: "VIP is urgent", Position: 1, Trigger: model.TriggerRequestUpdated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("tags", model.OpContains, "vip")}},
			Actions:    []model.RuleAction{{Type: model.ActSet, Field: "priority", Value: "urgent"}}})
		e.rule(t, rules.Input{Name: "Mark seen", Position: 2, Trigger: model.TriggerRequestUpdated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("tags", model.OpContains, "vip")}},
			Actions:    []model.RuleAction{{Type: model.ActAddTag, Tag: "seen"}}})
		agent := store.Actor{Kind: model.AuthorStaff, Name: "Agent", Channel: model.ChannelWeb}
		r := e.create(t, "")
		got, err := e.st.ChangeTags(ctx, r.Number, []string{"vip"}, nil, agent)
		if err != nil {
			t.Fatal(err)
		}
		if got.Priority != model.PriorityUrgent || !slicesEqual(got.Tags, []string{"seen", "vip"}) {
			t.Errorf("after tagging vip: priority %s tags %v, want urgent and [seen vip]", got.Priority, got.Tags)
		}
		evs, err := e.st.Events(ctx, r.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		fired := map[string]int{}
		for _, ev := range evs {
			if ev.Kind == "rule" {
				fired[ev.OldValue]++
			}
		}
		if fired["VIP is urgent"] != 1 || fired["Mark seen"] != 1 {
			t.Errorf("rules fired %v, want each once", fired)
		}
		// The bulk bar's add_tags.
		b := e.create(t, "")
		if err := e.st.ApplyBulk(ctx, b.Number, store.BulkSet{AddTags: []string{"vip"}}, agent, nil); err != nil {
			t.Fatal(err)
		}
		after, err := e.st.RequestByNumber(ctx, b.Number)
		if err != nil {
			t.Fatal(err)
		}
		if after.Priority != model.PriorityUrgent {
			t.Errorf("after bulk add_tags vip: priority %s, want urgent", after.Priority)
		}
		// A tag that is not vip changes nothing.
		c := e.create(t, "")
		if got, err := e.st.ChangeTags(ctx, c.Number, []string{"screen"}, nil, agent); err != nil || got.Priority != model.PriorityNormal {
			t.Errorf("after tagging screen: %v, %v; want priority normal", got, err)
		}
	})
}

func slicesEqual(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }
