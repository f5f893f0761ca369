// Package parts manages the spare-parts catalogue (part number, the
// product models it fits, cost and price) and the stock of each part at
// each service centre: an append-only ledger of every movement (receive,
// reserve, release, consume, transfer, adjust; who, when, why) that always
// sums to the stock on hand and reserved, which never goes negative, and
// reorder points that raise an alert when the available stock falls to
// them.
package parts

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Service is the parts and stock domain logic over the store.
type Service struct {
	store    *store.Store
	now      func() time.Time
	currency string
}

// NewService returns a parts service whose prices are in currency (the
// --currency setting).
func NewService(st *store.Store, now func() time.Time, currency string) *Service {
	if now == nil {
		now = time.Now
	}
	if currency == "" {
		currency = "CNY"
	}
	return &Service{store: st, now: now, currency: currency}
}

// Currency is the currency of every cost and price.
func (s *Service) Currency() string { return s.currency }

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// partNoPattern is what a part number may look like.
var partNoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// PartInput is a new part. Cost and Price are minor units; Currency, if
// given, must be the store's.
type PartInput struct {
	PartNo, Name   string
	CompatibleSKUs []string
	Cost, Price    int64
	Currency       string
}

// CreatePart adds a part to the catalogue (model.PermPartManage). The
// SKUs need not be in the product catalogue yet: parts often arrive
// before the model is registered.
func (s *Service) CreatePart(ctx context.Context, p model.Principal, in PartInput) (*model.Part, error) {
	if !p.IsStaff() || !p.Can(model.PermPartManage) {
		return nil, forbidden()
	}
	part := &model.Part{PartNo: strings.TrimSpace(in.PartNo), Name: strings.TrimSpace(in.Name), Cost: in.Cost,
		Price: in.Price, Currency: s.currency}
	if !partNoPattern.MatchString(part.PartNo) {
		return nil, model.FieldError("part_no", "must be 1 to 64 letters, digits, . _ or -")
	}
	if err := s.checkPart(part, in.Currency); err != nil {
		return nil, err
	}
	var err error
	if part.CompatibleSKUs, err = cleanSKUs(in.CompatibleSKUs); err != nil {
		return nil, err
	}
	audit := model.Audit(ctx, p, model.AuditPartCreated, "part "+part.PartNo, s.priceDetail(part))
	if err := s.store.CreatePart(ctx, part, audit); err != nil {
		return nil, err
	}
	return part, nil
}

func (s *Service) priceDetail(p *model.Part) string {
	return fmt.Sprintf("cost %s, price %s", model.FormatMinor(p.Cost, p.Currency), model.FormatMinor(p.Price, p.Currency))
}

func (s *Service) checkPart(p *model.Part, currency string) error {
	switch {
	case p.Name == "":
		return model.FieldError("name", "is required")
	case utf8.RuneCountInString(p.Name) > 200:
		return model.FieldError("name", "must be at most %d characters", 200)
	case p.Cost < 0:
		return model.FieldError("cost", "must not be negative")
	case p.Price < 0:
		return model.FieldError("price", "must not be negative")
	case currency != "" && currency != s.currency:
		return model.FieldError("currency", "must be %s, the currency of this installation", s.currency)
	}
	return nil
}

// cleanSKUs trims, drops empties and duplicates, and sorts.
func cleanSKUs(in []string) ([]string, error) {
	out := []string{}
	for _, sku := range in {
		sku = strings.TrimSpace(sku)
		if sku == "" || slices.Contains(out, sku) {
			continue
		}
		if len(sku) > 64 {
			return nil, model.FieldError("compatible_skus", "must be at most %d characters", 64)
		}
		out = append(out, sku)
	}
	sort.Strings(out)
	return out, nil
}

// PartUpdate changes a part; nil fields are left alone.
type PartUpdate struct {
	Name           *string
	CompatibleSKUs *[]string
	Cost, Price    *int64
}

// UpdatePart changes a part's name, models or prices
// (model.PermPartManage), recorded in the audit log. Ledger rows keep the
// cost the part had when it moved.
func (s *Service) UpdatePart(ctx context.Context, p model.Principal, partNo string, in PartUpdate) (*model.Part, error) {
	if !p.IsStaff() || !p.Can(model.PermPartManage) {
		return nil, forbidden()
	}
	patch := store.PartPatch{Cost: in.Cost, Price: in.Price}
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		patch.Name = &n
	}
	if in.CompatibleSKUs != nil {
		skus, err := cleanSKUs(*in.CompatibleSKUs)
		if err != nil {
			return nil, err
		}
		patch.CompatibleSKUs = &skus
	}
	check := func(before, after *model.Part) (model.AuditEntry, error) {
		if err := s.checkPart(after, ""); err != nil {
			return model.AuditEntry{}, err
		}
		return model.Audit(ctx, p, model.AuditPartUpdated, "part "+after.PartNo,
			s.priceDetail(before)+" → "+s.priceDetail(after)), nil
	}
	return s.store.UpdatePart(ctx, partNo, patch, check)
}

// Part returns one part (model.PermPartRead).
func (s *Service) Part(ctx context.Context, p model.Principal, partNo string) (*model.Part, error) {
	if !p.Can(model.PermPartRead) {
		return nil, forbidden()
	}
	return s.store.PartByNo(ctx, partNo)
}

// ListParts returns one page of the catalogue (model.PermPartRead).
func (s *Service) ListParts(ctx context.Context, p model.Principal, f store.PartFilter) ([]model.Part, string, error) {
	if !p.Can(model.PermPartRead) {
		return nil, "", forbidden()
	}
	return s.store.ListParts(ctx, f)
}
