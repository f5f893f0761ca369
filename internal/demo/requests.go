package demo

import (
	"fmt"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// play is one request's timeline being written: the clock moves forward
// step by step, and the story stops where "now" (or the forced status) is
// reached, which leaves recent requests open, pending or on hold just as a
// live queue would have them.
type play struct {
	g       *gen
	r       *model.Request
	t       time.Time
	stopped bool
	force   model.Status
	lang    int // 0 zh, 1 en
	rep     fill
	msgs    []model.Message
	evs     []model.Event
	channel model.Channel // of the customer's side of the conversation
	sc      *scenario
	teamID  int64
}

// who is an actor on the timeline.
type who struct {
	kind model.AuthorKind
	id   *int64
	name string
}

func (g *gen) staffWho(i int) who {
	u := &g.staff.users[i]
	return who{model.AuthorStaff, &u.ID, u.Name}
}

// advance moves the clock by d; staff work 8:00–22:00 local time, and
// customers write 8:00–23:30. It reports false (and stops the story) when
// the step would be in the future.
func (p *play) advance(d time.Duration, staff bool) bool {
	if p.stopped {
		return false
	}
	t := p.t.Add(d)
	l := t.In(p.g.loc)
	open, close := 8, 22
	if !staff {
		open, close = 8, 23
	}
	if l.Hour() < open {
		t = time.Date(l.Year(), l.Month(), l.Day(), open, p.g.rnd.IntN(50), p.g.rnd.IntN(60), 0, p.g.loc)
	} else if l.Hour() >= close {
		t = time.Date(l.Year(), l.Month(), l.Day()+1, open, p.g.rnd.IntN(50), p.g.rnd.IntN(60), 0, p.g.loc)
	}
	t = t.UTC().Truncate(time.Second)
	if !t.Before(p.g.now) {
		p.stopped = true
		return false
	}
	p.t = t
	return true
}

// between returns a random duration in [lo, hi).
func (p *play) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(p.g.rnd.Int64N(int64(hi-lo)))
}

func (p *play) event(by who, ch model.Channel, kind, oldV, newV string) {
	p.evs = append(p.evs, model.Event{RequestID: p.r.ID, ActorKind: by.kind, ActorID: by.id, ActorName: by.name,
		Channel: ch, Kind: kind, OldValue: oldV, NewValue: newV, CreatedAt: p.t})
	p.r.UpdatedAt = p.t
}

// say adds a message (a public reply or an internal note) and its event.
func (p *play) say(by who, vis model.Visibility, text string) {
	ch := p.channel
	if vis == model.VisibilityInternal {
		ch = model.ChannelWeb
	}
	id := p.g.nextMsgID
	p.g.nextMsgID++
	p.msgs = append(p.msgs, model.Message{ID: id, RequestID: p.r.ID, AuthorKind: by.kind, AuthorID: by.id,
		AuthorName: by.name, Visibility: vis, Channel: ch, Body: p.rep.Replace(text), CreatedAt: p.t})
	kind := "message"
	if vis == model.VisibilityInternal {
		kind = "note"
	}
	p.event(by, ch, kind, "", fmt.Sprint(id))
}

// pick returns one variant of a phrase in the request's language.
func (p *play) pick(ph phrases) string { return pick(p.g.rnd, ph[p.lang]) }

// status changes the status, keeping resolved_at, closed_at and version
// as the store's ChangeStatus does, and stops the story at a forced
// status.
func (p *play) status(by who, to model.Status) {
	from := p.r.Status
	kind := "status"
	if model.IsReopen(from, to) {
		kind = "reopened"
	}
	p.r.Status = to
	p.r.Version++
	switch to {
	case model.StatusResolved:
		t := p.t
		p.r.ResolvedAt = &t
	case model.StatusClosed:
		t := p.t
		p.r.ClosedAt = &t
	case model.StatusOpen:
		p.r.ClosedAt = nil
	}
	ch := p.channel
	if by.kind != model.AuthorCustomer {
		ch = model.ChannelWeb
	}
	if by.kind == model.AuthorSystem {
		ch = model.ChannelAPI
	}
	p.event(by, ch, kind, string(from), string(to))
	if p.force != "" && to == p.force {
		p.stopped = true
	}
}

// run plays the whole story of one request.
func (p *play) run(sp *spec, customer, agent, assignee, manager, tech, creator who) {
	g, r := p.g, p.r
	f := flowOf(sp.sc)
	p.event(creator, r.Channel, "created", "", string(model.StatusNew))
	if p.force == model.StatusNew {
		return
	}
	// Triage: a first response within hours, longer for low priority.
	first := p.between(10*time.Minute, 3*time.Hour)
	switch x := g.rnd.IntN(20); {
	case r.Channel == model.ChannelPhone:
		first = p.between(time.Minute, 15*time.Minute) // logged by the agent on the call
	case r.Priority == model.PriorityUrgent:
		first = p.between(5*time.Minute, 40*time.Minute)
	case x == 0:
		first = p.between(12*time.Hour, 30*time.Hour)
	case x < 4 || r.Priority == model.PriorityLow:
		first = p.between(3*time.Hour, 12*time.Hour)
	}
	if !p.advance(first, true) {
		return
	}
	triager := agent
	if g.rnd.IntN(3) == 0 {
		triager = manager
	}
	r.Version++
	// A copy: a pointer into p would keep the whole play (its messages,
	// events and replacer) alive as long as the request is kept.
	team := p.teamID
	r.TeamID, r.AssigneeID = &team, assignee.id
	p.event(triager, model.ChannelWeb, "team", "", fmt.Sprint(*r.TeamID))
	p.event(triager, model.ChannelWeb, "assignee", "", fmt.Sprint(*r.AssigneeID))
	if r.CategoryID == nil {
		id := g.catID[sp.sc.cat]
		r.CategoryID = &id
		p.event(triager, model.ChannelWeb, "category", "", fmt.Sprint(id))
	}
	if f == flowComplain && r.Priority.Rank() < model.PriorityHigh.Rank() {
		old := r.Priority
		r.Priority = model.PriorityHigh
		p.event(triager, model.ChannelWeb, "priority", string(old), string(r.Priority))
	}
	p.status(agent, model.StatusOpen)
	if !p.advance(p.between(time.Minute, 8*time.Minute), true) {
		return
	}
	if f == flowAnswer {
		p.say(agent, model.VisibilityPublic, p.lines().work)
	} else {
		p.say(agent, model.VisibilityPublic, p.pick(acks[f]))
	}
	if r.UnitID != nil && g.rnd.IntN(5) == 0 && p.advance(p.between(time.Minute, 20*time.Minute), true) {
		p.say(agent, model.VisibilityInternal, p.pick(triageNotes))
	}
	if !sp.noCancel && g.rnd.IntN(25) == 0 {
		if p.advance(p.between(time.Hour, 72*time.Hour), false) {
			p.say(customer, model.VisibilityPublic, p.pick(cancels))
			p.status(customer, model.StatusCancelled)
		}
		return
	}
	if sp.force == model.StatusPending || g.rnd.IntN(10) < 3 {
		if !p.advance(p.between(5*time.Minute, 3*time.Hour), true) {
			return
		}
		p.say(agent, model.VisibilityPublic, p.pick(asks[f]))
		p.status(agent, model.StatusPending)
		if !p.advance(p.between(30*time.Minute, 60*time.Hour), false) {
			return
		}
		p.say(customer, model.VisibilityPublic, p.pick(answers[f]))
		p.status(customer, model.StatusOpen)
	}
	p.work(f, agent, assignee, manager, tech, sp.force == model.StatusOnHold)
	p.resolve(f, customer, agent, assignee, tech)
}

func (p *play) lines() *lines {
	if p.lang == 1 {
		return &p.sc.en
	}
	return &p.sc.zh
}

// work is the middle of the story: the device travels, is diagnosed,
// waits for parts, the goods come back, the manager looks into it.
func (p *play) work(f flow, agent, assignee, manager, tech who, hold bool) {
	g := p.g
	switch f {
	case flowMailIn:
		if !p.advance(p.slower(p.between(20*time.Hour, 72*time.Hour)), true) {
			return
		}
		p.say(tech, model.VisibilityInternal, p.pick(receipts))
		if !p.advance(p.slower(p.between(2*time.Hour, 26*time.Hour)), true) {
			return
		}
		p.say(tech, model.VisibilityInternal, p.lines().work)
	case flowOnSite:
		if !p.advance(p.slower(p.between(18*time.Hour, 60*time.Hour)), true) {
			return
		}
		p.say(tech, model.VisibilityInternal, p.lines().work)
	case flowCheck:
		if !p.advance(p.slower(p.between(2*time.Hour, 30*time.Hour)), true) {
			return
		}
		p.say(agent, model.VisibilityInternal, p.lines().work)
	case flowReturn:
		if !p.advance(p.slower(p.between(40*time.Hour, 120*time.Hour)), true) {
			return
		}
		p.say(agent, model.VisibilityInternal, p.lines().work)
	case flowComplain:
		if !p.advance(p.slower(p.between(3*time.Hour, 26*time.Hour)), true) {
			return
		}
		p.say(manager, model.VisibilityInternal, p.lines().work)
	case flowAnswer:
		if !p.advance(p.between(time.Hour, 30*time.Hour), false) {
			return
		}
		p.say(who{model.AuthorCustomer, &p.r.CustomerID, p.r.CustomerName}, model.VisibilityPublic, p.pick(confirms))
	}
	if hold || ((f == flowMailIn || f == flowOnSite) && g.rnd.IntN(5) == 0) || g.rnd.IntN(40) == 0 {
		if !p.advance(p.between(10*time.Minute, 2*time.Hour), true) {
			return
		}
		p.say(agent, model.VisibilityPublic, p.pick(holds))
		p.status(agent, model.StatusOnHold)
		if !p.advance(p.between(48*time.Hour, 200*time.Hour), true) {
			return
		}
		p.say(tech, model.VisibilityInternal, p.pick(resumes))
		p.status(assignee, model.StatusOpen)
	}
}

// resolve ends the story: the resolving reply, sometimes a reopen, a
// follow-up call, and closing by the customer or by auto-close a week
// later.
func (p *play) resolve(f flow, customer, agent, assignee, tech who) {
	g := p.g
	d := p.between(30*time.Minute, 8*time.Hour)
	if f == flowMailIn || f == flowOnSite {
		d = p.slower(p.between(2*time.Hour, 30*time.Hour))
	}
	if !p.advance(d, true) {
		return
	}
	resolver := assignee
	if f == flowMailIn || f == flowReturn || f == flowCheck || f == flowAnswer {
		resolver = agent
	}
	p.say(resolver, model.VisibilityPublic, p.lines().resolve)
	p.status(resolver, model.StatusResolved)
	if (f == flowMailIn || f == flowOnSite) && g.rnd.IntN(p.reworkOdds()) == 0 {
		if !p.advance(p.between(24*time.Hour, 6*24*time.Hour), false) {
			return
		}
		p.say(customer, model.VisibilityPublic, p.pick(reopens))
		p.status(customer, model.StatusOpen)
		if !p.advance(p.between(20*time.Hour, 72*time.Hour), true) {
			return
		}
		p.say(tech, model.VisibilityInternal, p.pick(rechecks))
		if !p.advance(p.between(2*time.Hour, 24*time.Hour), true) {
			return
		}
		p.say(resolver, model.VisibilityPublic, p.lines().resolve)
		p.status(resolver, model.StatusResolved)
	}
	resolved := p.t
	if g.rnd.IntN(5) < 2 && p.advance(p.between(20*time.Hour, 60*time.Hour), true) {
		p.say(agent, model.VisibilityInternal, p.pick(followups))
	}
	if p.stopped {
		return
	}
	if g.rnd.IntN(3) == 0 {
		if p.advance(p.between(time.Hour, 72*time.Hour), false) {
			p.say(customer, model.VisibilityPublic, p.pick(thanks))
			p.status(customer, model.StatusClosed)
		}
		return
	}
	// Auto-close a week after resolving (the job runs every few minutes).
	at := resolved.Add(7*24*time.Hour + p.between(time.Minute, 30*time.Minute))
	if at.Before(p.t) {
		at = p.t.Add(time.Minute)
	}
	if !at.Before(g.now) {
		p.stopped = true
		return
	}
	p.t = at.Truncate(time.Second)
	p.status(who{model.AuthorSystem, nil, "auto-close"}, model.StatusClosed)
}

// worstCentre is the service centre that does clearly worse, so that the
// satisfaction analytics have a story to tell: its repairs take longer,
// come back more often, and its customers rate it lower (feedback.go).
const worstCentre = 4 // 成都武侯服务中心

// slower stretches a working step at the worst centre.
func (p *play) slower(d time.Duration) time.Duration {
	if p.teamID == worstCentre+1 {
		return d * 9 / 5
	}
	return d
}

// reworkOdds is one in how many repairs come back with the same fault.
func (p *play) reworkOdds() int {
	if p.teamID == worstCentre+1 {
		return 8
	}
	return 30
}
