package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/rules"
)

// RuleCondition is one test of a rule: {field, op, value}.
type RuleCondition struct {
	Field string `json:"field" doc:"type, priority, channel, status, category_id, team_id, assignee_id, tags, subject, customer.tier, product.category; for device.event: code, value, count_24h, serial."`
	Op    string `json:"op" doc:"equals, not_equals, in (value is a list), contains (tags: has the tag; text: has the words), greater_than, less_than (numbers)."`
	Value any    `json:"value"`
}

// RuleConditions hold when all of all and, if any is not empty, one of
// any hold; absent or empty they match everything.
type RuleConditions struct {
	All []RuleCondition `json:"all,omitempty" maxItems:"50"`
	Any []RuleCondition `json:"any,omitempty" maxItems:"50"`
}

// RuleAction is one action of a rule; which fields matter depends on type.
type RuleAction struct {
	Type         string `json:"type" doc:"assign_team {team_id}; assign_agent {team_id, strategy: round_robin|least_loaded|skill, skill?, min_level?}; set {field: priority|type|category_id|tier, value}; add_tag {tag}; notify {user_id?, team_id?}; reply {template}; create_task {title, due_in_minutes?}; create_request {request_type, priority?} (device.event only)."`
	TeamID       int64  `json:"team_id,omitempty"`
	Strategy     string `json:"strategy,omitempty"`
	Field        string `json:"field,omitempty"`
	Value        any    `json:"value,omitempty"`
	Tag          string `json:"tag,omitempty"`
	UserID       int64  `json:"user_id,omitempty"`
	Template     string `json:"template,omitempty" doc:"The reply's text; {{.RequestNumber}}, {{.RequestSubject}} and {{.CustomerName}} are filled in."`
	Title        string `json:"title,omitempty"`
	DueInMinutes *int   `json:"due_in_minutes,omitempty"`
	RequestType  string `json:"request_type,omitempty"`
	Priority     string `json:"priority,omitempty"`
	Skill        string `json:"skill,omitempty" doc:"skill strategy: the skill to match (default: the unit's product category, else the request's category, else its type)."`
	MinLevel     int    `json:"min_level,omitempty" doc:"skill strategy: the lowest level that qualifies (default 1)."`
}

// Rule is an automation rule as the API shows it.
type Rule struct {
	ID          int64          `json:"id"`
	Name        string         `json:"name"`
	Position    int            `json:"position"`
	Active      bool           `json:"active"`
	Trigger     string         `json:"trigger"`
	Conditions  RuleConditions `json:"conditions"`
	Actions     []RuleAction   `json:"actions"`
	IdleMinutes *int           `json:"idle_minutes,omitempty"`
	Version     int64          `json:"version"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

func toRule(r *model.Rule) Rule {
	conds := func(in []model.RuleCondition) []RuleCondition {
		out := make([]RuleCondition, len(in))
		for i, c := range in {
			var v any
			_ = json.Unmarshal(c.Value, &v)
			out[i] = RuleCondition{Field: c.Field, Op: c.Op, Value: v}
		}
		return out
	}
	acts := make([]RuleAction, len(r.Actions))
	for i, a := range r.Actions {
		acts[i] = RuleAction(a)
	}
	return Rule{ID: r.ID, Name: r.Name, Position: r.Position, Active: r.Active, Trigger: string(r.Trigger),
		Conditions: RuleConditions{All: conds(r.Conditions.All), Any: conds(r.Conditions.Any)}, Actions: acts,
		IdleMinutes: r.IdleMinutes, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func (c RuleConditions) model() model.RuleConditions {
	conv := func(in []RuleCondition) []model.RuleCondition {
		var out []model.RuleCondition
		for _, x := range in {
			v, _ := json.Marshal(x.Value)
			out = append(out, model.RuleCondition{Field: x.Field, Op: x.Op, Value: v})
		}
		return out
	}
	return model.RuleConditions{All: conv(c.All), Any: conv(c.Any)}
}

func ruleActions(in []RuleAction) []model.RuleAction {
	out := make([]model.RuleAction, len(in))
	for i, a := range in {
		out[i] = model.RuleAction(a)
	}
	return out
}

type ruleBody struct {
	Name        string         `json:"name" maxLength:"100"`
	Position    int            `json:"position,omitempty" doc:"Rules of a trigger run in position order (then id)."`
	Active      *bool          `json:"active,omitempty" doc:"Default true."`
	Trigger     string         `json:"trigger" doc:"request.created, request.updated, message.received, sla.warning, sla.breached, request.idle, device.event."`
	Conditions  RuleConditions `json:"conditions,omitempty"`
	Actions     []RuleAction   `json:"actions" maxItems:"20"`
	IdleMinutes *int           `json:"idle_minutes,omitempty" doc:"request.idle: business minutes without an update (the request's calendar)."`
}

type createRuleInput struct{ Body ruleBody }

type updateRuleInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Name        *string         `json:"name,omitempty" maxLength:"100"`
		Position    *int            `json:"position,omitempty"`
		Active      *bool           `json:"active,omitempty"`
		Trigger     *string         `json:"trigger,omitempty"`
		Conditions  *RuleConditions `json:"conditions,omitempty" doc:"Replaces all conditions."`
		Actions     *[]RuleAction   `json:"actions,omitempty" maxItems:"20" doc:"Replaces all actions."`
		IdleMinutes *int            `json:"idle_minutes,omitempty"`
		Version     int64           `json:"version,omitempty" doc:"The version you read; a stale one is 409."`
	}
}

type ruleIDInput struct {
	ID int64 `path:"id"`
}

type ruleOutput struct{ Body Rule }

type deviceEventInput struct {
	Body struct {
		Serial string    `json:"serial" minLength:"1" maxLength:"100" doc:"The unit's serial number."`
		Code   string    `json:"code" minLength:"1" maxLength:"50" doc:"The event or fault code, e.g. E12."`
		Value  *float64  `json:"value,omitempty" doc:"A reading, if the event has one."`
		At     time.Time `json:"at" doc:"When the device saw it (RFC 3339)."`
	}
}

type deviceEventOutput struct {
	Body struct {
		ID       int64 `json:"id"`
		Count24h int   `json:"count_24h" doc:"Events with this serial and code in the 24 hours up to and including this one."`
	}
}

func (s *server) registerRules() {
	tags := []string{"rules"}
	register(s, huma.Operation{
		OperationID: "create-rule", Method: http.MethodPost, Path: "/api/v1/rules",
		Summary: "Create an automation rule", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "When the trigger happens, the active rules of that trigger run in position order; each whose " +
			"conditions hold runs its actions, logged on the request's timeline with the rule's name. A rule fires at most " +
			"once per chain of events. A bad trigger, field, op or action is 422 naming it (body.trigger, " +
			"body.conditions.all[0].op, body.actions[1].strategy …).",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermRuleManage), func(ctx context.Context, in *createRuleInput) (*ruleOutput, error) {
		b := in.Body
		active := b.Active == nil || *b.Active
		r, err := s.d.Rules.Create(ctx, principalFrom(ctx), rules.Input{Name: b.Name, Position: b.Position, Active: active,
			Trigger: model.Trigger(b.Trigger), Conditions: b.Conditions.model(), Actions: ruleActions(b.Actions),
			IdleMinutes: b.IdleMinutes})
		if err != nil {
			return nil, err
		}
		return &ruleOutput{Body: toRule(r)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-rules", Method: http.MethodGet, Path: "/api/v1/rules",
		Summary: "List automation rules in evaluation order", Tags: tags,
	}, can(model.PermRuleManage), func(ctx context.Context, _ *struct{}) (*struct{ Body []Rule }, error) {
		rs, err := s.d.Rules.List(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &struct{ Body []Rule }{Body: make([]Rule, len(rs))}
		for i := range rs {
			out.Body[i] = toRule(&rs[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-rule", Method: http.MethodGet, Path: "/api/v1/rules/{id}",
		Summary: "Get an automation rule", Tags: tags, Errors: []int{http.StatusNotFound},
	}, can(model.PermRuleManage), func(ctx context.Context, in *ruleIDInput) (*ruleOutput, error) {
		r, err := s.d.Rules.Get(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &ruleOutput{Body: toRule(r)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-rule", Method: http.MethodPatch, Path: "/api/v1/rules/{id}",
		Summary: "Change an automation rule", Tags: tags, Description: "Absent fields stay as they are.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermRuleManage), func(ctx context.Context, in *updateRuleInput) (*ruleOutput, error) {
		p := principalFrom(ctx)
		cur, err := s.d.Rules.Get(ctx, p, in.ID)
		if err != nil {
			return nil, err
		}
		ri, b := rules.ToInput(cur), in.Body
		if b.Name != nil {
			ri.Name = *b.Name
		}
		if b.Position != nil {
			ri.Position = *b.Position
		}
		if b.Active != nil {
			ri.Active = *b.Active
		}
		if b.Trigger != nil {
			ri.Trigger = model.Trigger(*b.Trigger)
			if ri.Trigger != model.TriggerRequestIdle {
				ri.IdleMinutes = nil
			}
		}
		if b.Conditions != nil {
			ri.Conditions = b.Conditions.model()
		}
		if b.Actions != nil {
			ri.Actions = ruleActions(*b.Actions)
		}
		if b.IdleMinutes != nil {
			ri.IdleMinutes = b.IdleMinutes
		}
		r, err := s.d.Rules.Update(ctx, p, in.ID, b.Version, ri)
		if err != nil {
			return nil, err
		}
		return &ruleOutput{Body: toRule(r)}, nil
	})

	register(s, huma.Operation{
		OperationID: "delete-rule", Method: http.MethodDelete, Path: "/api/v1/rules/{id}",
		Summary: "Delete an automation rule", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "What it did stays on the timelines.", Errors: []int{http.StatusNotFound},
	}, can(model.PermRuleManage), func(ctx context.Context, in *ruleIDInput) (*struct{}, error) {
		return nil, s.d.Rules.Delete(ctx, principalFrom(ctx), in.ID)
	})

	register(s, huma.Operation{
		OperationID: "post-device-event", Method: http.MethodPost, Path: "/api/v1/devices/events",
		Summary: "Report a device event", Tags: []string{"devices"}, DefaultStatus: http.StatusAccepted,
		Description: "Authenticated with a device token (aftercare token create --device NAME), which may call nothing " +
			"else. The event is stored and the device.event rules run on it: \"code E12 three times within 24 hours\" " +
			"can open a proactive repair request (channel device) for the unit's owner, at most one open request per " +
			"serial and code.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, deviceOnly(), func(ctx context.Context, in *deviceEventInput) (*deviceEventOutput, error) {
		b := in.Body
		ev, err := s.d.Rules.RecordEvent(ctx, principalFrom(ctx), rules.EventInput{Serial: b.Serial, Code: b.Code,
			Value: b.Value, At: b.At})
		if err != nil {
			return nil, err
		}
		out := &deviceEventOutput{}
		out.Body.ID, out.Body.Count24h = ev.ID, ev.Count24h
		return out, nil
	})
}
