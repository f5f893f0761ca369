package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aftercare/aftercare/internal/model"
)

// CreateView stores a saved view (its filters as JSON) and sets its id
// and creation time.
func (s *Store) CreateView(ctx context.Context, v *model.SavedView) error {
	b, err := json.Marshal(v.Filters)
	if err != nil {
		return err
	}
	v.CreatedAt = s.Now()
	err = s.Tx(ctx, func(q Querier) error {
		return q.QueryRow(ctx, `INSERT INTO saved_views (owner_id, name, shared, filters, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, v.OwnerID, v.Name, v.Shared, string(b), v.CreatedAt).Scan(&v.ID)
	})
	if isForeignKey(err) {
		return model.FieldError("owner_id", "no such user %d", v.OwnerID)
	}
	return err
}

const viewSelect = `SELECT v.id, v.owner_id, u.name, v.name, v.shared, v.filters, v.created_at
	FROM saved_views v JOIN users u ON u.id = v.owner_id `

func scanView(row Row, v *model.SavedView) error {
	var filters string
	if err := row.Scan(&v.ID, &v.OwnerID, &v.OwnerName, &v.Name, &v.Shared, &filters, &v.CreatedAt); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(filters), &v.Filters); err != nil {
		return fmt.Errorf("saved view %d: %w", v.ID, err)
	}
	return nil
}

// ViewsFor returns the views user userID may use: its own and the shared
// ones, by name.
func (s *Store) ViewsFor(ctx context.Context, userID int64) ([]model.SavedView, error) {
	rows, err := s.Read().Query(ctx, viewSelect+"WHERE v.owner_id = $1 OR v.shared ORDER BY v.name, v.id", userID)
	if err != nil {
		return nil, fmt.Errorf("saved views: %w", err)
	}
	defer rows.Close()
	out := []model.SavedView{}
	for rows.Next() {
		var v model.SavedView
		if err := scanView(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ViewByID returns one saved view.
func (s *Store) ViewByID(ctx context.Context, id int64) (*model.SavedView, error) {
	var v model.SavedView
	if err := scanView(s.Read().QueryRow(ctx, viewSelect+"WHERE v.id = $1", id), &v); err != nil {
		return nil, notFound(err, "view")
	}
	return &v, nil
}
