package store

import (
	"context"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// SetTaskDone marks follow-up task taskID of request requestID done (or,
// with done false, open again) and puts it on the request's timeline
// (kind task: old value the title, new value "done" or "reopened"), in
// one transaction. The task's row is locked, so of two concurrent marks
// one changes it and the other finds it changed: a task is done once.
// It reports whether anything changed.
func (s *Store) SetTaskDone(ctx context.Context, requestID, taskID int64, done bool, by Actor) (*model.RequestTask, bool, error) {
	var t model.RequestTask
	changed := false
	err := s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `SELECT id, request_id, title, due_at, done_at, created_by, created_at
			FROM request_tasks WHERE id = $1 AND request_id = $2`+s.forUpdate(), taskID, requestID).
			Scan(&t.ID, &t.RequestID, &t.Title, &t.DueAt, &t.DoneAt, &t.CreatedBy, &t.CreatedAt)
		if err != nil {
			return notFound(err, "task")
		}
		if (t.DoneAt != nil) == done {
			return nil
		}
		now := s.Now()
		var at *time.Time
		what := "reopened"
		if done {
			at, what = &now, "done"
		}
		if _, err := q.Exec(ctx, "UPDATE request_tasks SET done_at = $1 WHERE id = $2", at, t.ID); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, "UPDATE requests SET updated_at = $1 WHERE id = $2", now, requestID); err != nil {
			return err
		}
		t.DoneAt, changed = at, true
		return insertEvent(ctx, q, requestID, by, "task", t.Title, what, now)
	})
	if err != nil {
		return nil, false, err
	}
	return &t, changed, nil
}
