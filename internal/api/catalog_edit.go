package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

type updateProductInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Name           *string         `json:"name,omitempty" maxLength:"200"`
		Brand          *string         `json:"brand,omitempty" maxLength:"100"`
		Category       *string         `json:"category,omitempty" maxLength:"100"`
		WarrantyMonths *int            `json:"warranty_months,omitempty" minimum:"0" maximum:"240"`
		Covers         *model.Coverage `json:"covers,omitempty" doc:"What the warranty pays for; replaces all three."`
	}
}

type idPathInput struct {
	ID int64 `path:"id"`
}

type updateCategoryInput struct {
	ID   int64 `path:"id"`
	Body struct {
		ParentID *int64  `json:"parent_id,omitempty" minimum:"0" doc:"Another category to move under; 0 moves it to the top level."`
		NameZh   *string `json:"name_zh,omitempty" maxLength:"100"`
		NameEn   *string `json:"name_en,omitempty" maxLength:"100"`
	}
}

// registerCatalogEdit adds changing and removing product models and
// categories: a model or category that something refers to is kept (409
// saying what refers to it), because the history that names it would
// lose its meaning.
func (s *server) registerCatalogEdit() {
	register(s, huma.Operation{
		OperationID: "update-product", Method: http.MethodPatch, Path: "/api/v1/products/{id}",
		Summary: "Change a product model and its warranty policy", Tags: []string{"catalog"},
		Description: "Send only what changes. The SKU cannot change (units, produced serials and spare parts name it). " +
			"The warranty applies to the units already sold.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermProductManage), func(ctx context.Context, in *updateProductInput) (*productOutput, error) {
		p, err := s.d.Store.ProductByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		pol, err := s.d.Store.WarrantyPolicy(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		ch := catalog.ProductChange{Name: p.Name, Brand: p.Brand, Category: p.Category, WarrantyMonths: p.WarrantyMonths,
			Coverage: model.Coverage{Parts: pol.CoversParts, Labour: pol.CoversLabour, Shipping: pol.CoversShipping}}
		b := in.Body
		if b.Name != nil {
			ch.Name = *b.Name
		}
		if b.Brand != nil {
			ch.Brand = *b.Brand
		}
		if b.Category != nil {
			ch.Category = *b.Category
		}
		if b.WarrantyMonths != nil {
			ch.WarrantyMonths = *b.WarrantyMonths
		}
		if b.Covers != nil {
			ch.Coverage = *b.Covers
		}
		p, err = s.d.Catalog.UpdateProduct(ctx, principalFrom(ctx), in.ID, ch)
		if err != nil {
			return nil, err
		}
		return &productOutput{Body: toProduct(p)}, nil
	})

	register(s, huma.Operation{
		OperationID: "delete-product", Method: http.MethodDelete, Path: "/api/v1/products/{id}",
		Summary: "Remove a product model nothing refers to", Tags: []string{"catalog"}, DefaultStatus: http.StatusNoContent,
		Description: "409 when units, produced serial numbers, spare parts or survey answers refer to the model; the problem's detail says how many of each.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermProductManage), func(ctx context.Context, in *idPathInput) (*struct{}, error) {
		return nil, s.d.Catalog.DeleteProduct(ctx, principalFrom(ctx), in.ID)
	})

	register(s, huma.Operation{
		OperationID: "update-category", Method: http.MethodPatch, Path: "/api/v1/categories/{id}",
		Summary: "Rename or move a category", Tags: []string{"catalog"},
		Description: "Send only what changes. A parent that is the category itself or one of its subcategories is 422 on parent_id.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermCategoryManage), func(ctx context.Context, in *updateCategoryInput) (*categoryOutput, error) {
		c, err := s.d.Store.CategoryByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		ch := catalog.CategoryChange{ParentID: c.ParentID, NameZh: c.NameZh, NameEn: c.NameEn}
		b := in.Body
		if b.ParentID != nil {
			ch.ParentID = b.ParentID
			if *b.ParentID == 0 {
				ch.ParentID = nil
			}
		}
		if b.NameZh != nil {
			ch.NameZh = *b.NameZh
		}
		if b.NameEn != nil {
			ch.NameEn = *b.NameEn
		}
		c, err = s.d.Catalog.UpdateCategory(ctx, principalFrom(ctx), in.ID, ch)
		if err != nil {
			return nil, err
		}
		return &categoryOutput{Body: Category{ID: c.ID, ParentID: c.ParentID, NameZh: c.NameZh, NameEn: c.NameEn}}, nil
	})

	register(s, huma.Operation{
		OperationID: "delete-category", Method: http.MethodDelete, Path: "/api/v1/categories/{id}",
		Summary: "Remove a category nothing refers to", Tags: []string{"catalog"}, DefaultStatus: http.StatusNoContent,
		Description: "409 when subcategories, requests, survey answers, SLA policies or automation rules refer to it; the problem's detail says how many of each.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermCategoryManage), func(ctx context.Context, in *idPathInput) (*struct{}, error) {
		return nil, s.d.Catalog.DeleteCategory(ctx, principalFrom(ctx), in.ID)
	})
}
