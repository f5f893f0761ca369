package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/parts"
	"github.com/aftercare/aftercare/internal/store"
)

// Part is a spare part as the API shows it; money in minor units.
type Part struct {
	PartNo         string    `json:"part_no"`
	Name           string    `json:"name"`
	CompatibleSKUs []string  `json:"compatible_skus" doc:"Product models (SKUs) it fits."`
	Cost           int64     `json:"cost" doc:"What the part costs the company, in minor units of currency (fen for CNY)."`
	Price          int64     `json:"price" doc:"What a customer pays for it, in minor units of currency."`
	Currency       string    `json:"currency"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

func toPart(p *model.Part) Part {
	out := Part{PartNo: p.PartNo, Name: p.Name, CompatibleSKUs: p.CompatibleSKUs, Cost: p.Cost, Price: p.Price,
		Currency: p.Currency, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if out.CompatibleSKUs == nil {
		out.CompatibleSKUs = []string{}
	}
	return out
}

type createPartInput struct {
	Body struct {
		PartNo         string   `json:"part_no" maxLength:"64" doc:"Unique part number (letters, digits, . _ -)."`
		Name           string   `json:"name" maxLength:"200"`
		CompatibleSKUs []string `json:"compatible_skus,omitempty" maxItems:"500" doc:"Product models (SKUs) it fits; they need not be in the catalogue yet."`
		Cost           int64    `json:"cost" minimum:"0" doc:"Minor units (fen for CNY); never a decimal."`
		Price          int64    `json:"price" minimum:"0" doc:"Minor units."`
		Currency       string   `json:"currency,omitempty" doc:"If given, must be the installation's currency (--currency)."`
	}
}

type updatePartInput struct {
	PartNo string `path:"part_no"`
	Body   struct {
		Name           *string   `json:"name,omitempty" maxLength:"200"`
		CompatibleSKUs *[]string `json:"compatible_skus,omitempty" maxItems:"500"`
		Cost           *int64    `json:"cost,omitempty" minimum:"0"`
		Price          *int64    `json:"price,omitempty" minimum:"0"`
	}
}

type partOutput struct {
	Body Part
}

type partNoInput struct {
	PartNo string `path:"part_no"`
}

type listPartsInput struct {
	SKU    string `query:"sku" doc:"Keep the parts that fit this product model."`
	Q      string `query:"q" doc:"Words of the part number or name."`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page."`
}

type partListOutput struct {
	Body struct {
		Items      []Part `json:"items"`
		NextCursor string `json:"next_cursor"`
	}
}

func (s *server) registerParts() {
	register(s, huma.Operation{
		OperationID: "create-part", Method: http.MethodPost, Path: "/api/v1/parts",
		Summary: "Add a part to the catalogue", Tags: []string{"parts"}, DefaultStatus: http.StatusCreated,
		Description: "A taken part number is 409. Recorded in the audit log.",
		Errors:      []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermPartManage), func(ctx context.Context, in *createPartInput) (*partOutput, error) {
		b := in.Body
		p, err := s.d.Parts.CreatePart(ctx, principalFrom(ctx), parts.PartInput{PartNo: b.PartNo, Name: b.Name,
			CompatibleSKUs: b.CompatibleSKUs, Cost: b.Cost, Price: b.Price, Currency: b.Currency})
		if err != nil {
			return nil, err
		}
		return &partOutput{Body: toPart(p)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-parts", Method: http.MethodGet, Path: "/api/v1/parts",
		Summary: "List the parts catalogue", Tags: []string{"parts"},
		Description: "Ordered by part number, keyset-paginated.",
	}, can(model.PermPartRead), func(ctx context.Context, in *listPartsInput) (*partListOutput, error) {
		ps, next, err := s.d.Parts.ListParts(ctx, principalFrom(ctx), store.PartFilter{SKU: in.SKU, Query: in.Q,
			After: in.Cursor, Limit: in.Limit})
		if err != nil {
			return nil, at("query", err)
		}
		out := &partListOutput{}
		out.Body.Items = make([]Part, len(ps))
		for i := range ps {
			out.Body.Items[i] = toPart(&ps[i])
		}
		out.Body.NextCursor = next
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-part", Method: http.MethodGet, Path: "/api/v1/parts/{part_no}",
		Summary: "Get a part", Tags: []string{"parts"}, Errors: []int{http.StatusNotFound},
	}, can(model.PermPartRead), func(ctx context.Context, in *partNoInput) (*partOutput, error) {
		p, err := s.d.Parts.Part(ctx, principalFrom(ctx), in.PartNo)
		if err != nil {
			return nil, err
		}
		return &partOutput{Body: toPart(p)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-part", Method: http.MethodPatch, Path: "/api/v1/parts/{part_no}",
		Summary: "Change a part's name, models, cost or price", Tags: []string{"parts"},
		Description: "Ledger rows keep the cost the part had when it moved. Recorded in the audit log.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermPartManage), func(ctx context.Context, in *updatePartInput) (*partOutput, error) {
		b := in.Body
		p, err := s.d.Parts.UpdatePart(ctx, principalFrom(ctx), in.PartNo, parts.PartUpdate{Name: b.Name,
			CompatibleSKUs: b.CompatibleSKUs, Cost: b.Cost, Price: b.Price})
		if err != nil {
			return nil, err
		}
		return &partOutput{Body: toPart(p)}, nil
	})
}
