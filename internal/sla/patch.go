package sla

import (
	"context"
	"slices"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// onPatch matches the policies again when a request's priority, type,
// category or team changes (escalating to urgent tightens its targets). A new
// policy replaces the targets of the clocks still running, which keep
// their start, so their due times are counted afresh from creation (or
// from the customer's reply, for next response) with the same pauses;
// clocks already met or stopped keep what they were. When no policy
// matches any more, the current one stays.
func (s *Service) onPatch(ctx context.Context, q store.Querier, c store.PatchChange) error {
	b, a := c.Before, c.After
	if b.Priority == a.Priority && b.Type == a.Type && eqID(b.CategoryID, a.CategoryID) && eqID(b.TeamID, a.TeamID) {
		return nil
	}
	x, err := s.store.RequestSLA(ctx, q, a.ID, true)
	if err != nil || x == nil {
		return err
	}
	var channel model.Channel
	if err := q.QueryRow(ctx, "SELECT channel FROM requests WHERE id = $1", a.ID).Scan(&channel); err != nil {
		return err
	}
	pols, err := s.policies(ctx, q)
	if err != nil {
		return err
	}
	subject := model.SLASubject{Type: a.Type, Priority: a.Priority, Channel: channel, Tier: x.Tier,
		CategoryID: a.CategoryID, TeamID: a.TeamID}
	var p *model.SLAPolicy
	for i := range pols {
		if pols[i].Conditions.Matches(subject) {
			p = &pols[i]
			break
		}
	}
	if p == nil || (x.PolicyID != nil && *x.PolicyID == p.ID) {
		return nil
	}
	before := cloneClocks(x.Clocks)
	id, cal := p.ID, p.CalendarID
	x.PolicyID, x.PolicyName, x.CalendarID = &id, p.Name, &cal
	x.PauseStatuses, x.WarnBeforeMinutes, x.NextResponseMinutes = slices.Clone(p.PauseStatuses), p.WarnBeforeMinutes, p.NextResponseMinutes
	terminal := a.Status == model.StatusResolved || a.Status == model.StatusClosed || a.Status == model.StatusCancelled
	if x.Clock(model.ClockFirstResponse) == nil && x.Metrics.FirstResponseAt == nil && !terminal {
		x.Clocks = append(x.Clocks, model.SLAClock{Kind: model.ClockFirstResponse, Cycle: 1, StartedAt: a.CreatedAt})
	}
	if x.Clock(model.ClockResolution) == nil && !terminal {
		x.Clocks = append(x.Clocks, model.SLAClock{Kind: model.ClockResolution, Cycle: 1, StartedAt: a.CreatedAt})
	}
	for i := range x.Clocks {
		cl := &x.Clocks[i]
		if !cl.Open() {
			continue
		}
		switch cl.Kind {
		case model.ClockFirstResponse:
			cl.TargetMinutes = p.FirstResponseMinutes
		case model.ClockResolution:
			cl.TargetMinutes = p.ResolutionMinutes
		case model.ClockNextResponse:
			if p.NextResponseMinutes == nil {
				at := c.At
				cl.StoppedAt = &at
			} else {
				cl.TargetMinutes = *p.NextResponseMinutes
			}
		}
	}
	k, err := s.engine(ctx, x.CalendarID)
	if err != nil {
		return err
	}
	if err := s.pause(ctx, q, x, k, x.Pauses(a.Status) && !terminal, c.At); err != nil {
		return err
	}
	return s.settle(ctx, q, x, before, false)
}

func eqID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
