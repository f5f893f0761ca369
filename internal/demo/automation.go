package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/rules"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store"
)

// The demo's connected unit: the demo customer's washing machine reports
// error code E12 three times within a day, which opens a proactive
// repair request (channel device) in their portal.
const (
	demoDevice   = "demo-gateway"
	proactiveTag = "proactive"
)

// skillCategories are the product categories staff are qualified on.
var skillCategories = []string{catCamera, catLens, catPhone, catAppliance, catAudio}

// makeSkills gives staff their qualifications (任职资格): technicians a
// level 1–5 in two or three product categories (each centre has an
// expert, level 5, in each category), agents a level in the product
// categories they answer for and in the languages they write. It draws
// from its own generator, so the rest of the demo stays as it was.
func (g *gen) makeSkills(rnd *rand.Rand) map[int64][]model.Skill {
	out := map[int64][]model.Skill{}
	add := func(u int, skill string, level int) {
		id := g.staff.users[u].ID
		for i, k := range out[id] {
			if k.Skill == skill {
				out[id][i].Level = max(k.Level, level)
				return
			}
		}
		out[id] = append(out[id], model.Skill{Skill: skill, Level: level})
	}
	for team, techs := range g.staff.techs {
		for k, u := range techs {
			for c := range 3 {
				if c == 2 && rnd.IntN(2) == 0 {
					continue
				}
				add(u, skillCategories[(k+c+team)%len(skillCategories)], 1+rnd.IntN(4))
			}
		}
		// The centre's expert in each category.
		for c, cat := range skillCategories {
			add(techs[(c+team)%len(techs)], cat, 5)
		}
	}
	for _, agents := range g.staff.agents {
		for k, u := range agents {
			add(u, "zh-CN", 5)
			lang := 2 + rnd.IntN(2)
			if k == 1 {
				lang = 4 + rnd.IntN(2) // the centre's English-speaking agent
			}
			add(u, "en", lang)
			add(u, skillCategories[k%len(skillCategories)], 2+rnd.IntN(3))
		}
	}
	for _, u := range g.staff.users {
		if u.TeamID != nil && g.staff.teams[*u.TeamID-1].Name == overseasTeam {
			i := int(u.ID - 1)
			add(i, "en", 5)
			add(i, "zh-CN", 2)
			add(i, catPhone, 3)
		}
	}
	return out
}

func raw(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // demo literals only
	}
	return b
}

func cond(field, op string, v any) model.RuleCondition {
	return model.RuleCondition{Field: field, Op: op, Value: raw(v)}
}

// demoRules are the automation rules a visitor finds on /admin/rules:
// the device rule the issue describes, tagging and routing by category,
// product and tier, escalation on a breach, and an idle follow-up
// (inactive, so the demo's open requests stay as seeded until an admin
// switches it on).
func (g *gen) demoRules() []rules.Input {
	var hw []int64
	for _, top := range categoryTree {
		if top.key != "hw" {
			continue
		}
		hw = append(hw, g.catID[top.key])
		for _, c := range top.children {
			hw = append(hw, g.catID[c.key])
		}
	}
	manager := g.staff.users[g.staff.managers[0]].ID
	idle := 480
	due := func(m int) *int { return &m }
	return []rules.Input{
		{Name: "E12 三次/24 小时 → 主动报修 · E12 three times in 24 h → proactive repair", Position: 10, Active: true,
			Trigger: model.TriggerDeviceEvent,
			Conditions: model.RuleConditions{All: []model.RuleCondition{
				cond("code", model.OpEquals, "E12"), cond("count_24h", model.OpGreaterThan, 2)}},
			Actions: []model.RuleAction{{Type: model.ActCreateRequest, RequestType: string(model.TypeRepair), Priority: string(model.PriorityHigh)},
				{Type: model.ActAddTag, Tag: proactiveTag},
				{Type: model.ActCreateTask, Title: "致电客户预约上门检修 / Call the customer to book a visit", DueInMinutes: due(240)}}},
		{Name: "硬件故障打标签 · Tag hardware faults", Position: 20, Active: true, Trigger: model.TriggerRequestCreated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("category_id", model.OpIn, hw)}},
			Actions:    []model.RuleAction{{Type: model.ActAddTag, Tag: "hardware"}}},
		{Name: "相机维修按技能派单（北京）· Camera repairs to the best qualified technician (Beijing)", Position: 30, Active: true,
			Trigger: model.TriggerRequestCreated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("type", model.OpEquals, "repair"),
				cond("product.category", model.OpEquals, catCamera), cond("team_id", model.OpEquals, 1)}},
			Actions: []model.RuleAction{{Type: model.ActAssignAgent, TeamID: 1, Strategy: model.StrategySkill, MinLevel: 3}}},
		{Name: "尊享客户加急 · Premium customers: urgent work flagged", Position: 40, Active: true, Trigger: model.TriggerRequestCreated,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("customer.tier", model.OpEquals, "premium"),
				cond("priority", model.OpIn, []string{"high", "urgent"})}},
			Actions: []model.RuleAction{{Type: model.ActAddTag, Tag: "vip"}, {Type: model.ActNotify, UserID: manager}}},
		{Name: "退款咨询打标签 · Tag refund questions", Position: 50, Active: true, Trigger: model.TriggerMessageReceived,
			Conditions: model.RuleConditions{Any: []model.RuleCondition{cond("subject", model.OpContains, "退款"),
				cond("subject", model.OpContains, "refund")}},
			Actions: []model.RuleAction{{Type: model.ActAddTag, Tag: "refund"}}},
		{Name: "SLA 即将超时提醒 · SLA warning: tell the manager", Position: 60, Active: true, Trigger: model.TriggerSLAWarning,
			Actions: []model.RuleAction{{Type: model.ActNotify, UserID: manager}}},
		{Name: "SLA 超时升级 · SLA breached: escalate", Position: 70, Active: true, Trigger: model.TriggerSLABreached,
			Actions: []model.RuleAction{{Type: model.ActAddTag, Tag: "sla-breached"}, {Type: model.ActNotify, UserID: manager}}},
		{Name: "待客户回复超过一个工作日 → 跟进任务 · Waiting on the customer a business day → follow-up task", Position: 80,
			Trigger: model.TriggerRequestIdle, IdleMinutes: &idle,
			Conditions: model.RuleConditions{All: []model.RuleCondition{cond("status", model.OpEquals, "pending")}},
			Actions:    []model.RuleAction{{Type: model.ActCreateTask, Title: "跟进客户 / Chase the customer", DueInMinutes: due(120)}}},
	}
}

// seedAutomation gives staff their skills, stores the demo's rules and
// plays the device events of a few units, the last of which opens the
// proactive request. It runs after everything else, so no rule touches
// the seeded history. It returns the rules, the staff with skills, the
// device events and the proactive requests opened.
func (g *gen) seedAutomation(ctx context.Context, st *store.Store, seed uint64) (nRules, nSkilled, nEvents, opened int, err error) {
	skills := g.makeSkills(newRand(seed ^ 0x736b696c6c))
	if err := st.SetSkills(ctx, skills); err != nil {
		return 0, 0, 0, 0, err
	}
	admin := model.Principal{Kind: model.KindStaff, Name: "demo", Role: model.RoleAdmin}
	cals := calendar.NewService(st)
	svc := rules.New(st, cals, nil, nil)
	for _, in := range g.demoRules() {
		if _, err := svc.Create(ctx, admin, in); err != nil {
			return 0, 0, 0, 0, fmt.Errorf("rule %s: %w", in.Name, err)
		}
		nRules++
	}
	// The demo customer's washer reports E12 three times within a day;
	// two other units report codes that open nothing (once, or twice).
	if len(g.units) < 3 {
		return nRules, len(skills), 0, 0, nil
	}
	// The demo customer's washing machine (see makeUnits), and two units
	// of other customers when there are any.
	mine, other1, other2 := g.units[2].Serial, g.units[0].Serial, g.units[1].Serial
	if n := len(g.units); n > 4 {
		other1, other2 = g.units[n/2].Serial, g.units[n-1].Serial
	}
	now := g.now
	v := 87.5
	events := []rules.EventInput{
		{Serial: other1, Code: "E03", At: now.Add(-30 * time.Hour)},
		{Serial: other1, Code: "E12", At: now.Add(-20 * time.Hour)},
		{Serial: other1, Code: "E12", At: now.Add(-3 * time.Hour)},
		{Serial: other2, Code: "T01", Value: &v, At: now.Add(-6 * time.Hour)},
		{Serial: mine, Code: "E12", At: now.Add(-22 * time.Hour)},
		{Serial: mine, Code: "E12", At: now.Add(-9 * time.Hour)},
		{Serial: mine, Code: "E12", At: now.Add(-40 * time.Minute)},
	}
	device := model.Principal{Kind: model.KindDevice, Name: demoDevice}
	for _, e := range events {
		if _, err := svc.RecordEvent(ctx, device, e); err != nil {
			return 0, 0, 0, 0, fmt.Errorf("device event %s %s: %w", e.Serial, e.Code, err)
		}
	}
	ids, err := st.DeviceRequestIDs(ctx)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	// Without the app's hooks (aftercare demo) the new request has no
	// clocks yet.
	clocks := sla.New(st, cals, nil)
	for _, id := range ids {
		if err := clocks.Rebuild(ctx, id); err != nil {
			return 0, 0, 0, 0, err
		}
	}
	return nRules, len(skills), len(events), len(ids), nil
}
