package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// Unit is a serial-numbered unit as the API shows it.
type Unit struct {
	ID          int64     `json:"id"`
	Serial      string    `json:"serial"`
	SKU         string    `json:"sku"`
	CustomerID  int64     `json:"customer_id"`
	PurchasedAt string    `json:"purchased_at" format:"date"`
	Channel     string    `json:"channel"`
	OrderRef    string    `json:"order_ref"`
	DeliveredAt *string   `json:"delivered_at,omitempty" format:"date" doc:"Delivery date; the return window counts from it."`
	CreatedAt   time.Time `json:"created_at"`
}

type createUnitInput struct {
	Body struct {
		Serial      string `json:"serial" maxLength:"64"`
		SKU         string `json:"sku"`
		CustomerID  int64  `json:"customer_id"`
		PurchasedAt string `json:"purchased_at" format:"date" doc:"Purchase date, YYYY-MM-DD."`
		Channel     string `json:"channel,omitempty" doc:"Where it was sold (free text: online, store, dealer…)."`
		OrderRef    string `json:"order_ref,omitempty"`
		DeliveredAt string `json:"delivered_at,omitempty" format:"date" doc:"Delivery date, YYYY-MM-DD (not before purchased_at); the return window counts from it, else from purchased_at."`
	}
}

type unitOutput struct {
	Body Unit
}

// Entitlement says whether a unit is under warranty, until when and for
// what: its base warranty and the extended-warranty plans sold on it.
type Entitlement struct {
	Serial         string         `json:"serial"`
	InWarranty     bool           `json:"in_warranty" doc:"The base warranty or a plan covers today."`
	WarrantyEndsAt string         `json:"warranty_ends_at" format:"date" doc:"Last day of the base warranty (inclusive)."`
	Covers         model.Coverage `json:"covers" doc:"What today's cover pays for; all false when not covered."`
	CoveredUntil   string         `json:"covered_until" format:"date" doc:"Last day the base warranty or a plan covers (inclusive)."`
	CoverageSource string         `json:"coverage_source" enum:"base,plan,none" doc:"What covers today."`
	Plans          []PlanCover    `json:"plans"`
}

// PlanCover is a plan sold on the unit, as the entitlement shows it.
type PlanCover struct {
	Code     string         `json:"code"`
	Name     string         `json:"name"`
	StartsOn string         `json:"starts_on" format:"date"`
	EndsOn   string         `json:"ends_on" format:"date" doc:"Inclusive."`
	Active   bool           `json:"active" doc:"It covers today."`
	Covers   model.Coverage `json:"covers"`
}

type entitlementInput struct {
	Serial string `path:"serial"`
}

type entitlementOutput struct {
	Body Entitlement
}

func (s *server) registerUnits() {
	register(s, huma.Operation{
		OperationID: "create-unit", Method: http.MethodPost, Path: "/api/v1/units",
		Summary: "Register a unit sold to a customer", Tags: []string{"catalog"},
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermUnitCreate), func(ctx context.Context, in *createUnitInput) (*unitOutput, error) {
		b := in.Body
		u, err := s.d.Catalog.CreateUnit(ctx, principalFrom(ctx), catalog.UnitInput{Serial: b.Serial, SKU: b.SKU,
			CustomerID: b.CustomerID, PurchasedAt: b.PurchasedAt, Channel: b.Channel, OrderRef: b.OrderRef,
			DeliveredAt: b.DeliveredAt})
		if err != nil {
			return nil, err
		}
		out := Unit{ID: u.ID, Serial: u.Serial, SKU: u.SKU, CustomerID: u.CustomerID,
			PurchasedAt: u.PurchasedAt.Format(time.DateOnly), Channel: u.Channel, OrderRef: u.OrderRef, CreatedAt: u.CreatedAt}
		if u.DeliveredAt != nil {
			d := u.DeliveredAt.Format(time.DateOnly)
			out.DeliveredAt = &d
		}
		return &unitOutput{Body: out}, nil
	})

	register(s, huma.Operation{
		OperationID: "get-entitlement", Method: http.MethodGet, Path: "/api/v1/units/{serial}/entitlement",
		Summary: "Warranty entitlement of a unit", Tags: []string{"catalog"},
		Description: "Customers may check only their own units; an unknown serial is 404. in_warranty is true while the " +
			"base warranty or an extended-warranty plan covers; coverage_source says which.",
		Errors: []int{http.StatusNotFound},
	}, can(model.PermWarrantyCheck), func(ctx context.Context, in *entitlementInput) (*entitlementOutput, error) {
		e, err := s.d.Catalog.Entitlement(ctx, principalFrom(ctx), in.Serial)
		if err != nil {
			return nil, err
		}
		out := Entitlement{Serial: e.Serial, InWarranty: e.InWarranty, WarrantyEndsAt: e.WarrantyEndsAt.Format(time.DateOnly),
			Covers: e.Covers, CoveredUntil: e.CoveredUntil.Format(time.DateOnly), CoverageSource: e.Source,
			Plans: make([]PlanCover, len(e.Plans))}
		for i, p := range e.Plans {
			out.Plans[i] = PlanCover{Code: p.Code, Name: p.Name, StartsOn: p.StartsOn.Format(time.DateOnly),
				EndsOn: p.EndsOn.Format(time.DateOnly), Active: p.Active, Covers: p.Covers}
		}
		return &entitlementOutput{Body: out}, nil
	})
}
