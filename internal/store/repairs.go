package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// repairSelect reads a repair with its request, unit and centre.
const repairSelect = `SELECT rp.id, rp.request_id, r.number, r.customer_id, rp.unit_id, COALESCE(u.serial, ''),
	COALESCE(pr.category, ''), rp.centre_id, c.code, rp.mode, rp.stage, rp.fault_codes, rp.device_condition, rp.accessories,
	rp.approval, rp.approval_by_kind, rp.approval_by_name, rp.approval_at, rp.coverage_source, rp.quote_total,
	rp.inspection_fee, rp.currency, rp.carrier, rp.tracking_no, rp.rework, rp.rework_of, rp.created_at, rp.updated_at,
	rp.completed_at, rp.waiting_part_id, COALESCE(wp.part_no, ''), rp.waiting_quantity
	FROM repairs rp JOIN requests r ON r.id = rp.request_id JOIN service_centres c ON c.id = rp.centre_id
	LEFT JOIN units u ON u.id = rp.unit_id LEFT JOIN products pr ON pr.id = u.product_id
	LEFT JOIN parts wp ON wp.id = rp.waiting_part_id `

func scanRepair(row Row, rp *model.Repair) error {
	var faults string
	err := row.Scan(&rp.ID, &rp.RequestID, &rp.RequestNumber, &rp.CustomerID, &rp.UnitID, &rp.Serial, &rp.Category,
		&rp.CentreID, &rp.CentreCode, &rp.Mode, &rp.Stage, &faults, &rp.Condition, &rp.Accessories, &rp.Approval,
		&rp.ApprovalByKind, &rp.ApprovalBy, &rp.ApprovalAt, &rp.CoverageSource, &rp.QuoteTotal, &rp.InspectionFee,
		&rp.Currency, &rp.Carrier, &rp.TrackingNo, &rp.Rework, &rp.ReworkOf, &rp.CreatedAt, &rp.UpdatedAt, &rp.CompletedAt,
		&rp.WaitingPartID, &rp.WaitingPartNo, &rp.WaitingQuantity)
	rp.FaultCodes = splitCodes(faults)
	return err
}

func splitCodes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// actorOf is the timeline actor of a principal.
func actorOf(p model.Principal) Actor {
	kind := model.AuthorStaff
	if p.IsCustomer() {
		kind = model.AuthorCustomer
	} else if p.ID == 0 {
		kind = model.AuthorSystem
	}
	a := Actor{Kind: kind, Name: p.Name, Channel: model.ChannelWeb}
	if p.ID != 0 {
		id := p.ID
		a.ID = &id
	}
	return a
}

// CreateRepair opens the repair order of the request with number, at
// stage awaiting_device, with its first history entry and a "repair"
// event on the request's timeline, in one transaction. check sees the
// request (under a lock) before anything is written; a request that has
// a repair already is ECONFLICT.
func (s *Store) CreateRepair(ctx context.Context, rp *model.Repair, number string, by model.Principal, check func(*model.Request) error) error {
	now := s.Now()
	rp.CreatedAt, rp.UpdatedAt, rp.Stage = now, now, model.StageAwaitingDevice
	return s.Tx(ctx, func(q Querier) error {
		r, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		if check != nil {
			if err := check(r); err != nil {
				return err
			}
		}
		return s.insertRepair(ctx, q, rp, r, by, now)
	})
}

// insertRepair inserts rp for request r with its first history entry
// and timeline event, inside the caller's transaction; a request that
// has a repair already is ECONFLICT.
func (s *Store) insertRepair(ctx context.Context, q Querier, rp *model.Repair, r *model.Request, by model.Principal, now time.Time) error {
	var n int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM repairs WHERE request_id = $1", r.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return model.Conflict("number", "request %s has a repair order already", r.Number)
	}
	rp.RequestID, rp.RequestNumber, rp.CustomerID, rp.UnitID = r.ID, r.Number, r.CustomerID, r.UnitID
	err := q.QueryRow(ctx, `INSERT INTO repairs (request_id, unit_id, centre_id, mode, stage, currency, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, rp.RequestID, rp.UnitID, rp.CentreID, string(rp.Mode),
		string(rp.Stage), rp.Currency, now).Scan(&rp.ID)
	if err != nil {
		if isForeignKey(err) {
			return model.FieldError("centre", "no such service centre")
		}
		return err
	}
	return s.recordStep(ctx, q, rp, "", rp.Stage, "", by, now)
}

// CreateRepairRequest opens a service request, its repair order and
// (when a is not nil) the appointment that brings the device or the
// technician, in one transaction: a booking that fails (the centre's day
// is full) leaves no request behind.
func (s *Store) CreateRepairRequest(ctx context.Context, in NewRequest, by Actor, rp *model.Repair, bp model.Principal, a *model.Appointment) (*model.Request, error) {
	return s.createRequestWith(ctx, in, by, func(q Querier, r *model.Request, now time.Time) error {
		rp.CreatedAt, rp.UpdatedAt, rp.Stage = now, now, model.StageAwaitingDevice
		if err := s.insertRepair(ctx, q, rp, r, bp, now); err != nil {
			return err
		}
		if a == nil {
			return nil
		}
		a.CreatedAt, a.Status = now, model.AppointmentBooked
		a.RequestID, a.RequestNumber, a.CustomerID = r.ID, r.Number, r.CustomerID
		return s.insertAppointment(ctx, q, a, by)
	})
}

// recordStep writes a history entry, the request's timeline event and the
// repair.stage_changed webhook event of a step from → to.
func (s *Store) recordStep(ctx context.Context, q Querier, rp *model.Repair, from, to model.RepairStage, note string, by model.Principal, now time.Time) error {
	a := actorOf(by)
	if _, err := q.Exec(ctx, `INSERT INTO repair_history (repair_id, from_stage, stage, note, actor_kind, actor_id, actor_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, rp.ID, string(from), string(to), note, string(a.Kind), a.ID, a.Name, now); err != nil {
		return err
	}
	if err := insertEvent(ctx, q, rp.RequestID, a, "repair", string(from), string(to), now); err != nil {
		return err
	}
	if _, err := q.Exec(ctx, "UPDATE requests SET updated_at = $1 WHERE id = $2", now, rp.RequestID); err != nil {
		return err
	}
	return s.publish(ctx, q, model.DomainEvent{Type: model.EventRepairStageChanged, At: now, Data: map[string]any{
		"repair_id": rp.ID, "request_number": rp.RequestNumber, "centre": rp.CentreCode, "mode": rp.Mode,
		"from": from, "to": to, "note": note, "by": a.Name, "at": now,
	}}, 0)
}

// RepairChange is what a repair update does besides the fields it set on
// the repair: the step it took, the quote lines it wrote and the stock it
// moved.
type RepairChange struct {
	From model.RepairStage // the stage before; a step is recorded when it differs from the repair's stage after
	Note string
	// Lines, when not nil, replace the quote's lines.
	Lines []model.QuoteLine
	// Reserve sets units of a part aside at the repair's centre.
	Reserve *model.RepairPart
	// WaitIfShort: when the centre cannot cover Reserve, the repair moves
	// to waiting_parts and records the part it waits for instead of the
	// update failing (the caller has checked that the step is allowed).
	WaitIfShort bool
	// ReleaseAll gives back and ConsumeAll uses up everything the repair
	// holds.
	ReleaseAll, ConsumeAll bool
	// FaultsSet asks for the rework check (same unit, a shared fault code,
	// a repair completed within model.ReworkDays).
	FaultsSet bool
}

// UpdateRepair locks repair id, reads it with the parts it holds, lets fn
// change it and say what else changes, and writes it all in one
// transaction: fields, quote lines, stock movements, history, timeline
// and webhook event. An error from fn changes nothing.
func (s *Store) UpdateRepair(ctx context.Context, id int64, by model.Principal, fn func(rp *model.Repair) (*RepairChange, error)) (*model.Repair, error) {
	err := s.Tx(ctx, func(q Querier) error {
		var one int
		if err := q.QueryRow(ctx, "SELECT 1 FROM repairs WHERE id = $1"+s.forUpdate(), id).Scan(&one); err != nil {
			return notFound(err, "repair")
		}
		var rp model.Repair
		if err := scanRepair(q.QueryRow(ctx, repairSelect+"WHERE rp.id = $1", id), &rp); err != nil {
			return err
		}
		parts, err := repairParts(ctx, q, rp.ID)
		if err != nil {
			return err
		}
		rp.Parts = parts
		ch, err := fn(&rp)
		if err != nil {
			return err
		}
		now := s.Now()
		held := map[int64]int64{}
		for _, p := range parts {
			held[p.PartID] = p.Reserved
		}
		if ch.Reserve != nil {
			_, _, err := s.moveStock(ctx, q, StockMove{CentreID: rp.CentreID, PartID: ch.Reserve.PartID, Kind: model.MoveReserve,
				Quantity: ch.Reserve.Reserved, RepairID: &rp.ID, Note: "repair " + rp.RequestNumber, By: by})
			switch {
			case err != nil && ch.WaitIfShort && model.ErrorCode(err) == model.ECONFLICT:
				// The short line exists now (lockLine made it), so the
				// centre's reorder alerts list it while the repair waits.
				rp.Stage, rp.WaitingPartID, rp.WaitingQuantity = model.StageWaitingParts, &ch.Reserve.PartID, ch.Reserve.Reserved
				ch.Note = strings.TrimSpace(ch.Note + " " + model.ErrorMessage(err))
			case err != nil:
				return err
			}
		}
		if ch.ReleaseAll || ch.ConsumeAll {
			kind := model.MoveRelease
			if ch.ConsumeAll {
				kind = model.MoveConsume
			}
			for _, p := range parts {
				if held[p.PartID] <= 0 {
					continue
				}
				if _, _, err := s.moveStock(ctx, q, StockMove{CentreID: rp.CentreID, PartID: p.PartID, Kind: kind,
					Quantity: held[p.PartID], RepairID: &rp.ID, Note: "repair " + rp.RequestNumber, By: by}); err != nil {
					return err
				}
			}
		}
		if ch.Lines != nil {
			if err := s.writeLines(ctx, q, rp.ID, ch.Lines); err != nil {
				return err
			}
		}
		if ch.FaultsSet && rp.UnitID != nil && len(rp.FaultCodes) > 0 {
			if err := s.checkRework(ctx, q, &rp, now); err != nil {
				return err
			}
		}
		if rp.Stage == model.StageCompleted && rp.CompletedAt == nil {
			rp.CompletedAt = &now
		}
		rp.UpdatedAt = now
		if _, err := q.Exec(ctx, `UPDATE repairs SET stage = $1, fault_codes = $2, device_condition = $3, accessories = $4,
			approval = $5, approval_by_kind = $6, approval_by_name = $7, approval_at = $8, coverage_source = $9, quote_total = $10,
			inspection_fee = $11, carrier = $12, tracking_no = $13, rework = $14, rework_of = $15, updated_at = $16,
			completed_at = $17 WHERE id = $18`,
			string(rp.Stage), strings.Join(rp.FaultCodes, ","), rp.Condition, rp.Accessories, string(rp.Approval),
			rp.ApprovalByKind, rp.ApprovalBy, rp.ApprovalAt, rp.CoverageSource, rp.QuoteTotal, rp.InspectionFee, rp.Carrier,
			rp.TrackingNo, rp.Rework, rp.ReworkOf, now, rp.CompletedAt, rp.ID); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, "UPDATE repairs SET waiting_part_id = $1, waiting_quantity = $2 WHERE id = $3",
			rp.WaitingPartID, rp.WaitingQuantity, rp.ID); err != nil {
			return err
		}
		if ch.From != rp.Stage {
			return s.recordStep(ctx, q, &rp, ch.From, rp.Stage, ch.Note, by, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.RepairByID(ctx, id)
}

// checkRework flags rp and an earlier repair of the same unit, completed
// within model.ReworkDays before now and sharing a fault code, as rework.
func (s *Store) checkRework(ctx context.Context, q Querier, rp *model.Repair, now time.Time) error {
	rows, err := q.Query(ctx, `SELECT id, fault_codes FROM repairs WHERE unit_id = $1 AND id <> $2 AND stage = $3
		AND completed_at >= $4 ORDER BY completed_at DESC`, *rp.UnitID, rp.ID, string(model.StageCompleted),
		now.AddDate(0, 0, -model.ReworkDays))
	if err != nil {
		return err
	}
	var earlier int64
	for rows.Next() {
		var id int64
		var faults string
		if err := rows.Scan(&id, &faults); err != nil {
			rows.Close()
			return err
		}
		if earlier == 0 && shareAny(splitCodes(faults), rp.FaultCodes) {
			earlier = id
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if earlier == 0 {
		return nil
	}
	rp.Rework, rp.ReworkOf = true, &earlier
	_, err = q.Exec(ctx, "UPDATE repairs SET rework = TRUE WHERE id = $1", earlier)
	return err
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

func (s *Store) writeLines(ctx context.Context, q Querier, repairID int64, lines []model.QuoteLine) error {
	if _, err := q.Exec(ctx, "DELETE FROM repair_quote_lines WHERE repair_id = $1", repairID); err != nil {
		return err
	}
	for i, l := range lines {
		if _, err := q.Exec(ctx, `INSERT INTO repair_quote_lines (repair_id, position, kind, part_id, description, quantity,
			unit_price, covered, amount) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, repairID, i+1, string(l.Kind), l.PartID,
			l.Description, l.Quantity, l.UnitPrice, l.Covered, l.Amount); err != nil {
			return err
		}
	}
	return nil
}

// repairParts sums what the ledger says a repair holds and has used, part
// by part.
func repairParts(ctx context.Context, q Querier, repairID int64) ([]model.RepairPart, error) {
	rows, err := q.Query(ctx, `SELECT p.id, p.part_no, p.name, p.price, p.cost, COALESCE(SUM(m.reserved_delta), 0),
		COALESCE(SUM(CASE WHEN m.kind = 'consume' THEN -m.on_hand_delta ELSE 0 END), 0)
		FROM stock_movements m JOIN parts p ON p.id = m.part_id WHERE m.repair_id = $1
		GROUP BY p.id, p.part_no, p.name, p.price, p.cost ORDER BY p.part_no`, repairID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.RepairPart
	for rows.Next() {
		var p model.RepairPart
		if err := rows.Scan(&p.PartID, &p.PartNo, &p.Name, &p.Price, &p.Cost, &p.Reserved, &p.Consumed); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RepairByID returns a repair with its quote lines, history and parts.
func (s *Store) RepairByID(ctx context.Context, id int64) (*model.Repair, error) {
	q := s.Read()
	var rp model.Repair
	if err := scanRepair(q.QueryRow(ctx, repairSelect+"WHERE rp.id = $1", id), &rp); err != nil {
		return nil, notFound(err, "repair")
	}
	return &rp, s.fillRepair(ctx, q, &rp)
}

// RepairByRequest returns the repair of a request (ENOTFOUND: none).
func (s *Store) RepairByRequest(ctx context.Context, requestID int64) (*model.Repair, error) {
	q := s.Read()
	var rp model.Repair
	if err := scanRepair(q.QueryRow(ctx, repairSelect+"WHERE rp.request_id = $1", requestID), &rp); err != nil {
		return nil, notFound(err, "repair")
	}
	return &rp, s.fillRepair(ctx, q, &rp)
}

func (s *Store) fillRepair(ctx context.Context, q Querier, rp *model.Repair) error {
	rows, err := q.Query(ctx, `SELECT l.kind, l.part_id, COALESCE(p.part_no, ''), l.description, l.quantity, l.unit_price,
		l.covered, l.amount FROM repair_quote_lines l LEFT JOIN parts p ON p.id = l.part_id
		WHERE l.repair_id = $1 ORDER BY l.position`, rp.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l model.QuoteLine
		if err := rows.Scan(&l.Kind, &l.PartID, &l.PartNo, &l.Description, &l.Quantity, &l.UnitPrice, &l.Covered, &l.Amount); err != nil {
			rows.Close()
			return err
		}
		rp.Lines = append(rp.Lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.Query(ctx, `SELECT from_stage, stage, note, actor_kind, actor_name, created_at FROM repair_history
		WHERE repair_id = $1 ORDER BY id`, rp.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var h model.RepairStep
		if err := rows.Scan(&h.From, &h.Stage, &h.Note, &h.ActorKind, &h.ActorName, &h.At); err != nil {
			rows.Close()
			return err
		}
		rp.History = append(rp.History, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rp.Parts, err = repairParts(ctx, q, rp.ID)
	return err
}

// RepairFilter selects repairs for lists.
type RepairFilter struct {
	CentreID   int64 // 0: every centre
	CustomerID int64 // 0: every customer
	Stage      model.RepairStage
	Limit      int
}

// ListRepairs returns repairs, most recently changed first (without
// lines, history or parts).
func (s *Store) ListRepairs(ctx context.Context, f RepairFilter) ([]model.Repair, error) {
	query, args := repairSelect+"WHERE 1 = 1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		query += " AND " + strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1)
	}
	if f.CentreID != 0 {
		add("rp.centre_id = ?", f.CentreID)
	}
	if f.CustomerID != 0 {
		add("r.customer_id = ?", f.CustomerID)
	}
	if f.Stage != "" {
		add("rp.stage = ?", string(f.Stage))
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := s.Read().Query(ctx, query+" ORDER BY rp.updated_at DESC, rp.id DESC LIMIT "+strconv.Itoa(f.Limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Repair
	for rows.Next() {
		var rp model.Repair
		if err := scanRepair(rows, &rp); err != nil {
			return nil, err
		}
		out = append(out, rp)
	}
	return out, rows.Err()
}
