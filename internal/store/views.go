package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// CreateView stores a saved view (its filters as JSON) and sets its id,
// version and creation time. A name its owner already gives another view,
// or, for a shared view, another shared view's name, is ECONFLICT at name.
func (s *Store) CreateView(ctx context.Context, v *model.SavedView) error {
	b, err := json.Marshal(v.Filters)
	if err != nil {
		return err
	}
	v.CreatedAt, v.Version = s.Now(), 1
	err = s.Tx(ctx, func(q Querier) error {
		if err := uniqueViewName(ctx, q, v); err != nil {
			return err
		}
		err := q.QueryRow(ctx, `INSERT INTO saved_views (owner_id, name, shared, filters, created_at, version)
			VALUES ($1, $2, $3, $4, $5, 1) RETURNING id`, v.OwnerID, v.Name, v.Shared, string(b), v.CreatedAt).Scan(&v.ID)
		return viewNameTaken(err, v)
	})
	if isForeignKey(err) {
		return model.FieldError("owner_id", "There is no user with id %d.", v.OwnerID)
	}
	return err
}

const viewSelect = `SELECT v.id, v.owner_id, u.name, v.name, v.shared, v.filters, v.created_at, v.version
	FROM saved_views v JOIN users u ON u.id = v.owner_id `

func scanView(row Row, v *model.SavedView) error {
	var filters string
	if err := row.Scan(&v.ID, &v.OwnerID, &v.OwnerName, &v.Name, &v.Shared, &filters, &v.CreatedAt, &v.Version); err != nil {
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

// uniqueViewName refuses v's name (ECONFLICT at name) when v's owner has
// another view of that name or, v being shared, another shared view has
// it; names compare without regard to case.
func uniqueViewName(ctx context.Context, q Querier, v *model.SavedView) error {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM saved_views WHERE id <> $1 AND lower(name) = lower($2)
		AND (owner_id = $3 OR (shared AND $4))`, v.ID, v.Name, v.OwnerID, v.Shared).Scan(&n)
	switch {
	case err != nil:
		return err
	case n == 0:
		return nil
	}
	return nameTakenError(v)
}

// nameTakenError is the ECONFLICT at name for view v's name.
func nameTakenError(v *model.SavedView) error {
	if v.Shared {
		return model.Conflict("name", "a view named “%s” already exists among yours or the shared ones; choose another name", v.Name)
	}
	return model.Conflict("name", "you already have a view named “%s”; choose another name", v.Name)
}

// viewNameTaken maps a unique violation of the view name indexes
// (migration 00040) to the same ECONFLICT at name as uniqueViewName: two
// writers that both passed that check at once (PostgreSQL) meet here.
func viewNameTaken(err error, v *model.SavedView) error {
	var ue *uniqueError
	if errors.As(err, &ue) && strings.Contains(ue.constraint, "saved_views_") {
		return nameTakenError(v)
	}
	return err
}

// UpdateView replaces a view's name, sharing and filters if its version
// is still v.Version (ECONFLICT at version otherwise), and bumps the
// version; a name taken as CreateView says is ECONFLICT at name.
func (s *Store) UpdateView(ctx context.Context, v *model.SavedView) error {
	b, err := json.Marshal(v.Filters)
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(q Querier) error {
		if err := uniqueViewName(ctx, q, v); err != nil {
			return err
		}
		n, err := q.Exec(ctx, `UPDATE saved_views SET name = $1, shared = $2, filters = $3, version = version + 1
			WHERE id = $4 AND version = $5`, v.Name, v.Shared, string(b), v.ID, v.Version)
		if err != nil {
			return viewNameTaken(err, v)
		}
		if n == 0 {
			return model.Conflict("version", "the view was changed meanwhile; reload and try again")
		}
		v.Version++
		return nil
	})
}

// DeleteView removes a saved view if its version is still version (0:
// whatever it is, for API clients that send none). A view already gone is
// ENOTFOUND; one changed since version was read is ECONFLICT at version,
// carrying the version it has now.
func (s *Store) DeleteView(ctx context.Context, id, version int64) error {
	return s.Tx(ctx, func(q Querier) error {
		var now int64
		if err := q.QueryRow(ctx, "SELECT version FROM saved_views WHERE id = $1"+s.forUpdate(), id).Scan(&now); err != nil {
			return notFound(err, "view")
		}
		if version != 0 && version != now {
			return model.StaleVersion(now, "the view was changed meanwhile; reload and try again")
		}
		_, err := q.Exec(ctx, "DELETE FROM saved_views WHERE id = $1", id)
		return err
	})
}
