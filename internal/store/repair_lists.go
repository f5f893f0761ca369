package store

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// FaultCodes returns the fault codes of a category ("" for every
// category), ordered by category and code.
func (s *Store) FaultCodes(ctx context.Context, category string) ([]model.FaultCode, error) {
	query, args := "SELECT category, code, name_zh, name_en FROM fault_codes", []any{}
	if category != "" {
		query += " WHERE category = $1"
		args = append(args, category)
	}
	rows, err := s.Read().Query(ctx, query+" ORDER BY category, code", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.FaultCode
	for rows.Next() {
		var f model.FaultCode
		if err := rows.Scan(&f.Category, &f.Code, &f.NameZh, &f.NameEn); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// PutFaultCode adds a fault code or renames it.
func (s *Store) PutFaultCode(ctx context.Context, f model.FaultCode) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO fault_codes (category, code, name_zh, name_en) VALUES ($1, $2, $3, $4)
			ON CONFLICT (category, code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en`,
			f.Category, f.Code, f.NameZh, f.NameEn)
		return err
	})
}

// LabourPrices returns the labour price list ordered by code and
// category.
func (s *Store) LabourPrices(ctx context.Context) ([]model.LabourPrice, error) {
	rows, err := s.Read().Query(ctx, "SELECT code, category, name, price, currency FROM labour_prices ORDER BY code, category")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.LabourPrice
	for rows.Next() {
		var l model.LabourPrice
		if err := rows.Scan(&l.Code, &l.Category, &l.Name, &l.Price, &l.Currency); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LabourPrice returns the price of code for category: the category's own
// entry, else the one for every category (ENOTFOUND: neither).
func (s *Store) LabourPrice(ctx context.Context, code, category string) (*model.LabourPrice, error) {
	var l model.LabourPrice
	err := s.Read().QueryRow(ctx, `SELECT code, category, name, price, currency FROM labour_prices
		WHERE code = $1 AND (category = $2 OR category = '') ORDER BY category DESC LIMIT 1`, code, category).
		Scan(&l.Code, &l.Category, &l.Name, &l.Price, &l.Currency)
	if err != nil {
		return nil, notFound(err, "labour price")
	}
	return &l, nil
}

// PutLabourPrice adds an entry to the labour price list or changes it.
func (s *Store) PutLabourPrice(ctx context.Context, l model.LabourPrice, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO labour_prices (code, category, name, price, currency, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code, category) DO UPDATE SET name = excluded.name,
			price = excluded.price, currency = excluded.currency, updated_at = excluded.updated_at`,
			l.Code, l.Category, l.Name, l.Price, l.Currency, s.Now())
		if err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = "labour price " + l.Code
		}
		return s.insertAudit(ctx, q, audit...)
	})
}
