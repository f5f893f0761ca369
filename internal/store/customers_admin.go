package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/phone"
)

// CustomerFilter selects customers for the staff's customer list: Query
// matches the name, e-mail or mobile number (case-insensitive, a part is
// enough); Cursor is the last id of the previous page.
type CustomerFilter struct {
	Query  string
	Limit  int
	Cursor string
}

// CustomerPage is one page of customers, newest first.
type CustomerPage struct {
	Items      []model.Customer
	NextCursor string
}

// ListCustomers returns one page of customers, newest first, by keyset on
// the id.
func (s *Store) ListCustomers(ctx context.Context, f CustomerFilter) (CustomerPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return CustomerPage{}, model.FieldError("limit", "must be between 1 and %d", MaxPageSize)
	}
	query := "SELECT " + customerColumns + " FROM customers WHERE 1 = 1"
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(q)) + "%"
		a := arg(like)
		query += " AND (LOWER(name) LIKE " + a + ` ESCAPE '\' OR email LIKE ` + a + ` ESCAPE '\' OR phone LIKE ` + a + ` ESCAPE '\')`
	}
	if f.Cursor != "" {
		before, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || before <= 0 {
			return CustomerPage{}, model.FieldError("cursor", "invalid cursor")
		}
		query += " AND id < " + arg(before)
	}
	rows, err := s.Read().Query(ctx, query+" ORDER BY id DESC LIMIT "+strconv.Itoa(limit+1), args...)
	if err != nil {
		return CustomerPage{}, err
	}
	defer rows.Close()
	var page CustomerPage
	for rows.Next() {
		var c model.Customer
		if err := scanCustomer(rows, &c); err != nil {
			return CustomerPage{}, err
		}
		page.Items = append(page.Items, c)
	}
	if err := rows.Err(); err != nil {
		return CustomerPage{}, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = strconv.FormatInt(page.Items[limit-1].ID, 10)
	}
	return page, nil
}

// UpdateCustomer changes a customer's contact data (name, e-mail, mobile
// number, language, address, city) and records who did it in the audit
// log, in one transaction. A duplicate e-mail or number is ECONFLICT
// naming the field; the number is stored in its canonical form
// (phone.Normalize).
func (s *Store) UpdateCustomer(ctx context.Context, c *model.Customer, audit ...model.AuditEntry) error {
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	c.Phone = phone.Normalize(c.Phone)
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `UPDATE customers SET name = $1, email = $2, phone = $3, locale = $4, address = $5, city = $6
			WHERE id = $7`, c.Name, nullable(c.Email), nullable(c.Phone), c.Locale, c.Address, c.City, c.ID)
		var ue *uniqueError
		if errors.As(err, &ue) {
			if strings.Contains(ue.constraint, "phone") {
				return model.Conflict("phone", "This mobile number is already used by another customer.")
			}
			return model.Conflict("email", "This e-mail address is already used by another customer.")
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return model.Errorf(model.ENOTFOUND, "customer not found")
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// CustomerRepair is an unfinished repair of a customer's, for the
// customer page.
type CustomerRepair struct {
	ID       int64
	Number   string // the request's number
	Stage    model.RepairStage
	OpenedAt time.Time
}

// OpenRepairsOfCustomer lists a customer's repairs that are neither
// completed nor cancelled, newest first.
func (s *Store) OpenRepairsOfCustomer(ctx context.Context, customerID int64) ([]CustomerRepair, error) {
	rows, err := s.Read().Query(ctx, `SELECT r.id, q.number, r.stage, r.created_at FROM repairs r
		JOIN requests q ON q.id = r.request_id
		WHERE q.customer_id = $1 AND r.stage NOT IN ('completed', 'cancelled') ORDER BY r.id DESC LIMIT 50`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CustomerRepair
	for rows.Next() {
		var r CustomerRepair
		if err := rows.Scan(&r.ID, &r.Number, &r.Stage, &r.OpenedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CustomerRating is one survey answer of a customer's.
type CustomerRating struct {
	Number     string // the request's number
	CSAT       int
	NPS        *int
	Comment    string
	AnsweredAt time.Time
}

// RatingsOfCustomer lists a customer's survey answers, newest first (at
// most 50): the satisfaction history of the customer page.
func (s *Store) RatingsOfCustomer(ctx context.Context, customerID int64) ([]CustomerRating, error) {
	rows, err := s.Read().Query(ctx, `SELECT q.number, r.csat, r.nps, r.comment, r.answered_at FROM survey_responses r
		JOIN requests q ON q.id = r.request_id
		WHERE r.customer_id = $1 ORDER BY r.answered_at DESC, r.id DESC LIMIT 50`, customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CustomerRating
	for rows.Next() {
		var r CustomerRating
		var nps *int64
		if err := rows.Scan(&r.Number, &r.CSAT, &nps, &r.Comment, &r.AnsweredAt); err != nil {
			return nil, err
		}
		if nps != nil {
			v := int(*nps)
			r.NPS = &v
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// NonCanonicalPhones returns the ids of the customers whose mobile number
// is not in its canonical form (phone.Normalize): rows from before the
// canonical form that migration 00031 left because another customer
// already has the number in that form.
func (s *Store) NonCanonicalPhones(ctx context.Context) ([]int64, error) {
	rows, err := s.Read().Query(ctx, `SELECT id, phone FROM customers
		WHERE phone LIKE '+86%' OR phone LIKE '00%' OR (phone LIKE '86%' AND length(phone) = 13) ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		if phone.Normalize(p) != p {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}
