package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/mention"
	"github.com/aftercare/aftercare/internal/model"
)

// TimelineItem is a message or an event of a request, merged in time
// order on the request pages.
type TimelineItem struct {
	At      time.Time
	Message *model.Message
	Event   *EventView
	// Mentions is an internal note's text cut around the colleagues it
	// mentions, to highlight them; nil when it mentions nobody.
	Mentions []mention.Segment
}

// markMentions highlights the staff users internal notes mention.
func markMentions(items []TimelineItem, users []model.User) {
	people := mention.Staff(users)
	for i, it := range items {
		if it.Message != nil && it.Message.Visibility == model.VisibilityInternal {
			items[i].Mentions = mention.Split(it.Message.Body, people)
		}
	}
}

// EventView is a timeline event ready to show: Text is the translated
// sentence ("Li Lei changed the status from New to Open").
type EventView struct {
	Kind    string
	Text    string
	Channel model.Channel
}

// namer turns the ids of assignee, team and category events into names.
type namer struct {
	users, teams, categories map[string]string
}

// timeline merges msgs and evs by time. Events about messages are left
// out (the message itself is shown); the portal (public) keeps only the
// creation and status changes.
func (s *server) timeline(r *http.Request, msgs []model.Message, evs []model.Event, names namer, public bool) []TimelineItem {
	var out []TimelineItem
	for i := range msgs {
		if msgs[i].AuthorKind == model.AuthorSystem {
			if public {
				msgs[i].AuthorName = s.publicActor(r, model.Event{ActorKind: model.AuthorSystem, ActorName: msgs[i].AuthorName})
				if msgs[i].AuthorName == "" {
					msgs[i].AuthorName = s.tr(r, "event.system")
				}
			} else {
				msgs[i].AuthorName = s.systemActor(r, msgs[i].AuthorName)
			}
		}
		out = append(out, TimelineItem{At: msgs[i].CreatedAt, Message: &msgs[i]})
	}
	for _, e := range evs {
		switch e.Kind {
		case "message", "note":
			continue
		case "created", "status", "appointment", "appointment_cancelled", "repair", "return", "merged", "merged_from":
		default:
			if public {
				continue
			}
		}
		ev := &EventView{Kind: e.Kind, Channel: e.Channel}
		if public {
			// Customers read who did it in words (no automation's name)
			// and not the internal channel it came through.
			e.ActorName, ev.Channel = s.publicActor(r, e), ""
		} else if e.ActorKind == model.AuthorSystem {
			e.ActorName = s.systemActor(r, e.ActorName)
		}
		ev.Text = s.eventText(r, e, names)
		out = append(out, TimelineItem{At: e.CreatedAt, Event: ev})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// isSystemName says whether name is one the system itself writes on
// events (an automation rule's name is written by people and shown as it
// is); each has the translation "actor."+name.
func isSystemName(name string) bool {
	switch name {
	case "auto-close", "return policy", "survey", "SLA", "escalation", "demo", "order-system", "device-telemetry":
		return true
	}
	return false
}

// systemActor is the name of a system actor in r's language: a fixed
// name of the system's own in words, any other (a rule's) as written.
func (s *server) systemActor(r *http.Request, name string) string {
	if isSystemName(name) {
		return s.tr(r, "actor."+name)
	}
	return name
}

// publicActor is who did e, as a customer reads it: the system's own
// names in words, an automation rule as "the system", people by name.
func (s *server) publicActor(r *http.Request, e model.Event) string {
	if e.ActorKind != model.AuthorSystem {
		return e.ActorName
	}
	if isSystemName(e.ActorName) {
		return s.tr(r, "actor."+e.ActorName)
	}
	return ""
}

// eventText is the sentence for one event.
func (s *server) eventText(r *http.Request, e model.Event, names namer) string {
	who := e.ActorName
	if who == "" {
		who = s.tr(r, "event.system")
	}
	label := func(prefix, v string) string { return s.tr(r, prefix+v) }
	lookup := func(m map[string]string, id string) string {
		if n, ok := m[id]; ok {
			return n
		}
		return "#" + id
	}
	switch e.Kind {
	case "created":
		return s.tr(r, "event.created", who)
	case "status":
		return s.tr(r, "event.status", who, label("status.", e.OldValue), label("status.", e.NewValue))
	case "priority":
		return s.tr(r, "event.priority", who, label("priority.", e.OldValue), label("priority.", e.NewValue))
	case "assignee":
		if e.NewValue == "" {
			return s.tr(r, "event.unassigned", who)
		}
		return s.tr(r, "event.assignee", who, lookup(names.users, e.NewValue))
	case "team":
		if e.NewValue == "" {
			return s.tr(r, "event.team_cleared", who)
		}
		return s.tr(r, "event.team", who, lookup(names.teams, e.NewValue))
	case "category":
		if e.NewValue == "" {
			return s.tr(r, "event.category_cleared", who)
		}
		return s.tr(r, "event.category", who, lookup(names.categories, e.NewValue))
	case "attachment":
		return s.tr(r, "event.attachment", who, e.NewValue)
	case "appointment", "appointment_cancelled":
		return s.appointmentEvent(r, who, e)
	case "repair":
		// In plain words, for the customer too; the repair page has who
		// and why.
		if model.RepairStage(e.NewValue).Valid() {
			return s.tr(r, "event.repair."+e.NewValue)
		}
	case "return":
		// "kind status" (store.returnEvent).
		if kind, status, ok := strings.Cut(e.NewValue, " "); ok && model.ReturnKind(kind).Valid() {
			return s.tr(r, "event.return."+status, s.tr(r, "return.kind."+kind))
		}
	case "survey":
		return s.tr(r, "event.survey", label("survey.status.", e.NewValue))
	case "followup":
		if e.NewValue == "planned" {
			return s.tr(r, "event.followup_planned")
		}
		return s.tr(r, "event.followup_done", who, label("followup.reach.", e.NewValue))
	case "escalated":
		return s.tr(r, "event.escalated", e.NewValue)
	case "severity":
		return s.tr(r, "event.severity", who, label("complaint.severity.", e.NewValue))
	case "compensation":
		return s.tr(r, "event.compensation", who, label("compensation.status.", e.NewValue))
	case "type":
		return s.tr(r, "event.type", who, label("type.", e.OldValue), label("type.", e.NewValue))
	case "tier":
		return s.tr(r, "event.tier", who, e.OldValue, e.NewValue)
	case "tags":
		if e.NewValue == "" {
			return s.tr(r, "event.tags_cleared", who)
		}
		return s.tr(r, "event.tags", who, strings.ReplaceAll(e.NewValue, ",", ", "))
	case "merged":
		return s.tr(r, "event.merged", who, e.NewValue)
	case "merged_from":
		return s.tr(r, "event.merged_from", who, e.NewValue)
	case "rule":
		return s.tr(r, "event.rule", e.OldValue, s.ruleActionText(r, e.NewValue, lookup, names))
	case "task":
		if e.NewValue == "done" {
			return s.tr(r, "event.task_done", who, e.OldValue)
		}
		return s.tr(r, "event.task_reopened", who, e.OldValue)
	case "sla_warning", "sla_breached":
		when := e.NewValue
		if t, err := time.Parse(time.RFC3339, e.NewValue); err == nil {
			when = t.In(s.d.Store.Location()).Format("2006-01-02 15:04")
		}
		return s.tr(r, "event."+e.Kind, label("sla.clock.", e.OldValue), when)
	}
	return s.tr(r, "event.other", who, e.Kind)
}

// ruleActionText says what a rule did, from the event's tab-separated
// "action\tdetails" (rules.Service.act).
func (s *server) ruleActionText(r *http.Request, v string, lookup func(map[string]string, string) string, names namer) string {
	f := strings.Split(v, "\t")
	arg := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	switch f[0] {
	case model.ActAssignTeam:
		return s.tr(r, "rules.did.assign_team", lookup(names.teams, arg(1)))
	case model.ActAssignAgent:
		strategy := s.tr(r, "rules.strategy."+arg(1))
		if arg(3) == "" {
			return s.tr(r, "rules.did.assign_nobody", strategy, lookup(names.teams, arg(2)))
		}
		return s.tr(r, "rules.did.assign_agent", lookup(names.users, arg(3)), strategy)
	case model.ActSet:
		return s.tr(r, "rules.did.set", arg(1), arg(2))
	case model.ActAddTag:
		return s.tr(r, "rules.did.add_tag", arg(1))
	case model.ActNotify:
		var who []string
		for _, id := range strings.Split(arg(1), ",") {
			if id != "" {
				who = append(who, lookup(names.users, id))
			}
		}
		return s.tr(r, "rules.did.notify."+arg(2), strings.Join(who, ", "))
	case model.ActReply:
		return s.tr(r, "rules.did.reply")
	case model.ActCreateTask:
		return s.tr(r, "rules.did.create_task", arg(1))
	case model.ActCreateRequest:
		return s.tr(r, "rules.did.create_request", arg(2), arg(1), arg(3))
	}
	return v
}

// idOf formats an optional id for a select ("" when nil).
func idOf(p *int64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatInt(*p, 10)
}

// appointmentEvent is the sentence for a booking or a cancellation; the
// event holds "kind centre start/end" (store.appointmentSummary), shown
// in the store's time zone.
func (s *server) appointmentEvent(r *http.Request, who string, e model.Event) string {
	f := strings.Fields(e.NewValue)
	if len(f) != 3 {
		return s.tr(r, "event.other", who, e.Kind)
	}
	from, to, _ := strings.Cut(f[2], "/")
	a, err1 := time.Parse(time.RFC3339, from)
	b, err2 := time.Parse(time.RFC3339, to)
	when := f[2]
	if err1 == nil && err2 == nil {
		loc := s.d.Store.Location()
		when = a.In(loc).Format("2006-01-02 15:04") + "–" + b.In(loc).Format("15:04")
	}
	return s.tr(r, "event."+e.Kind, who, s.tr(r, "appointment.kind."+f[0]), f[1], when)
}
