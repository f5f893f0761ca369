package store

import (
	"context"
	"strconv"

	"github.com/aftercare/aftercare/internal/model"
)

// insertAudit appends entries to the audit log inside the transaction of
// the action they record, so that an action and its record commit or
// fail together.
func (s *Store) insertAudit(ctx context.Context, q Querier, entries ...model.AuditEntry) error {
	for _, e := range entries {
		if e.At.IsZero() {
			e.At = s.Now()
		}
		if _, err := q.Exec(ctx, `INSERT INTO audit_log (created_at, actor_kind, actor_id, actor_name, action, target, detail, client_addr)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.At, string(e.ActorKind), e.ActorID, e.ActorName, e.Action,
			e.Target, e.Detail, e.ClientAddr); err != nil {
			return err
		}
	}
	return nil
}

// RecordAudit appends an entry for an action that writes nothing else
// (an export downloaded).
func (s *Store) RecordAudit(ctx context.Context, e model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error { return s.insertAudit(ctx, q, e) })
}

// ListAudit returns one page of the audit log, newest first; the cursor
// is the id of the last entry of the previous page.
func (s *Store) ListAudit(ctx context.Context, f model.AuditFilter) (model.AuditPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return model.AuditPage{}, model.FieldError("limit", "must be between 1 and %d", MaxPageSize)
	}
	query := `SELECT id, created_at, actor_kind, actor_id, actor_name, action, target, detail, client_addr FROM audit_log WHERE 1 = 1`
	var args []any
	if f.Action != "" {
		args = append(args, f.Action)
		query += " AND action = $" + strconv.Itoa(len(args))
	}
	if f.Cursor != "" {
		before, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || before <= 0 {
			return model.AuditPage{}, model.FieldError("cursor", "invalid cursor")
		}
		args = append(args, before)
		query += " AND id < $" + strconv.Itoa(len(args))
	}
	query += " ORDER BY id DESC LIMIT " + strconv.Itoa(limit+1)
	rows, err := s.Read().Query(ctx, query, args...)
	if err != nil {
		return model.AuditPage{}, err
	}
	defer rows.Close()
	var page model.AuditPage
	for rows.Next() {
		var e model.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.ActorKind, &e.ActorID, &e.ActorName, &e.Action, &e.Target, &e.Detail, &e.ClientAddr); err != nil {
			return model.AuditPage{}, err
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return model.AuditPage{}, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = strconv.FormatInt(page.Items[limit-1].ID, 10)
	}
	return page, nil
}
