package store

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// LiveSink hears, after commit, of every request a transaction changed
// (live.Broker satisfies it). Publishing after commit means a page told
// "this request changed" reads the change when it reloads.
type LiveSink interface {
	Publish(ctx context.Context, ev model.LiveEvent) error
}

// SetLive connects the store to live updates; call it once, before the
// store is shared. Until then (administrative commands, store tests)
// changes announce nothing.
func (s *Store) SetLive(l LiveSink) { s.live = l }

// changeSet collects, inside one transaction, the requests it changed
// and who changed them (the last change of each request wins).
type changeSet struct {
	order []int64
	by    map[int64]model.LiveEvent
}

// noteChange records that the transaction q changed request requestID.
// Outside a transaction of a store with live updates it does nothing.
func noteChange(q Querier, requestID int64, byKind model.AuthorKind, byID *int64, staffOnly bool) {
	var cs *changeSet
	switch v := q.(type) {
	case sqlQuerier:
		cs = v.changed
	case pgQuerier:
		cs = v.changed
	}
	if cs == nil || requestID == 0 {
		return
	}
	if cs.by == nil {
		cs.by = map[int64]model.LiveEvent{}
	}
	prev, seen := cs.by[requestID]
	if !seen {
		cs.order = append(cs.order, requestID)
	} else if !prev.StaffOnly {
		staffOnly = false // a change customers see stays one
	}
	ev := model.LiveEvent{Type: model.LiveRequestUpdated, RequestID: requestID, ByKind: byKind, StaffOnly: staffOnly}
	if byID != nil {
		ev.ByID = *byID
	}
	cs.by[requestID] = ev
}

// announce publishes the changes of a committed transaction. A failure to
// read or publish is not the change's failure: the change is committed.
func (s *Store) announce(ctx context.Context, cs *changeSet) {
	if cs == nil || len(cs.order) == 0 || s.live == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	now := s.Now()
	for _, id := range cs.order {
		ev := cs.by[id]
		if err := s.Read().QueryRow(ctx, "SELECT number, customer_id FROM requests WHERE id = $1", id).
			Scan(&ev.Number, &ev.CustomerID); err != nil || ev.Number == "" {
			continue // created and rolled back elsewhere, or not numbered yet
		}
		switch {
		case ev.ByKind == model.AuthorStaff && ev.ByID != 0:
			_ = s.Read().QueryRow(ctx, "SELECT name FROM users WHERE id = $1", ev.ByID).Scan(&ev.ByName)
		case ev.ByKind == model.AuthorCustomer && ev.ByID != 0:
			_ = s.Read().QueryRow(ctx, "SELECT name FROM customers WHERE id = $1", ev.ByID).Scan(&ev.ByName)
		}
		ev.At = now
		_ = s.live.Publish(ctx, ev)
	}
}

// newChangeSet starts collecting a transaction's changes (nil without
// live updates: nothing is collected).
func (s *Store) newChangeSet() *changeSet {
	if s.live == nil {
		return nil
	}
	return &changeSet{}
}
