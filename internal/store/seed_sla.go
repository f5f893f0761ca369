package store

import (
	"context"
	"time"
)

// SeedCustomerTiers gives the demo's customers tiers by id: the first
// (the demo customer) and every tenth premium, ids ending in 1–3
// standard, the rest basic.
func (s *Store) SeedCustomerTiers(ctx context.Context) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `UPDATE customers SET tier = CASE WHEN id = 1 OR id % 10 = 0 THEN 'premium'
			WHEN id % 10 IN (1, 2, 3) THEN 'standard' ELSE 'basic' END`)
		return err
	})
}

// RequestIDsForSLA returns the requests opened since since, and the
// open ones whenever opened, in id order: those whose SLA the demo
// rebuilds.
func (s *Store) RequestIDsForSLA(ctx context.Context, since time.Time) ([]int64, error) {
	rows, err := s.Read().Query(ctx, `SELECT id FROM requests WHERE created_at >= $1
		OR status IN ('new', 'open', 'pending', 'on_hold') ORDER BY id`, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
