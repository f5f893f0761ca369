package store

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// BulkSet is what a bulk action sets on each request; nil and empty
// fields are left alone.
type BulkSet struct {
	Status model.Status
	Patch  model.RequestPatch // Version is ignored: a bulk action is a deliberate overwrite
	// AddTags are normalised tags to add.
	AddTags []string
}

// ApplyBulk applies set to one request in one transaction: the fields
// first (one event each), then the status (checked against the workflow
// and check; a request already at the status is left alone), then the
// tags. Either all of it is stored or nothing.
func (s *Store) ApplyBulk(ctx context.Context, number string, set BulkSet, by Actor, check StatusCheck) error {
	return s.Tx(ctx, func(q Querier) error { return s.applyBulkTx(ctx, q, number, set, by, check) })
}

// applyBulkTx is ApplyBulk inside the caller's transaction.
func (s *Store) applyBulkTx(ctx context.Context, q Querier, number string, set BulkSet, by Actor, check StatusCheck) error {
	cur, err := s.lockRequest(ctx, q, number)
	if err != nil {
		return err
	}
	p := set.Patch
	if p.Priority != nil || p.AssigneeID != nil || p.TeamID != nil || p.CategoryID != nil {
		if err := s.patchTx(ctx, q, cur, p, by); err != nil {
			return err
		}
	}
	if set.Status != "" && set.Status != cur.Status {
		// A cancelled request is taken back one at a time, on its own
		// page, never in bulk.
		if !model.CanTransition(cur.Status, set.Status) || cur.Status == model.StatusCancelled {
			return model.Conflict("status", "cannot change status from %s to %s", cur.Status, set.Status)
		}
		if check != nil {
			if err := check(cur, set.Status); err != nil {
				return err
			}
		}
		from, now := cur.Status, s.Now()
		if err := s.setStatus(ctx, q, cur, set.Status, by, now); err != nil {
			return err
		}
		cur.Status = set.Status
		if err := s.runStatusHooks(ctx, q, StatusChange{Request: cur, From: from, To: set.Status, At: now, By: by}); err != nil {
			return err
		}
	}
	if len(set.AddTags) > 0 {
		if _, err := s.ChangeTagsTx(ctx, q, cur.ID, set.AddTags, nil, by); err != nil {
			return err
		}
	}
	return nil
}
