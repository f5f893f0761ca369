package parts

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// maxNote bounds the "why" of a movement.
const maxNote = 500

// line resolves a centre code and a part number. A centre that does not
// exist is ENOTFOUND (it is in the path); a part that does not exist is a
// field error on part_no (it is in the body).
func (s *Service) line(ctx context.Context, centreCode, partNo string) (*model.ServiceCentre, *model.Part, error) {
	c, err := s.store.CentreByCode(ctx, centreCode)
	if err != nil {
		return nil, nil, err
	}
	part, err := s.store.PartByNo(ctx, partNo)
	if model.IsNotFound(err) {
		return nil, nil, model.FieldError("part_no", "There is no spare part with the number “%s”; check the part number.", strings.TrimSpace(partNo))
	}
	return c, part, err
}

// mayMove says whether p may move stock at centre: admins and managers
// anywhere, centre managers at their own centre (model.PermStockMove).
func mayMove(p model.Principal, centreID int64) error {
	if !p.IsStaff() || !p.Can(model.PermStockMove) {
		return forbidden()
	}
	if p.Role == model.RoleCentreManager && !p.AtCentre(centreID) {
		return model.Errorf(model.EFORBIDDEN, "you may move stock of your own centre only")
	}
	return nil
}

// mayUse says whether p may reserve, release or consume parts at a centre
// for a repair: admins and managers anywhere, technicians and centre
// managers at their own centre.
func mayUse(p model.Principal, centreID int64) error {
	switch {
	case !p.IsStaff():
		return forbidden()
	case p.Role == model.RoleAdmin || p.Role == model.RoleManager:
		return nil
	case (p.Role == model.RoleTechnician || p.Role == model.RoleCentreManager) && p.AtCentre(centreID):
		return nil
	}
	return model.Errorf(model.EFORBIDDEN, "you may use parts of your own centre only")
}

// MoveInput is a receipt or an adjustment of stock.
type MoveInput struct {
	PartNo string
	// Quantity: received units (> 0); for adjust, the signed change to
	// on hand (a stocktake found 2 missing: -2).
	Quantity int64
	Kind     model.MovementKind // receive or adjust
	Note     string             // why; required for adjust
}

// Move receives or adjusts stock of a part at a centre
// (model.PermStockMove). An adjustment needs a reason and may not take
// away reserved units: stock never goes negative and never below what
// repairs have reserved (ECONFLICT).
func (s *Service) Move(ctx context.Context, p model.Principal, centreCode string, in MoveInput) (*model.StockLevel, *model.StockMovement, error) {
	if !p.IsStaff() || !p.Can(model.PermStockMove) {
		return nil, nil, forbidden()
	}
	switch in.Kind {
	case model.MoveReceive:
		if in.Quantity <= 0 {
			return nil, nil, model.FieldError("quantity", "must be a positive number of units")
		}
	case model.MoveAdjust:
		if in.Quantity == 0 {
			return nil, nil, model.FieldError("quantity", "must not be zero")
		}
		if strings.TrimSpace(in.Note) == "" {
			return nil, nil, model.FieldError("note", "say why the stock is adjusted")
		}
	default:
		return nil, nil, model.FieldError("kind", "must be receive or adjust")
	}
	if err := checkNote(in.Note); err != nil {
		return nil, nil, err
	}
	c, part, err := s.line(ctx, centreCode, in.PartNo)
	if err != nil {
		return nil, nil, err
	}
	if err := mayMove(p, c.ID); err != nil {
		return nil, nil, err
	}
	lvl, mv, err := s.store.MoveStock(ctx, store.StockMove{CentreID: c.ID, PartID: part.ID, Kind: in.Kind,
		Quantity: in.Quantity, Note: strings.TrimSpace(in.Note), By: p})
	if err != nil {
		return nil, nil, err
	}
	fill(lvl, c, part)
	return lvl, mv, nil
}

func checkNote(note string) error {
	if utf8.RuneCountInString(note) > maxNote {
		return model.FieldError("note", "must be at most %d characters", maxNote)
	}
	return nil
}

func fill(l *model.StockLevel, c *model.ServiceCentre, part *model.Part) {
	l.CentreCode, l.PartNo, l.PartName = c.Code, part.PartNo, part.Name
}

// TransferInput moves stock to another centre.
type TransferInput struct {
	PartNo   string
	Quantity int64
	To       string // the receiving centre's code
	Note     string
}

// Transfer moves available units of a part from one centre to another in
// one transaction, with a ledger row at each (model.PermStockMove;
// centre managers send from their own centre).
func (s *Service) Transfer(ctx context.Context, p model.Principal, fromCode string, in TransferInput) (from, to *model.StockLevel, err error) {
	if !p.IsStaff() || !p.Can(model.PermStockMove) {
		return nil, nil, forbidden()
	}
	if err := checkNote(in.Note); err != nil {
		return nil, nil, err
	}
	src, part, err := s.line(ctx, fromCode, in.PartNo)
	if err != nil {
		return nil, nil, err
	}
	if err := mayMove(p, src.ID); err != nil {
		return nil, nil, err
	}
	dst, err := s.store.CentreByCode(ctx, in.To)
	if model.IsNotFound(err) {
		return nil, nil, model.FieldError("to", "There is no service centre with the code “%s”; choose one of the centres.", strings.TrimSpace(in.To))
	} else if err != nil {
		return nil, nil, err
	}
	from, to, err = s.store.TransferStock(ctx, src.ID, dst.ID, part.ID, in.Quantity, strings.TrimSpace(in.Note), p)
	if err != nil {
		return nil, nil, err
	}
	fill(from, src, part)
	fill(to, dst, part)
	return from, to, nil
}

// UseInput is a reservation, release or consumption of parts for a
// repair.
type UseInput struct {
	Centre   string // centre code
	PartNo   string
	Quantity int64 // units, > 0
	RepairID int64
	Note     string
}

// Reserve sets units aside for a repair: they stay on hand but are no
// longer available. Fewer available than asked is ECONFLICT ("not enough
// stock: n available"), which a repair shows as waiting for parts.
// Concurrent reservations are checked one after the other under a lock.
func (s *Service) Reserve(ctx context.Context, p model.Principal, in UseInput) (*model.StockLevel, *model.StockMovement, error) {
	return s.use(ctx, p, model.MoveReserve, in)
}

// Release gives back units a repair had reserved (a declined quote, a
// part not needed after all).
func (s *Service) Release(ctx context.Context, p model.Principal, in UseInput) (*model.StockLevel, *model.StockMovement, error) {
	return s.use(ctx, p, model.MoveRelease, in)
}

// Consume uses up units a repair had reserved, when they are fitted; a
// repair cannot consume more than it reserved (ECONFLICT).
func (s *Service) Consume(ctx context.Context, p model.Principal, in UseInput) (*model.StockLevel, *model.StockMovement, error) {
	return s.use(ctx, p, model.MoveConsume, in)
}

func (s *Service) use(ctx context.Context, p model.Principal, kind model.MovementKind, in UseInput) (*model.StockLevel, *model.StockMovement, error) {
	if in.RepairID <= 0 {
		return nil, nil, model.FieldError("repair_id", "is required")
	}
	if in.Quantity <= 0 {
		return nil, nil, model.FieldError("quantity", "must be a positive number of units")
	}
	if err := checkNote(in.Note); err != nil {
		return nil, nil, err
	}
	c, part, err := s.line(ctx, in.Centre, in.PartNo)
	if err != nil {
		return nil, nil, err
	}
	if err := mayUse(p, c.ID); err != nil {
		return nil, nil, err
	}
	repair := in.RepairID
	lvl, mv, err := s.store.MoveStock(ctx, store.StockMove{CentreID: c.ID, PartID: part.ID, Kind: kind,
		Quantity: in.Quantity, RepairID: &repair, Note: strings.TrimSpace(in.Note), By: p})
	if err != nil {
		return nil, nil, err
	}
	fill(lvl, c, part)
	return lvl, mv, nil
}

// SetReorderPoint sets the available level at or below which a line
// raises a reorder alert; 0 removes it (model.PermStockMove).
func (s *Service) SetReorderPoint(ctx context.Context, p model.Principal, centreCode, partNo string, point int64) (*model.StockLevel, error) {
	if !p.IsStaff() || !p.Can(model.PermStockMove) {
		return nil, forbidden()
	}
	if point < 0 || point > 1_000_000 {
		return nil, model.FieldError("reorder_point", "must be between 0 and 1000000")
	}
	c, part, err := s.line(ctx, centreCode, partNo)
	if err != nil {
		return nil, err
	}
	if err := mayMove(p, c.ID); err != nil {
		return nil, err
	}
	return s.store.SetReorderPoint(ctx, c.ID, part.ID, point)
}

// Line is a stock line with its whole ledger.
type Line struct {
	Level  model.StockLevel
	Part   model.Part
	Centre model.ServiceCentre
	Ledger []model.StockMovement
}

// StockLine returns a part's stock at a centre with its ledger, oldest
// first (model.PermStockRead). A part never stocked there is a line of
// zeros with an empty ledger.
func (s *Service) StockLine(ctx context.Context, p model.Principal, centreCode, partNo string) (*Line, error) {
	if !p.IsStaff() || !p.Can(model.PermStockRead) {
		return nil, forbidden()
	}
	c, err := s.store.CentreByCode(ctx, centreCode)
	if err != nil {
		return nil, err
	}
	part, err := s.store.PartByNo(ctx, partNo)
	if err != nil {
		return nil, err
	}
	lvl, err := s.store.StockLevel(ctx, c, part)
	if err != nil {
		return nil, err
	}
	ledger, err := s.store.StockLedger(ctx, c.ID, part.ID)
	if err != nil {
		return nil, err
	}
	return &Line{Level: *lvl, Part: *part, Centre: *c, Ledger: ledger}, nil
}

// CentreStock returns every stock line of a centre (model.PermStockRead).
func (s *Service) CentreStock(ctx context.Context, p model.Principal, centreCode string) (*model.ServiceCentre, []model.StockLevel, error) {
	if !p.IsStaff() || !p.Can(model.PermStockRead) {
		return nil, nil, forbidden()
	}
	c, err := s.store.CentreByCode(ctx, centreCode)
	if err != nil {
		return nil, nil, err
	}
	lines, err := s.store.ListStock(ctx, store.StockFilter{CentreID: c.ID})
	return c, lines, err
}

// Alerts returns the lines at or below their reorder point, of one centre
// or (centreCode "") of all (model.PermStockRead).
func (s *Service) Alerts(ctx context.Context, p model.Principal, centreCode string) ([]model.StockLevel, error) {
	if !p.IsStaff() || !p.Can(model.PermStockRead) {
		return nil, forbidden()
	}
	f := store.StockFilter{AlertsOnly: true}
	if strings.TrimSpace(centreCode) != "" {
		c, err := s.store.CentreByCode(ctx, centreCode)
		if model.IsNotFound(err) {
			return nil, model.FieldError("centre", "There is no service centre with the code “%s”; choose one of the centres.", centreCode)
		} else if err != nil {
			return nil, err
		}
		f.CentreID = c.ID
	}
	return s.store.ListStock(ctx, f)
}
