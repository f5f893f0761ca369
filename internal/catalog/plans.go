package catalog

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// planCodePattern is what a plan code may look like.
var planCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// PlanInput is a new extended-warranty plan; Price is in minor units of
// the installation's currency.
type PlanInput struct {
	Code, Name string
	Months     int
	Price      int64
	Covers     model.Coverage
}

// CreatePlan adds an extended-warranty plan (model.PermPlanManage),
// recorded in the audit log.
func (s *Service) CreatePlan(ctx context.Context, p model.Principal, in PlanInput) (*model.WarrantyPlan, error) {
	if !p.IsStaff() || !p.Can(model.PermPlanManage) {
		return nil, forbidden()
	}
	pl := &model.WarrantyPlan{Code: strings.TrimSpace(in.Code), Name: strings.TrimSpace(in.Name), Months: in.Months,
		Price: in.Price, Currency: s.currency, Covers: in.Covers}
	switch {
	case !planCodePattern.MatchString(pl.Code):
		return nil, model.FieldError("code", "must be 1 to 32 letters, digits, - or _")
	case pl.Name == "":
		return nil, model.FieldError("name", "is required")
	case utf8.RuneCountInString(pl.Name) > 200:
		return nil, model.FieldError("name", "must be at most %d characters", 200)
	case pl.Months < 1 || pl.Months > 120:
		return nil, model.FieldError("months", "must be between 1 and 120")
	case pl.Price < 0:
		return nil, model.FieldError("price", "must not be negative")
	case !pl.Covers.Parts && !pl.Covers.Labour && !pl.Covers.Shipping:
		return nil, model.FieldError("covers", "a plan must cover parts, labour or shipping")
	}
	rec := model.Audit(ctx, p, model.AuditPlanCreated, "", model.Money{Amount: pl.Price, Currency: pl.Currency}.String())
	if err := s.store.CreatePlan(ctx, pl, rec); err != nil {
		return nil, err
	}
	return pl, nil
}

// Plans lists the plans on offer (model.PermProductRead).
func (s *Service) Plans(ctx context.Context, p model.Principal) ([]model.WarrantyPlan, error) {
	if !p.IsStaff() || !p.Can(model.PermProductRead) {
		return nil, forbidden()
	}
	return s.store.ListPlans(ctx)
}

// SellInput is a plan sold on a unit.
type SellInput struct {
	PlanCode string
	SoldAt   string // YYYY-MM-DD; default today
	// Price paid in minor units; nil: the plan's list price.
	Price *int64
	// Centre is the code of the centre that sold it (revenue per centre);
	// default the seller's own centre, if any.
	Centre string
}

// PlanDates dates a plan of months sold on soldAt after a cover that ends
// on coverEnd (inclusive): it starts the day after coverEnd, or on soldAt
// if that is later, and ends the day before the same date months later
// (month ends clamp as in AddMonths). All dates are midnight UTC.
func PlanDates(coverEnd, soldAt time.Time, months int) (start, end time.Time) {
	start = coverEnd.AddDate(0, 0, 1)
	if soldAt.After(start) {
		start = soldAt
	}
	return start, AddMonths(start, months).AddDate(0, 0, -1)
}

// SellPlan sells a plan on the unit with serial (model.PermPlanSell). The
// plan follows on from the base warranty or the last plan already sold on
// the unit (PlanDates); the sale keeps its price, dates and coverage, so
// the entitlement and the revenue report read it as sold.
func (s *Service) SellPlan(ctx context.Context, p model.Principal, serial string, in SellInput) (*model.UnitPlan, error) {
	if !p.IsStaff() || !p.Can(model.PermPlanSell) {
		return nil, forbidden()
	}
	u, err := s.store.UnitBySerial(ctx, serial)
	if err != nil {
		return nil, err
	}
	plan, err := s.store.PlanByCode(ctx, in.PlanCode)
	if model.IsNotFound(err) {
		return nil, model.FieldError("plan_code", "There is no extended-warranty plan with the code “%s”; choose one of the plans.", strings.TrimSpace(in.PlanCode))
	} else if err != nil {
		return nil, err
	}
	if !plan.Active {
		return nil, model.Conflict("plan_code", "plan %s is no longer sold", plan.Code)
	}
	today := s.today()
	soldAt := today
	if in.SoldAt != "" {
		if soldAt, err = time.Parse(time.DateOnly, in.SoldAt); err != nil {
			return nil, model.FieldError("sold_at", "The date of sale must be a date such as 2026-03-01.")
		}
	}
	switch {
	case soldAt.After(today):
		return nil, model.FieldError("sold_at", "The date of sale cannot be in the future.")
	case soldAt.Before(u.PurchasedAt):
		return nil, model.FieldError("sold_at", "must not be before the purchase date")
	}
	sale := &model.UnitPlan{UnitID: u.ID, PlanID: plan.ID, PlanCode: plan.Code, PlanName: plan.Name, SoldAt: soldAt,
		Months: plan.Months, Price: plan.Price, Currency: plan.Currency, Covers: plan.Covers, SoldByKind: p.Kind, SoldBy: p.Name}
	if in.Price != nil {
		if *in.Price < 0 {
			return nil, model.FieldError("price", "must not be negative")
		}
		sale.Price = *in.Price
	}
	if p.ID != 0 {
		id := p.ID
		sale.SoldByID = &id
	}
	if code := strings.TrimSpace(in.Centre); code != "" {
		c, err := s.store.CentreByCode(ctx, code)
		if model.IsNotFound(err) {
			return nil, model.FieldError("centre", "There is no service centre with the code “%s”; choose one of the centres.", code)
		} else if err != nil {
			return nil, err
		}
		sale.CentreID = &c.ID
	} else if p.CentreID != 0 {
		id := p.CentreID
		sale.CentreID = &id
	}
	pol, err := s.store.WarrantyPolicy(ctx, u.ProductID)
	if err != nil {
		return nil, err
	}
	err = s.store.SellPlan(ctx, u.ID, sale, func(sold []model.UnitPlan) error {
		end := BaseEnd(u, pol)
		for _, x := range sold {
			if x.EndsOn.After(end) {
				end = x.EndsOn
			}
		}
		sale.StartsOn, sale.EndsOn = PlanDates(end, soldAt, plan.Months)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sale, nil
}
