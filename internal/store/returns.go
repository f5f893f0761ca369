package store

import (
	"context"
	"strconv"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// PutReturnPolicy sets a category's return and exchange policy.
func (s *Store) PutReturnPolicy(ctx context.Context, p model.ReturnPolicy, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO return_policies (category, return_days, exchange_days, outside_window, updated_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (category) DO UPDATE SET return_days = excluded.return_days,
			exchange_days = excluded.exchange_days, outside_window = excluded.outside_window, updated_at = excluded.updated_at`,
			p.Category, p.ReturnDays, p.ExchangeDays, p.OutsideWindow, s.Now())
		if err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = "return policy " + p.Category
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// ReturnPolicy returns a category's policy, or the default.
func (s *Store) ReturnPolicy(ctx context.Context, category string) (model.ReturnPolicy, error) {
	p := model.ReturnPolicy{Category: category}
	err := s.Read().QueryRow(ctx, "SELECT return_days, exchange_days, outside_window FROM return_policies WHERE category = $1",
		category).Scan(&p.ReturnDays, &p.ExchangeDays, &p.OutsideWindow)
	if model.IsNotFound(notFound(err, "")) {
		return model.DefaultReturnPolicy(category), nil
	}
	return p, err
}

// ReturnPolicies lists the recorded policies by category.
func (s *Store) ReturnPolicies(ctx context.Context) ([]model.ReturnPolicy, error) {
	rows, err := s.Read().Query(ctx, "SELECT category, return_days, exchange_days, outside_window FROM return_policies ORDER BY category")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.ReturnPolicy
	for rows.Next() {
		var p model.ReturnPolicy
		if err := rows.Scan(&p.Category, &p.ReturnDays, &p.ExchangeDays, &p.OutsideWindow); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const returnSelect = `SELECT rt.id, rt.request_id, r.number, r.customer_id, rt.unit_id, u.serial, rt.kind, rt.reason, rt.decision,
	rt.decision_reason, rt.window_ends_on, rt.status, rt.refund_amount, rt.currency, rt.replacement_serial, rt.created_at,
	rt.updated_at, rt.closed_at
	FROM returns rt JOIN requests r ON r.id = rt.request_id JOIN units u ON u.id = rt.unit_id `

func scanReturn(row Row, rt *model.Return) error {
	return row.Scan(&rt.ID, &rt.RequestID, &rt.RequestNumber, &rt.CustomerID, &rt.UnitID, &rt.Serial, &rt.Kind, &rt.Reason,
		&rt.Decision, &rt.DecisionReason, &rt.WindowEndsOn, &rt.Status, &rt.RefundAmount, &rt.Currency, &rt.ReplacementSerial,
		&rt.CreatedAt, &rt.UpdatedAt, &rt.ClosedAt)
}

// CreateReturn records the return of the request with number, with a
// "return" event on its timeline, in one transaction; decide sees the
// locked request and fills the decision. A request with a return already
// is ECONFLICT.
func (s *Store) CreateReturn(ctx context.Context, rt *model.Return, number string, by model.Principal, decide func(*model.Request) error) error {
	now := s.Now()
	rt.CreatedAt, rt.UpdatedAt = now, now
	return s.Tx(ctx, func(q Querier) error {
		r, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		if err := decide(r); err != nil {
			return err
		}
		return s.insertReturn(ctx, q, rt, r, by, now)
	})
}

// insertReturn inserts rt for request r with its timeline event, inside
// the caller's transaction; a request with a return already is
// ECONFLICT.
func (s *Store) insertReturn(ctx context.Context, q Querier, rt *model.Return, r *model.Request, by model.Principal, now time.Time) error {
	var n int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM returns WHERE request_id = $1", r.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return model.Conflict("number", "request %s has a return already", r.Number)
	}
	rt.RequestID, rt.RequestNumber, rt.CustomerID = r.ID, r.Number, r.CustomerID
	if rt.Decision == model.ReturnRejected {
		rt.ClosedAt = &now
	}
	err := q.QueryRow(ctx, `INSERT INTO returns (request_id, unit_id, kind, reason, decision, decision_reason, window_ends_on,
		status, refund_amount, currency, replacement_serial, created_at, updated_at, closed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, '', $10, $10, $11) RETURNING id`, rt.RequestID, rt.UnitID, string(rt.Kind),
		rt.Reason, rt.Decision, rt.DecisionReason, rt.WindowEndsOn, rt.Status, rt.Currency, now, rt.ClosedAt).Scan(&rt.ID)
	if err != nil {
		return err
	}
	return s.returnEvent(ctx, q, rt, "", rt.Status, by, now)
}

// CreateReturnRequest opens a service request and its return, decided
// already, in one transaction.
func (s *Store) CreateReturnRequest(ctx context.Context, in NewRequest, by Actor, rt *model.Return, bp model.Principal) (*model.Request, error) {
	return s.createRequestWith(ctx, in, by, func(q Querier, r *model.Request, now time.Time) error {
		rt.CreatedAt, rt.UpdatedAt = now, now
		return s.insertReturn(ctx, q, rt, r, bp, now)
	})
}

// ReturnFilter selects returns for the staff list.
type ReturnFilter struct {
	Status string // "" for every status
	Limit  int
}

// ListReturns returns returns, most recently changed first.
func (s *Store) ListReturns(ctx context.Context, f ReturnFilter) ([]model.Return, error) {
	query, args := returnSelect, []any{}
	if f.Status != "" {
		query += "WHERE rt.status = $1 "
		args = append(args, f.Status)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := s.Read().Query(ctx, query+"ORDER BY rt.updated_at DESC, rt.id DESC LIMIT "+strconv.Itoa(f.Limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Return
	for rows.Next() {
		var rt model.Return
		if err := scanReturn(rows, &rt); err != nil {
			return nil, err
		}
		out = append(out, rt)
	}
	return out, rows.Err()
}

func (s *Store) returnEvent(ctx context.Context, q Querier, rt *model.Return, from, to string, by model.Principal, now time.Time) error {
	if err := insertEvent(ctx, q, rt.RequestID, actorOf(by), "return", from, string(rt.Kind)+" "+to, now); err != nil {
		return err
	}
	_, err := q.Exec(ctx, "UPDATE requests SET updated_at = $1 WHERE id = $2", now, rt.RequestID)
	return err
}

// ReturnByID returns a return.
func (s *Store) ReturnByID(ctx context.Context, id int64) (*model.Return, error) {
	var rt model.Return
	if err := scanReturn(s.Read().QueryRow(ctx, returnSelect+"WHERE rt.id = $1", id), &rt); err != nil {
		return nil, notFound(err, "return")
	}
	return &rt, nil
}

// ReturnByRequest returns the return of a request (ENOTFOUND: none).
func (s *Store) ReturnByRequest(ctx context.Context, requestID int64) (*model.Return, error) {
	var rt model.Return
	if err := scanReturn(s.Read().QueryRow(ctx, returnSelect+"WHERE rt.request_id = $1", requestID), &rt); err != nil {
		return nil, notFound(err, "return")
	}
	return &rt, nil
}

// UpdateReturn locks a return, lets fn change it and writes it with a
// timeline event when its status changed, in one transaction.
func (s *Store) UpdateReturn(ctx context.Context, id int64, by model.Principal, fn func(rt *model.Return) error) (*model.Return, error) {
	err := s.Tx(ctx, func(q Querier) error {
		var rt model.Return
		if err := scanReturn(q.QueryRow(ctx, returnSelect+"WHERE rt.id = $1"+s.forUpdateOf("rt"), id), &rt); err != nil {
			return notFound(err, "return")
		}
		from := rt.Status
		if err := fn(&rt); err != nil {
			return err
		}
		now := s.Now()
		switch rt.Status {
		case model.ReturnRejected, model.ReturnRefunded, model.ReturnReplaced:
			rt.ClosedAt = &now
		}
		if _, err := q.Exec(ctx, `UPDATE returns SET decision = $1, decision_reason = $2, status = $3, refund_amount = $4,
			replacement_serial = $5, updated_at = $6, closed_at = $7 WHERE id = $8`, rt.Decision, rt.DecisionReason, rt.Status,
			rt.RefundAmount, rt.ReplacementSerial, now, rt.ClosedAt, rt.ID); err != nil {
			return err
		}
		if from != rt.Status {
			return s.returnEvent(ctx, q, &rt, from, rt.Status, by, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ReturnByID(ctx, id)
}
