package store

import (
	"context"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

const centreColumns = `id, code, name, region, address, lat, lng, timezone, opening_hours, daily_capacity, active,
	version, created_at, updated_at`

func scanCentre(r Row, c *model.ServiceCentre) error {
	var hours string
	if err := r.Scan(&c.ID, &c.Code, &c.Name, &c.Region, &c.Address, &c.Lat, &c.Lng, &c.TimeZone, &hours,
		&c.DailyCapacity, &c.Active, &c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return err
	}
	c.Hours = model.ParseOpeningHours(hours)
	c.DistanceKm = -1
	return nil
}

// CreateCentre inserts a service centre with the categories it repairs
// and its audit entries, in one transaction; a taken code is ECONFLICT.
// An entry's Target is set to the centre.
func (s *Store) CreateCentre(ctx context.Context, c *model.ServiceCentre, audit ...model.AuditEntry) error {
	c.CreatedAt, c.UpdatedAt, c.Version, c.Active = s.Now(), s.Now(), 1, true
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO service_centres (code, name, region, address, lat, lng, timezone,
			opening_hours, daily_capacity, active, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, 1, $10, $10) RETURNING id`,
			c.Code, c.Name, c.Region, c.Address, c.Lat, c.Lng, c.TimeZone, c.Hours.String(), c.DailyCapacity,
			c.CreatedAt).Scan(&c.ID)
		if err != nil {
			return conflict(err, "code", "a service centre with this code already exists")
		}
		if err := setCentreCategories(ctx, q, c.ID, c.Categories); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = "centre " + c.Code
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

func setCentreCategories(ctx context.Context, q Querier, id int64, cats []string) error {
	if _, err := q.Exec(ctx, "DELETE FROM centre_categories WHERE centre_id = $1", id); err != nil {
		return err
	}
	for _, cat := range cats {
		if _, err := q.Exec(ctx, "INSERT INTO centre_categories (centre_id, category) VALUES ($1, $2)", id, cat); err != nil {
			return err
		}
	}
	return nil
}

// UpdateCentre applies patch to the centre with code under a row lock
// and returns it as changed; check, when set, sees the centre before the
// change and may refuse it (centre managers: their own centre only);
// audit, when set, makes the audit entry from the changed centre, written
// in the same transaction.
func (s *Store) UpdateCentre(ctx context.Context, code string, patch model.CentrePatch, check func(*model.ServiceCentre) error,
	audit func(*model.ServiceCentre) model.AuditEntry) (*model.ServiceCentre, error) {
	var c model.ServiceCentre
	err := s.Tx(ctx, func(q Querier) error {
		if err := scanCentre(q.QueryRow(ctx, "SELECT "+centreColumns+" FROM service_centres WHERE code = $1"+s.forUpdate(), code), &c); err != nil {
			return notFound(err, "service centre")
		}
		var err error
		if c.Categories, err = centreCategories(ctx, q, c.ID); err != nil {
			return err
		}
		if check != nil {
			if err := check(&c); err != nil {
				return err
			}
		}
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&c.Name, patch.Name)
		set(&c.Region, patch.Region)
		set(&c.Address, patch.Address)
		set(&c.TimeZone, patch.TimeZone)
		if patch.Lat != nil {
			c.Lat = *patch.Lat
		}
		if patch.Lng != nil {
			c.Lng = *patch.Lng
		}
		if patch.Hours != nil {
			c.Hours = *patch.Hours
		}
		if patch.DailyCapacity != nil {
			c.DailyCapacity = *patch.DailyCapacity
		}
		if patch.Active != nil {
			c.Active = *patch.Active
		}
		c.Version++
		c.UpdatedAt = s.Now()
		_, err = q.Exec(ctx, `UPDATE service_centres SET name = $1, region = $2, address = $3, lat = $4, lng = $5,
			timezone = $6, opening_hours = $7, daily_capacity = $8, active = $9, version = $10, updated_at = $11
			WHERE id = $12`, c.Name, c.Region, c.Address, c.Lat, c.Lng, c.TimeZone, c.Hours.String(), c.DailyCapacity,
			c.Active, c.Version, c.UpdatedAt, c.ID)
		if err != nil {
			return err
		}
		if patch.Categories != nil {
			c.Categories = *patch.Categories
			err = setCentreCategories(ctx, q, c.ID, c.Categories)
		} else {
			c.Categories, err = centreCategories(ctx, q, c.ID)
		}
		if err != nil || audit == nil {
			return err
		}
		return s.insertAudit(ctx, q, audit(&c))
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func centreCategories(ctx context.Context, q Querier, id int64) ([]string, error) {
	rows, err := q.Query(ctx, "SELECT category FROM centre_categories WHERE centre_id = $1 ORDER BY category", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CentreByCode returns the service centre with code, with its categories.
func (s *Store) CentreByCode(ctx context.Context, code string) (*model.ServiceCentre, error) {
	var c model.ServiceCentre
	q := s.Read()
	if err := scanCentre(q.QueryRow(ctx, "SELECT "+centreColumns+" FROM service_centres WHERE code = $1",
		strings.TrimSpace(code)), &c); err != nil {
		return nil, notFound(err, "service centre")
	}
	var err error
	c.Categories, err = centreCategories(ctx, q, c.ID)
	return &c, err
}

// CentreByID returns the service centre with id, with its categories.
func (s *Store) CentreByID(ctx context.Context, id int64) (*model.ServiceCentre, error) {
	var c model.ServiceCentre
	q := s.Read()
	if err := scanCentre(q.QueryRow(ctx, "SELECT "+centreColumns+" FROM service_centres WHERE id = $1", id), &c); err != nil {
		return nil, notFound(err, "service centre")
	}
	var err error
	c.Categories, err = centreCategories(ctx, q, c.ID)
	return &c, err
}

// CentreFilter selects centres.
type CentreFilter struct {
	// Category keeps centres that repair it.
	Category string
	// ActiveOnly leaves out closed centres.
	ActiveOnly bool
}

// ListCentres returns the centres matching f ordered by code, each with
// its categories. A network has tens to hundreds of centres, so the
// list is read whole; distance sorting happens in the domain.
func (s *Store) ListCentres(ctx context.Context, f CentreFilter) ([]model.ServiceCentre, error) {
	query := "SELECT " + centreColumns + " FROM service_centres c WHERE 1 = 1"
	var args []any
	if f.Category != "" {
		args = append(args, f.Category)
		query += " AND EXISTS (SELECT 1 FROM centre_categories cc WHERE cc.centre_id = c.id AND cc.category = $1)"
	}
	if f.ActiveOnly {
		query += " AND active"
	}
	q := s.Read()
	rows, err := q.Query(ctx, query+" ORDER BY code", args...)
	if err != nil {
		return nil, err
	}
	var out []model.ServiceCentre
	byID := map[int64]int{}
	for rows.Next() {
		var c model.ServiceCentre
		if err := scanCentre(rows, &c); err != nil {
			rows.Close()
			return nil, err
		}
		c.Categories = []string{}
		byID[c.ID] = len(out)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cats, err := q.Query(ctx, "SELECT centre_id, category FROM centre_categories ORDER BY centre_id, category")
	if err != nil {
		return nil, err
	}
	defer cats.Close()
	for cats.Next() {
		var id int64
		var cat string
		if err := cats.Scan(&id, &cat); err != nil {
			return nil, err
		}
		if i, ok := byID[id]; ok {
			out[i].Categories = append(out[i].Categories, cat)
		}
	}
	return out, cats.Err()
}

// InsertCentres bulk-inserts service centres with their ids and
// categories (the demo seeder).
func (s *Store) InsertCentres(ctx context.Context, rows []model.ServiceCentre) error {
	cols := []string{"id", "code", "name", "region", "address", "lat", "lng", "timezone", "opening_hours",
		"daily_capacity", "active", "version", "created_at", "updated_at"}
	type cc struct {
		id  int64
		cat string
	}
	var cats []cc
	for _, c := range rows {
		for _, cat := range c.Categories {
			cats = append(cats, cc{c.ID, cat})
		}
	}
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "service_centres", cols, len(rows), func(a []any, i int) []any {
			r := &rows[i]
			return append(a, r.ID, r.Code, r.Name, r.Region, r.Address, r.Lat, r.Lng, r.TimeZone, r.Hours.String(),
				r.DailyCapacity, r.Active, max(r.Version, 1), r.CreatedAt, r.UpdatedAt)
		})
		if err != nil {
			return err
		}
		err = s.bulkInsert(ctx, q, "centre_categories", []string{"centre_id", "category"}, len(cats),
			func(a []any, i int) []any { return append(a, cats[i].id, cats[i].cat) })
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "service_centres")
	})
}
