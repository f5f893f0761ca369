package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aftercare/aftercare/internal/model"
)

// IndexWeights returns the expert weights an admin entered for the
// composite index, or nil when there are none.
func (s *Store) IndexWeights(ctx context.Context) (*model.IndexWeights, error) {
	var w model.IndexWeights
	var inds string
	err := s.Read().QueryRow(ctx, `SELECT matrix, indicators, entered_by, entered_by_name, version, updated_at
		FROM index_expert_weights WHERE id = 1`).Scan(&w.Matrix, &inds, &w.EnteredBy, &w.EnteredByName, &w.Version, &w.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("index weights: %w", err)
	}
	if err := json.Unmarshal([]byte(inds), &w.Indicators); err != nil {
		return nil, fmt.Errorf("index weights: indicators: %w", err)
	}
	return &w, nil
}

// SaveIndexWeights stores w (replacing any earlier weights, whose version
// it increments) with its audit entry, in one transaction; it fills w's
// version and time.
func (s *Store) SaveIndexWeights(ctx context.Context, w *model.IndexWeights, audit model.AuditEntry) error {
	inds, err := json.Marshal(w.Indicators)
	if err != nil {
		return err
	}
	w.UpdatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO index_expert_weights (id, matrix, indicators, entered_by, entered_by_name, version, updated_at)
			VALUES (1, $1, $2, $3, $4, 1, $5)
			ON CONFLICT (id) DO UPDATE SET matrix = excluded.matrix, indicators = excluded.indicators,
			entered_by = excluded.entered_by, entered_by_name = excluded.entered_by_name,
			version = index_expert_weights.version + 1, updated_at = excluded.updated_at
			RETURNING version`, w.Matrix, string(inds), w.EnteredBy, w.EnteredByName, w.UpdatedAt).Scan(&w.Version)
		if err != nil {
			return fmt.Errorf("save index weights: %w", err)
		}
		return s.insertAudit(ctx, q, audit)
	})
}

// ClearIndexWeights removes the expert weights (the index goes back to
// entropy weights) with its audit entry; it reports whether there were
// any.
func (s *Store) ClearIndexWeights(ctx context.Context, audit model.AuditEntry) (bool, error) {
	var n int64
	err := s.Tx(ctx, func(q Querier) error {
		var err error
		if n, err = q.Exec(ctx, "DELETE FROM index_expert_weights WHERE id = 1"); err != nil || n == 0 {
			return err
		}
		return s.insertAudit(ctx, q, audit)
	})
	return n > 0, err
}
