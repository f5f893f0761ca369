package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// Product is a product model as the API shows it.
type Product struct {
	ID             int64     `json:"id"`
	SKU            string    `json:"sku"`
	Name           string    `json:"name"`
	Brand          string    `json:"brand"`
	Category       string    `json:"category"`
	WarrantyMonths int       `json:"warranty_months"`
	CreatedAt      time.Time `json:"created_at"`
}

func toProduct(p *model.Product) Product {
	return Product{ID: p.ID, SKU: p.SKU, Name: p.Name, Brand: p.Brand, Category: p.Category,
		WarrantyMonths: p.WarrantyMonths, CreatedAt: p.CreatedAt}
}

type createProductInput struct {
	Body struct {
		SKU            string          `json:"sku" maxLength:"64"`
		Name           string          `json:"name"`
		Brand          string          `json:"brand,omitempty"`
		Category       string          `json:"category,omitempty"`
		WarrantyMonths int             `json:"warranty_months" minimum:"0" maximum:"240"`
		Covers         *model.Coverage `json:"covers,omitempty" doc:"What the warranty pays for; default all three."`
	}
}

type productOutput struct {
	Body Product
}

type productListOutput struct {
	Body struct {
		Items []Product `json:"items"`
	}
}

func (s *server) registerProducts() {
	register(s, huma.Operation{
		OperationID: "create-product", Method: http.MethodPost, Path: "/api/v1/products",
		Summary: "Create a product model and its warranty policy", Tags: []string{"catalog"},
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermProductManage), func(ctx context.Context, in *createProductInput) (*productOutput, error) {
		b := in.Body
		p, err := s.d.Catalog.CreateProduct(ctx, principalFrom(ctx), catalog.ProductInput{SKU: b.SKU, Name: b.Name,
			Brand: b.Brand, Category: b.Category, WarrantyMonths: b.WarrantyMonths, Coverage: b.Covers})
		if err != nil {
			return nil, err
		}
		return &productOutput{Body: toProduct(p)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-products", Method: http.MethodGet, Path: "/api/v1/products",
		Summary: "List product models", Tags: []string{"catalog"},
	}, can(model.PermProductRead), func(ctx context.Context, _ *struct{}) (*productListOutput, error) {
		ps, err := s.d.Store.ListProducts(ctx)
		if err != nil {
			return nil, err
		}
		out := &productListOutput{}
		out.Body.Items = make([]Product, len(ps))
		for i := range ps {
			out.Body.Items[i] = toProduct(&ps[i])
		}
		return out, nil
	})
}
