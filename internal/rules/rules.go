// Package rules runs Aftercare's automation rules: when a trigger happens
// (a request created or updated, a customer's message, an SLA warning or
// breach, a request left idle, a device event) the active rules of that
// trigger are tried in position order, and each whose conditions hold
// runs its actions — assign a team or an agent (round robin, least open
// work, skill and level), set a field, add a tag, notify staff, reply
// from a template, create a follow-up task, open a request for a device.
//
// Rules run inside the transaction of the change that triggered them
// (store hooks), so what they do commits or rolls back with it, and each
// action is an entry on the request's timeline under the rule's name.
// Their own changes trigger rules in turn, but a rule fires at most once
// per chain of events, and a chain is at most MaxDepth deep: rules cannot
// loop.
package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Notifier e-mails a staff user that a rule wants them to look at a
// request (internal/mailout implements it).
type Notifier interface {
	// Enabled reports whether mail can be sent at all (a relay is set).
	Enabled() bool
	// NotifyRuleIn queues the notification in q, respecting the user's
	// preferences.
	NotifyRuleIn(ctx context.Context, q store.Querier, userID, requestID int64, rule string) error
}

// Service is the automation-rule domain logic.
type Service struct {
	store  *store.Store
	cals   *calendar.Service
	notify Notifier
	log    *slog.Logger
	// cache keeps the active rules by the rules' version (cache.go).
	cache ruleCache
}

// New returns the rules service; it runs rules only once Start hooked it
// into request changes.
func New(st *store.Store, cals *calendar.Service, notify Notifier, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: st, cals: cals, notify: notify, log: log}
}

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// Limits.
const (
	MaxName       = 100
	MaxConditions = 50
	MaxActions    = 20
	MaxText       = 5000
	// MaxIdleMinutes bounds request.idle's wait (a year of minutes).
	MaxIdleMinutes = 525600
)

// Input is a rule as an admin gives it.
type Input struct {
	Name        string
	Position    int
	Active      bool
	Trigger     model.Trigger
	Conditions  model.RuleConditions
	Actions     []model.RuleAction
	IdleMinutes *int
}

// Validate checks a rule; errors name the API's field ("trigger",
// "conditions.all[0].op", "actions[1].strategy" …).
func Validate(in Input) (*model.Rule, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		return nil, model.FieldError("name", "is required")
	case utf8.RuneCountInString(in.Name) > MaxName:
		return nil, model.FieldError("name", "must be at most %d characters", MaxName)
	case in.Position < 0:
		return nil, model.FieldError("position", "must not be negative")
	case !in.Trigger.Valid():
		return nil, model.FieldError("trigger", "must be one of %s", joinTriggers())
	}
	if in.Trigger == model.TriggerRequestIdle {
		if in.IdleMinutes == nil || *in.IdleMinutes < 1 || *in.IdleMinutes > MaxIdleMinutes {
			return nil, model.FieldError("idle_minutes", "request.idle needs the business minutes without an update, 1 to %d", MaxIdleMinutes)
		}
	} else if in.IdleMinutes != nil {
		return nil, model.FieldError("idle_minutes", "only request.idle waits for idle minutes")
	}
	if len(in.Conditions.All)+len(in.Conditions.Any) > MaxConditions {
		return nil, model.FieldError("conditions", "at most %d conditions", MaxConditions)
	}
	for name, list := range map[string][]model.RuleCondition{"all": in.Conditions.All, "any": in.Conditions.Any} {
		for i, c := range list {
			if err := checkCondition(in.Trigger, c, fmt.Sprintf("conditions.%s[%d]", name, i)); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case len(in.Actions) == 0:
		return nil, model.FieldError("actions", "at least one action is required")
	case len(in.Actions) > MaxActions:
		return nil, model.FieldError("actions", "at most %d actions", MaxActions)
	}
	opened := false
	for i := range in.Actions {
		if err := checkAction(in.Trigger, &in.Actions[i], fmt.Sprintf("actions[%d]", i), opened); err != nil {
			return nil, err
		}
		opened = opened || in.Actions[i].Type == model.ActCreateRequest
	}
	return &model.Rule{Name: in.Name, Position: in.Position, Active: in.Active, Trigger: in.Trigger,
		Conditions: in.Conditions, Actions: in.Actions, IdleMinutes: in.IdleMinutes}, nil
}

func joinTriggers() string {
	s := make([]string, len(model.Triggers))
	for i, t := range model.Triggers {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// fieldsOf returns the fields conditions of trigger t may test.
func fieldsOf(t model.Trigger) []string {
	if t == model.TriggerDeviceEvent {
		return model.DeviceFields
	}
	return model.RuleFields
}

func checkCondition(t model.Trigger, c model.RuleCondition, at string) error {
	if !slices.Contains(fieldsOf(t), c.Field) {
		return model.FieldError(at+".field", "must be one of %s for %s", strings.Join(fieldsOf(t), ", "), t)
	}
	if !slices.Contains(model.RuleOps, c.Op) {
		return model.FieldError(at+".op", "must be one of %s", strings.Join(model.RuleOps, ", "))
	}
	if len(c.Value) == 0 || string(c.Value) == "null" {
		return model.FieldError(at+".value", "is required")
	}
	var v any
	if err := json.Unmarshal(c.Value, &v); err != nil {
		return model.FieldError(at+".value", "must be a JSON value")
	}
	switch c.Op {
	case model.OpIn:
		if _, ok := v.([]any); !ok {
			return model.FieldError(at+".value", "in needs a list")
		}
	case model.OpGreaterThan, model.OpLessThan:
		if _, ok := number(v); !ok {
			return model.FieldError(at+".value", "%s needs a number", c.Op)
		}
	default:
		if _, ok := v.([]any); ok {
			return model.FieldError(at+".value", "%s needs a single value; use in for a list", c.Op)
		}
	}
	return nil
}

func checkAction(t model.Trigger, a *model.RuleAction, at string, opened bool) error {
	if !slices.Contains(model.ActionTypes, a.Type) {
		return model.FieldError(at+".type", "must be one of %s", strings.Join(model.ActionTypes, ", "))
	}
	if t == model.TriggerDeviceEvent {
		if a.Type != model.ActCreateRequest && !opened {
			return model.FieldError(at+".type", "a device.event rule acts on the request create_request opens: put create_request first")
		}
		if a.Type == model.ActCreateRequest && opened {
			return model.FieldError(at+".type", "one create_request per rule")
		}
	} else if a.Type == model.ActCreateRequest {
		return model.FieldError(at+".type", "create_request is for device.event rules")
	}
	switch a.Type {
	case model.ActAssignTeam:
		if a.TeamID <= 0 {
			return model.FieldError(at+".team_id", "is required")
		}
	case model.ActAssignAgent:
		if a.TeamID <= 0 {
			return model.FieldError(at+".team_id", "is required")
		}
		switch a.Strategy {
		case model.StrategyRoundRobin, model.StrategyLeastLoaded:
		case model.StrategySkill:
			if a.MinLevel < 0 || a.MinLevel > 5 {
				return model.FieldError(at+".min_level", "must be between 1 and 5")
			}
		default:
			return model.FieldError(at+".strategy", "must be one of round_robin, least_loaded, skill")
		}
	case model.ActSet:
		return checkSet(a, at)
	case model.ActAddTag:
		t, err := model.NormalizeTag(at+".tag", a.Tag)
		if err != nil {
			return err
		}
		a.Tag = t
	case model.ActNotify:
		if a.UserID <= 0 && a.TeamID <= 0 {
			return model.FieldError(at+".user_id", "name a user_id or a team_id to notify")
		}
	case model.ActReply:
		if strings.TrimSpace(a.Template) == "" || len(a.Template) > MaxText {
			return model.FieldError(at+".template", "is required, at most %d bytes", MaxText)
		}
		if _, err := parseReply(a.Template); err != nil {
			return model.FieldError(at+".template", "%v", err)
		}
	case model.ActCreateTask:
		a.Title = strings.TrimSpace(a.Title)
		if a.Title == "" || utf8.RuneCountInString(a.Title) > 200 {
			return model.FieldError(at+".title", "is required, at most 200 characters")
		}
		if a.DueInMinutes != nil && (*a.DueInMinutes < 0 || *a.DueInMinutes > MaxIdleMinutes) {
			return model.FieldError(at+".due_in_minutes", "must be between 0 and %d", MaxIdleMinutes)
		}
	case model.ActCreateRequest:
		if !model.RequestType(a.RequestType).Valid() {
			return model.FieldError(at+".request_type", "must be a request type (repair, support …)")
		}
		if a.Priority != "" && !model.Priority(a.Priority).Valid() {
			return model.FieldError(at+".priority", "must be one of low, normal, high, urgent")
		}
	}
	return nil
}

func checkSet(a *model.RuleAction, at string) error {
	if !slices.Contains(model.SetFields, a.Field) {
		return model.FieldError(at+".field", "must be one of %s", strings.Join(model.SetFields, ", "))
	}
	switch a.Field {
	case "priority":
		if s, _ := a.Value.(string); !model.Priority(s).Valid() {
			return model.FieldError(at+".value", "must be one of low, normal, high, urgent")
		}
	case "type":
		if s, _ := a.Value.(string); !model.RequestType(s).Valid() {
			return model.FieldError(at+".value", "must be a request type (repair, support …)")
		}
	case "category_id":
		if n, ok := number(a.Value); !ok || n < 1 || n != float64(int64(n)) {
			return model.FieldError(at+".value", "must be a category id")
		}
	case "tier":
		if s, _ := a.Value.(string); strings.TrimSpace(s) == "" {
			return model.FieldError(at+".value", "must be a customer tier key")
		}
	}
	return nil
}

// replyData is what a reply template may use.
type replyData struct {
	RequestNumber  string
	RequestSubject string
	CustomerName   string
}

// parseReply parses a reply template: text/template over replyData.
func parseReply(text string) (*template.Template, error) {
	t, err := template.New("reply").Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if err := t.Execute(&b, replyData{RequestNumber: "SR-2026-000001", RequestSubject: "subject", CustomerName: "name"}); err != nil {
		return nil, err
	}
	return t, nil
}

// Create stores a new rule (model.PermRuleManage).
func (s *Service) Create(ctx context.Context, p model.Principal, in Input) (*model.Rule, error) {
	if !p.Can(model.PermRuleManage) {
		return nil, forbidden()
	}
	r, err := Validate(in)
	if err != nil {
		return nil, err
	}
	if err := s.checkRefs(ctx, r); err != nil {
		return nil, err
	}
	err = s.store.CreateRule(ctx, r, model.Audit(ctx, p, model.AuditRuleCreated, "", describe(r)))
	return r, err
}

// Update replaces rule id with in when version (if not 0) is the one
// stored.
func (s *Service) Update(ctx context.Context, p model.Principal, id, version int64, in Input) (*model.Rule, error) {
	if !p.Can(model.PermRuleManage) {
		return nil, forbidden()
	}
	cur, err := s.store.Rule(ctx, id)
	if err != nil {
		return nil, err
	}
	r, err := Validate(in)
	if err != nil {
		return nil, err
	}
	if err := s.checkRefs(ctx, r); err != nil {
		return nil, err
	}
	r.ID, r.Version, r.CreatedAt = id, cur.Version, cur.CreatedAt
	if version != 0 {
		r.Version = version
	}
	err = s.store.UpdateRule(ctx, r, model.Audit(ctx, p, model.AuditRuleUpdated, "", describe(r)))
	return r, err
}

// ToInput returns a stored rule as input, for partial updates.
func ToInput(r *model.Rule) Input {
	return Input{Name: r.Name, Position: r.Position, Active: r.Active, Trigger: r.Trigger, Conditions: r.Conditions,
		Actions: r.Actions, IdleMinutes: r.IdleMinutes}
}

// Delete removes a rule.
func (s *Service) Delete(ctx context.Context, p model.Principal, id int64) error {
	if !p.Can(model.PermRuleManage) {
		return forbidden()
	}
	return s.store.DeleteRule(ctx, id, model.Audit(ctx, p, model.AuditRuleDeleted, "", ""))
}

// Get returns one rule.
func (s *Service) Get(ctx context.Context, p model.Principal, id int64) (*model.Rule, error) {
	if !p.Can(model.PermRuleManage) {
		return nil, forbidden()
	}
	return s.store.Rule(ctx, id)
}

// List returns every rule in evaluation order.
func (s *Service) List(ctx context.Context, p model.Principal) ([]model.Rule, error) {
	if !p.Can(model.PermRuleManage) {
		return nil, forbidden()
	}
	return s.store.Rules(ctx)
}

// checkRefs names the field of a team, user or category that does not
// exist.
func (s *Service) checkRefs(ctx context.Context, r *model.Rule) error {
	for i, a := range r.Actions {
		at := fmt.Sprintf("actions[%d]", i)
		if a.TeamID > 0 {
			if ok, err := s.store.TeamExists(ctx, a.TeamID); err == nil && !ok {
				return model.FieldError(at+".team_id", "There is no team with id %d; choose one of the teams.", a.TeamID)
			} else if err != nil {
				return err
			}
		}
		if a.UserID > 0 {
			if _, err := s.store.UserByID(ctx, a.UserID); model.IsNotFound(err) {
				return model.FieldError(at+".user_id", "There is no staff member with id %d; choose one of the staff.", a.UserID)
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}

func describe(r *model.Rule) string {
	types := make([]string, len(r.Actions))
	for i, a := range r.Actions {
		types[i] = a.Type
	}
	return fmt.Sprintf("%s, position %d, active %t: %s", r.Trigger, r.Position, r.Active, strings.Join(types, ", "))
}

// number reads a JSON number (or a numeric string).
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		var f float64
		_, err := fmt.Sscan(strings.TrimSpace(x), &f)
		return f, err == nil && strings.TrimSpace(x) != ""
	}
	return 0, false
}
