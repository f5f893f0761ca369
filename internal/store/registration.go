package store

import (
	"context"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// Registration errors: each names the field and says in plain words what
// to do (the web and API show them translated).
func errUnknownSerial() error {
	return model.FieldError("serial", "we do not know this serial number; check it on the label or the box")
}

func errSerialYours() error {
	return model.Conflict("serial", "you have already registered this product")
}

func errSerialTaken() error {
	return model.Conflict("serial", "this product is registered to someone else; contact us if it is yours")
}

// AddSerials records serial numbers produced for the product with this
// SKU, so that customers can register them; known serials are skipped. It
// returns how many were added.
func (s *Store) AddSerials(ctx context.Context, sku string, serials []string) (int, error) {
	added := 0
	err := s.Tx(ctx, func(q Querier) error {
		var productID int64
		if err := q.QueryRow(ctx, "SELECT id FROM products WHERE sku = $1", strings.TrimSpace(sku)).Scan(&productID); err != nil {
			if model.IsNotFound(notFound(err, "product")) {
				return model.FieldError("sku", "There is no product with the code (SKU) “%s”; choose the product model from the list.", sku)
			}
			return err
		}
		now := s.Now()
		for _, serial := range serials {
			serial = strings.TrimSpace(serial)
			if serial == "" {
				continue
			}
			res, err := q.Exec(ctx, `INSERT INTO product_serials (serial, product_id, created_at) VALUES ($1, $2, $3)
				ON CONFLICT (serial) DO NOTHING`, serial, productID, now)
			if err != nil {
				return err
			}
			added += int(res)
		}
		return nil
	})
	return added, err
}

// SerialProduct returns the product a known serial number belongs to
// (produced or already a unit); an unknown serial is a field error.
func (s *Store) SerialProduct(ctx context.Context, serial string) (*model.Product, error) {
	var p model.Product
	err := scanProduct(s.Read().QueryRow(ctx, `SELECT `+prefixed("p.", productColumns)+` FROM products p
		WHERE p.id = (SELECT product_id FROM product_serials WHERE serial = $1
			UNION ALL SELECT product_id FROM units WHERE serial = $1 LIMIT 1)`, strings.TrimSpace(serial)), &p)
	if err != nil {
		if model.IsNotFound(notFound(err, "product")) {
			return nil, errUnknownSerial()
		}
		return nil, err
	}
	return &p, nil
}

// RegisterUnit makes a produced serial number the customer's unit (u:
// Serial, CustomerID, PurchasedAt set) with its proof of purchase, in one
// transaction: an unknown serial, one already registered to this customer
// or to someone else is refused naming the field, and nothing is written.
// Two customers registering the same serial at once: one wins, the other
// is told it is registered to someone else.
func (s *Store) RegisterUnit(ctx context.Context, u *model.Unit, proof *model.UnitProof) error {
	u.Serial = strings.TrimSpace(u.Serial)
	u.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		var owner int64
		err := q.QueryRow(ctx, "SELECT customer_id FROM units WHERE serial = $1", u.Serial).Scan(&owner)
		switch {
		case err == nil && owner == u.CustomerID:
			return errSerialYours()
		case err == nil:
			return errSerialTaken()
		case !model.IsNotFound(notFound(err, "unit")):
			return err
		}
		if err := q.QueryRow(ctx, "SELECT p.id, p.sku FROM product_serials ps JOIN products p ON p.id = ps.product_id WHERE ps.serial = $1",
			u.Serial).Scan(&u.ProductID, &u.SKU); err != nil {
			if model.IsNotFound(notFound(err, "serial")) {
				return errUnknownSerial()
			}
			return err
		}
		err = q.QueryRow(ctx, `INSERT INTO units (serial, product_id, customer_id, purchased_at, channel, order_ref, created_at, delivered_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Serial, u.ProductID, u.CustomerID, u.PurchasedAt, u.Channel, u.OrderRef, u.CreatedAt, u.DeliveredAt).Scan(&u.ID)
		if err != nil {
			if c := conflict(err, "serial", ""); model.ErrorCode(c) == model.ECONFLICT {
				return errSerialTaken()
			}
			return err
		}
		if proof == nil {
			return nil
		}
		proof.UnitID, proof.CustomerID, proof.CreatedAt = u.ID, u.CustomerID, u.CreatedAt
		return q.QueryRow(ctx, `INSERT INTO unit_proofs (unit_id, customer_id, filename, content_type, size, sha256, path, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, proof.UnitID, proof.CustomerID, proof.Filename,
			proof.ContentType, proof.Size, proof.SHA256, proof.Path, proof.CreatedAt).Scan(&proof.ID)
	})
}

const proofColumns = `id, unit_id, customer_id, filename, content_type, size, sha256, path, created_at`

func scanProof(r Row, p *model.UnitProof) error {
	return r.Scan(&p.ID, &p.UnitID, &p.CustomerID, &p.Filename, &p.ContentType, &p.Size, &p.SHA256, &p.Path, &p.CreatedAt)
}

// UnitProofByID returns one proof of purchase.
func (s *Store) UnitProofByID(ctx context.Context, id int64) (*model.UnitProof, error) {
	var p model.UnitProof
	if err := scanProof(s.Read().QueryRow(ctx, "SELECT "+proofColumns+" FROM unit_proofs WHERE id = $1", id), &p); err != nil {
		return nil, notFound(err, "proof of purchase")
	}
	return &p, nil
}

// UnitProofs lists the proofs of purchase of a unit, oldest first.
func (s *Store) UnitProofs(ctx context.Context, unitID int64) ([]model.UnitProof, error) {
	return s.proofs(ctx, "unit_id", unitID)
}

// CustomerProofs lists the proofs of purchase a customer gave, oldest
// first.
func (s *Store) CustomerProofs(ctx context.Context, customerID int64) ([]model.UnitProof, error) {
	return s.proofs(ctx, "customer_id", customerID)
}

// proofs lists the proofs whose column (unit_id or customer_id) is id.
func (s *Store) proofs(ctx context.Context, column string, id int64) ([]model.UnitProof, error) {
	rows, err := s.Read().Query(ctx, "SELECT "+proofColumns+" FROM unit_proofs WHERE "+column+" = $1 ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.UnitProof
	for rows.Next() {
		var p model.UnitProof
		if err := scanProof(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// prefixed qualifies each of a comma-separated column list with prefix.
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
