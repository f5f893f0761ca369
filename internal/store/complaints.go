package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

const complaintColumns = "request_id, severity, deadline_at, escalation_level, escalated_at, escalated_to, created_at"

func scanComplaint(row Row, c *model.Complaint) error {
	return row.Scan(&c.RequestID, &c.Severity, &c.DeadlineAt, &c.EscalationLevel, &c.EscalatedAt, &c.EscalatedTo, &c.CreatedAt)
}

// CreateComplaintTx records a complaint request's severity and deadline
// inside the transaction that creates the request (a create hook).
func (s *Store) CreateComplaintTx(ctx context.Context, q Querier, c *model.Complaint) error {
	_, err := q.Exec(ctx, `INSERT INTO complaints (request_id, severity, deadline_at, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (request_id) DO NOTHING`, c.RequestID, c.Severity, c.DeadlineAt, c.CreatedAt)
	return err
}

// Complaint returns the complaint record of a request.
func (s *Store) Complaint(ctx context.Context, requestID int64) (*model.Complaint, error) {
	var c model.Complaint
	if err := scanComplaint(s.Read().QueryRow(ctx, "SELECT "+complaintColumns+" FROM complaints WHERE request_id = $1", requestID), &c); err != nil {
		return nil, notFound(err, "complaint")
	}
	return &c, nil
}

// errNotComplaint refuses complaint actions on other request types.
func errNotComplaint() error {
	return model.Conflict("type", "this request is not a complaint")
}

// ComplaintHook runs inside the transaction that changed a complaint
// (its escalation job is scheduled there).
type ComplaintHook func(ctx context.Context, q Querier, c *model.Complaint) error

// SetComplaintSeverity gives a complaint request a severity and the
// deadline that goes with it (deadline maps the creation time to it),
// records the change on the timeline and runs hook, in one transaction.
// Another request type is ECONFLICT.
func (s *Store) SetComplaintSeverity(ctx context.Context, number string, severity int, deadline func(created time.Time) time.Time,
	by Actor, hook ComplaintHook) (*model.Complaint, error) {
	var c model.Complaint
	err := s.Tx(ctx, func(q Querier) error {
		r, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		if r.Type != model.TypeComplaint {
			return errNotComplaint()
		}
		now := s.Now()
		old := ""
		err = scanComplaint(q.QueryRow(ctx, "SELECT "+complaintColumns+" FROM complaints WHERE request_id = $1", r.ID), &c)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			c = model.Complaint{RequestID: r.ID, CreatedAt: now}
		case err != nil:
			return err
		default:
			old = strconv.Itoa(c.Severity)
		}
		c.Severity, c.DeadlineAt = severity, deadline(r.CreatedAt)
		if _, err := q.Exec(ctx, `INSERT INTO complaints (request_id, severity, deadline_at, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (request_id) DO UPDATE SET severity = excluded.severity, deadline_at = excluded.deadline_at`,
			c.RequestID, c.Severity, c.DeadlineAt, c.CreatedAt); err != nil {
			return err
		}
		if old != strconv.Itoa(severity) {
			if err := insertEvent(ctx, q, r.ID, by, "severity", old, strconv.Itoa(severity), now); err != nil {
				return err
			}
		}
		if hook != nil {
			return hook(ctx, q, &c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// EscalateComplaint takes a complaint to escalation level (1: a manager
// of the request's team, or any manager; 2 and beyond: an admin; each
// falls back to the next when there is none) if it has not reached it,
// the request is still being worked (not resolved, closed or cancelled)
// and due has passed: the request is assigned to that person at urgent
// priority, and the timeline says so. It reports whether it escalated and
// runs hook (the next level's job) in the same transaction.
func (s *Store) EscalateComplaint(ctx context.Context, requestID int64, level int, due time.Time, hook ComplaintHook) (bool, error) {
	done := false
	err := s.Tx(ctx, func(q Querier) error {
		var c model.Complaint
		err := scanComplaint(q.QueryRow(ctx, "SELECT "+complaintColumns+" FROM complaints WHERE request_id = $1"+s.forUpdate(), requestID), &c)
		if err != nil {
			return notFound(err, "complaint")
		}
		now := s.Now()
		if c.EscalationLevel >= level || now.Before(due) {
			return nil
		}
		var r model.Request
		err = q.QueryRow(ctx, "SELECT status, priority, team_id, assignee_id FROM requests WHERE id = $1"+s.forUpdate(), requestID).
			Scan(&r.Status, &r.Priority, &r.TeamID, &r.AssigneeID)
		if err != nil {
			return notFound(err, "request")
		}
		switch r.Status {
		case model.StatusResolved, model.StatusClosed, model.StatusCancelled:
			return nil
		}
		var targetID int64
		var target string
		type candidate struct {
			query string
			args  []any
		}
		var candidates []candidate
		if level == 1 {
			if r.TeamID != nil {
				candidates = append(candidates, candidate{"SELECT id, name FROM users WHERE active AND role = 'manager' AND team_id = $1 ORDER BY id LIMIT 1", []any{*r.TeamID}})
			}
			candidates = append(candidates, candidate{"SELECT id, name FROM users WHERE active AND role = 'manager' ORDER BY id LIMIT 1", nil})
		}
		candidates = append(candidates, candidate{"SELECT id, name FROM users WHERE active AND role = 'admin' ORDER BY id LIMIT 1", nil})
		for _, c := range candidates {
			err := q.QueryRow(ctx, c.query, c.args...).Scan(&targetID, &target)
			if err == nil {
				break
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		system := Actor{Kind: model.AuthorSystem, Name: "escalation", Channel: model.ChannelWeb}
		if targetID != 0 {
			if _, err := q.Exec(ctx, `UPDATE requests SET assignee_id = $1, priority = 'urgent', priority_rank = $2,
				version = version + 1, updated_at = $3 WHERE id = $4`, targetID, model.PriorityUrgent.Rank(), now, requestID); err != nil {
				return err
			}
			if idString(r.AssigneeID) != fmt.Sprint(targetID) {
				if err := insertEvent(ctx, q, requestID, system, "assignee", idString(r.AssigneeID), fmt.Sprint(targetID), now); err != nil {
					return err
				}
			}
			if r.Priority != model.PriorityUrgent {
				if err := insertEvent(ctx, q, requestID, system, "priority", string(r.Priority), string(model.PriorityUrgent), now); err != nil {
					return err
				}
			}
		}
		if _, err := q.Exec(ctx, `UPDATE complaints SET escalation_level = $1, escalated_at = $2, escalated_to = $3
			WHERE request_id = $4`, level, now, target, requestID); err != nil {
			return err
		}
		if err := insertEvent(ctx, q, requestID, system, "escalated", strconv.Itoa(level), target, now); err != nil {
			return err
		}
		done = true
		c.EscalationLevel, c.EscalatedAt, c.EscalatedTo = level, &now, target
		if hook != nil {
			return hook(ctx, q, &c)
		}
		return nil
	})
	return done, err
}

// ComplaintClosableTx refuses (ECONFLICT) to close a complaint request
// whose follow-up call is not done, inside the closing transaction (a
// status hook). Other request types pass.
func (s *Store) ComplaintClosableTx(ctx context.Context, q Querier, r *model.Request) error {
	if r.Type != model.TypeComplaint {
		return nil
	}
	var status model.FollowupStatus
	err := q.QueryRow(ctx, "SELECT status FROM followups WHERE request_id = $1", r.ID).Scan(&status)
	if (err == nil && status != model.FollowupDone) || errors.Is(err, sql.ErrNoRows) {
		return model.Conflict("status", "a complaint cannot be closed before its follow-up call is done")
	}
	return err
}

// ComplaintRates returns, for the requests created in [from, to), how many
// there were and how many were complaints, grouped by "product" (of the
// request's unit; Key "" for requests without one), "team" (the centre,
// for now; Key "" for unassigned) or "month" (in the store's time zone,
// Key "2026-03", one group per month of the period, empty ones included).
func (s *Store) ComplaintRates(ctx context.Context, from, to time.Time, by string) ([]model.ComplaintRate, error) {
	const counts = "COUNT(*), SUM(CASE WHEN r.type = 'complaint' THEN 1 ELSE 0 END)"
	var query string
	switch by {
	case "product":
		query = `SELECT COALESCE(CAST(p.id AS TEXT), ''), COALESCE(p.name, ''), ` + counts + ` FROM requests r
			LEFT JOIN units un ON un.id = r.unit_id LEFT JOIN products p ON p.id = un.product_id
			WHERE r.created_at >= $1 AND r.created_at < $2 GROUP BY p.id, p.name ORDER BY 1`
	case "team":
		query = `SELECT COALESCE(CAST(t.id AS TEXT), ''), COALESCE(t.name, ''), ` + counts + ` FROM requests r
			LEFT JOIN teams t ON t.id = r.team_id
			WHERE r.created_at >= $1 AND r.created_at < $2 GROUP BY t.id, t.name ORDER BY 1`
	case "month":
		return s.complaintRatesByMonth(ctx, from, to)
	default:
		return nil, model.FieldError("by", "must be product, team or month")
	}
	rows, err := s.Read().Query(ctx, query, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.ComplaintRate
	for rows.Next() {
		var c model.ComplaintRate
		var complaints sql.NullInt64
		if err := rows.Scan(&c.Key, &c.Label, &c.Requests, &complaints); err != nil {
			return nil, err
		}
		c.Complaints = int(complaints.Int64)
		out = append(out, c)
	}
	return out, rows.Err()
}

// complaintRatesByMonth counts each calendar month of [from, to) in the
// store's time zone with one range scan of the created_at index, so the
// buckets follow the zone's calendar on both databases.
func (s *Store) complaintRatesByMonth(ctx context.Context, from, to time.Time) ([]model.ComplaintRate, error) {
	var out []model.ComplaintRate
	l := from.In(s.loc)
	for start := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, s.loc); start.Before(to); start = start.AddDate(0, 1, 0) {
		lo, hi := start, start.AddDate(0, 1, 0)
		if lo.Before(from) {
			lo = from
		}
		if hi.After(to) {
			hi = to
		}
		c := model.ComplaintRate{Key: start.Format("2006-01"), Label: start.Format("2006-01")}
		var complaints sql.NullInt64
		err := s.Read().QueryRow(ctx, `SELECT COUNT(*), SUM(CASE WHEN type = 'complaint' THEN 1 ELSE 0 END) FROM requests
			WHERE created_at >= $1 AND created_at < $2`, lo, hi).Scan(&c.Requests, &complaints)
		if err != nil {
			return nil, err
		}
		c.Complaints = int(complaints.Int64)
		out = append(out, c)
	}
	return out, nil
}
