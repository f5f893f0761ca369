// Package catalog manages customers, product models, warranty policies
// and serial-numbered units, and answers the entitlement question: is
// this serial covered, for what, until when?
package catalog

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/phone"
	"github.com/aftercare/aftercare/internal/store"
)

// Service is the catalog's domain logic over the store.
type Service struct {
	store    *store.Store
	now      func() time.Time
	currency string
	files    FileKeeper
}

// NewService returns a catalog service; plan prices are in CNY unless
// WithCurrency says otherwise.
func NewService(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, now: now, currency: "CNY"}
}

// WithCurrency sets the currency of plan prices (the --currency setting)
// and returns s.
func (s *Service) WithCurrency(c string) *Service {
	if c != "" {
		s.currency = c
	}
	return s
}

// Currency is the currency of plan prices.
func (s *Service) Currency() string { return s.currency }

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// CustomerInput is a new customer.
type CustomerInput struct {
	Name, Email, Phone, Locale, Address, City string
}

// CreateCustomer validates and stores a customer (model.PermCustomerCreate).
func (s *Service) CreateCustomer(ctx context.Context, p model.Principal, in CustomerInput) (*model.Customer, error) {
	if !p.IsStaff() || !p.Can(model.PermCustomerCreate) {
		return nil, forbidden()
	}
	c, err := in.customer()
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateCustomer(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Limits of a customer's contact data (the form's maxlength).
const (
	maxCustomerName    = 200
	maxCustomerAddress = 500
	maxCustomerCity    = 100
)

// customer validates in as a customer's contact data and reports every
// invalid field at once (model.FieldErrors), each with a sentence of its
// own. The mobile number is stored in its canonical form
// (phone.Normalize: "+86 138-0013-8000" becomes 13800138000), so that it
// is unique however it was typed.
func (in CustomerInput) customer() (*model.Customer, error) {
	c := &model.Customer{Name: strings.TrimSpace(in.Name), Email: strings.TrimSpace(in.Email),
		Phone: phone.Normalize(in.Phone), Locale: in.Locale, Address: strings.TrimSpace(in.Address), City: strings.TrimSpace(in.City)}
	var bad []*model.Error
	switch {
	case c.Name == "":
		bad = append(bad, model.FieldError("name", "Enter the customer's name."))
	case utf8.RuneCountInString(c.Name) > maxCustomerName:
		bad = append(bad, model.FieldError("name", "The customer's name is too long: keep it to %d characters or fewer.", maxCustomerName))
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			bad = append(bad, model.FieldError("email", "Enter a valid e-mail address, such as name@example.com."))
		}
	}
	if c.Phone != "" && !phone.Valid(c.Phone) {
		bad = append(bad, model.FieldError("phone", "Enter a valid mobile number, such as 138 0013 8000 (a number abroad starts with +)."))
	}
	switch c.Locale {
	case "":
		c.Locale = "zh-CN"
	case "zh-CN", "en":
	default:
		bad = append(bad, model.FieldError("locale", "Choose Chinese or English as the customer's language."))
	}
	if utf8.RuneCountInString(c.Address) > maxCustomerAddress {
		bad = append(bad, model.FieldError("address", "The address is too long: keep it to %d characters or fewer.", maxCustomerAddress))
	}
	if utf8.RuneCountInString(c.City) > maxCustomerCity {
		bad = append(bad, model.FieldError("city", "The city is too long: keep it to %d characters or fewer.", maxCustomerCity))
	}
	if err := model.Invalid(bad); err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateCustomer changes a customer's contact data (the rules of
// CreateCustomer; model.PermCustomerCreate). Who did it goes into the
// audit log: the contact data is where replies and invites go.
func (s *Service) UpdateCustomer(ctx context.Context, p model.Principal, id int64, in CustomerInput) (*model.Customer, error) {
	if !p.IsStaff() || !p.Can(model.PermCustomerCreate) {
		return nil, forbidden()
	}
	c, err := in.customer()
	if err != nil {
		return nil, err
	}
	old, err := s.store.CustomerByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c.ID, c.CreatedAt, c.PasswordHash = id, old.CreatedAt, old.PasswordHash
	entry := model.Audit(ctx, p, model.AuditCustomerUpdated, fmt.Sprintf("customer %d", id), "")
	if err := s.store.UpdateCustomer(ctx, c, entry); err != nil {
		return nil, err
	}
	return c, nil
}

// ProductInput is a new product model.
type ProductInput struct {
	SKU, Name, Brand, Category string
	WarrantyMonths             int
	// Coverage overrides what the warranty covers; nil covers all three.
	Coverage *model.Coverage
}

// CreateProduct stores a product model and its warranty policy
// (model.PermProductManage).
func (s *Service) CreateProduct(ctx context.Context, p model.Principal, in ProductInput) (*model.Product, error) {
	if !p.Can(model.PermProductManage) {
		return nil, forbidden()
	}
	pr := &model.Product{SKU: strings.TrimSpace(in.SKU), Name: strings.TrimSpace(in.Name), Brand: strings.TrimSpace(in.Brand),
		Category: strings.TrimSpace(in.Category), WarrantyMonths: in.WarrantyMonths}
	var bad []*model.Error
	switch {
	case pr.SKU == "":
		bad = append(bad, model.FieldError("sku", "Enter the product's code (SKU)."))
	case len(pr.SKU) > maxSKU:
		bad = append(bad, model.FieldError("sku", "The product code (SKU) is too long: keep it to %d characters or fewer.", maxSKU))
	}
	if err := model.Invalid(append(bad, checkProduct(pr)...)); err != nil {
		return nil, err
	}
	var policy *model.WarrantyPolicy
	if in.Coverage != nil {
		policy = &model.WarrantyPolicy{Months: in.WarrantyMonths, CoversParts: in.Coverage.Parts,
			CoversLabour: in.Coverage.Labour, CoversShipping: in.Coverage.Shipping}
	}
	if err := s.store.CreateProduct(ctx, pr, policy); err != nil {
		return nil, err
	}
	return pr, nil
}

// Limits of a product model's fields (the forms' maxlength).
const (
	maxSKU           = 64
	maxProductName   = 200
	maxBrand         = 100
	maxCategory      = 100
	maxWarrantyMonth = 240
	maxSerial        = 64
)

// checkProduct reports every invalid field of pr besides its SKU (which
// an edit cannot change), each with a sentence of its own.
func checkProduct(pr *model.Product) []*model.Error {
	var bad []*model.Error
	switch {
	case pr.Name == "":
		bad = append(bad, model.FieldError("name", "Enter the product's name."))
	case utf8.RuneCountInString(pr.Name) > maxProductName:
		bad = append(bad, model.FieldError("name", "The product's name is too long: keep it to %d characters or fewer.", maxProductName))
	}
	if utf8.RuneCountInString(pr.Brand) > maxBrand {
		bad = append(bad, model.FieldError("brand", "The brand is too long: keep it to %d characters or fewer.", maxBrand))
	}
	if utf8.RuneCountInString(pr.Category) > maxCategory {
		bad = append(bad, model.FieldError("category", "The product category is too long: keep it to %d characters or fewer.", maxCategory))
	}
	if pr.WarrantyMonths < 0 || pr.WarrantyMonths > maxWarrantyMonth {
		bad = append(bad, WarrantyMonthsError())
	}
	return bad
}

// WarrantyMonthsError is the refusal of a warranty that is not a whole
// number of months from 0 to 240 (the forms say it of text that is no
// number at all, too).
func WarrantyMonthsError() *model.Error {
	return model.FieldError("warranty_months", "Enter the warranty as a number of months from 0 to %d.", maxWarrantyMonth)
}

// UnitInput is a new serial-numbered unit.
type UnitInput struct {
	Serial, SKU string
	CustomerID  int64
	PurchasedAt string // YYYY-MM-DD
	// DeliveredAt (YYYY-MM-DD, optional) starts the return window.
	DeliveredAt string
	Channel     string
	OrderRef    string
}

// CreateUnit registers a unit sold to a customer (model.PermUnitCreate):
// its purchase date decides the warranty, so technicians may not.
func (s *Service) CreateUnit(ctx context.Context, p model.Principal, in UnitInput) (*model.Unit, error) {
	if !p.IsStaff() || !p.Can(model.PermUnitCreate) {
		return nil, forbidden()
	}
	u := &model.Unit{Serial: strings.TrimSpace(in.Serial), SKU: strings.TrimSpace(in.SKU), CustomerID: in.CustomerID,
		Channel: strings.TrimSpace(in.Channel), OrderRef: strings.TrimSpace(in.OrderRef)}
	var bad []*model.Error
	switch {
	case u.Serial == "":
		bad = append(bad, model.FieldError("serial", "Enter the serial number printed on the product."))
	case len(u.Serial) > maxSerial:
		bad = append(bad, model.FieldError("serial", "The serial number is too long: keep it to %d characters or fewer.", maxSerial))
	}
	if u.SKU == "" {
		bad = append(bad, model.FieldError("sku", "Choose the product model."))
	}
	if u.CustomerID <= 0 {
		bad = append(bad, model.FieldError("customer_id", "Choose the customer who bought the product."))
	}
	today := s.today()
	d, err := time.Parse(time.DateOnly, in.PurchasedAt)
	switch {
	case err != nil:
		bad = append(bad, model.FieldError("purchased_at", "Enter the purchase date, such as 2026-03-01."))
	case d.After(today):
		bad = append(bad, model.FieldError("purchased_at", "The purchase date cannot be in the future."))
	}
	u.PurchasedAt = d
	if in.DeliveredAt != "" {
		dd, derr := time.Parse(time.DateOnly, in.DeliveredAt)
		switch {
		case derr != nil:
			bad = append(bad, model.FieldError("delivered_at", "Enter the delivery date, such as 2026-03-01."))
		case err == nil && dd.Before(d):
			bad = append(bad, model.FieldError("delivered_at", "The delivery date cannot be before the purchase date."))
		case dd.After(today):
			bad = append(bad, model.FieldError("delivered_at", "The delivery date cannot be in the future."))
		}
		u.DeliveredAt = &dd
	}
	if err := model.Invalid(bad); err != nil {
		return nil, err
	}
	if err := s.store.CreateUnit(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// today is the current date in the store's time zone, as midnight UTC
// (how dates are kept).
func (s *Service) today() time.Time {
	y, m, d := s.now().In(s.store.Location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Entitlement answers whether a unit is under warranty today, by its
// base warranty or an extended-warranty plan sold on it. The warranty
// runs from the purchase date for the policy's months; its last day
// (inclusive) is the day before the same date that many months later
// (purchased 2026-03-01 with 12 months → ends 2027-02-28). Plans follow
// (see PlanDates). Dates are in the store's time zone. Customers may
// check only their own units; an unknown serial is ENOTFOUND.
func (s *Service) Entitlement(ctx context.Context, p model.Principal, serial string) (*model.Entitlement, error) {
	u, err := s.store.UnitBySerial(ctx, serial)
	if err != nil {
		return nil, err
	}
	if p.IsCustomer() && u.CustomerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "unit not found")
	}
	pol, err := s.store.WarrantyPolicy(ctx, u.ProductID)
	if err != nil {
		return nil, err
	}
	plans, err := s.store.UnitPlans(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	return EntitleWithPlans(u, pol, plans, s.today()), nil
}

// Entitle computes the entitlement of unit u under policy pol alone on
// date today (all dates as midnight UTC).
func Entitle(u *model.Unit, pol *model.WarrantyPolicy, today time.Time) *model.Entitlement {
	return EntitleWithPlans(u, pol, nil, today)
}

// EntitleWithPlans computes the entitlement of unit u under policy pol and
// the plans sold on it, on date today. The base warranty answers while it
// lasts; then the plan whose dates hold today; in_warranty is true while
// either covers, and covers lists what today's cover pays for.
// CoveredUntil is the last day anything covers.
func EntitleWithPlans(u *model.Unit, pol *model.WarrantyPolicy, plans []model.UnitPlan, today time.Time) *model.Entitlement {
	end := BaseEnd(u, pol)
	e := &model.Entitlement{Serial: u.Serial, WarrantyEndsAt: end, Source: model.SourceNone, CoveredUntil: end,
		Plans: []model.PlanCover{}}
	if pol.Months > 0 && !today.After(end) {
		e.InWarranty, e.Source = true, model.SourceBase
		e.Covers = model.Coverage{Parts: pol.CoversParts, Labour: pol.CoversLabour, Shipping: pol.CoversShipping}
	}
	for _, p := range plans {
		active := !today.Before(p.StartsOn) && !today.After(p.EndsOn)
		e.Plans = append(e.Plans, model.PlanCover{Code: p.PlanCode, Name: p.PlanName, StartsOn: p.StartsOn, EndsOn: p.EndsOn,
			Active: active, Covers: p.Covers})
		if p.EndsOn.After(e.CoveredUntil) {
			e.CoveredUntil = p.EndsOn
		}
		if active && e.Source == model.SourceNone {
			e.InWarranty, e.Source, e.Covers = true, model.SourcePlan, p.Covers
		}
	}
	return e
}

// BaseEnd is the last day (inclusive) of a unit's base warranty: the day
// before its purchase date plus the policy's months.
func BaseEnd(u *model.Unit, pol *model.WarrantyPolicy) time.Time {
	return AddMonths(u.PurchasedAt, pol.Months).AddDate(0, 0, -1)
}

// AddMonths adds n calendar months to date d, clamping to the last day of
// the target month (Jan 31 + 1 month = Feb 28/29), unlike time.AddDate,
// which would overflow into March.
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, d.Location())
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, d.Location())
}
