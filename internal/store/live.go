package store

import (
	"context"
	"slices"

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
	// inbox are the staff users whose notifications changed.
	inbox []int64
}

// noteInbox records that the transaction q changed user userID's
// notifications (one left, or read). Outside a transaction of a store
// with live updates it does nothing.
func noteInbox(q Querier, userID int64) {
	if cs := changeSetOf(q); cs != nil && !slices.Contains(cs.inbox, userID) {
		cs.inbox = append(cs.inbox, userID)
	}
}

// changeSetOf is the change set of transaction q (nil outside one, or
// without live updates).
func changeSetOf(q Querier) *changeSet {
	switch v := q.(type) {
	case sqlQuerier:
		return v.changed
	case pgQuerier:
		return v.changed
	}
	return nil
}

// noteChange records that the transaction q changed request requestID.
// Outside a transaction of a store with live updates it does nothing.
func noteChange(q Querier, requestID int64, byKind model.AuthorKind, byID *int64, staffOnly bool) {
	cs := changeSetOf(q)
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
	if cs == nil || len(cs.order)+len(cs.inbox) == 0 || s.live == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	now := s.Now()
	for _, id := range cs.inbox {
		if n, err := s.UnreadNotices(ctx, id); err == nil {
			_ = s.live.Publish(ctx, model.LiveEvent{Type: model.LiveInboxChanged, UserID: id, Unread: n, At: now})
		}
	}
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
