package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// FileKeeper keeps uploaded files where request attachments are kept
// (request.Service): a unit's proof of purchase is stored the same way.
type FileKeeper interface {
	KeepFile(ctx context.Context, folder string, f *request.Staged) (*model.Attachment, error)
	DropFile(ctx context.Context, a *model.Attachment)
}

// WithFiles sets where proofs of purchase are kept and returns s.
func (s *Service) WithFiles(k FileKeeper) *Service {
	s.files = k
	return s
}

// ProofTypes are the content types accepted as a proof of purchase: a
// photo of the receipt or an invoice.
func ProofTypes() []string {
	return []string{"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "application/pdf"}
}

// RegisterInput is a customer's registration of a product they bought.
type RegisterInput struct {
	Serial      string
	PurchasedAt string // YYYY-MM-DD
	// Proof is the staged proof of purchase; RegisterUnit keeps it or
	// discards it.
	Proof *request.Staged
}

// RegisterUnit lets a customer register a produced serial number as their
// unit (model.PermUnitRegister): the purchase date sets the warranty, so
// a proof of purchase is required and kept for staff to check. Every
// refusal names its field; nothing is kept of a refused registration.
func (s *Service) RegisterUnit(ctx context.Context, p model.Principal, in RegisterInput) (*model.OwnedUnit, error) {
	defer in.Proof.Discard()
	if !p.IsCustomer() || !p.Can(model.PermUnitRegister) {
		return nil, forbidden()
	}
	serial := strings.TrimSpace(in.Serial)
	switch {
	case serial == "":
		return nil, model.FieldError("serial", "enter the serial number from the label or the box")
	case len(serial) > 64:
		return nil, model.FieldError("serial", "a serial number has at most %d characters", 64)
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(in.PurchasedAt))
	switch {
	case strings.TrimSpace(in.PurchasedAt) == "":
		return nil, model.FieldError("purchased_at", "enter the date you bought it")
	case err != nil:
		return nil, model.FieldError("purchased_at", "The purchase date must be a date such as 2026-03-01.")
	case d.After(s.today()):
		return nil, model.FieldError("purchased_at", "the purchase date cannot be in the future")
	}
	if in.Proof == nil {
		return nil, model.FieldError("proof", "add a photo of the receipt or the invoice (image or PDF)")
	}
	if !slices.Contains(ProofTypes(), in.Proof.ContentType) {
		return nil, model.FieldError("proof", "the proof of purchase must be a photo or a PDF")
	}
	if s.files == nil {
		return nil, fmt.Errorf("catalog: register unit: no file keeper")
	}
	kept, err := s.files.KeepFile(ctx, "units", in.Proof)
	if err != nil {
		return nil, err
	}
	u := &model.Unit{Serial: serial, CustomerID: p.ID, PurchasedAt: d, Channel: "portal"}
	proof := &model.UnitProof{Filename: kept.Filename, ContentType: kept.ContentType, Size: kept.Size,
		SHA256: kept.SHA256, Path: kept.Path}
	if err := s.store.RegisterUnit(ctx, u, proof); err != nil {
		s.files.DropFile(ctx, kept)
		return nil, err
	}
	return s.owned(ctx, u, map[string]*model.Product{})
}

// SerialProduct names the product of a serial number, for a customer
// about to register it; an unknown serial is a field error.
func (s *Service) SerialProduct(ctx context.Context, p model.Principal, serial string) (*model.Product, error) {
	if !p.Can(model.PermUnitRegister) && !p.Can(model.PermUnitCreate) {
		return nil, forbidden()
	}
	return s.store.SerialProduct(ctx, serial)
}

// MyUnits lists the customer's units with their product's name and
// today's warranty, newest purchase first.
func (s *Service) MyUnits(ctx context.Context, p model.Principal) ([]model.OwnedUnit, error) {
	if !p.IsCustomer() || !p.Can(model.PermWarrantyCheck) {
		return nil, forbidden()
	}
	return s.ownedUnits(ctx, p.ID)
}

// CustomerUnits lists a customer's units for staff who may read customer
// records (the customer page and the request page's customer panel):
// each with its product's name and today's warranty, newest purchase
// first. Customers get only their own.
func (s *Service) CustomerUnits(ctx context.Context, p model.Principal, customerID int64) ([]model.OwnedUnit, error) {
	if !p.Can(model.PermCustomerRead) || (p.IsCustomer() && p.ID != customerID) {
		return nil, forbidden()
	}
	return s.ownedUnits(ctx, customerID)
}

// ownedUnits lists a customer's units with their product's name and
// today's warranty.
func (s *Service) ownedUnits(ctx context.Context, customerID int64) ([]model.OwnedUnit, error) {
	units, err := s.store.UnitsByCustomer(ctx, customerID)
	if err != nil {
		return nil, err
	}
	products := map[string]*model.Product{}
	out := make([]model.OwnedUnit, 0, len(units))
	for i := range units {
		o, err := s.owned(ctx, &units[i], products)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, nil
}

// owned completes a unit with its product's name and entitlement; seen
// caches products by SKU.
func (s *Service) owned(ctx context.Context, u *model.Unit, seen map[string]*model.Product) (*model.OwnedUnit, error) {
	prod, ok := seen[u.SKU]
	if !ok {
		var err error
		if prod, err = s.store.ProductBySKU(ctx, u.SKU); err != nil {
			return nil, err
		}
		seen[u.SKU] = prod
	}
	pol, err := s.store.WarrantyPolicy(ctx, u.ProductID)
	if err != nil {
		return nil, err
	}
	plans, err := s.store.UnitPlans(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return &model.OwnedUnit{Unit: *u, ProductName: prod.Name, Entitlement: EntitleWithPlans(u, pol, plans, s.today())}, nil
}

// AddSerials records serial numbers produced for a product
// (model.PermProductManage), so that customers can register them.
func (s *Service) AddSerials(ctx context.Context, p model.Principal, sku string, serials []string) (int, error) {
	if !p.IsStaff() || !p.Can(model.PermProductManage) {
		return 0, forbidden()
	}
	return s.store.AddSerials(ctx, sku, serials)
}
