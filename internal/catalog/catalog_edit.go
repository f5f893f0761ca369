package catalog

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// ProductChange is what may change on a product model: everything but
// its SKU, which units, produced serials and spare parts name.
type ProductChange struct {
	Name, Brand, Category string
	WarrantyMonths        int
	Coverage              model.Coverage
}

// UpdateProduct changes a product model and its warranty policy
// (model.PermProductManage). The policy applies to the units already sold.
func (s *Service) UpdateProduct(ctx context.Context, p model.Principal, id int64, in ProductChange) (*model.Product, error) {
	if !p.IsStaff() || !p.Can(model.PermProductManage) {
		return nil, forbidden()
	}
	pr, err := s.store.ProductByID(ctx, id)
	if err != nil {
		return nil, err
	}
	pr.Name, pr.Brand, pr.Category = strings.TrimSpace(in.Name), strings.TrimSpace(in.Brand), strings.TrimSpace(in.Category)
	pr.WarrantyMonths = in.WarrantyMonths
	if err := model.Invalid(checkProduct(pr)); err != nil {
		return nil, err
	}
	if err := s.store.UpdateProduct(ctx, pr, in.Coverage); err != nil {
		return nil, err
	}
	return pr, nil
}

// DeleteProduct removes a product model nothing refers to
// (model.PermProductManage); one in use is a conflict that says why.
func (s *Service) DeleteProduct(ctx context.Context, p model.Principal, id int64) error {
	if !p.IsStaff() || !p.Can(model.PermProductManage) {
		return forbidden()
	}
	return s.store.DeleteProduct(ctx, id)
}

// CategoryChange is a category's names and place in the tree.
type CategoryChange struct {
	ParentID       *int64
	NameZh, NameEn string
}

// validate trims the names and checks them.
func (in *CategoryChange) validate() error {
	in.NameZh, in.NameEn = strings.TrimSpace(in.NameZh), strings.TrimSpace(in.NameEn)
	switch {
	case in.NameZh == "":
		return model.FieldError("name_zh", "is required")
	case utf8.RuneCountInString(in.NameZh) > 100:
		return model.FieldError("name_zh", "must be at most %d characters", 100)
	case in.NameEn == "":
		return model.FieldError("name_en", "is required")
	case utf8.RuneCountInString(in.NameEn) > 100:
		return model.FieldError("name_en", "must be at most %d characters", 100)
	}
	return nil
}

// UpdateCategory renames or moves a category (model.PermCategoryManage).
func (s *Service) UpdateCategory(ctx context.Context, p model.Principal, id int64, in CategoryChange) (*model.Category, error) {
	if !p.IsStaff() || !p.Can(model.PermCategoryManage) {
		return nil, forbidden()
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	c := &model.Category{ID: id, ParentID: in.ParentID, NameZh: in.NameZh, NameEn: in.NameEn}
	if err := s.store.UpdateCategory(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteCategory removes a category nothing refers to
// (model.PermCategoryManage); one in use is a conflict that says why.
func (s *Service) DeleteCategory(ctx context.Context, p model.Principal, id int64) error {
	if !p.IsStaff() || !p.Can(model.PermCategoryManage) {
		return forbidden()
	}
	return s.store.DeleteCategory(ctx, id)
}
