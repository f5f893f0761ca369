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
	}
}

type unitOutput struct {
	Body Unit
}

// Entitlement says whether a unit is under warranty, until when and for
// what.
type Entitlement struct {
	Serial         string         `json:"serial"`
	InWarranty     bool           `json:"in_warranty"`
	WarrantyEndsAt string         `json:"warranty_ends_at" format:"date" doc:"Last covered day (inclusive)."`
	Covers         model.Coverage `json:"covers"`
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
			CustomerID: b.CustomerID, PurchasedAt: b.PurchasedAt, Channel: b.Channel, OrderRef: b.OrderRef})
		if err != nil {
			return nil, err
		}
		return &unitOutput{Body: Unit{ID: u.ID, Serial: u.Serial, SKU: u.SKU, CustomerID: u.CustomerID,
			PurchasedAt: u.PurchasedAt.Format(time.DateOnly), Channel: u.Channel, OrderRef: u.OrderRef, CreatedAt: u.CreatedAt}}, nil
	})

	register(s, huma.Operation{
		OperationID: "get-entitlement", Method: http.MethodGet, Path: "/api/v1/units/{serial}/entitlement",
		Summary: "Warranty entitlement of a unit", Tags: []string{"catalog"},
		Description: "Customers may check only their own units; an unknown serial is 404.",
		Errors:      []int{http.StatusNotFound},
	}, can(model.PermWarrantyCheck), func(ctx context.Context, in *entitlementInput) (*entitlementOutput, error) {
		e, err := s.d.Catalog.Entitlement(ctx, principalFrom(ctx), in.Serial)
		if err != nil {
			return nil, err
		}
		return &entitlementOutput{Body: Entitlement{Serial: e.Serial, InWarranty: e.InWarranty,
			WarrantyEndsAt: e.WarrantyEndsAt.Format(time.DateOnly), Covers: e.Covers}}, nil
	})
}
