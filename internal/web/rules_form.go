package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/rules"
)

// condRow is one condition row of the rule form, as typed: group (all or
// any), field, op and the value as text (a list for "in": comma-separated).
type condRow struct {
	Group, Field, Op, Value string
	Err                     string
}

// actRow is one action row of the rule form: its type and every
// parameter an action may take; each type reads the ones it needs.
type actRow struct {
	Type, TeamID, Strategy, Field, Value, Tag, UserID, Template, Title, DueIn, RequestType, Priority, Skill, MinLevel string
	Err                                                                                                               string
}

// Blank rows the form offers beyond the rule's own.
const (
	spareConds = 2
	spareActs  = 1
)

// numericFields are the condition fields whose values are numbers.
var numericFields = []string{"category_id", "team_id", "assignee_id", "count_24h", "value"}

// rowsOf turns a rule's conditions and actions into form rows.
func rowsOf(c model.RuleConditions, acts []model.RuleAction) ([]condRow, []actRow) {
	var conds []condRow
	for _, g := range []struct {
		name string
		list []model.RuleCondition
	}{{"all", c.All}, {"any", c.Any}} {
		for _, x := range g.list {
			conds = append(conds, condRow{Group: g.name, Field: x.Field, Op: x.Op, Value: valueText(x.Value)})
		}
	}
	var rows []actRow
	for _, a := range acts {
		row := actRow{Type: a.Type, Strategy: a.Strategy, Field: a.Field, Tag: a.Tag, Template: a.Template, Title: a.Title,
			RequestType: a.RequestType, Priority: a.Priority, Skill: a.Skill}
		if a.TeamID > 0 {
			row.TeamID = strconv.FormatInt(a.TeamID, 10)
		}
		if a.UserID > 0 {
			row.UserID = strconv.FormatInt(a.UserID, 10)
		}
		if a.MinLevel > 0 {
			row.MinLevel = strconv.Itoa(a.MinLevel)
		}
		if a.DueInMinutes != nil {
			row.DueIn = strconv.Itoa(*a.DueInMinutes)
		}
		if a.Value != nil {
			row.Value = fmt.Sprint(a.Value)
		}
		rows = append(rows, row)
	}
	return conds, rows
}

// valueText shows a condition's JSON value as typed: a string as is, a
// list comma-separated.
func valueText(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, x := range list {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// withSpares adds the blank rows the form offers.
func withSpares(conds []condRow, acts []actRow) ([]condRow, []actRow) {
	for range spareConds {
		conds = append(conds, condRow{Group: "all"})
	}
	for range spareActs {
		acts = append(acts, actRow{})
	}
	return conds, acts
}

// readRows reads the posted rows c0.field … and a0.type … (as many as
// were posted, up to the rules' limits).
func readRows(vals url.Values) ([]condRow, []actRow) {
	g := func(k string) string { return strings.TrimSpace(vals.Get(k)) }
	var conds []condRow
	for i := 0; i < rules.MaxConditions+spareConds && vals.Has(fmt.Sprintf("c%d.field", i)); i++ {
		p := fmt.Sprintf("c%d.", i)
		conds = append(conds, condRow{Group: g(p + "group"), Field: g(p + "field"), Op: g(p + "op"), Value: g(p + "value")})
	}
	var acts []actRow
	for i := 0; i < rules.MaxActions+spareActs && vals.Has(fmt.Sprintf("a%d.type", i)); i++ {
		p := fmt.Sprintf("a%d.", i)
		acts = append(acts, actRow{Type: g(p + "type"), TeamID: g(p + "team_id"), Strategy: g(p + "strategy"), Field: g(p + "field"),
			Value: g(p + "value"), Tag: g(p + "tag"), UserID: g(p + "user_id"), Template: strings.TrimSpace(vals.Get(p + "template")),
			Title: g(p + "title"), DueIn: g(p + "due_in_minutes"), RequestType: g(p + "request_type"), Priority: g(p + "priority"),
			Skill: g(p + "skill"), MinLevel: g(p + "min_level")})
	}
	return conds, acts
}

// rowMap says which form row each condition (by "all[0]") and action
// (by its index) of the built rule came from, so that an error names
// its row.
type rowMap struct {
	conds map[string]int
	acts  []int
}

// buildFromRows makes the rule's conditions and actions from the rows,
// skipping blank ones. A number that is not one is an error on its row
// (row index, message).
func buildFromRows(conds []condRow, acts []actRow) (model.RuleConditions, []model.RuleAction, rowMap, *rowError) {
	var c model.RuleConditions
	m := rowMap{conds: map[string]int{}}
	for i, row := range conds {
		if row.Field == "" && row.Value == "" {
			continue
		}
		numeric := slices.Contains(numericFields, row.Field) || row.Op == model.OpGreaterThan || row.Op == model.OpLessThan
		one := func(s string) any {
			s = strings.TrimSpace(s)
			if numeric {
				if f, err := strconv.ParseFloat(s, 64); err == nil {
					return f
				}
			}
			return s
		}
		var v any
		if row.Op == model.OpIn {
			var list []any
			for item := range strings.SplitSeq(strings.ReplaceAll(row.Value, "，", ","), ",") {
				if item = strings.TrimSpace(item); item != "" {
					list = append(list, one(item))
				}
			}
			v = list
		} else if row.Value != "" {
			v = one(row.Value)
		}
		raw, _ := json.Marshal(v)
		x := model.RuleCondition{Field: row.Field, Op: row.Op, Value: raw}
		if row.Group == "any" {
			m.conds[fmt.Sprintf("any[%d]", len(c.Any))] = i
			c.Any = append(c.Any, x)
		} else {
			m.conds[fmt.Sprintf("all[%d]", len(c.All))] = i
			c.All = append(c.All, x)
		}
	}
	var out []model.RuleAction
	for i, row := range acts {
		if row.Type == "" {
			continue
		}
		a := model.RuleAction{Type: row.Type, Strategy: row.Strategy, Field: row.Field, Tag: row.Tag, Template: row.Template,
			Title: row.Title, RequestType: row.RequestType, Priority: row.Priority, Skill: row.Skill}
		for _, n := range []struct {
			name, text string
			set        func(int64)
		}{
			{"team_id", row.TeamID, func(v int64) { a.TeamID = v }},
			{"user_id", row.UserID, func(v int64) { a.UserID = v }},
			{"min_level", row.MinLevel, func(v int64) { a.MinLevel = int(v) }},
			{"due_in_minutes", row.DueIn, func(v int64) { d := int(v); a.DueInMinutes = &d }},
		} {
			if n.text == "" {
				continue
			}
			v, err := strconv.ParseInt(n.text, 10, 64)
			if err != nil {
				return c, nil, m, &rowError{act: true, row: i, field: n.name}
			}
			n.set(v)
		}
		if row.Type == model.ActSet {
			a.Value = row.Value
			if row.Field == "category_id" {
				if v, err := strconv.ParseInt(row.Value, 10, 64); err == nil {
					a.Value = float64(v)
				}
			}
		}
		m.acts = append(m.acts, i)
		out = append(out, a)
	}
	return c, out, m, nil
}

// rowError is a number that is not one, on a form row.
type rowError struct {
	act   bool
	row   int
	field string
}

var ruleFieldPath = regexp.MustCompile(`^(conditions)\.((?:all|any)\[\d+\])\.?(.*)$|^(actions)\[(\d+)\]\.?(.*)$`)

// placeRowError puts a rule error (conditions.all[0].op,
// actions[1].strategy) on the form row it came from; false when the
// error is not a row's.
func placeRowError(form *ruleForm, m rowMap, field, msg string) bool {
	g := ruleFieldPath.FindStringSubmatch(field)
	if g == nil {
		return false
	}
	if g[1] != "" {
		i, ok := m.conds[g[2]]
		if !ok || i >= len(form.Conds) {
			return false
		}
		form.Conds[i].Err = strings.TrimPrefix(g[3]+": "+msg, ": ")
		return true
	}
	k, _ := strconv.Atoi(g[5])
	if k >= len(m.acts) || m.acts[k] >= len(form.Acts) {
		return false
	}
	form.Acts[m.acts[k]].Err = strings.TrimPrefix(g[6]+": "+msg, ": ")
	return true
}

// ruleFormOptions are the choices the rows' selects offer.
type ruleFormOptions struct {
	Groups, Fields, Ops, ActionTypes, Strategies, SetFields, RequestTypes, Priorities, Teams, Users []Option
}

// loadRuleFormOptions lists the choices, labelled in the reader's
// language where the product has labels.
func (s *server) loadRuleFormOptions(r *http.Request) (*ruleFormOptions, error) {
	teams, err := s.d.Store.ListTeams(r.Context())
	if err != nil {
		return nil, err
	}
	users, err := s.d.Store.ListUsers(r.Context())
	if err != nil {
		return nil, err
	}
	o := &ruleFormOptions{
		Groups: []Option{{Value: "all", Label: s.tr(r, "rules.group.all")}, {Value: "any", Label: s.tr(r, "rules.group.any")}},
	}
	for _, f := range append(slices.Clone(model.RuleFields), model.DeviceFields...) {
		o.Fields = append(o.Fields, Option{Value: f, Label: f})
	}
	for _, op := range model.RuleOps {
		o.Ops = append(o.Ops, Option{Value: op, Label: s.tr(r, "rules.op."+op)})
	}
	for _, t := range model.ActionTypes {
		o.ActionTypes = append(o.ActionTypes, Option{Value: t, Label: s.tr(r, "rules.action."+t)})
	}
	for _, st := range []string{model.StrategyRoundRobin, model.StrategyLeastLoaded, model.StrategySkill} {
		o.Strategies = append(o.Strategies, Option{Value: st, Label: s.tr(r, "rules.strategy."+st)})
	}
	for _, f := range model.SetFields {
		o.SetFields = append(o.SetFields, Option{Value: f, Label: f})
	}
	for _, t := range model.RequestTypes {
		o.RequestTypes = append(o.RequestTypes, Option{Value: string(t), Label: s.tr(r, "type."+string(t))})
	}
	for _, p := range model.Priorities {
		o.Priorities = append(o.Priorities, Option{Value: string(p), Label: s.tr(r, "priority."+string(p))})
	}
	for _, t := range teams {
		o.Teams = append(o.Teams, Option{Value: strconv.FormatInt(t.ID, 10), Label: t.Name})
	}
	for _, u := range users {
		if u.Active {
			o.Users = append(o.Users, Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
		}
	}
	return o, nil
}
