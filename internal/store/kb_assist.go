package store

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// PastRequest is a resolved or closed request, for agent assistance
// (similar requests, suggested classification).
type PastRequest struct {
	ID          int64
	Number      string
	Subject     string
	Description string
	Type        model.RequestType
	Priority    model.Priority
	CategoryID  *int64
	Status      model.Status
}

// PastRequests returns up to limit of the most recently created resolved
// or closed requests other than except, newest first.
func (s *Store) PastRequests(ctx context.Context, except int64, limit int) ([]PastRequest, error) {
	rows, err := s.Read().Query(ctx, `SELECT id, number, subject, description, type, priority, category_id, status
		FROM requests WHERE status IN ('resolved', 'closed') AND id <> $1 ORDER BY created_at DESC, id DESC LIMIT $2`, except, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PastRequest
	for rows.Next() {
		var p PastRequest
		if err := rows.Scan(&p.ID, &p.Number, &p.Subject, &p.Description, &p.Type, &p.Priority, &p.CategoryID, &p.Status); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// HistoryMark says whether the resolved requests changed: their count
// and newest id.
type HistoryMark struct {
	Count, MaxID int64
}

// PastRequestsMark reads the HistoryMark of the requests PastRequests
// returns (one aggregate over the status index).
func (s *Store) PastRequestsMark(ctx context.Context) (HistoryMark, error) {
	var m HistoryMark
	err := s.Read().QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM requests
		WHERE status IN ('resolved', 'closed')`).Scan(&m.Count, &m.MaxID)
	return m, err
}

// LastStaffReply returns the last public reply staff wrote on a request:
// how it was resolved ("" when there is none).
func (s *Store) LastStaffReply(ctx context.Context, requestID int64) (string, error) {
	rows, err := s.Read().Query(ctx, `SELECT body FROM messages WHERE request_id = $1 AND visibility = 'public'
		AND author_kind = 'staff' ORDER BY id DESC LIMIT 1`, requestID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var body string
	if rows.Next() {
		if err := rows.Scan(&body); err != nil {
			return "", err
		}
	}
	return body, rows.Err()
}
