package sla

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// onCreate gives a new request the first matching policy's clocks, or
// only its metrics' calendar (the team's) when no policy matches.
func (s *Service) onCreate(ctx context.Context, q store.Querier, r *model.Request) error {
	tier, err := s.store.CustomerTier(ctx, q, r.CustomerID)
	if err != nil {
		return err
	}
	pols, err := s.policies(ctx, q)
	if err != nil {
		return err
	}
	subject := model.SLASubject{Type: r.Type, Priority: r.Priority, Channel: r.Channel, Tier: tier,
		CategoryID: r.CategoryID, TeamID: r.TeamID}
	x := &model.RequestSLA{RequestID: r.ID, Tier: tier, PauseStatuses: []model.Status{}}
	for i := range pols {
		p := &pols[i]
		if !p.Conditions.Matches(subject) {
			continue
		}
		id, cal := p.ID, p.CalendarID
		x.PolicyID, x.PolicyName, x.CalendarID = &id, p.Name, &cal
		x.PauseStatuses, x.WarnBeforeMinutes, x.NextResponseMinutes = slices.Clone(p.PauseStatuses), p.WarnBeforeMinutes, p.NextResponseMinutes
		x.Clocks = []model.SLAClock{
			{Kind: model.ClockFirstResponse, Cycle: 1, StartedAt: r.CreatedAt, TargetMinutes: p.FirstResponseMinutes},
			{Kind: model.ClockResolution, Cycle: 1, StartedAt: r.CreatedAt, TargetMinutes: p.ResolutionMinutes},
		}
		break
	}
	if x.CalendarID == nil && r.TeamID != nil {
		var cal *int64
		if err := q.QueryRow(ctx, "SELECT calendar_id FROM teams WHERE id = $1", *r.TeamID).Scan(&cal); err != nil {
			return err
		}
		x.CalendarID = cal
	}
	if x.Pauses(r.Status) {
		at := r.CreatedAt
		x.PausedSince = &at
		if err := s.store.StartSLAPause(ctx, q, r.ID, at); err != nil {
			return err
		}
	}
	return s.settle(ctx, q, x, nil, true)
}

// onStatus pauses and resumes the clocks, meets resolution, stops what a
// cancel leaves running and records the resolution metrics.
func (s *Service) onStatus(ctx context.Context, q store.Querier, c store.StatusChange) error {
	x, err := s.store.RequestSLA(ctx, q, c.Request.ID, true)
	if err != nil || x == nil {
		return err
	}
	before := cloneClocks(x.Clocks)
	k, err := s.engine(ctx, x.CalendarID)
	if err != nil {
		return err
	}
	at := c.At
	terminal := c.To == model.StatusResolved || c.To == model.StatusClosed || c.To == model.StatusCancelled
	if err := s.pause(ctx, q, x, k, x.Pauses(c.To) && !terminal, at); err != nil {
		return err
	}
	switch {
	case c.To == model.StatusResolved:
		if cl := x.Clock(model.ClockResolution); cl != nil && cl.Open() {
			cl.MetAt = &at
		}
		for _, kind := range []model.ClockKind{model.ClockFirstResponse, model.ClockNextResponse} {
			if cl := x.Clock(kind); cl != nil && cl.Open() {
				cl.StoppedAt = &at
			}
		}
		m := &x.Metrics
		created := c.Request.CreatedAt
		if m.FirstResolvedAt == nil {
			m.FirstResolvedAt = &at
			m.FirstResolutionCalendar, m.FirstResolutionBusiness = spans(k, created, at)
		}
		m.LastResolvedAt = &at
		m.FullResolutionCalendar, m.FullResolutionBusiness = spans(k, created, at)
	case c.To == model.StatusCancelled || c.To == model.StatusClosed:
		for i := range x.Clocks {
			if x.Clocks[i].Open() {
				x.Clocks[i].StoppedAt = &at
			}
		}
	case c.From == model.StatusCancelled && c.To == model.StatusOpen:
		// A cancel taken back: the clocks the cancel stopped run again,
		// less the time the request stood cancelled, which becomes a pause.
		if err := s.uncancel(ctx, q, x, at); err != nil {
			return err
		}
	case model.IsReopen(c.From, c.To):
		// The promise stands, less the time the request stood resolved:
		// that stretch becomes a pause of the resolution clock.
		if cl := x.Clock(model.ClockResolution); cl != nil && cl.MetAt != nil {
			if err := s.store.StartSLAPause(ctx, q, x.RequestID, *cl.MetAt); err != nil {
				return err
			}
			if err := s.store.EndSLAPause(ctx, q, x.RequestID, at); err != nil {
				return err
			}
			cl.MetAt = nil
		}
	}
	return s.settle(ctx, q, x, before, false)
}

// uncancel restarts the clocks a cancel stopped (those unmet, stopped
// at the latest instant: the cancel's) and records the cancelled stretch,
// from that instant to at, as a pause.
func (s *Service) uncancel(ctx context.Context, q store.Querier, x *model.RequestSLA, at time.Time) error {
	var stopped *time.Time
	for _, cl := range x.Clocks {
		if cl.MetAt == nil && cl.StoppedAt != nil && (stopped == nil || cl.StoppedAt.After(*stopped)) {
			stopped = cl.StoppedAt
		}
	}
	if stopped == nil {
		return nil
	}
	from := *stopped
	for i := range x.Clocks {
		if cl := &x.Clocks[i]; cl.MetAt == nil && cl.StoppedAt != nil && cl.StoppedAt.Equal(from) {
			cl.StoppedAt = nil
		}
	}
	if err := s.store.StartSLAPause(ctx, q, x.RequestID, from); err != nil {
		return err
	}
	return s.store.EndSLAPause(ctx, q, x.RequestID, at)
}

// onMessage meets first and next response on a public staff reply,
// starts a round of next response on a customer's reply, and resumes the
// clocks when that reply moved the request out of a pause status.
func (s *Service) onMessage(ctx context.Context, q store.Querier, m store.MessageAdded) error {
	if m.Message.Visibility != model.VisibilityPublic {
		return nil
	}
	x, err := s.store.RequestSLA(ctx, q, m.Message.RequestID, true)
	if err != nil || x == nil {
		return err
	}
	before := cloneClocks(x.Clocks)
	k, err := s.engine(ctx, x.CalendarID)
	if err != nil {
		return err
	}
	at := m.Message.CreatedAt
	if m.From != m.To {
		if err := s.pause(ctx, q, x, k, x.Pauses(m.To), at); err != nil {
			return err
		}
	}
	switch m.Message.AuthorKind {
	case model.AuthorStaff:
		if x.Metrics.FirstResponseAt == nil {
			var created time.Time
			if err := q.QueryRow(ctx, "SELECT created_at FROM requests WHERE id = $1", x.RequestID).Scan(&created); err != nil {
				return err
			}
			x.Metrics.FirstResponseAt = &at
			x.Metrics.FirstResponseCalendar, x.Metrics.FirstResponseBusiness = spans(k, created, at)
		}
		for _, kind := range []model.ClockKind{model.ClockFirstResponse, model.ClockNextResponse} {
			if cl := x.Clock(kind); cl != nil && cl.Open() {
				cl.MetAt = &at
			}
		}
	case model.AuthorCustomer:
		fr := x.Clock(model.ClockFirstResponse)
		if x.NextResponseMinutes == nil || fr == nil || fr.MetAt == nil || m.To == model.StatusResolved ||
			m.To == model.StatusClosed || m.To == model.StatusCancelled {
			break
		}
		if cl := x.Clock(model.ClockNextResponse); cl == nil {
			x.Clocks = append(x.Clocks, model.SLAClock{Kind: model.ClockNextResponse, Cycle: 1, StartedAt: at,
				TargetMinutes: *x.NextResponseMinutes})
		} else if !cl.Open() {
			*cl = model.SLAClock{Kind: model.ClockNextResponse, Cycle: cl.Cycle + 1, StartedAt: at,
				TargetMinutes: *x.NextResponseMinutes}
		}
	}
	return s.settle(ctx, q, x, before, false)
}

// pause starts or ends the request's pause at at, as paused says, and
// adds an ended pause to the metrics.
func (s *Service) pause(ctx context.Context, q store.Querier, x *model.RequestSLA, k *calendar.Calendar, paused bool, at time.Time) error {
	switch {
	case paused && x.PausedSince == nil:
		x.PausedSince = &at
		return s.store.StartSLAPause(ctx, q, x.RequestID, at)
	case !paused && x.PausedSince != nil:
		cal, biz := spans(k, *x.PausedSince, at)
		x.Metrics.PausedCalendar += *cal
		if biz != nil {
			x.Metrics.PausedBusiness += *biz
		}
		x.PausedSince = nil
		return s.store.EndSLAPause(ctx, q, x.RequestID, at)
	}
	return nil
}

// spans returns the calendar and business seconds from a to b (business
// nil without a calendar).
func spans(k *calendar.Calendar, a, b time.Time) (cal, biz *float64) {
	c := b.Sub(a).Seconds()
	cal = &c
	if k != nil {
		v := k.Duration(a, b, nil).Seconds()
		biz = &v
	}
	return cal, biz
}

func cloneClocks(in []model.SLAClock) map[model.ClockKind]model.SLAClock {
	out := make(map[model.ClockKind]model.SLAClock, len(in))
	for _, c := range in {
		out[c.Kind] = c
	}
	return out
}

// endedPauses are a request's pauses that have ended, in order.
func (s *Service) endedPauses(ctx context.Context, q store.Querier, requestID int64) ([]calendar.Pause, error) {
	pauses, err := s.store.SLAPauses(ctx, q, requestID)
	if err != nil {
		return nil, err
	}
	ps := make([]calendar.Pause, 0, len(pauses))
	for _, p := range pauses {
		if p.To != nil {
			ps = append(ps, calendar.Pause{From: p.From, To: *p.To})
		}
	}
	return ps, nil
}

// settle recomputes the open clocks' due and warning instants from their
// start, target and the request's pauses, saves them with the request's
// nearest due time, and schedules timers for instants that moved. created
// says x was just set up for a new request (onCreate).
func (s *Service) settle(ctx context.Context, q store.Querier, x *model.RequestSLA, before map[model.ClockKind]model.SLAClock, created bool) error {
	var next *time.Time
	if len(x.Clocks) > 0 {
		k, err := s.engine(ctx, x.CalendarID)
		if err != nil {
			return err
		}
		// A request being created has no ended pause yet (at most the one
		// its first status opens), so its pauses are not read.
		var ps []calendar.Pause
		if !created {
			if ps, err = s.endedPauses(ctx, q, x.RequestID); err != nil {
				return err
			}
		}
		for i := range x.Clocks {
			c := &x.Clocks[i]
			if !c.Open() {
				continue
			}
			if x.PausedSince != nil {
				c.DueAt, c.WarnAt = nil, nil
				continue
			}
			due, err := k.Due(c.StartedAt, time.Duration(c.TargetMinutes)*time.Minute, ps)
			if err != nil {
				return fmt.Errorf("sla due of %s: %w", c.Kind, err)
			}
			c.DueAt, c.WarnAt = &due, nil
			if x.WarnBeforeMinutes != nil {
				lead := max(c.TargetMinutes-*x.WarnBeforeMinutes, 0)
				warn, err := k.Due(c.StartedAt, time.Duration(lead)*time.Minute, ps)
				if err != nil {
					return fmt.Errorf("sla warning of %s: %w", c.Kind, err)
				}
				c.WarnAt = &warn
			}
			if next == nil || due.Before(*next) {
				next = &due
			}
		}
	}
	if err := s.store.SaveRequestSLA(ctx, q, x, next); err != nil {
		return err
	}
	if s.jobs == nil {
		return nil
	}
	// One timer for the request: at the earliest instant this change set
	// or moved. An instant it left alone already has a timer at or before
	// it (the one that set it, or one a timer left for its successor), or
	// gets one from the sweeper when it comes within the horizon, and
	// each timer, when it fires, records what has come and leaves one
	// timer for the next instant (FireRequest).
	var first *time.Time
	for _, c := range x.Clocks {
		if !c.Open() {
			continue
		}
		old, had := before[c.Kind]
		same := func(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }
		fresh := !had || old.Cycle != c.Cycle
		for _, in := range []struct{ now, was *time.Time }{{c.DueAt, old.DueAt}, {c.WarnAt, old.WarnAt}} {
			if in.now != nil && (fresh || !same(in.was, in.now)) && (first == nil || in.now.Before(*first)) {
				first = in.now
			}
		}
	}
	// An instant beyond the horizon gets its timer from the sweeper once
	// it comes within it (ahead.go).
	if first == nil || !s.soon(*first) {
		return nil
	}
	return s.jobs.ScheduleSLA(ctx, q, x.RequestID, *first)
}

// Fire records the warning or breach t waits for, once, if the clock is
// still in the same round, open, not paused, and its instant is still
// t.At and has come. It returns how long to wait when the instant is
// still ahead. The sweeper calls it for each overdue instant; a request's
// timer job calls FireRequest.
func (s *Service) Fire(ctx context.Context, t store.SLATimer) (time.Duration, error) {
	var wait time.Duration
	err := s.store.Tx(ctx, func(q store.Querier) error {
		if _, err := s.store.LockRequestByID(ctx, q, t.RequestID); err != nil {
			if model.IsNotFound(err) {
				return nil
			}
			return err
		}
		x, err := s.store.RequestSLA(ctx, q, t.RequestID, false)
		if err != nil || x == nil {
			return err
		}
		c := x.Clock(t.Kind)
		if c == nil || c.Cycle != t.Cycle || !c.Open() {
			return nil
		}
		instant := c.DueAt
		if t.Alert == model.AlertWarning {
			instant = c.WarnAt
		}
		if instant == nil || !instant.Equal(t.At) {
			return nil
		}
		if now := s.now(); now.Before(*instant) {
			wait = instant.Sub(now)
			return nil
		}
		return s.record(ctx, q, t.RequestID, c, t.Alert)
	})
	return wait, err
}

// record records clock c's alert once and runs the alert hooks when this
// call recorded it, in q (the request locked).
func (s *Service) record(ctx context.Context, q store.Querier, requestID int64, c *model.SLAClock, alert model.SLAAlert) error {
	recorded, err := s.store.RecordSLAAlert(ctx, q, requestID, c.Kind, c.Cycle, alert, *c.DueAt)
	if err != nil || !recorded {
		return err
	}
	for _, h := range s.alertHooks {
		if err := h(ctx, q, Alert{RequestID: requestID, Clock: c.Kind, Alert: alert, DueAt: *c.DueAt}); err != nil {
			return err
		}
	}
	return nil
}

// FireRequest is a request's timer, due at at: it records, once each,
// every warning and breach of the request's open clocks whose instant has
// come, and leaves one timer for the nearest instant still ahead, in the
// same transaction. It returns how long to wait when at is still ahead
// (the job snoozes). Whatever moved the clocks meanwhile, what has come
// is recorded and the chain goes on from the clocks as they are now.
func (s *Service) FireRequest(ctx context.Context, requestID int64, at time.Time) (time.Duration, error) {
	var wait time.Duration
	err := s.store.Tx(ctx, func(q store.Querier) error {
		if _, err := s.store.LockRequestByID(ctx, q, requestID); err != nil {
			if model.IsNotFound(err) {
				return nil
			}
			return err
		}
		now := s.now()
		if now.Before(at) {
			wait = at.Sub(now)
			return nil
		}
		x, err := s.store.RequestSLA(ctx, q, requestID, false)
		if err != nil || x == nil {
			return err
		}
		var next *time.Time
		for i := range x.Clocks {
			c := &x.Clocks[i]
			if !c.Open() {
				continue
			}
			for _, in := range []struct {
				at    *time.Time
				alert model.SLAAlert
			}{{c.WarnAt, model.AlertWarning}, {c.DueAt, model.AlertBreach}} {
				switch {
				case in.at == nil:
				case in.at.After(now):
					if next == nil || in.at.Before(*next) {
						next = in.at
					}
				default:
					if err := s.record(ctx, q, requestID, c, in.alert); err != nil {
						return err
					}
				}
			}
		}
		if next == nil || s.jobs == nil || !s.soon(*next) {
			return nil
		}
		return s.jobs.ScheduleSLA(ctx, q, requestID, *next)
	})
	return wait, err
}

// Sweep records the warnings and breaches whose instant has passed but
// that no timer recorded (a lost job, a node down at the time): a safety
// net that reads only the overdue open clocks. Then it schedules the
// timers of the instants that have come within the timer horizon
// (ahead.go). It returns how many warnings and breaches it recorded.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	timers, err := s.store.OverdueSLATimers(ctx, s.now(), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range timers {
		if _, err := s.Fire(ctx, t); err != nil {
			return n, err
		}
		n++
	}
	_, err = s.scheduleAhead(ctx)
	return n, err
}

// BreachingWithin returns up to limit requests whose nearest open due
// time is within the next d and not yet past, soonest first: the seam
// the agent console and the queue's "breaching soon" tab use.
func (s *Service) BreachingWithin(ctx context.Context, d time.Duration, limit int) ([]model.SLADue, error) {
	now := s.now()
	return s.store.RequestsDueBefore(ctx, now, now.Add(d), limit)
}

// Request returns a request's SLA state (nil when it has none); the
// caller has checked the principal may read the request.
func (s *Service) Request(ctx context.Context, requestID int64) (*model.RequestSLA, error) {
	return s.store.RequestSLA(ctx, nil, requestID, false)
}
