package repair

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// PolicyInput is a category's return and exchange policy.
type PolicyInput struct {
	ReturnDays, ExchangeDays int
	OutsideWindow            string // reject or review
}

// PutReturnPolicy sets the policy of a product category
// (model.PermReturnPolicy).
func (s *Service) PutReturnPolicy(ctx context.Context, p model.Principal, category string, in PolicyInput) (*model.ReturnPolicy, error) {
	if !p.Can(model.PermReturnPolicy) {
		return nil, forbidden()
	}
	category = strings.TrimSpace(category)
	switch {
	case category == "" || utf8.RuneCountInString(category) > 64:
		return nil, model.FieldError("category", "is required (at most 64 characters)")
	case in.ReturnDays < 0 || in.ReturnDays > 365:
		return nil, model.FieldError("return_days", "must be between 0 and 365")
	case in.ExchangeDays < 0 || in.ExchangeDays > 365:
		return nil, model.FieldError("exchange_days", "must be between 0 and 365")
	case in.OutsideWindow != model.OutsideReject && in.OutsideWindow != model.OutsideReview:
		return nil, model.FieldError("outside_window", "must be reject or review")
	}
	pol := model.ReturnPolicy{Category: category, ReturnDays: in.ReturnDays, ExchangeDays: in.ExchangeDays, OutsideWindow: in.OutsideWindow}
	audit := model.Audit(ctx, p, model.AuditReturnPolicySet, "", policyText(pol))
	if err := s.store.PutReturnPolicy(ctx, pol, audit); err != nil {
		return nil, err
	}
	return &pol, nil
}

func policyText(p model.ReturnPolicy) string {
	return "return " + strconv.Itoa(p.ReturnDays) + " days, exchange " + strconv.Itoa(p.ExchangeDays) + " days, outside: " + p.OutsideWindow
}

// ReturnPolicy returns a category's policy, the default when none is
// recorded (staff).
func (s *Service) ReturnPolicy(ctx context.Context, p model.Principal, category string) (model.ReturnPolicy, error) {
	if !p.IsStaff() {
		return model.ReturnPolicy{}, forbidden()
	}
	return s.store.ReturnPolicy(ctx, strings.TrimSpace(category))
}

// ReturnPolicies lists the recorded policies (staff).
func (s *Service) ReturnPolicies(ctx context.Context, p model.Principal) ([]model.ReturnPolicy, error) {
	if !p.IsStaff() {
		return nil, forbidden()
	}
	return s.store.ReturnPolicies(ctx)
}

// WindowEnd is the last day of a window of days calendar days counted
// from the day after start: delivered on the 1st, a 7-day window ends on
// the 8th.
func WindowEnd(start time.Time, days int) time.Time { return start.AddDate(0, 0, days) }

// ReturnInput is a customer's ask for a return or an exchange.
type ReturnInput struct {
	Kind   model.ReturnKind
	Reason string
}

// AskReturn records a return or exchange of the unit of the request with
// number (model.PermReturnOpen; customers for their own requests),
// decided at once by the category's policy (see decideReturn).
func (s *Service) AskReturn(ctx context.Context, p model.Principal, number string, in ReturnInput) (*model.Return, error) {
	if !p.Can(model.PermReturnOpen) {
		return nil, forbidden()
	}
	if err := checkReturnInput(&in); err != nil {
		return nil, err
	}
	r, err := s.store.RequestByNumber(ctx, strings.TrimSpace(number))
	if err != nil {
		return nil, err
	}
	if p.IsCustomer() && r.CustomerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "request not found")
	}
	if r.Serial == "" {
		return nil, model.Conflict("number", "request %s is about no unit", r.Number)
	}
	u, err := s.store.UnitBySerial(ctx, r.Serial)
	if err != nil {
		return nil, err
	}
	rt, err := s.decideReturn(ctx, u, in)
	if err != nil {
		return nil, err
	}
	err = s.store.CreateReturn(ctx, rt, r.Number, p, func(r *model.Request) error {
		if r.Status == model.StatusClosed || r.Status == model.StatusCancelled {
			return model.Conflict("number", "request %s is %s", r.Number, r.Status)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rt, nil
}

// decideReturn decides a return of unit u by its category's policy: inside
// the window (calendar days in the store's time zone from the day after
// the unit's delivery, else its purchase) it is approved; outside it is
// rejected with the window's end, or left for an agent's review when the
// policy says so.
func (s *Service) decideReturn(ctx context.Context, u *model.Unit, in ReturnInput) (*model.Return, error) {
	prod, err := s.store.ProductBySKU(ctx, u.SKU)
	if err != nil {
		return nil, err
	}
	pol, err := s.store.ReturnPolicy(ctx, prod.Category)
	if err != nil {
		return nil, err
	}
	start := u.PurchasedAt
	if u.DeliveredAt != nil {
		start = *u.DeliveredAt
	}
	days := pol.ReturnDays
	if in.Kind == model.ReturnExchange {
		days = pol.ExchangeDays
	}
	end := WindowEnd(start, days)
	y, m, d := s.now().In(s.store.Location()).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	rt := &model.Return{UnitID: u.ID, Serial: u.Serial, Kind: in.Kind, Reason: in.Reason, WindowEndsOn: end, Currency: s.currency}
	switch {
	case !today.After(end):
		rt.Decision, rt.Status = model.ReturnApproved, model.ReturnApproved
		rt.DecisionReason = "inside the window"
	case pol.OutsideWindow == model.OutsideReview:
		rt.Decision, rt.Status = model.ReturnReview, model.ReturnReview
		rt.DecisionReason = "outside the window: an agent will review it"
	default:
		rt.Decision, rt.Status = model.ReturnRejected, model.ReturnRejected
		rt.DecisionReason = "outside the window"
	}
	return rt, nil
}

// checkReturnInput validates what a customer asks.
func checkReturnInput(in *ReturnInput) error {
	if !in.Kind.Valid() {
		return model.FieldError("kind", "must be return or exchange")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if utf8.RuneCountInString(in.Reason) > maxText {
		return model.FieldError("reason", "must be at most %d characters", maxText)
	}
	return nil
}

// RequestReturn opens, for a customer (model.PermRequestOpen and
// model.PermReturnOpen), a return or exchange request for one of their
// units with subject, decided at once by the policy (see AskReturn): the
// request and its return are one transaction.
func (s *Service) RequestReturn(ctx context.Context, p model.Principal, serial, subject string, in ReturnInput) (*model.Request, *model.Return, error) {
	if !p.IsCustomer() || !p.Can(model.PermRequestOpen) || !p.Can(model.PermReturnOpen) {
		return nil, nil, forbidden()
	}
	if err := checkReturnInput(&in); err != nil {
		return nil, nil, err
	}
	serial, subject = strings.TrimSpace(serial), strings.TrimSpace(subject)
	if subject == "" || utf8.RuneCountInString(subject) > maxSubject {
		return nil, nil, model.FieldError("subject", "is required (at most %d characters)", maxSubject)
	}
	u, err := s.store.UnitBySerial(ctx, serial)
	if model.IsNotFound(err) || (err == nil && u.CustomerID != p.ID) {
		return nil, nil, model.FieldError("serial", "No registered product has the serial number “%s”; check the number, or register the product first.", serial)
	} else if err != nil {
		return nil, nil, err
	}
	rt, err := s.decideReturn(ctx, u, in)
	if err != nil {
		return nil, nil, err
	}
	typ := model.TypeReturn
	if in.Kind == model.ReturnExchange {
		typ = model.TypeExchange
	}
	id := p.ID
	r, err := s.store.CreateReturnRequest(ctx, store.NewRequest{Type: typ, Priority: model.PriorityNormal, Channel: model.ChannelWeb,
		Subject: subject, Description: in.Reason, CustomerID: p.ID, Serial: u.Serial},
		store.Actor{Kind: model.AuthorCustomer, ID: &id, Name: p.Name, Channel: model.ChannelWeb}, rt, p)
	if err != nil {
		return nil, nil, err
	}
	return r, rt, nil
}

// ListReturns lists returns for the staff pages (model.PermReturnHandle),
// most recently changed first; status "" lists all.
func (s *Service) ListReturns(ctx context.Context, p model.Principal, status string) ([]model.Return, error) {
	if !p.IsStaff() || !p.Can(model.PermReturnHandle) {
		return nil, forbidden()
	}
	return s.store.ListReturns(ctx, store.ReturnFilter{Status: status, Limit: 300})
}

// GetReturn returns a return; customers see their own only.
func (s *Service) GetReturn(ctx context.Context, p model.Principal, id int64) (*model.Return, error) {
	if !p.Can(model.PermReturnOpen) && !p.Can(model.PermReturnHandle) {
		return nil, forbidden()
	}
	rt, err := s.store.ReturnByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.IsCustomer() && rt.CustomerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "return not found")
	}
	return rt, nil
}

// ReturnForRequest returns the return of a request, nil when none.
func (s *Service) ReturnForRequest(ctx context.Context, requestID int64) (*model.Return, error) {
	rt, err := s.store.ReturnByRequest(ctx, requestID)
	if model.IsNotFound(err) {
		return nil, nil
	}
	return rt, err
}

// DecideReturn approves or rejects a return under review
// (model.PermReturnHandle).
func (s *Service) DecideReturn(ctx context.Context, p model.Principal, id int64, approved bool, reason string) (*model.Return, error) {
	if !p.IsStaff() || !p.Can(model.PermReturnHandle) {
		return nil, forbidden()
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > maxText {
		return nil, model.FieldError("reason", "must be at most %d characters", maxText)
	}
	return s.store.UpdateReturn(ctx, id, p, func(rt *model.Return) error {
		if rt.Status != model.ReturnReview {
			return model.Conflict("approved", "the return is not waiting for a review")
		}
		rt.Decision, rt.Status = model.ReturnRejected, model.ReturnRejected
		if approved {
			rt.Decision, rt.Status = model.ReturnApproved, model.ReturnApproved
		}
		rt.DecisionReason = "reviewed by " + p.Name
		if reason != "" {
			rt.DecisionReason += ": " + reason
		}
		return nil
	})
}

// ReturnStepInput is the next step of an approved return.
type ReturnStepInput struct {
	Status            string // received, inspected, refunded or replaced
	RefundAmount      int64  // refunded: minor units
	ReplacementSerial string // replaced: the new unit's serial
}

// StepReturn records receipt, inspection, and the refund or replacement
// of an approved return (model.PermReturnHandle); other steps are
// ECONFLICT.
func (s *Service) StepReturn(ctx context.Context, p model.Principal, id int64, in ReturnStepInput) (*model.Return, error) {
	if !p.IsStaff() || !p.Can(model.PermReturnHandle) {
		return nil, forbidden()
	}
	in.ReplacementSerial = strings.TrimSpace(in.ReplacementSerial)
	switch in.Status {
	case model.ReturnReceived, model.ReturnInspected:
	case model.ReturnRefunded:
		if in.RefundAmount <= 0 || in.RefundAmount > 100_000_000_00 {
			return nil, model.FieldError("refund_amount", "must be between 1 and 10000000000")
		}
	case model.ReturnReplaced:
		if in.ReplacementSerial == "" || utf8.RuneCountInString(in.ReplacementSerial) > 64 {
			return nil, model.FieldError("replacement_serial", "is required (at most 64 characters)")
		}
	default:
		return nil, model.FieldError("status", "must be received, inspected, refunded or replaced")
	}
	return s.store.UpdateReturn(ctx, id, p, func(rt *model.Return) error {
		if !model.CanReturnStep(rt.Status, in.Status) {
			return model.Conflict("status", "cannot move a return from %s to %s",
				model.Term{Key: "return.status.", Value: rt.Status}, model.Term{Key: "return.status.", Value: in.Status})
		}
		if in.Status == model.ReturnRefunded && rt.Kind != model.ReturnRefund {
			return model.Conflict("status", "an exchange is replaced, not refunded")
		}
		if in.Status == model.ReturnReplaced && rt.Kind != model.ReturnExchange {
			return model.Conflict("status", "a return is refunded, not replaced")
		}
		rt.Status = in.Status
		rt.RefundAmount, rt.ReplacementSerial = in.RefundAmount, in.ReplacementSerial
		return nil
	})
}
