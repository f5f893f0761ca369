package rules

import (
	"context"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// idleBatch bounds the requests one idle run looks at per rule.
const idleBatch = 200

// RunIdle fires the request.idle rules: for each, the open requests not
// updated for its idle_minutes business minutes (counted in the
// request's SLA calendar, else its team's, else around the clock), once
// per quiet stretch — a request is idle again only after a new update.
// The candidates come from an indexed query on updated_at (business
// minutes are never fewer than calendar minutes); a periodic job calls
// it. It returns how many rules fired.
func (s *Service) RunIdle(ctx context.Context) (int, error) {
	rules, err := s.active(ctx, nil, model.TriggerRequestIdle)
	if err != nil {
		return 0, err
	}
	now := s.store.Now()
	fired := 0
	engines := map[int64]*calendar.Calendar{}
	for i := range rules {
		r := &rules[i]
		if r.IdleMinutes == nil {
			continue
		}
		idle := time.Duration(*r.IdleMinutes) * time.Minute
		cands, err := s.store.IdleCandidates(ctx, r.ID, now.Add(-idle), idleBatch)
		if err != nil {
			return fired, err
		}
		for _, c := range cands {
			quiet := now.Sub(c.UpdatedAt)
			if c.CalendarID != nil {
				k, ok := engines[*c.CalendarID]
				if !ok {
					if k, err = s.engine(ctx, *c.CalendarID); err != nil {
						return fired, err
					}
					engines[*c.CalendarID] = k
				}
				if k != nil {
					quiet = k.Duration(c.UpdatedAt, now, nil)
				}
			}
			if quiet < idle {
				continue
			}
			ok, err := s.fireIdle(ctx, r, c)
			if err != nil {
				return fired, err
			}
			if ok {
				fired++
			}
		}
	}
	return fired, nil
}

func (s *Service) engine(ctx context.Context, id int64) (*calendar.Calendar, error) {
	if s.cals == nil {
		return nil, nil
	}
	c, err := s.store.CalendarByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.cals.Compile(c)
}

// fireIdle runs rule r on an idle request in a transaction of its own,
// if the request is still as quiet as when it was found and the rule has
// not fired for this quiet stretch (two nodes: one wins).
func (s *Service) fireIdle(ctx context.Context, r *model.Rule, c store.IdleCandidate) (bool, error) {
	fired := false
	err := s.store.Tx(ctx, func(q store.Querier) error {
		ok, err := s.store.MarkIdleIn(ctx, q, r.ID, c)
		if err != nil || !ok {
			return err
		}
		fired = true
		if err := s.try(ctx, q, []model.Rule{*r}, c.RequestID, nil); err != nil {
			return err
		}
		return s.store.KeepIdleIn(ctx, q, r.ID, c.RequestID)
	})
	return fired, err
}
