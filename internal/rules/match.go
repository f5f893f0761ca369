package rules

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// fact is a field's value as conditions see it: its words (a list for
// tags, an id and a name for a category) and its number, if any.
type fact struct {
	words []string
	num   *float64
	list  bool // a list field: contains tests membership
}

func word(s string) fact { return fact{words: []string{s}} }

func idFact(p *int64) fact {
	if p == nil {
		return fact{}
	}
	f := float64(*p)
	return fact{words: []string{strconv.FormatInt(*p, 10)}, num: &f}
}

func numFact(v float64) fact {
	return fact{words: []string{strconv.FormatFloat(v, 'f', -1, 64)}, num: &v}
}

// facts are the fields of one trigger's subject, by condition field name.
type facts map[string]fact

// requestFacts are a request's fields.
func requestFacts(x *store.RuleSubject) facts {
	r := x.Request
	return facts{
		"type": word(string(r.Type)), "priority": word(string(r.Priority)), "channel": word(string(r.Channel)),
		"status": word(string(r.Status)), "category_id": idFact(r.CategoryID), "team_id": idFact(r.TeamID),
		"assignee_id": idFact(r.AssigneeID), "tags": {words: x.Tags, list: true}, "subject": word(r.Subject),
		"customer.tier": word(x.Tier), "product.category": word(x.ProductCategory),
	}
}

// deviceFacts are a device event's fields.
func deviceFacts(ev *model.DeviceEvent) facts {
	f := facts{"code": word(ev.Code), "serial": word(ev.Serial), "count_24h": numFact(float64(ev.Count24h))}
	if ev.Value != nil {
		f["value"] = numFact(*ev.Value)
	}
	return f
}

// matches reports whether the conditions hold: all of All and, when Any
// is not empty, at least one of Any.
func (f facts) matches(c model.RuleConditions) bool {
	for _, x := range c.All {
		if !f.holds(x) {
			return false
		}
	}
	if len(c.Any) == 0 {
		return true
	}
	for _, x := range c.Any {
		if f.holds(x) {
			return true
		}
	}
	return false
}

// holds tests one condition. Words compare without regard to case;
// greater_than and less_than need numbers on both sides; a field without
// a value equals nothing.
func (f facts) holds(c model.RuleCondition) bool {
	v := f[c.Field]
	var want any
	if err := json.Unmarshal(c.Value, &want); err != nil {
		return false
	}
	switch c.Op {
	case model.OpEquals:
		return v.equals(want)
	case model.OpNotEquals:
		return !v.equals(want)
	case model.OpIn:
		list, _ := want.([]any)
		for _, w := range list {
			if v.equals(w) {
				return true
			}
		}
		return false
	case model.OpContains:
		needle := strings.ToLower(text(want))
		for _, w := range v.words {
			if (v.list && strings.EqualFold(w, needle)) || (!v.list && strings.Contains(strings.ToLower(w), needle)) {
				return true
			}
		}
		return false
	case model.OpGreaterThan, model.OpLessThan:
		n, ok := number(want)
		if !ok || v.num == nil {
			return false
		}
		if c.Op == model.OpGreaterThan {
			return *v.num > n
		}
		return *v.num < n
	}
	return false
}

func (v fact) equals(want any) bool {
	if n, ok := want.(float64); ok && v.num != nil {
		return *v.num == n
	}
	w := text(want)
	for _, x := range v.words {
		if strings.EqualFold(x, w) {
			return true
		}
	}
	return false
}

// text is a JSON scalar as a word.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
