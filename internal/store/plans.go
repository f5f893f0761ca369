package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

const planColumns = "id, code, name, months, price, currency, covers_parts, covers_labour, covers_shipping, active, created_at"

func scanPlan(r Row, p *model.WarrantyPlan) error {
	return r.Scan(&p.ID, &p.Code, &p.Name, &p.Months, &p.Price, &p.Currency, &p.Covers.Parts, &p.Covers.Labour,
		&p.Covers.Shipping, &p.Active, &p.CreatedAt)
}

// CreatePlan inserts an extended-warranty plan with its audit entries;
// a taken code is ECONFLICT.
func (s *Store) CreatePlan(ctx context.Context, p *model.WarrantyPlan, audit ...model.AuditEntry) error {
	p.CreatedAt, p.Active = s.Now(), true
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO warranty_plans (code, name, months, price, currency, covers_parts, covers_labour,
			covers_shipping, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9) RETURNING id`,
			p.Code, p.Name, p.Months, p.Price, p.Currency, p.Covers.Parts, p.Covers.Labour, p.Covers.Shipping, p.CreatedAt).Scan(&p.ID)
		if err != nil {
			return conflict(err, "code", "a plan with this code already exists")
		}
		for i := range audit {
			audit[i].Target = "plan " + p.Code
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// PlanByCode returns the plan with code.
func (s *Store) PlanByCode(ctx context.Context, code string) (*model.WarrantyPlan, error) {
	var p model.WarrantyPlan
	if err := scanPlan(s.Read().QueryRow(ctx, "SELECT "+planColumns+" FROM warranty_plans WHERE code = $1",
		strings.TrimSpace(code)), &p); err != nil {
		return nil, notFound(err, "plan")
	}
	return &p, nil
}

// ListPlans returns every plan ordered by months and code.
func (s *Store) ListPlans(ctx context.Context) ([]model.WarrantyPlan, error) {
	rows, err := s.Read().Query(ctx, "SELECT "+planColumns+" FROM warranty_plans ORDER BY months, code")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.WarrantyPlan
	for rows.Next() {
		var p model.WarrantyPlan
		if err := scanPlan(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SellPlan records a plan sold on unitID. It locks the unit, reads the
// plans already sold on it and lets fill complete the sale from them
// (its dates follow on from the cover before it), so two sales on one
// unit at once are dated one after the other.
func (s *Store) SellPlan(ctx context.Context, unitID int64, sale *model.UnitPlan, fill func(sold []model.UnitPlan) error) error {
	sale.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		var one int
		if err := q.QueryRow(ctx, "SELECT 1 FROM units WHERE id = $1"+s.forUpdate(), unitID).Scan(&one); err != nil {
			return notFound(err, "unit")
		}
		sold, err := unitPlans(ctx, q, unitID)
		if err != nil {
			return err
		}
		if err := fill(sold); err != nil {
			return err
		}
		return q.QueryRow(ctx, `INSERT INTO unit_plans (unit_id, plan_id, sold_at, starts_on, ends_on, months, price, currency,
			covers_parts, covers_labour, covers_shipping, centre_id, sold_by_kind, sold_by_id, sold_by_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			unitID, sale.PlanID, sale.SoldAt, sale.StartsOn, sale.EndsOn, sale.Months, sale.Price, sale.Currency,
			sale.Covers.Parts, sale.Covers.Labour, sale.Covers.Shipping, sale.CentreID, string(sale.SoldByKind), sale.SoldByID,
			sale.SoldBy, sale.CreatedAt).Scan(&sale.ID)
	})
}

const unitPlanSelect = `SELECT up.id, up.unit_id, up.plan_id, p.code, p.name, up.sold_at, up.starts_on, up.ends_on, up.months,
	up.price, up.currency, up.covers_parts, up.covers_labour, up.covers_shipping, up.centre_id, up.sold_by_kind,
	up.sold_by_id, up.sold_by_name, up.created_at
	FROM unit_plans up JOIN warranty_plans p ON p.id = up.plan_id `

func unitPlans(ctx context.Context, q Querier, unitID int64) ([]model.UnitPlan, error) {
	rows, err := q.Query(ctx, unitPlanSelect+"WHERE up.unit_id = $1 ORDER BY up.starts_on, up.id", unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.UnitPlan
	for rows.Next() {
		var u model.UnitPlan
		if err := rows.Scan(&u.ID, &u.UnitID, &u.PlanID, &u.PlanCode, &u.PlanName, &u.SoldAt, &u.StartsOn, &u.EndsOn,
			&u.Months, &u.Price, &u.Currency, &u.Covers.Parts, &u.Covers.Labour, &u.Covers.Shipping, &u.CentreID,
			&u.SoldByKind, &u.SoldByID, &u.SoldBy, &u.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UnitPlans returns the plans sold on a unit, in the order they cover it.
func (s *Store) UnitPlans(ctx context.Context, unitID int64) ([]model.UnitPlan, error) {
	return unitPlans(ctx, s.Read(), unitID)
}

// InsertUnitPlans bulk-inserts plans and plan sales with their ids (the
// demo seeder).
func (s *Store) InsertUnitPlans(ctx context.Context, plans []model.WarrantyPlan, sales []model.UnitPlan) error {
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "warranty_plans", []string{"id", "code", "name", "months", "price", "currency",
			"covers_parts", "covers_labour", "covers_shipping", "active", "created_at"}, len(plans), func(a []any, i int) []any {
			p := &plans[i]
			return append(a, p.ID, p.Code, p.Name, p.Months, p.Price, p.Currency, p.Covers.Parts, p.Covers.Labour,
				p.Covers.Shipping, p.Active, p.CreatedAt)
		})
		if err != nil {
			return err
		}
		cols := []string{"id", "unit_id", "plan_id", "sold_at", "starts_on", "ends_on", "months", "price", "currency",
			"covers_parts", "covers_labour", "covers_shipping", "centre_id", "sold_by_kind", "sold_by_id", "sold_by_name", "created_at"}
		err = s.bulkInsert(ctx, q, "unit_plans", cols, len(sales), func(a []any, i int) []any {
			u := &sales[i]
			return append(a, u.ID, u.UnitID, u.PlanID, u.SoldAt, u.StartsOn, u.EndsOn, u.Months, u.Price, u.Currency,
				u.Covers.Parts, u.Covers.Labour, u.Covers.Shipping, u.CentreID, string(u.SoldByKind), u.SoldByID, u.SoldBy,
				u.CreatedAt)
		})
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "warranty_plans", "unit_plans")
	})
}

// PlanSale is one row of the plan-sales list.
type PlanSale struct {
	model.UnitPlan
	Serial     string
	CentreCode string
}

// PlanSales lists plans sold between from and to (dates, inclusive),
// newest first, for the plans page and the revenue report.
func (s *Store) PlanSales(ctx context.Context, from, to time.Time, limit int) ([]PlanSale, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := s.Read().Query(ctx, `SELECT up.id, up.unit_id, p.code, p.name, up.sold_at, up.starts_on, up.ends_on, up.price,
		up.currency, u.serial, COALESCE(c.code, ''), up.sold_by_name
		FROM unit_plans up JOIN warranty_plans p ON p.id = up.plan_id JOIN units u ON u.id = up.unit_id
		LEFT JOIN service_centres c ON c.id = up.centre_id
		WHERE up.sold_at >= $1 AND up.sold_at <= $2 ORDER BY up.sold_at DESC, up.id DESC LIMIT `+strconv.Itoa(limit), from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PlanSale
	for rows.Next() {
		var p PlanSale
		if err := rows.Scan(&p.ID, &p.UnitID, &p.PlanCode, &p.PlanName, &p.SoldAt, &p.StartsOn, &p.EndsOn, &p.Price,
			&p.Currency, &p.Serial, &p.CentreCode, &p.SoldBy); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
