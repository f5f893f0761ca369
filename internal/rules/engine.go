package rules

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// MaxDepth bounds a chain of events caused by rules' own changes.
const MaxDepth = 8

// chain is one chain of events: the rules that fired in it and how deep
// it is. It travels in the context, so the hooks a rule's change runs
// see it.
type chain struct {
	fired map[int64]bool
	depth int
}

type chainKey struct{}

// Start hooks the service into request changes: request.created (last,
// after the request has its number), request.updated (field, status and
// tag changes — a person's, the bulk bar's or a rule's add_tag),
// message.received (a customer's message).
func (s *Service) Start() {
	s.store.OnRequestOpened(func(ctx context.Context, q store.Querier, r *model.Request) error {
		return s.Run(ctx, q, model.TriggerRequestCreated, r.ID)
	})
	s.store.OnRequestPatched(func(ctx context.Context, q store.Querier, c store.PatchChange) error {
		return s.Run(ctx, q, model.TriggerRequestUpdated, c.After.ID)
	})
	s.store.OnStatusChange(func(ctx context.Context, q store.Querier, c store.StatusChange) error {
		return s.Run(ctx, q, model.TriggerRequestUpdated, c.Request.ID)
	})
	s.store.OnTagsChanged(func(ctx context.Context, q store.Querier, c store.TagsChange) error {
		return s.Run(ctx, q, model.TriggerRequestUpdated, c.RequestID)
	})
	s.store.OnMessage(func(ctx context.Context, q store.Querier, m store.MessageAdded) error {
		if m.Message.AuthorKind != model.AuthorCustomer {
			return nil
		}
		return s.Run(ctx, q, model.TriggerMessageReceived, m.Message.RequestID)
	})
}

// Run tries the active rules of trigger t on request id, in the
// transaction q of the change that triggered them.
func (s *Service) Run(ctx context.Context, q store.Querier, t model.Trigger, id int64) error {
	return s.run(ctx, q, t, id, nil)
}

// run is Run for a request (id) or a device event (ev, id 0).
func (s *Service) run(ctx context.Context, q store.Querier, t model.Trigger, id int64, ev *model.DeviceEvent) error {
	rules, err := s.active(ctx, q, t)
	if err != nil || len(rules) == 0 {
		return err
	}
	return s.try(ctx, q, rules, id, ev)
}

// try runs each of rules whose conditions hold, in order, in the chain
// of ctx (a new chain when there is none).
func (s *Service) try(ctx context.Context, q store.Querier, rules []model.Rule, id int64, ev *model.DeviceEvent) error {
	c, _ := ctx.Value(chainKey{}).(*chain)
	if c == nil {
		c = &chain{fired: map[int64]bool{}}
		ctx = context.WithValue(ctx, chainKey{}, c)
	}
	if c.depth >= MaxDepth {
		s.log.Warn("rules: chain too deep, stopped", "request_id", id)
		return nil
	}
	c.depth++
	defer func() { c.depth-- }()
	// The facts are read once and again only after a rule acted: nothing
	// else runs between two rules to change them.
	var f facts
	read := false
	for i := range rules {
		r := &rules[i]
		if c.fired[r.ID] {
			continue
		}
		if !read {
			if ev != nil {
				f = deviceFacts(ev)
			} else {
				x, err := s.store.RuleSubjectIn(ctx, q, id)
				if err != nil {
					return err
				}
				f = requestFacts(x)
			}
			read = true
		}
		if !f.matches(r.Conditions) {
			continue
		}
		c.fired[r.ID] = true
		read = false
		target := id
		for _, a := range r.Actions {
			var err error
			if target, err = s.act(ctx, q, r, a, target, ev); err != nil {
				return fmt.Errorf("rule %q, %s: %w", r.Name, a.Type, err)
			}
			if target == 0 {
				break // a device rule that opened nothing has nothing to act on
			}
		}
	}
	return nil
}

// SLAAlert runs the sla.warning or sla.breached rules on request id, in
// the transaction q that recorded the alert (once per alert).
func (s *Service) SLAAlert(ctx context.Context, q store.Querier, id int64, alert model.SLAAlert) error {
	t := model.TriggerSLAWarning
	if alert == model.AlertBreach {
		t = model.TriggerSLABreached
	}
	return s.Run(ctx, q, t, id)
}

// act runs one action on request id and logs it on its timeline. It
// returns the request the next actions act on: id, or for create_request
// the request it opened (0 when it opened none).
func (s *Service) act(ctx context.Context, q store.Querier, r *model.Rule, a model.RuleAction, id int64, ev *model.DeviceEvent) (int64, error) {
	by := store.Actor{Kind: model.AuthorSystem, Name: r.Name, Channel: model.ChannelAPI}
	log := func(summary string) error { return s.store.RuleEventIn(ctx, q, id, r.Name, a.Type+"\t"+summary) }
	switch a.Type {
	case model.ActAssignTeam:
		team := a.TeamID
		if err := log(fmt.Sprint(team)); err != nil {
			return id, err
		}
		_, err := s.store.RulePatchIn(ctx, q, id, func(n *model.Request) { n.TeamID = &team }, by)
		return id, err
	case model.ActAssignAgent:
		return id, s.assignAgent(ctx, q, r, a, id, by, log)
	case model.ActSet:
		return id, s.set(ctx, q, a, id, by, log)
	case model.ActAddTag:
		added, err := s.store.AddTagIn(ctx, q, id, a.Tag, by)
		if err != nil || !added {
			return id, err
		}
		return id, log(a.Tag)
	case model.ActNotify:
		return id, s.notifyAll(ctx, q, r, a, id, log)
	case model.ActReply:
		return id, s.reply(ctx, q, a, id, by, log)
	case model.ActCreateTask:
		t := &model.RequestTask{RequestID: id, Title: a.Title, CreatedBy: r.Name}
		if a.DueInMinutes != nil {
			due := s.store.Now().Add(time.Duration(*a.DueInMinutes) * time.Minute)
			t.DueAt = &due
		}
		if err := s.store.CreateTaskIn(ctx, q, t); err != nil {
			return id, err
		}
		return id, log(a.Title)
	case model.ActCreateRequest:
		return s.openForDevice(ctx, q, r, a, ev)
	}
	return id, fmt.Errorf("unknown action %q", a.Type)
}

func (s *Service) assignAgent(ctx context.Context, q store.Querier, r *model.Rule, a model.RuleAction, id int64, by store.Actor, log func(string) error) error {
	skill := a.Skill
	if a.Strategy == model.StrategySkill && skill == "" {
		x, err := s.store.RuleSubjectIn(ctx, q, id)
		if err != nil {
			return err
		}
		// The request's product category, else its category, else its type.
		skill = firstNonEmpty(x.ProductCategory, x.CategoryName, string(x.Request.Type))
	}
	agent, err := s.store.PickAgentIn(ctx, q, a.TeamID, a.Strategy, skill, a.MinLevel)
	if err != nil {
		return err
	}
	if agent == 0 {
		return log(fmt.Sprintf("%s\t%d\t\tnobody", a.Strategy, a.TeamID))
	}
	if err := log(fmt.Sprintf("%s\t%d\t%d", a.Strategy, a.TeamID, agent)); err != nil {
		return err
	}
	team := a.TeamID
	_, err = s.store.RulePatchIn(ctx, q, id, func(n *model.Request) { n.TeamID, n.AssigneeID = &team, &agent }, by)
	return err
}

func (s *Service) set(ctx context.Context, q store.Querier, a model.RuleAction, id int64, by store.Actor, log func(string) error) error {
	value := text(a.Value)
	if err := log(a.Field + "\t" + value); err != nil {
		return err
	}
	var err error
	switch a.Field {
	case "priority":
		_, err = s.store.RulePatchIn(ctx, q, id, func(n *model.Request) { n.Priority = model.Priority(value) }, by)
	case "type":
		_, err = s.store.RulePatchIn(ctx, q, id, func(n *model.Request) { n.Type = model.RequestType(value) }, by)
	case "category_id":
		cat, _ := number(a.Value)
		c := int64(cat)
		_, err = s.store.RulePatchIn(ctx, q, id, func(n *model.Request) { n.CategoryID = &c }, by)
	case "tier":
		_, err = s.store.SetCustomerTierIn(ctx, q, id, value, by)
	}
	return err
}

// notifyAll e-mails the user or the team's members. Without a mail relay
// nothing is sent, and the timeline says so.
func (s *Service) notifyAll(ctx context.Context, q store.Querier, r *model.Rule, a model.RuleAction, id int64, log func(string) error) error {
	users := []int64{}
	if a.UserID > 0 {
		users = append(users, a.UserID)
	}
	if a.TeamID > 0 {
		members, err := s.store.TeamMembersIn(ctx, q, a.TeamID)
		if err != nil {
			return err
		}
		users = append(users, members...)
	}
	state := "queued"
	if s.notify == nil || !s.notify.Enabled() {
		state = "no_relay"
	}
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = fmt.Sprint(u)
		if state != "queued" {
			continue
		}
		if err := s.notify.NotifyRuleIn(ctx, q, u, id, r.Name); err != nil {
			return err
		}
	}
	return log(strings.Join(ids, ",") + "\t" + state)
}

func (s *Service) reply(ctx context.Context, q store.Querier, a model.RuleAction, id int64, by store.Actor, log func(string) error) error {
	t, err := parseReply(a.Template)
	if err != nil {
		return err
	}
	x, err := s.store.RuleSubjectIn(ctx, q, id)
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := t.Execute(&b, replyData{RequestNumber: x.Request.Number, RequestSubject: x.Request.Subject,
		CustomerName: x.Request.CustomerName}); err != nil {
		return err
	}
	body := b.String()
	if len(body) > MaxText*4 {
		body = body[:MaxText*4]
	}
	m, err := s.store.RuleReplyIn(ctx, q, id, body, by)
	if err != nil {
		return err
	}
	return log(fmt.Sprint(m.ID))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
