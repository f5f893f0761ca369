package store

import (
	"context"
	"fmt"

	"github.com/aftercare/aftercare/internal/model"
)

const compensationSelect = `SELECT m.id, m.request_id, r.number, m.kind, m.amount, m.currency, m.note, m.status,
	m.requested_by_id, m.requested_by, m.decided_by_id, m.decided_by, m.decided_at, m.created_at
	FROM compensations m JOIN requests r ON r.id = m.request_id `

func scanCompensation(row Row, c *model.Compensation) error {
	return row.Scan(&c.ID, &c.RequestID, &c.RequestNumber, &c.Kind, &c.Amount, &c.Currency, &c.Note, &c.Status,
		&c.RequestedByID, &c.RequestedBy, &c.DecidedByID, &c.DecidedBy, &c.DecidedAt, &c.CreatedAt)
}

// compensationTarget names a compensation in the audit log.
func compensationTarget(c *model.Compensation) string {
	return fmt.Sprintf("compensation %d on %s (%s %d %s)", c.ID, c.RequestNumber, c.Kind, c.Amount, c.Currency)
}

// AddCompensation records a compensation on a complaint request (another
// type is ECONFLICT) with its timeline event and audit entries (their
// Target filled), in one transaction. c.Status is decided by the caller:
// approved when the recorder may approve it (c.DecidedBy set), pending
// otherwise. c.ID, RequestID, RequestNumber and CreatedAt are filled.
func (s *Store) AddCompensation(ctx context.Context, number string, c *model.Compensation, by Actor, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		r, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		if r.Type != model.TypeComplaint {
			return errNotComplaint()
		}
		c.RequestID, c.RequestNumber, c.CreatedAt = r.ID, r.Number, s.Now()
		if c.Status == model.CompApproved {
			c.DecidedAt = &c.CreatedAt
		}
		err = q.QueryRow(ctx, `INSERT INTO compensations (request_id, kind, amount, currency, note, status, requested_by_id,
			requested_by, decided_by_id, decided_by, decided_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			c.RequestID, c.Kind, c.Amount, c.Currency, c.Note, c.Status, c.RequestedByID, c.RequestedBy, c.DecidedByID,
			c.DecidedBy, c.DecidedAt, c.CreatedAt).Scan(&c.ID)
		if err != nil {
			return err
		}
		if err := insertEvent(ctx, q, r.ID, by, "compensation", fmt.Sprint(c.ID), string(c.Status), c.CreatedAt); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = compensationTarget(c)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// DecideCompensation approves or rejects a pending compensation (one
// decided already is ECONFLICT), with its timeline event and audit
// entries, in one transaction.
func (s *Store) DecideCompensation(ctx context.Context, id int64, approve bool, decider Actor, audit ...model.AuditEntry) (*model.Compensation, error) {
	var c model.Compensation
	err := s.Tx(ctx, func(q Querier) error {
		if err := scanCompensation(q.QueryRow(ctx, compensationSelect+"WHERE m.id = $1"+s.forUpdate(), id), &c); err != nil {
			return notFound(err, "compensation")
		}
		if c.Status != model.CompPending {
			return model.Conflict("status", "this compensation was decided already (%s)", c.Status)
		}
		now := s.Now()
		c.Status = model.CompRejected
		if approve {
			c.Status = model.CompApproved
		}
		c.DecidedByID, c.DecidedBy, c.DecidedAt = decider.ID, decider.Name, &now
		if _, err := q.Exec(ctx, `UPDATE compensations SET status = $1, decided_by_id = $2, decided_by = $3, decided_at = $4
			WHERE id = $5`, c.Status, c.DecidedByID, c.DecidedBy, now, id); err != nil {
			return err
		}
		if err := insertEvent(ctx, q, c.RequestID, decider, "compensation", fmt.Sprint(c.ID), string(c.Status), now); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = compensationTarget(&c)
		}
		return s.insertAudit(ctx, q, audit...)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// Compensation returns one compensation.
func (s *Store) Compensation(ctx context.Context, id int64) (*model.Compensation, error) {
	var c model.Compensation
	if err := scanCompensation(s.Read().QueryRow(ctx, compensationSelect+"WHERE m.id = $1", id), &c); err != nil {
		return nil, notFound(err, "compensation")
	}
	return &c, nil
}

// Compensations returns a request's compensations, oldest first.
func (s *Store) Compensations(ctx context.Context, requestID int64) ([]model.Compensation, error) {
	return s.compensations(ctx, "WHERE m.request_id = $1 ORDER BY m.id", requestID)
}

// PendingCompensations returns the compensations waiting for approval,
// oldest first (at most 100).
func (s *Store) PendingCompensations(ctx context.Context) ([]model.Compensation, error) {
	return s.compensations(ctx, "WHERE m.status = 'pending' ORDER BY m.id LIMIT 100")
}

func (s *Store) compensations(ctx context.Context, where string, args ...any) ([]model.Compensation, error) {
	rows, err := s.Read().Query(ctx, compensationSelect+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Compensation
	for rows.Next() {
		var c model.Compensation
		if err := scanCompensation(rows, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
