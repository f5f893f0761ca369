package repair

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// LineInput is a quote line as written. UnitPrice may be left out for a
// part (the catalogue's price) and for labour with a Code of the labour
// price list.
type LineInput struct {
	Kind        model.QuoteLineKind
	PartNo      string
	Code        string // labour: an entry of the labour price list
	Description string
	Quantity    int64 // 0: 1
	UnitPrice   *int64
}

// MaxLines bounds a quote.
const MaxLines = 50

// Quote writes the repair's quote (model.PermRepairWork), replacing any
// earlier one, while diagnosing or while a quote waits. The unit's cover
// today (base warranty or an extended-warranty plan) zeroes the lines it
// pays for; fees are never covered. Nothing to pay moves the repair to
// quoted with no approval needed; otherwise to waiting_approval.
func (s *Service) Quote(ctx context.Context, p model.Principal, id int64, in []LineInput) (*model.Repair, error) {
	if len(in) == 0 {
		return nil, model.FieldError("lines", "a quote needs at least one line")
	}
	if len(in) > MaxLines {
		return nil, model.FieldError("lines", "at most %d lines", MaxLines)
	}
	cur, err := s.store.RepairByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := mayWork(p, cur); err != nil {
		return nil, err
	}
	lines := make([]model.QuoteLine, len(in))
	for i, l := range in {
		if lines[i], err = s.line(ctx, i, l, cur.Category); err != nil {
			return nil, err
		}
	}
	cover := model.Coverage{}
	source := model.SourceNone
	if cur.Serial != "" {
		e, err := s.catalog.Entitlement(ctx, p, cur.Serial)
		if err != nil {
			return nil, err
		}
		if e.InWarranty {
			cover, source = e.Covers, e.Source
		}
	}
	var total int64
	for i := range lines {
		l := &lines[i]
		l.Covered = l.Kind.CoveredBy(cover)
		if !l.Covered {
			l.Amount = l.Quantity * l.UnitPrice
		}
		total += l.Amount
	}
	return s.store.UpdateRepair(ctx, id, p, func(rp *model.Repair) (*store.RepairChange, error) {
		if err := mayWork(p, rp); err != nil {
			return nil, err
		}
		switch rp.Stage {
		case model.StageDiagnosing, model.StageQuoted, model.StageWaitingApproval:
		default:
			return nil, model.Conflict("stage", "a quote is written while diagnosing, not at %s", rp.Stage)
		}
		if rp.Stage == model.StageQuoted && rp.Approval == model.ApprovalApproved {
			return nil, model.Conflict("stage", "the customer approved the quote already")
		}
		ch := &store.RepairChange{From: rp.Stage, Lines: lines}
		rp.QuoteTotal, rp.CoverageSource = total, source
		rp.ApprovalBy, rp.ApprovalByKind, rp.ApprovalAt = "", "", nil
		if total == 0 {
			rp.Approval, rp.Stage = model.ApprovalNotNeeded, model.StageQuoted
			ch.Note = "nothing to pay (" + source + ")"
		} else {
			rp.Approval, rp.Stage = model.ApprovalPending, model.StageWaitingApproval
			ch.Note = "to pay: " + model.Money{Amount: total, Currency: rp.Currency}.String()
		}
		return ch, nil
	})
}

// line checks one quote line and fills its price.
func (s *Service) line(ctx context.Context, i int, in LineInput, category string) (model.QuoteLine, error) {
	field := func(name string) string { return fmt.Sprintf("lines[%d].%s", i, name) }
	l := model.QuoteLine{Kind: in.Kind, Description: strings.TrimSpace(in.Description), Quantity: in.Quantity}
	if !l.Kind.Valid() {
		return l, model.FieldError(field("kind"), "must be part, labour, shipping or fee")
	}
	if l.Quantity == 0 {
		l.Quantity = 1
	}
	if l.Quantity < 0 || l.Quantity > 1000 {
		return l, model.FieldError(field("quantity"), "must be between 1 and 1000")
	}
	if utf8.RuneCountInString(l.Description) > 200 {
		return l, model.FieldError(field("description"), "must be at most %d characters", 200)
	}
	var listPrice *int64
	switch {
	case l.Kind == model.LinePart:
		if strings.TrimSpace(in.PartNo) == "" {
			return l, model.FieldError(field("part_no"), "is required for a part")
		}
		part, err := s.store.PartByNo(ctx, strings.TrimSpace(in.PartNo))
		if model.IsNotFound(err) {
			return l, model.FieldError(field("part_no"), "There is no spare part with the number “%s”; check the part number.", strings.TrimSpace(in.PartNo))
		} else if err != nil {
			return l, err
		}
		l.PartID, l.PartNo, listPrice = &part.ID, part.PartNo, &part.Price
		if l.Description == "" {
			l.Description = part.Name
		}
	case l.Kind == model.LineLabour && strings.TrimSpace(in.Code) != "":
		lp, err := s.store.LabourPrice(ctx, strings.TrimSpace(in.Code), category)
		if model.IsNotFound(err) {
			return l, model.FieldError(field("code"), "There is no labour price with the code “%s”; choose one of the labour prices.", strings.TrimSpace(in.Code))
		} else if err != nil {
			return l, err
		}
		listPrice = &lp.Price
		if l.Description == "" {
			l.Description = lp.Name
		}
	}
	switch {
	case in.UnitPrice != nil:
		l.UnitPrice = *in.UnitPrice
	case listPrice != nil:
		l.UnitPrice = *listPrice
	default:
		return l, model.FieldError(field("unit_price"), "is required")
	}
	if l.UnitPrice < 0 || l.UnitPrice > 100_000_000_00 {
		return l, model.FieldError(field("unit_price"), "must be between 0 and 10000000000")
	}
	if l.Description == "" {
		return l, model.FieldError(field("description"), "is required")
	}
	return l, nil
}

// Answer records the customer's answer to a waiting quote
// (model.PermRepairApprove): by the customer for their own repair, or by
// staff on the customer's behalf, recorded as such. Approved, the repair
// moves to quoted and may be repaired; declined, it releases its parts
// and goes to ready to be sent back unrepaired, charging the inspection
// fee when the labour price list has one for the category.
func (s *Service) Answer(ctx context.Context, p model.Principal, id int64, approved bool, note string) (*model.Repair, error) {
	if !p.Can(model.PermRepairApprove) {
		return nil, forbidden()
	}
	if utf8.RuneCountInString(note) > maxText {
		return nil, model.FieldError("note", "must be at most %d characters", maxText)
	}
	cur, err := s.store.RepairByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.IsCustomer() && cur.CustomerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "repair not found")
	}
	var fee int64
	if lp, err := s.store.LabourPrice(ctx, model.InspectionCode, cur.Category); err == nil {
		fee = lp.Price
	} else if !model.IsNotFound(err) {
		return nil, err
	}
	return s.store.UpdateRepair(ctx, id, p, func(rp *model.Repair) (*store.RepairChange, error) {
		if rp.Stage != model.StageWaitingApproval || rp.Approval != model.ApprovalPending {
			return nil, model.Conflict("approved", "there is no quote waiting for approval")
		}
		ch := &store.RepairChange{From: rp.Stage}
		now := s.now().UTC()
		rp.ApprovalAt, rp.ApprovalBy, rp.ApprovalByKind = &now, p.Name, string(p.Kind)
		who := "the customer"
		if p.IsStaff() {
			who = p.Name + " on the customer's behalf"
		}
		if approved {
			rp.Approval, rp.Stage = model.ApprovalApproved, model.StageQuoted
			ch.Note = "quote approved by " + who
		} else {
			rp.Approval, rp.Stage, rp.InspectionFee = model.ApprovalDeclined, model.StageReady, fee
			ch.ReleaseAll = true
			ch.Note = "quote declined by " + who
		}
		if n := strings.TrimSpace(note); n != "" {
			ch.Note += ": " + n
		}
		return ch, nil
	})
}

// ReservePart sets units of a part aside for the repair at its centre
// (model.PermRepairWork), from diagnosing until testing. Fewer available
// than asked is ECONFLICT and reserves nothing — unless wait is set and
// the repair may wait for parts (it is quoted or repairing): then it
// moves to waiting_parts, remembers the part, and the centre's reorder
// alerts list it until the repair resumes (Step to repairing reserves
// it then).
func (s *Service) ReservePart(ctx context.Context, p model.Principal, id int64, partNo string, quantity int64, wait bool) (*model.Repair, error) {
	if quantity <= 0 || quantity > 1000 {
		return nil, model.FieldError("quantity", "must be between 1 and 1000")
	}
	part, err := s.store.PartByNo(ctx, strings.TrimSpace(partNo))
	if model.IsNotFound(err) {
		return nil, model.FieldError("part_no", "There is no spare part with the number “%s”; check the part number.", strings.TrimSpace(partNo))
	} else if err != nil {
		return nil, err
	}
	return s.store.UpdateRepair(ctx, id, p, func(rp *model.Repair) (*store.RepairChange, error) {
		if err := mayWork(p, rp); err != nil {
			return nil, err
		}
		switch rp.Stage {
		case model.StageDiagnosing, model.StageQuoted, model.StageWaitingApproval, model.StageRepairing, model.StageWaitingParts:
		default:
			return nil, model.Conflict("stage", "parts are reserved from diagnosing until testing, not at %s", string(rp.Stage))
		}
		ch := &store.RepairChange{From: rp.Stage, Reserve: &model.RepairPart{PartID: part.ID, Reserved: quantity},
			WaitIfShort: wait && model.CanStep(rp.Stage, model.StageWaitingParts)}
		if ch.WaitIfShort {
			ch.Note = "waiting for " + part.PartNo + " ×" + strconv.FormatInt(quantity, 10) + ":"
		}
		return ch, nil
	})
}
