// Package repair runs repair orders: a request's device goes through a
// fixed stage machine (awaiting_device … completed, cancelled) at one
// service centre; the technician records its condition and fault codes,
// writes a quote whose lines the warranty or an extended-warranty plan
// may cover, the customer (or staff on their behalf) approves or declines
// what is left to pay, parts are reserved, consumed and released through
// the stock ledger, and every step lands on the request's timeline and
// the repair.stage_changed webhook event, all in one transaction per
// step.
package repair

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/store"
)

// Service is the repair domain logic over the store.
type Service struct {
	store    *store.Store
	catalog  *catalog.Service
	network  *network.Service
	now      func() time.Time
	currency string
}

// NewService returns a repair service whose money is in currency (the
// --currency setting); net books the appointments of repair requests.
func NewService(st *store.Store, cat *catalog.Service, net *network.Service, now func() time.Time, currency string) *Service {
	if now == nil {
		now = time.Now
	}
	if currency == "" {
		currency = "CNY"
	}
	return &Service{store: st, catalog: cat, network: net, now: now, currency: currency}
}

// Currency is the currency of every amount.
func (s *Service) Currency() string { return s.currency }

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// OpenInput is a repair order to open for a request.
type OpenInput struct {
	Mode   model.RepairMode
	Centre string // centre code
}

// Open opens the repair order of the request with number
// (model.PermRepairOpen): at a centre that repairs the unit's category, by
// mail-in, in store or on site. Customers open repairs for their own
// requests; technicians and centre managers at their own centre. A
// closed or cancelled request, or one with a repair already, is
// ECONFLICT.
func (s *Service) Open(ctx context.Context, p model.Principal, number string, in OpenInput) (*model.Repair, error) {
	if !p.Can(model.PermRepairOpen) {
		return nil, forbidden()
	}
	if !in.Mode.Valid() {
		return nil, model.FieldError("mode", "must be mail_in, in_store or on_site")
	}
	if strings.TrimSpace(in.Centre) == "" {
		return nil, model.FieldError("centre", "is required")
	}
	c, err := s.store.CentreByCode(ctx, in.Centre)
	if model.IsNotFound(err) {
		return nil, model.FieldError("centre", "There is no service centre with the code “%s”; choose one of the centres.", in.Centre)
	} else if err != nil {
		return nil, err
	}
	if !c.Active {
		return nil, model.FieldError("centre", "this service centre is closed")
	}
	if p.IsStaff() && p.CentreID != 0 && !p.AtCentre(c.ID) && !isLead(p) {
		return nil, model.Errorf(model.EFORBIDDEN, "you may work on repairs of your own centre only")
	}
	r, err := s.store.RequestByNumber(ctx, strings.TrimSpace(number))
	if err != nil {
		return nil, err
	}
	if p.IsCustomer() && r.CustomerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "request not found")
	}
	if r.Serial != "" {
		u, err := s.store.UnitBySerial(ctx, r.Serial)
		if err != nil {
			return nil, err
		}
		prod, err := s.store.ProductBySKU(ctx, u.SKU)
		if err != nil {
			return nil, err
		}
		if prod.Category != "" && !c.Repairs(prod.Category) {
			return nil, model.FieldError("centre", "centre %s does not repair %s", c.Code, prod.Category)
		}
	}
	rp := &model.Repair{CentreID: c.ID, CentreCode: c.Code, Mode: in.Mode, Currency: s.currency}
	check := func(r *model.Request) error {
		if r.Status == model.StatusClosed || r.Status == model.StatusCancelled {
			return model.Conflict("number", "request %s is %s", r.Number, r.Status)
		}
		return nil
	}
	if err := s.store.CreateRepair(ctx, rp, r.Number, p, check); err != nil {
		return nil, err
	}
	return s.store.RepairByID(ctx, rp.ID)
}

// isLead reports whether p is an admin or a manager (who work on every
// centre's repairs).
func isLead(p model.Principal) bool {
	return p.IsStaff() && (p.Role == model.RoleAdmin || p.Role == model.RoleManager)
}

// Get returns a repair (model.PermRepairRead); customers see their own
// only (another's is ENOTFOUND, as if it did not exist).
func (s *Service) Get(ctx context.Context, p model.Principal, id int64) (*model.Repair, error) {
	if !p.Can(model.PermRepairRead) {
		return nil, forbidden()
	}
	rp, err := s.store.RepairByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.IsCustomer() && rp.CustomerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "repair not found")
	}
	return rp, nil
}

// ForRequest returns the repair of a request, nil when it has none; the
// caller has checked that p may read the request.
func (s *Service) ForRequest(ctx context.Context, requestID int64) (*model.Repair, error) {
	rp, err := s.store.RepairByRequest(ctx, requestID)
	if model.IsNotFound(err) {
		return nil, nil
	}
	return rp, err
}

// List returns repairs for the staff pages (model.PermRepairRead):
// technicians and centre managers see their centre's.
func (s *Service) List(ctx context.Context, p model.Principal, f store.RepairFilter) ([]model.Repair, error) {
	if !p.IsStaff() || !p.Can(model.PermRepairRead) {
		return nil, forbidden()
	}
	if p.CentreID != 0 && !isLead(p) {
		f.CentreID = p.CentreID
	}
	return s.store.ListRepairs(ctx, f)
}

// mayWork says whether p may do the bench's work on repair rp — quote,
// reserve parts (model.PermRepairWork): admins and managers anywhere,
// technicians and centre managers at their own centre (or anywhere, when
// attached to none).
func mayWork(p model.Principal, rp *model.Repair) error {
	if !p.IsStaff() || !p.Can(model.PermRepairWork) {
		return forbidden()
	}
	return atCentre(p, rp)
}

func atCentre(p model.Principal, rp *model.Repair) error {
	if !isLead(p) && p.CentreID != 0 && p.CentreID != rp.CentreID {
		return model.Errorf(model.EFORBIDDEN, "you may work on repairs of your own centre only")
	}
	return nil
}

// DeskStages are the steps the service desk takes (model.PermRepairStep
// without model.PermRepairWork): taking the device in, sending it back,
// closing and cancelling the repair.
func DeskStages() []model.RepairStage {
	return []model.RepairStage{model.StageReceived, model.StageReturned, model.StageCompleted, model.StageCancelled}
}

// mayStep says whether p may move repair rp to stage to
// (model.PermRepairStep): the bench's roles any step at their centre,
// the desk the DeskStages.
func mayStep(p model.Principal, rp *model.Repair, to model.RepairStage) error {
	if !p.IsStaff() || !p.Can(model.PermRepairStep) {
		return forbidden()
	}
	if !p.Can(model.PermRepairWork) && !slices.Contains(DeskStages(), to) {
		return model.Errorf(model.EFORBIDDEN, "the service desk takes devices in, sends them back, completes and cancels repairs; the centre does the rest")
	}
	return atCentre(p, rp)
}

// NextStages lists the stages p may move rp to now, for the pages'
// buttons.
func NextStages(p model.Principal, rp *model.Repair) []model.RepairStage {
	var out []model.RepairStage
	for _, st := range model.NextStages(rp.Stage) {
		if mayStep(p, rp, st) == nil {
			out = append(out, st)
		}
	}
	return out
}

// StepInput is a move of a repair to another stage, with what the step
// records.
type StepInput struct {
	Stage       model.RepairStage
	Note        string
	Condition   string   // received: the device's condition
	Accessories string   // received: what came with it
	FaultCodes  []string // diagnosing or later: the category's fault codes found
	Carrier     string   // returned: who carries it back
	TrackingNo  string
	TestPassed  *bool // testing → ready needs a pass; a fail goes back to repairing
}

const maxText = 1000

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)

// Step moves a repair to another stage (model.PermRepairStep; see
// mayStep). A step the
// workflow forbids is ECONFLICT and changes nothing: repairing needs a
// quote that is free or approved, and after waiting for parts reserves
// the part waited for; testing consumes the reserved parts;
// cancelling releases them; a mail-in repair is returned with a carrier
// and tracking number.
func (s *Service) Step(ctx context.Context, p model.Principal, id int64, in StepInput) (*model.Repair, error) {
	if !in.Stage.Valid() {
		return nil, model.FieldError("stage", "unknown stage %q", string(in.Stage))
	}
	for field, v := range map[string]string{"note": in.Note, "condition": in.Condition, "accessories": in.Accessories,
		"carrier": in.Carrier, "tracking_no": in.TrackingNo} {
		if utf8.RuneCountInString(v) > maxText {
			return nil, model.FieldError(field, "must be at most %d characters", maxText)
		}
	}
	var known []model.FaultCode
	if len(in.FaultCodes) > 0 {
		if len(in.FaultCodes) > 20 {
			return nil, model.FieldError("fault_codes", "at most %d fault codes", 20)
		}
		var err error
		if known, err = s.store.FaultCodes(ctx, ""); err != nil {
			return nil, err
		}
	}
	return s.store.UpdateRepair(ctx, id, p, func(rp *model.Repair) (*store.RepairChange, error) {
		if err := mayStep(p, rp, in.Stage); err != nil {
			return nil, err
		}
		from := rp.Stage
		ch := &store.RepairChange{From: from, Note: strings.TrimSpace(in.Note)}
		if !model.CanStep(from, in.Stage) {
			return nil, model.Conflict("stage", "cannot move a repair from %s to %s", from, in.Stage)
		}
		if in.Stage == model.StageRepairing {
			switch rp.Approval {
			case model.ApprovalNone:
				return nil, model.Conflict("stage", "the repair has no quote yet")
			case model.ApprovalPending:
				return nil, model.Conflict("stage", "the quote is waiting for the customer's approval")
			case model.ApprovalDeclined:
				return nil, model.Conflict("stage", "the customer declined the quote")
			}
		}
		if len(in.FaultCodes) > 0 {
			if slices.Contains([]model.RepairStage{model.StageAwaitingDevice, model.StageReceived}, in.Stage) {
				return nil, model.FieldError("fault_codes", "fault codes are recorded from diagnosing on")
			}
			codes, err := checkFaults(in.FaultCodes, rp.Category, known)
			if err != nil {
				return nil, err
			}
			rp.FaultCodes, ch.FaultsSet = codes, true
		}
		switch in.Stage {
		case model.StageReceived:
			rp.Condition, rp.Accessories = strings.TrimSpace(in.Condition), strings.TrimSpace(in.Accessories)
		case model.StageTesting:
			ch.ConsumeAll = true
		case model.StageReady:
			if in.TestPassed != nil && !*in.TestPassed {
				return nil, model.Conflict("test_passed", "a failed test sends the repair back to repairing")
			}
		case model.StageReturned:
			rp.Carrier, rp.TrackingNo = strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNo)
			if rp.Mode == model.ModeMailIn && rp.Carrier == "" {
				return nil, model.FieldError("carrier", "a mail-in repair goes back with a carrier and tracking number")
			}
			if rp.Mode == model.ModeMailIn && rp.TrackingNo == "" {
				return nil, model.FieldError("tracking_no", "a mail-in repair goes back with a carrier and tracking number")
			}
		case model.StageCancelled:
			ch.ReleaseAll = true
		case model.StageDiagnosing:
			if from == model.StageQuoted {
				rp.Approval, rp.QuoteTotal, ch.Lines = model.ApprovalNone, 0, []model.QuoteLine{}
			}
		}
		if from == model.StageWaitingParts && rp.WaitingPartID != nil {
			// Resuming reserves the part waited for (409 while the centre
			// is still short); cancelling forgets it.
			if in.Stage == model.StageRepairing {
				ch.Reserve = &model.RepairPart{PartID: *rp.WaitingPartID, Reserved: rp.WaitingQuantity}
			}
			rp.WaitingPartID, rp.WaitingQuantity = nil, 0
		}
		if from == model.StageTesting && in.Stage == model.StageRepairing && ch.Note == "" {
			ch.Note = "test failed"
		}
		rp.Stage = in.Stage
		return ch, nil
	})
}

// checkFaults normalises fault codes and checks them against the
// category's list (any known code when the unit has no category).
func checkFaults(codes []string, category string, known []model.FaultCode) ([]string, error) {
	var out []string
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if !codePattern.MatchString(c) {
			return nil, model.FieldError("fault_codes", "%q is not a fault code", c)
		}
		ok := slices.ContainsFunc(known, func(f model.FaultCode) bool {
			return f.Code == c && (category == "" || f.Category == category)
		})
		if !ok {
			return nil, model.FieldError("fault_codes", "%q is not a fault code of %s", c, category)
		}
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}
