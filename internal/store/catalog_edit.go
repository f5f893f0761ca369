package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// ProductByID returns the product model with this id.
func (s *Store) ProductByID(ctx context.Context, id int64) (*model.Product, error) {
	var p model.Product
	if err := scanProduct(s.Read().QueryRow(ctx, "SELECT "+productColumns+" FROM products WHERE id = $1", id), &p); err != nil {
		return nil, notFound(err, "product")
	}
	return &p, nil
}

// UpdateProduct changes a model's name, brand, category and warranty
// policy (the SKU is its identity: units, produced serials and spare parts
// name it) in one transaction. The policy applies to units already sold:
// their warranty is computed from it.
func (s *Store) UpdateProduct(ctx context.Context, p *model.Product, cover model.Coverage) error {
	return s.Tx(ctx, func(q Querier) error {
		var one int
		if err := q.QueryRow(ctx, "SELECT 1 FROM products WHERE id = $1", p.ID).Scan(&one); err != nil {
			return notFound(err, "product")
		}
		if _, err := q.Exec(ctx, "UPDATE products SET name = $1, brand = $2, category = $3, warranty_months = $4 WHERE id = $5",
			p.Name, p.Brand, p.Category, p.WarrantyMonths, p.ID); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `UPDATE warranty_policies SET months = $1, covers_parts = $2, covers_labour = $3, covers_shipping = $4
			WHERE product_id = $5`, p.WarrantyMonths, cover.Parts, cover.Labour, cover.Shipping, p.ID)
		return err
	})
}

// ProductUse counts what refers to a product model.
type ProductUse struct {
	Units, Serials, Parts, Answers int
}

// InUse reports whether anything refers to the model.
func (u ProductUse) InUse() bool { return u.Units+u.Serials+u.Parts+u.Answers > 0 }

func productUse(ctx context.Context, q Querier, p *model.Product) (ProductUse, error) {
	var u ProductUse
	err := q.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM units WHERE product_id = $1),
		(SELECT count(*) FROM product_serials WHERE product_id = $1),
		(SELECT count(*) FROM part_skus WHERE sku = $2),
		(SELECT count(*) FROM survey_responses WHERE product_id = $1)`, p.ID, p.SKU).
		Scan(&u.Units, &u.Serials, &u.Parts, &u.Answers)
	return u, err
}

// DeleteProduct removes a product model that nothing refers to, with its
// warranty policy. A model with units, produced serials, spare parts or
// survey answers is kept: ECONFLICT says what refers to it, because its
// history would lose its meaning.
func (s *Store) DeleteProduct(ctx context.Context, id int64) error {
	return s.Tx(ctx, func(q Querier) error {
		var p model.Product
		if err := scanProduct(q.QueryRow(ctx, "SELECT "+productColumns+" FROM products WHERE id = $1", id), &p); err != nil {
			return notFound(err, "product")
		}
		u, err := productUse(ctx, q, &p)
		if err != nil {
			return err
		}
		if u.InUse() {
			return model.Errorf(model.ECONFLICT, "%s cannot be removed: %d units, %d produced serial numbers, %d spare parts and %d survey answers refer to it; change its name or warranty instead",
				p.Name, u.Units, u.Serials, u.Parts, u.Answers)
		}
		if _, err := q.Exec(ctx, "DELETE FROM warranty_policies WHERE product_id = $1", id); err != nil {
			return err
		}
		_, err = q.Exec(ctx, "DELETE FROM products WHERE id = $1", id)
		return err
	})
}

// CategoryByID returns one node of the category tree.
func (s *Store) CategoryByID(ctx context.Context, id int64) (*model.Category, error) {
	var c model.Category
	if err := s.Read().QueryRow(ctx, "SELECT id, parent_id, name_zh, name_en FROM categories WHERE id = $1", id).
		Scan(&c.ID, &c.ParentID, &c.NameZh, &c.NameEn); err != nil {
		return nil, notFound(err, "category")
	}
	return &c, nil
}

// UpdateCategory renames a category and moves it under another parent (or
// to the top). A parent that does not exist, or that is the category
// itself or one of its descendants, is refused on parent_id.
func (s *Store) UpdateCategory(ctx context.Context, c *model.Category) error {
	return s.Tx(ctx, func(q Querier) error {
		var one int
		if err := q.QueryRow(ctx, "SELECT 1 FROM categories WHERE id = $1", c.ID).Scan(&one); err != nil {
			return notFound(err, "category")
		}
		for at, steps := c.ParentID, 0; at != nil; steps++ {
			if *at == c.ID || steps > 1000 {
				return model.FieldError("parent_id", "a category cannot be placed under itself or one of its subcategories")
			}
			var up *int64
			if err := q.QueryRow(ctx, "SELECT parent_id FROM categories WHERE id = $1", *at).Scan(&up); err != nil {
				if model.IsNotFound(notFound(err, "category")) {
					return model.FieldError("parent_id", "There is no category with id %d; choose one of the categories.", *at)
				}
				return err
			}
			at = up
		}
		_, err := q.Exec(ctx, "UPDATE categories SET parent_id = $1, name_zh = $2, name_en = $3 WHERE id = $4",
			c.ParentID, c.NameZh, c.NameEn, c.ID)
		return err
	})
}

// CategoryUse counts what refers to a category.
type CategoryUse struct {
	Children, Requests, Answers, Policies, Rules int
}

// InUse reports whether anything refers to the category.
func (u CategoryUse) InUse() bool {
	return u.Children+u.Requests+u.Answers+u.Policies+u.Rules > 0
}

// DeleteCategory removes a category that nothing refers to: no
// subcategory, request, survey answer, SLA policy or automation rule.
// Otherwise ECONFLICT says what refers to it.
func (s *Store) DeleteCategory(ctx context.Context, id int64) error {
	return s.Tx(ctx, func(q Querier) error {
		var c model.Category
		if err := q.QueryRow(ctx, "SELECT id, name_zh, name_en FROM categories WHERE id = $1", id).Scan(&c.ID, &c.NameZh, &c.NameEn); err != nil {
			return notFound(err, "category")
		}
		var u CategoryUse
		if err := q.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM categories WHERE parent_id = $1),
			(SELECT count(*) FROM requests WHERE category_id = $1),
			(SELECT count(*) FROM survey_responses WHERE category_id = $1)`, id).Scan(&u.Children, &u.Requests, &u.Answers); err != nil {
			return err
		}
		var err error
		if u.Policies, u.Rules, err = categoryInConditions(ctx, q, id); err != nil {
			return err
		}
		if u.InUse() {
			return model.Errorf(model.ECONFLICT, "this category cannot be removed: %d subcategories, %d requests, %d survey answers, %d SLA policies and %d automation rules refer to it; rename it instead",
				u.Children, u.Requests, u.Answers, u.Policies, u.Rules)
		}
		_, err = q.Exec(ctx, "DELETE FROM categories WHERE id = $1", id)
		return err
	})
}

// categoryInConditions counts the SLA policies and automation rules whose
// conditions (JSON) name the category.
func categoryInConditions(ctx context.Context, q Querier, id int64) (policies, rules int, err error) {
	texts := func(query string) ([]string, error) {
		rows, err := q.Query(ctx, query)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, rows.Err()
	}
	ps, err := texts("SELECT conditions FROM sla_policies")
	if err != nil {
		return 0, 0, err
	}
	for _, js := range ps {
		var c model.SLAConditions
		if json.Unmarshal([]byte(js), &c) == nil && c.CategoryID == id {
			policies++
		}
	}
	rs, err := texts("SELECT conditions FROM rules")
	if err != nil {
		return 0, 0, err
	}
	for _, js := range rs {
		var c model.RuleConditions
		if json.Unmarshal([]byte(js), &c) != nil {
			continue
		}
		for _, rc := range append(c.All, c.Any...) {
			if rc.Field == "category_id" && ruleValueHas(rc.Value, id) {
				rules++
				break
			}
		}
	}
	return policies, rules, nil
}

// ruleValueHas reports whether a rule condition's value (a number, a
// string or a list of them) names id.
func ruleValueHas(v json.RawMessage, id int64) bool {
	var one any
	if json.Unmarshal(v, &one) != nil {
		return false
	}
	list, ok := one.([]any)
	if !ok {
		list = []any{one}
	}
	for _, x := range list {
		switch x := x.(type) {
		case float64:
			if int64(x) == id {
				return true
			}
		case string:
			if strings.TrimSpace(x) == jsonInt(id) {
				return true
			}
		}
	}
	return false
}

func jsonInt(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}
