package store

import (
	"context"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// CreateProduct inserts a product model and its warranty policy in one
// transaction. The policy covers parts, labour and shipping unless the
// caller passes a policy saying otherwise.
func (s *Store) CreateProduct(ctx context.Context, p *model.Product, policy *model.WarrantyPolicy) error {
	p.SKU = strings.TrimSpace(p.SKU)
	p.CreatedAt = s.Now()
	if policy == nil {
		policy = &model.WarrantyPolicy{Months: p.WarrantyMonths, CoversParts: true, CoversLabour: true, CoversShipping: true}
	}
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO products (sku, name, brand, category, warranty_months, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			p.SKU, p.Name, p.Brand, p.Category, p.WarrantyMonths, p.CreatedAt).Scan(&p.ID)
		if err != nil {
			return conflict(err, "sku", "Another product model already has this code (SKU).")
		}
		policy.ProductID = p.ID
		return q.QueryRow(ctx, `INSERT INTO warranty_policies (product_id, months, covers_parts, covers_labour, covers_shipping)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			p.ID, policy.Months, policy.CoversParts, policy.CoversLabour, policy.CoversShipping).Scan(&policy.ID)
	})
}

const productColumns = "id, sku, name, brand, category, warranty_months, created_at"

func scanProduct(r Row, p *model.Product) error {
	return r.Scan(&p.ID, &p.SKU, &p.Name, &p.Brand, &p.Category, &p.WarrantyMonths, &p.CreatedAt)
}

// ProductBySKU returns the product model with this SKU.
func (s *Store) ProductBySKU(ctx context.Context, sku string) (*model.Product, error) {
	var p model.Product
	if err := scanProduct(s.Read().QueryRow(ctx, "SELECT "+productColumns+" FROM products WHERE sku = $1",
		strings.TrimSpace(sku)), &p); err != nil {
		return nil, notFound(err, "product")
	}
	return &p, nil
}

// ListProducts returns every product model ordered by category and name.
func (s *Store) ListProducts(ctx context.Context) ([]model.Product, error) {
	rows, err := s.Read().Query(ctx, "SELECT "+productColumns+" FROM products ORDER BY category, name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Product
	for rows.Next() {
		var p model.Product
		if err := scanProduct(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreateUnit registers a serial-numbered unit. The SKU must name a product
// and the customer must exist; a taken serial is ECONFLICT.
func (s *Store) CreateUnit(ctx context.Context, u *model.Unit) error {
	u.Serial = strings.TrimSpace(u.Serial)
	u.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		if err := q.QueryRow(ctx, "SELECT id FROM products WHERE sku = $1", u.SKU).Scan(&u.ProductID); err != nil {
			if fe := notFound(err, "product"); model.IsNotFound(fe) {
				return model.FieldError("sku", "There is no product model with this code (SKU); choose one from the list.")
			}
			return err
		}
		var one int
		if err := q.QueryRow(ctx, "SELECT 1 FROM customers WHERE id = $1", u.CustomerID).Scan(&one); err != nil {
			if fe := notFound(err, "customer"); model.IsNotFound(fe) {
				return model.FieldError("customer_id", "There is no customer with id %d; choose the customer again.", u.CustomerID)
			}
			return err
		}
		err := q.QueryRow(ctx, `INSERT INTO units (serial, product_id, customer_id, purchased_at, channel, order_ref, created_at, delivered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Serial, u.ProductID, u.CustomerID, u.PurchasedAt, u.Channel, u.OrderRef, u.CreatedAt, u.DeliveredAt).Scan(&u.ID)
		return conflict(err, "serial", "This serial number is already registered.")
	})
}

const unitSelect = `SELECT u.id, u.serial, u.product_id, p.sku, u.customer_id, u.purchased_at, u.channel, u.order_ref, u.created_at,
	u.delivered_at FROM units u JOIN products p ON p.id = u.product_id `

func scanUnit(r Row, u *model.Unit) error {
	return r.Scan(&u.ID, &u.Serial, &u.ProductID, &u.SKU, &u.CustomerID, &u.PurchasedAt, &u.Channel, &u.OrderRef, &u.CreatedAt,
		&u.DeliveredAt)
}

// UnitBySerial returns the unit with this serial number.
func (s *Store) UnitBySerial(ctx context.Context, serial string) (*model.Unit, error) {
	var u model.Unit
	if err := scanUnit(s.Read().QueryRow(ctx, unitSelect+"WHERE u.serial = $1", strings.TrimSpace(serial)), &u); err != nil {
		return nil, notFound(err, "unit")
	}
	return &u, nil
}

// UnitsByCustomer returns a customer's units, newest purchase first.
func (s *Store) UnitsByCustomer(ctx context.Context, customerID int64) ([]model.Unit, error) {
	rows, err := s.Read().Query(ctx, unitSelect+"WHERE u.customer_id = $1 ORDER BY u.purchased_at DESC, u.id DESC", customerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Unit
	for rows.Next() {
		var u model.Unit
		if err := scanUnit(rows, &u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// WarrantyPolicy returns the policy of a product model.
func (s *Store) WarrantyPolicy(ctx context.Context, productID int64) (*model.WarrantyPolicy, error) {
	var w model.WarrantyPolicy
	err := s.Read().QueryRow(ctx, `SELECT id, product_id, months, covers_parts, covers_labour, covers_shipping
		FROM warranty_policies WHERE product_id = $1`, productID).
		Scan(&w.ID, &w.ProductID, &w.Months, &w.CoversParts, &w.CoversLabour, &w.CoversShipping)
	if err != nil {
		return nil, notFound(err, "warranty policy")
	}
	return &w, nil
}

// CreateCategory inserts a node of the category tree; the parent, if
// given, must exist.
func (s *Store) CreateCategory(ctx context.Context, c *model.Category) error {
	return s.Tx(ctx, func(q Querier) error {
		if c.ParentID != nil {
			var one int
			if err := q.QueryRow(ctx, "SELECT 1 FROM categories WHERE id = $1", *c.ParentID).Scan(&one); err != nil {
				if model.IsNotFound(notFound(err, "category")) {
					return model.FieldError("parent_id", "There is no category with id %d; choose one of the categories.", *c.ParentID)
				}
				return err
			}
		}
		return q.QueryRow(ctx, "INSERT INTO categories (parent_id, name_zh, name_en) VALUES ($1, $2, $3) RETURNING id",
			c.ParentID, c.NameZh, c.NameEn).Scan(&c.ID)
	})
}

// ListCategories returns the whole tree, parents before children.
func (s *Store) ListCategories(ctx context.Context) ([]model.Category, error) {
	rows, err := s.Read().Query(ctx, "SELECT id, parent_id, name_zh, name_en FROM categories ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Category
	for rows.Next() {
		var c model.Category
		if err := rows.Scan(&c.ID, &c.ParentID, &c.NameZh, &c.NameEn); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
