package store

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// MergeRequest merges request source into request into, in one
// transaction: source is closed (its SLA clocks stop through the status
// hooks) and points at into, whose timeline from then on shows source's
// messages and files; requests merged into source earlier follow it into
// into. Each side gets a timeline event ("merged" on source, "merged_from"
// on into). Both rows are locked in id order, so concurrent merges of the
// same pair cannot cross. Refused: a request into itself (invalid), a
// source or target that is closed, cancelled or merged (conflict),
// requests of different customers (invalid).
func (s *Store) MergeRequest(ctx context.Context, source, into string, by Actor) error {
	if source == into {
		return model.FieldError("into", "a request cannot be merged into itself")
	}
	return s.Tx(ctx, func(q Querier) error {
		first, second := source, into
		if into < source {
			first, second = into, source
		}
		a, err := s.lockRequest(ctx, q, first)
		if err != nil {
			return err
		}
		b, err := s.lockRequest(ctx, q, second)
		if err != nil {
			if model.IsNotFound(err) && second == into {
				return model.FieldError("into", "no request %s", into)
			}
			return err
		}
		src, dst := a, b
		if first == into {
			src, dst = b, a
		}
		if err := mergeable(ctx, q, src, dst); err != nil {
			return err
		}
		now := s.Now()
		if _, err := q.Exec(ctx, `UPDATE requests SET status = $1, closed_at = $2, merged_into_id = $3, version = version + 1,
			updated_at = $2 WHERE id = $4`, model.StatusClosed, now, dst.ID, src.ID); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, "UPDATE requests SET merged_into_id = $1 WHERE merged_into_id = $2", dst.ID, src.ID); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, "UPDATE requests SET version = version + 1, updated_at = $1 WHERE id = $2", now, dst.ID); err != nil {
			return err
		}
		if err := insertEvent(ctx, q, src.ID, by, "merged", string(src.Status), into, now); err != nil {
			return err
		}
		if err := insertEvent(ctx, q, dst.ID, by, "merged_from", "", source, now); err != nil {
			return err
		}
		from := src.Status
		src.Status = model.StatusClosed
		if err := s.publish(ctx, q, model.DomainEvent{Type: model.EventRequestStatusChanged, At: now, From: from,
			To: model.StatusClosed, ByKind: by.Kind, ByID: by.ID}, src.ID); err != nil {
			return err
		}
		if err := s.runStatusHooks(ctx, q, StatusChange{Request: src, From: from, To: model.StatusClosed, At: now, By: by}); err != nil {
			return err
		}
		return s.publish(ctx, q, model.DomainEvent{Type: model.EventRequestUpdated, At: now, ByKind: by.Kind, ByID: by.ID,
			Changes: []model.FieldChange{{Field: "merged_from", To: source}}}, dst.ID)
	})
}

// mergeable refuses a merge of src into dst that the rules forbid.
func mergeable(ctx context.Context, q Querier, src, dst *model.Request) error {
	var srcMerged, dstMerged bool
	if err := q.QueryRow(ctx, `SELECT (SELECT merged_into_id IS NOT NULL FROM requests WHERE id = $1),
		(SELECT merged_into_id IS NOT NULL FROM requests WHERE id = $2)`, src.ID, dst.ID).Scan(&srcMerged, &dstMerged); err != nil {
		return err
	}
	switch {
	case srcMerged:
		return model.Conflict("number", "this request was already merged into another")
	case src.Status == model.StatusClosed || src.Status == model.StatusCancelled:
		return model.Conflict("number", "a closed or cancelled request cannot be merged")
	case dstMerged:
		return model.Conflict("into", "%s was merged into another request; merge into that one", dst.Number)
	case dst.Status == model.StatusClosed || dst.Status == model.StatusCancelled:
		return model.Conflict("into", "%s is closed or cancelled; merge into an open request", dst.Number)
	case src.CustomerID != dst.CustomerID:
		return model.FieldError("into", "%s belongs to another customer; only one customer's requests can be merged", dst.Number)
	}
	return nil
}
