package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

const partColumns = "id, part_no, name, cost, price, currency, created_at, updated_at"

func scanPart(r Row, p *model.Part) error {
	return r.Scan(&p.ID, &p.PartNo, &p.Name, &p.Cost, &p.Price, &p.Currency, &p.CreatedAt, &p.UpdatedAt)
}

// CreatePart inserts a part with the SKUs it fits and its audit entries,
// in one transaction; a taken part number is ECONFLICT.
func (s *Store) CreatePart(ctx context.Context, p *model.Part, audit ...model.AuditEntry) error {
	p.CreatedAt = s.Now()
	p.UpdatedAt = p.CreatedAt
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO parts (part_no, name, cost, price, currency, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, p.PartNo, p.Name, p.Cost, p.Price, p.Currency, p.CreatedAt).Scan(&p.ID)
		if err != nil {
			return conflict(err, "part_no", "a part with this number already exists")
		}
		if err := setPartSKUs(ctx, q, p.ID, p.CompatibleSKUs); err != nil {
			return err
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

func setPartSKUs(ctx context.Context, q Querier, id int64, skus []string) error {
	if _, err := q.Exec(ctx, "DELETE FROM part_skus WHERE part_id = $1", id); err != nil {
		return err
	}
	for _, sku := range skus {
		if _, err := q.Exec(ctx, "INSERT INTO part_skus (part_id, sku) VALUES ($1, $2)", id, sku); err != nil {
			return err
		}
	}
	return nil
}

// PartPatch changes a part; nil fields are left alone.
type PartPatch struct {
	Name           *string
	CompatibleSKUs *[]string
	Cost, Price    *int64
}

// UpdatePart changes the part with partNo under a row lock. check sees
// the part before and after the change and returns the audit entry to
// write with it, or refuses the change. Costs already recorded on ledger
// rows keep the cost they had when the part moved.
func (s *Store) UpdatePart(ctx context.Context, partNo string, patch PartPatch,
	check func(before, after *model.Part) (model.AuditEntry, error)) (*model.Part, error) {
	var p model.Part
	err := s.Tx(ctx, func(q Querier) error {
		if err := scanPart(q.QueryRow(ctx, "SELECT "+partColumns+" FROM parts WHERE part_no = $1"+s.forUpdate(), partNo), &p); err != nil {
			return notFound(err, "part")
		}
		before := p
		if patch.Name != nil {
			p.Name = *patch.Name
		}
		if patch.Cost != nil {
			p.Cost = *patch.Cost
		}
		if patch.Price != nil {
			p.Price = *patch.Price
		}
		p.UpdatedAt = s.Now()
		rec, err := check(&before, &p)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx, "UPDATE parts SET name = $1, cost = $2, price = $3, updated_at = $4 WHERE id = $5",
			p.Name, p.Cost, p.Price, p.UpdatedAt, p.ID); err != nil {
			return err
		}
		if patch.CompatibleSKUs != nil {
			p.CompatibleSKUs = *patch.CompatibleSKUs
			err = setPartSKUs(ctx, q, p.ID, p.CompatibleSKUs)
		} else {
			p.CompatibleSKUs, err = partSKUs(ctx, q, p.ID)
		}
		if err != nil {
			return err
		}
		return s.insertAudit(ctx, q, rec)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func partSKUs(ctx context.Context, q Querier, id int64) ([]string, error) {
	rows, err := q.Query(ctx, "SELECT sku FROM part_skus WHERE part_id = $1 ORDER BY sku", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// PartByNo returns the part with this part number.
func (s *Store) PartByNo(ctx context.Context, partNo string) (*model.Part, error) {
	var p model.Part
	q := s.Read()
	if err := scanPart(q.QueryRow(ctx, "SELECT "+partColumns+" FROM parts WHERE part_no = $1", strings.TrimSpace(partNo)), &p); err != nil {
		return nil, notFound(err, "part")
	}
	var err error
	p.CompatibleSKUs, err = partSKUs(ctx, q, p.ID)
	return &p, err
}

// PartFilter selects parts of the catalogue.
type PartFilter struct {
	// SKU keeps the parts that fit this product model.
	SKU string
	// Query matches the part number or name (case-insensitive substring).
	Query string
	// After is the part number the previous page ended with.
	After string
	Limit int
}

// ListParts returns one page of the catalogue ordered by part number, each
// part with its SKUs; next is the part number to pass as After, "" on the
// last page.
func (s *Store) ListParts(ctx context.Context, f PartFilter) (parts []model.Part, next string, err error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return nil, "", model.FieldError("limit", "must be between 1 and %d", MaxPageSize)
	}
	query := "SELECT " + partColumns + " FROM parts p WHERE 1 = 1"
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.SKU != "" {
		query += " AND EXISTS (SELECT 1 FROM part_skus ps WHERE ps.part_id = p.id AND ps.sku = " + arg(strings.TrimSpace(f.SKU)) + ")"
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.ToLower(q) + "%"
		query += " AND (LOWER(part_no) LIKE " + arg(like) + " OR LOWER(name) LIKE " + arg(like) + ")"
	}
	if f.After != "" {
		query += " AND part_no > " + arg(f.After)
	}
	q := s.Read()
	rows, err := q.Query(ctx, query+" ORDER BY part_no LIMIT "+strconv.Itoa(limit+1), args...)
	if err != nil {
		return nil, "", err
	}
	for rows.Next() {
		var p model.Part
		if err := scanPart(rows, &p); err != nil {
			rows.Close()
			return nil, "", err
		}
		parts = append(parts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(parts) > limit {
		parts = parts[:limit]
		next = parts[limit-1].PartNo
	}
	for i := range parts {
		if parts[i].CompatibleSKUs, err = partSKUs(ctx, q, parts[i].ID); err != nil {
			return nil, "", err
		}
	}
	return parts, next, nil
}

// InsertParts bulk-inserts parts with their ids and SKUs (the demo).
func (s *Store) InsertParts(ctx context.Context, rows []model.Part) error {
	type ps struct {
		id  int64
		sku string
	}
	var skus []ps
	for _, p := range rows {
		for _, sku := range p.CompatibleSKUs {
			skus = append(skus, ps{p.ID, sku})
		}
	}
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "parts", []string{"id", "part_no", "name", "cost", "price", "currency", "created_at", "updated_at"},
			len(rows), func(a []any, i int) []any {
				r := &rows[i]
				return append(a, r.ID, r.PartNo, r.Name, r.Cost, r.Price, r.Currency, r.CreatedAt, r.UpdatedAt)
			})
		if err != nil {
			return err
		}
		err = s.bulkInsert(ctx, q, "part_skus", []string{"part_id", "sku"}, len(skus),
			func(a []any, i int) []any { return append(a, skus[i].id, skus[i].sku) })
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "parts")
	})
}
