package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// WarrantyPlan is an extended-warranty plan on offer.
type WarrantyPlan struct {
	Code      string         `json:"code"`
	Name      string         `json:"name"`
	Months    int            `json:"months"`
	Price     int64          `json:"price" doc:"List price in minor units of currency."`
	Currency  string         `json:"currency"`
	Covers    model.Coverage `json:"covers"`
	Active    bool           `json:"active"`
	CreatedAt time.Time      `json:"created_at"`
}

func toPlan(p *model.WarrantyPlan) WarrantyPlan {
	return WarrantyPlan{Code: p.Code, Name: p.Name, Months: p.Months, Price: p.Price, Currency: p.Currency, Covers: p.Covers,
		Active: p.Active, CreatedAt: p.CreatedAt}
}

// PlanSale is a plan sold on a unit.
type PlanSale struct {
	ID       int64          `json:"id"`
	Serial   string         `json:"serial"`
	PlanCode string         `json:"plan_code"`
	SoldAt   string         `json:"sold_at" format:"date"`
	StartsOn string         `json:"starts_on" format:"date" doc:"The day after the cover before it ends, or sold_at if later."`
	EndsOn   string         `json:"ends_on" format:"date" doc:"Last covered day, inclusive."`
	Months   int            `json:"months"`
	Price    int64          `json:"price" doc:"Price paid, minor units."`
	Currency string         `json:"currency"`
	Covers   model.Coverage `json:"covers"`
	Centre   string         `json:"centre,omitempty" doc:"The centre that sold it."`
	SoldBy   string         `json:"sold_by"`
}

// coversInput is what a plan covers; a member left out is not covered.
type coversInput struct {
	Parts    bool `json:"parts,omitempty"`
	Labour   bool `json:"labour,omitempty"`
	Shipping bool `json:"shipping,omitempty"`
}

type createPlanInput struct {
	Body struct {
		Code   string      `json:"code" maxLength:"32"`
		Name   string      `json:"name" maxLength:"200"`
		Months int         `json:"months" minimum:"1" maximum:"120"`
		Price  int64       `json:"price" minimum:"0" doc:"Minor units (fen for CNY)."`
		Covers coversInput `json:"covers" doc:"At least one of parts, labour, shipping."`
	}
}

type planOutput struct {
	Body WarrantyPlan
}

type planListOutput struct {
	Body struct {
		Items []WarrantyPlan `json:"items"`
	}
}

type sellPlanInput struct {
	Serial string `path:"serial"`
	Body   struct {
		PlanCode string `json:"plan_code"`
		SoldAt   string `json:"sold_at,omitempty" format:"date" doc:"Sale date, YYYY-MM-DD; default today."`
		Price    *int64 `json:"price,omitempty" minimum:"0" doc:"Price paid in minor units; default the plan's list price."`
		Centre   string `json:"centre,omitempty" doc:"Code of the selling centre; default the seller's own."`
	}
}

type planSaleOutput struct {
	Body PlanSale
}

func (s *server) registerPlans() {
	register(s, huma.Operation{
		OperationID: "create-warranty-plan", Method: http.MethodPost, Path: "/api/v1/warranty-plans",
		Summary: "Create an extended-warranty plan", Tags: []string{"catalog"}, DefaultStatus: http.StatusCreated,
		Description: "A taken code is 409. Recorded in the audit log.",
		Errors:      []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermPlanManage), func(ctx context.Context, in *createPlanInput) (*planOutput, error) {
		b := in.Body
		p, err := s.d.Catalog.CreatePlan(ctx, principalFrom(ctx), catalog.PlanInput{Code: b.Code, Name: b.Name,
			Months: b.Months, Price: b.Price, Covers: model.Coverage(b.Covers)})
		if err != nil {
			return nil, err
		}
		return &planOutput{Body: toPlan(p)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-warranty-plans", Method: http.MethodGet, Path: "/api/v1/warranty-plans",
		Summary: "List extended-warranty plans", Tags: []string{"catalog"},
	}, can(model.PermProductRead), func(ctx context.Context, _ *struct{}) (*planListOutput, error) {
		ps, err := s.d.Catalog.Plans(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &planListOutput{}
		out.Body.Items = make([]WarrantyPlan, len(ps))
		for i := range ps {
			out.Body.Items[i] = toPlan(&ps[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "sell-plan", Method: http.MethodPost, Path: "/api/v1/units/{serial}/plans",
		Summary: "Sell an extended-warranty plan on a unit", Tags: []string{"catalog"}, DefaultStatus: http.StatusCreated,
		Description: "The plan starts the day after the base warranty's last covered day (or the last plan's, when one " +
			"was sold already), or on sold_at if that is later, and runs for its months. The sale keeps its price, dates " +
			"and coverage for the entitlement check and the revenue report.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermPlanSell), func(ctx context.Context, in *sellPlanInput) (*planSaleOutput, error) {
		b := in.Body
		sale, err := s.d.Catalog.SellPlan(ctx, principalFrom(ctx), in.Serial, catalog.SellInput{PlanCode: b.PlanCode,
			SoldAt: b.SoldAt, Price: b.Price, Centre: b.Centre})
		if err != nil {
			return nil, err
		}
		out := PlanSale{ID: sale.ID, Serial: in.Serial, PlanCode: sale.PlanCode, SoldAt: sale.SoldAt.Format(time.DateOnly),
			StartsOn: sale.StartsOn.Format(time.DateOnly), EndsOn: sale.EndsOn.Format(time.DateOnly), Months: sale.Months,
			Price: sale.Price, Currency: sale.Currency, Covers: sale.Covers, SoldBy: sale.SoldBy}
		if sale.CentreID != nil {
			if c, err := s.d.Store.CentreByID(ctx, *sale.CentreID); err == nil {
				out.Centre = c.Code
			}
		}
		return &planSaleOutput{Body: out}, nil
	})
}
