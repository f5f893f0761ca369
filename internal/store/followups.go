package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

const followupSelect = `SELECT f.id, f.request_id, f.reason, f.status, f.outcome, f.due_at, f.attempts, f.done_at, f.done_by,
	f.created_at, (SELECT s.id FROM survey_responses s WHERE s.followup_id = f.id), r.number, r.subject, r.type,
	r.customer_id, c.name, COALESCE(c.phone, ''), c.locale, COALESCE(t.name, '')
	FROM followups f
	JOIN requests r ON r.id = f.request_id
	JOIN customers c ON c.id = r.customer_id
	LEFT JOIN teams t ON t.id = r.team_id `

func scanFollowup(row Row, f *model.Followup) error {
	return row.Scan(&f.ID, &f.RequestID, &f.Reason, &f.Status, &f.Outcome, &f.DueAt, &f.Attempts, &f.DoneAt, &f.DoneBy,
		&f.CreatedAt, &f.ResponseID, &f.RequestNumber, &f.Subject, &f.RequestType, &f.CustomerID, &f.CustomerName,
		&f.CustomerPhone, &f.CustomerLang, &f.TeamName)
}

// ListFollowups returns one page of the follow-up queue: open calls due
// by f.DueBy (all open ones when zero), or done ones, oldest due first
// (the followups_queue index, keyset on due time and id).
func (s *Store) ListFollowups(ctx context.Context, f model.FollowupFilter) (model.FollowupPage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	if f.Limit > MaxPageSize {
		return model.FollowupPage{}, model.FieldError("limit", "must be at most %d", MaxPageSize)
	}
	if f.Status == "" {
		f.Status = model.FollowupOpen
	}
	query := followupSelect + "WHERE f.status = $1"
	args := []any{f.Status}
	if !f.DueBy.IsZero() {
		args = append(args, f.DueBy)
		query += " AND f.due_at <= $" + strconv.Itoa(len(args))
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, "followups")
		if err != nil {
			return model.FollowupPage{}, err
		}
		args = append(args, c.At, c.ID)
		query += fmt.Sprintf(" AND (f.due_at, f.id) > ($%d, $%d)", len(args)-1, len(args))
	}
	query += " ORDER BY f.due_at, f.id LIMIT " + strconv.Itoa(f.Limit+1)
	rows, err := s.Read().Query(ctx, query, args...)
	if err != nil {
		return model.FollowupPage{}, fmt.Errorf("list follow-ups: %w", err)
	}
	defer rows.Close()
	page := model.FollowupPage{Items: make([]model.Followup, 0, f.Limit)}
	for rows.Next() {
		var fu model.Followup
		if err := scanFollowup(rows, &fu); err != nil {
			return model.FollowupPage{}, err
		}
		page.Items = append(page.Items, fu)
	}
	if err := rows.Err(); err != nil {
		return model.FollowupPage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[f.Limit-1]
		page.NextCursor = cursor{Sort: "followups", At: last.DueAt, ID: last.ID}.encode()
	}
	return page, nil
}

// Followup returns one follow-up with its attempts, oldest first.
func (s *Store) Followup(ctx context.Context, id int64) (*model.Followup, []model.FollowupAttempt, error) {
	var f model.Followup
	if err := scanFollowup(s.Read().QueryRow(ctx, followupSelect+"WHERE f.id = $1", id), &f); err != nil {
		return nil, nil, notFound(err, "follow-up")
	}
	atts, err := s.followupAttempts(ctx, id)
	return &f, atts, err
}

// FollowupOfRequest returns a request's follow-up with its attempts.
func (s *Store) FollowupOfRequest(ctx context.Context, requestID int64) (*model.Followup, []model.FollowupAttempt, error) {
	var f model.Followup
	if err := scanFollowup(s.Read().QueryRow(ctx, followupSelect+"WHERE f.request_id = $1", requestID), &f); err != nil {
		return nil, nil, notFound(err, "follow-up")
	}
	atts, err := s.followupAttempts(ctx, f.ID)
	return &f, atts, err
}

func (s *Store) followupAttempts(ctx context.Context, id int64) ([]model.FollowupAttempt, error) {
	rows, err := s.Read().Query(ctx, `SELECT id, followup_id, called_at, by_id, by_name, reachability, note
		FROM followup_attempts WHERE followup_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.FollowupAttempt
	for rows.Next() {
		var a model.FollowupAttempt
		if err := rows.Scan(&a.ID, &a.FollowupID, &a.At, &a.ByID, &a.ByName, &a.Reachability, &a.Note); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CallOutcome is one recorded call of a follow-up: the attempt, whether
// it finishes the task, and the customer's answers when reached and they
// answered the survey's questions.
type CallOutcome struct {
	Attempt  model.FollowupAttempt
	Finishes bool
	Response *model.SurveyResponse
}

// RecordCall adds a call attempt to an open follow-up (ECONFLICT when it
// is done already) and, when the outcome finishes it, marks it done;
// answers are stored as a survey response from the phone channel, with
// the same snapshot as a web answer. One transaction. The follow-up is
// returned as it is after the call.
func (s *Store) RecordCall(ctx context.Context, id int64, out CallOutcome, by Actor) (*model.Followup, error) {
	err := s.Tx(ctx, func(q Querier) error {
		var requestID int64
		var status model.FollowupStatus
		err := q.QueryRow(ctx, "SELECT request_id, status FROM followups WHERE id = $1"+s.forUpdate(), id).Scan(&requestID, &status)
		if err != nil {
			return notFound(err, "follow-up")
		}
		if status == model.FollowupDone {
			return model.Conflict("status", "this follow-up call is already done")
		}
		now := s.Now()
		a := out.Attempt
		if _, err := q.Exec(ctx, `INSERT INTO followup_attempts (followup_id, called_at, by_id, by_name, reachability, note)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, now, by.ID, by.Name, a.Reachability, a.Note); err != nil {
			return err
		}
		if !out.Finishes {
			_, err := q.Exec(ctx, "UPDATE followups SET attempts = attempts + 1 WHERE id = $1", id)
			return err
		}
		if _, err := q.Exec(ctx, `UPDATE followups SET attempts = attempts + 1, status = 'done', outcome = $1, done_at = $2,
			done_by = $3 WHERE id = $4`, a.Reachability, now, by.Name, id); err != nil {
			return err
		}
		if r := out.Response; r != nil {
			r.RequestID, r.FollowupID, r.Channel, r.AnsweredAt = requestID, &id, model.ChannelPhone, now
			if r.TemplateVersion == 0 {
				if r.TemplateVersion, err = latestTemplateVersion(ctx, q); err != nil {
					return err
				}
			}
			if err := insertResponse(ctx, q, r); err != nil {
				return err
			}
		}
		return insertEvent(ctx, q, requestID, by, "followup", "planned", string(a.Reachability), now)
	})
	if err != nil {
		return nil, err
	}
	f, _, err := s.Followup(ctx, id)
	return f, err
}

// DueFollowups counts the open follow-ups due by t (the queue's badge).
func (s *Store) DueFollowups(ctx context.Context, t time.Time) (int, error) {
	var n int
	err := s.Read().QueryRow(ctx, "SELECT COUNT(*) FROM followups WHERE status = 'open' AND due_at <= $1", t).Scan(&n)
	return n, err
}
