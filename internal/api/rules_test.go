package api_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// Rules through the API: a bad trigger, op or action is 422 naming the
// field; a round-robin rule spreads six new requests two to each agent
// of a team of three; skills given to users route to the qualified one.
func TestRulesAPI(t *testing.T) {
	f := newFixture(t, "")
	bad := []struct {
		body     map[string]any
		location string
	}{
		{map[string]any{"name": "x", "trigger": "request.deleted", "actions": []map[string]any{{"type": "assign_team", "team_id": 1}}}, "body.trigger"},
		{map[string]any{"name": "x", "trigger": "request.created", "conditions": map[string]any{"all": []map[string]any{{"field": "priority", "op": "like", "value": "high"}}},
			"actions": []map[string]any{{"type": "assign_team", "team_id": 1}}}, "body.conditions.all[0].op"},
		{map[string]any{"name": "x", "trigger": "request.created", "actions": []map[string]any{{"type": "explode"}}}, "body.actions[0].type"},
		{map[string]any{"name": "x", "trigger": "request.created", "actions": []map[string]any{{"type": "assign_agent", "team_id": 1, "strategy": "random"}}}, "body.actions[0].strategy"},
	}
	for _, c := range bad {
		res := f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/rules", f.admin, c.body)
		if !strings.Contains(string(res.Body), `"location":"`+c.location+`"`) {
			t.Errorf("%v: got %s, want location %s", c.body, res.Body, c.location)
		}
	}
	f.mustStatus(t, http.StatusForbidden, "POST", "/api/v1/rules", f.manager, bad[0].body)

	var team api.Team
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/teams", f.admin, map[string]any{"name": "Washers"}).JSON(t, &team)
	var agents []api.User
	for i, skills := range [][]map[string]any{{{"skill": "washer", "level": 2}}, {{"skill": "washer", "level": 5}}, nil} {
		var u api.User
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/users", f.admin, map[string]any{"email": "w" + itoa(int64(i)) + "@example.com",
			"name": "Washer " + itoa(int64(i)), "role": "agent", "password": "long enough", "team_id": team.ID, "skills": skills}).JSON(t, &u)
		agents = append(agents, u)
	}
	if len(agents[1].Skills) != 1 || agents[1].Skills[0] != (api.Skill{Skill: "washer", Level: 5}) {
		t.Errorf("created user's skills: %+v", agents[1].Skills)
	}
	res := f.mustStatus(t, http.StatusUnprocessableEntity, "PATCH", "/api/v1/users/"+itoa(agents[2].ID), f.admin,
		map[string]any{"skills": []map[string]any{{"skill": "washer", "level": 9}}})
	if !strings.Contains(string(res.Body), `"location":"body.skills[0].level"`) {
		t.Errorf("level 9: %s", res.Body)
	}

	var rr api.Rule
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/rules", f.admin, map[string]any{"name": "Spread", "position": 1,
		"trigger": "request.created", "conditions": map[string]any{"all": []map[string]any{{"field": "subject", "op": "contains", "value": "spread"}}},
		"actions": []map[string]any{{"type": "assign_agent", "team_id": team.ID, "strategy": "round_robin"}}}).JSON(t, &rr)
	got := map[int64]int{}
	for range 6 {
		r := f.newRequest(t, f.aliceID, "please spread me")
		if r.AssigneeID == nil {
			t.Fatalf("request %s not assigned by the rule", r.Number)
		}
		got[*r.AssigneeID]++
	}
	for _, a := range agents {
		if got[a.ID] != 2 {
			t.Errorf("agent %s got %d of six, want 2 (%v)", a.Name, got[a.ID], got)
		}
	}
	f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/rules/"+itoa(rr.ID), f.admin, map[string]any{"active": false})
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/rules", f.admin, map[string]any{"name": "Experts", "position": 2,
		"trigger": "request.created", "actions": []map[string]any{{"type": "assign_agent", "team_id": team.ID, "strategy": "skill",
			"skill": "washer", "min_level": 4}}})
	r := f.newRequest(t, f.aliceID, "needs an expert")
	if r.AssigneeID == nil || *r.AssigneeID != agents[1].ID {
		t.Errorf("skill rule assigned %v, want %d (washer 5)", r.AssigneeID, agents[1].ID)
	}
	d := f.getRequest(t, f.agent, r.Number)
	found := false
	for _, ev := range d.Timeline {
		if ev.Kind == "rule" && ev.OldValue == "Experts" {
			found = true
		}
	}
	if !found {
		t.Errorf("timeline of %s has no entry of rule Experts", r.Number)
	}
	var list []api.Rule
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/rules", f.admin, nil).JSON(t, &list)
	if len(list) != 2 || list[0].Name != "Spread" || list[0].Active {
		t.Errorf("rules: %+v", list)
	}
}

// A device token posts events (202) and nothing else: every other
// operation refuses it. Three E12 within a day open one request for the
// unit's owner (channel device); a fourth opens nothing new.
func TestDeviceTokenOnlyPostsEvents(t *testing.T) {
	f := newFixture(t, "")
	secret, _, err := f.Auth.CreateToken(context.Background(), model.Principal{Kind: model.KindOperator, Name: "test"},
		auth.TokenOwner{Device: "washer-fleet"}, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/rules", f.admin, map[string]any{"name": "E12 thrice",
		"trigger": "device.event", "conditions": map[string]any{"all": []map[string]any{{"field": "code", "op": "equals", "value": "E12"},
			{"field": "count_24h", "op": "greater_than", "value": 2}}},
		"actions": []map[string]any{{"type": "create_request", "request_type": "repair", "priority": "high"}}})
	now := time.Now().UTC()
	device := func() []api.Request {
		var page struct {
			Items []api.Request `json:"items"`
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?limit=100", f.alice, nil).JSON(t, &page)
		var out []api.Request
		for _, r := range page.Items {
			if r.Channel == model.ChannelDevice {
				out = append(out, r)
			}
		}
		return out
	}
	for i := range 4 {
		f.mustStatus(t, http.StatusAccepted, "POST", "/api/v1/devices/events", secret, map[string]any{"serial": f.serial,
			"code": "E12", "value": 71.5, "at": now.Add(time.Duration(i-4) * time.Hour).Format(time.RFC3339)})
		if n, want := len(device()), min(i/2, 1); n != want {
			t.Errorf("after %d E12: %d device requests, want %d", i+1, n, want)
		}
	}
	if rs := device(); len(rs) == 1 && rs[0].Priority != model.PriorityHigh {
		t.Errorf("device request %+v, want high priority", rs[0])
	}
	res := f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/devices/events", secret, map[string]any{"serial": f.serial, "code": "E12"})
	if !strings.Contains(string(res.Body), "body.at") {
		t.Errorf("event without at: %s", res.Body)
	}
	f.mustStatus(t, http.StatusForbidden, "POST", "/api/v1/devices/events", f.admin,
		map[string]any{"serial": f.serial, "code": "E12", "at": now.Format(time.RFC3339)})

	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	f.mustStatus(t, http.StatusOK, "GET", "/api/openapi.json", "", nil).JSON(t, &doc)
	var ops []string
	for path, methods := range doc.Paths {
		for m := range methods {
			ops = append(ops, strings.ToUpper(m)+" "+path)
		}
	}
	sort.Strings(ops)
	for _, op := range ops {
		if op == "POST /api/v1/devices/events" || strings.HasPrefix(op, "GET /api/openapi") || apiAccess()[op] == open || apiAccess()[op] == public {
			continue
		}
		method, path, _ := strings.Cut(op, " ")
		path = strings.NewReplacer("{", "", "}", "").Replace(path)
		if got := f.Do(t, method, path, secret, map[string]any{}).Status; got != http.StatusForbidden {
			t.Errorf("%s with a device token: got %d, want 403", op, got)
		}
	}
}
