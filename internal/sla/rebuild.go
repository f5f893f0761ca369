package sla

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Rebuild gives a request that has no SLA state (one inserted in bulk,
// like the demo's history) its clocks, pauses and metrics by replaying
// its timeline through the same rules as live changes: the policy its
// current fields and its customer's tier match, then its public messages
// and status changes in order. A request that has SLA state already is
// left alone. Warnings and breaches are not recorded here: the sweeper
// records those of clocks still open.
func (s *Service) Rebuild(ctx context.Context, requestID int64) error {
	evs, err := s.store.Events(ctx, requestID, true)
	if err != nil {
		return err
	}
	msgs, err := s.store.Messages(ctx, requestID, false)
	if err != nil {
		return err
	}
	type step struct {
		at     time.Time
		msg    *model.Message
		from   model.Status
		to     model.Status
		status bool
	}
	var steps []step
	for i := range msgs {
		steps = append(steps, step{at: msgs[i].CreatedAt, msg: &msgs[i]})
	}
	for _, e := range evs {
		if e.Kind == "status" || e.Kind == "reopened" {
			steps = append(steps, step{at: e.CreatedAt, from: model.Status(e.OldValue), to: model.Status(e.NewValue), status: true})
		}
	}
	// Messages before status changes at the same instant (a reply sent
	// with "pending"), otherwise in time order.
	slices.SortStableFunc(steps, func(a, b step) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if a.status == b.status {
			return 0
		}
		if a.status {
			return 1
		}
		return -1
	})
	return s.store.Tx(ctx, func(q store.Querier) error {
		r, err := s.store.LockRequestByID(ctx, q, requestID)
		if err != nil {
			return err
		}
		if x, err := s.store.RequestSLA(ctx, q, requestID, false); err != nil || x != nil {
			return err
		}
		current := r.Status
		r.Status = model.StatusNew
		if err := s.onCreate(ctx, q, r); err != nil {
			return err
		}
		status := model.StatusNew
		for _, st := range steps {
			if st.status {
				c := store.StatusChange{Request: r, From: st.from, To: st.to, At: st.at}
				if err := s.onStatus(ctx, q, c); err != nil {
					return err
				}
				status = st.to
				continue
			}
			if err := s.onMessage(ctx, q, store.MessageAdded{Message: st.msg, From: status, To: status}); err != nil {
				return err
			}
		}
		if status != current {
			return fmt.Errorf("sla rebuild: the timeline of request %d ends in %s, not %s", requestID, status, current)
		}
		return nil
	})
}
