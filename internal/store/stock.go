package store

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

// StockMove is one change to a stock line (a part at a centre), as the
// parts service asks for it. The store locks the line, checks that the
// change keeps it whole, updates it and appends the ledger row, all in
// one transaction.
type StockMove struct {
	CentreID, PartID int64
	Kind             model.MovementKind // receive, adjust, reserve, release or consume
	// Quantity is the number of units (> 0), except for adjust, where it
	// is the signed change to on hand.
	Quantity int64
	// RepairID ties a reservation, release or consumption to a repair;
	// release and consume draw on that repair's reservation only.
	RepairID *int64
	Note     string
	By       model.Principal
}

// MoveStock applies one movement in its own transaction and returns the
// line after it and the ledger row.
func (s *Store) MoveStock(ctx context.Context, mv StockMove) (*model.StockLevel, *model.StockMovement, error) {
	var lvl *model.StockLevel
	var row *model.StockMovement
	err := s.Tx(ctx, func(q Querier) error {
		var err error
		lvl, row, err = s.moveStock(ctx, q, mv)
		return err
	})
	return lvl, row, err
}

// stockLine is a locked stock line inside a transaction.
type stockLine struct {
	centreID, partID          int64
	onHand, reserved, reorder int64
	unitCost                  int64
}

// lockLine creates the line if it does not exist and locks it until the
// transaction ends (SQLite: its writes are serialised already).
func (s *Store) lockLine(ctx context.Context, q Querier, centreID, partID int64) (*stockLine, error) {
	l := &stockLine{centreID: centreID, partID: partID}
	if err := q.QueryRow(ctx, "SELECT cost FROM parts WHERE id = $1", partID).Scan(&l.unitCost); err != nil {
		return nil, notFound(err, "part")
	}
	if _, err := q.Exec(ctx, `INSERT INTO stock_levels (centre_id, part_id, on_hand, reserved, reorder_point, updated_at)
		VALUES ($1, $2, 0, 0, 0, $3) ON CONFLICT (centre_id, part_id) DO NOTHING`, centreID, partID, s.Now()); err != nil {
		if isForeignKey(err) {
			return nil, model.Errorf(model.ENOTFOUND, "service centre not found")
		}
		return nil, err
	}
	err := q.QueryRow(ctx, `SELECT on_hand, reserved, reorder_point FROM stock_levels
		WHERE centre_id = $1 AND part_id = $2`+s.forUpdate(), centreID, partID).Scan(&l.onHand, &l.reserved, &l.reorder)
	return l, err
}

// shortage is the answer when a line cannot give what is asked.
func shortage(available int64) error {
	return model.Conflict("quantity", "not enough stock: %d available", available)
}

// moveStock is MoveStock inside the caller's transaction, for the repair
// service's own transactions (reserve with a stage change, consume when a
// part is fitted).
func (s *Store) moveStock(ctx context.Context, q Querier, mv StockMove) (*model.StockLevel, *model.StockMovement, error) {
	if mv.Quantity == 0 || (mv.Kind != model.MoveAdjust && mv.Quantity < 0) {
		return nil, nil, model.FieldError("quantity", "must be a positive number of units")
	}
	l, err := s.lockLine(ctx, q, mv.CentreID, mv.PartID)
	if err != nil {
		return nil, nil, err
	}
	available := l.onHand - l.reserved
	var dOn, dRes, qty int64
	switch mv.Kind {
	case model.MoveReceive:
		dOn, qty = mv.Quantity, mv.Quantity
	case model.MoveAdjust:
		if l.onHand+mv.Quantity < l.reserved {
			return nil, nil, shortage(available)
		}
		dOn, qty = mv.Quantity, mv.Quantity
	case model.MoveReserve:
		if mv.Quantity > available {
			return nil, nil, shortage(available)
		}
		dRes, qty = mv.Quantity, mv.Quantity
	case model.MoveRelease, model.MoveConsume:
		if mv.RepairID == nil {
			return nil, nil, model.FieldError("repair_id", "is required")
		}
		var held int64
		if err := q.QueryRow(ctx, `SELECT COALESCE(SUM(reserved_delta), 0) FROM stock_movements
			WHERE repair_id = $1 AND centre_id = $2 AND part_id = $3`, *mv.RepairID, mv.CentreID, mv.PartID).Scan(&held); err != nil {
			return nil, nil, err
		}
		if mv.Quantity > held {
			return nil, nil, model.Conflict("quantity", "only %d reserved for this repair", held)
		}
		dRes, qty = -mv.Quantity, -mv.Quantity
		if mv.Kind == model.MoveConsume {
			dOn = -mv.Quantity
		}
	default:
		return nil, nil, model.FieldError("kind", "must be receive or adjust")
	}
	row := &model.StockMovement{CentreID: mv.CentreID, PartID: mv.PartID, Kind: mv.Kind, Quantity: qty,
		RepairID: mv.RepairID, Note: mv.Note}
	return s.applyMove(ctx, q, l, row, dOn, dRes, mv.By)
}

// applyMove writes a checked change to a locked line and its ledger row.
func (s *Store) applyMove(ctx context.Context, q Querier, l *stockLine, row *model.StockMovement, dOn, dRes int64, by model.Principal) (*model.StockLevel, *model.StockMovement, error) {
	now := s.Now()
	l.onHand += dOn
	l.reserved += dRes
	if l.onHand < 0 || l.reserved < 0 || l.reserved > l.onHand {
		return nil, nil, shortage(l.onHand - dOn - (l.reserved - dRes))
	}
	if _, err := q.Exec(ctx, `UPDATE stock_levels SET on_hand = $1, reserved = $2, updated_at = $3
		WHERE centre_id = $4 AND part_id = $5`, l.onHand, l.reserved, now, l.centreID, l.partID); err != nil {
		return nil, nil, err
	}
	row.OnHandDelta, row.ReservedDelta, row.OnHandAfter, row.ReservedAfter = dOn, dRes, l.onHand, l.reserved
	row.UnitCost, row.CreatedAt = l.unitCost, now
	row.ActorKind, row.ActorName = by.Kind, by.Name
	if by.ID != 0 {
		id := by.ID
		row.ActorID = &id
	}
	err := q.QueryRow(ctx, `INSERT INTO stock_movements (centre_id, part_id, kind, quantity, on_hand_delta, reserved_delta,
		on_hand_after, reserved_after, unit_cost, repair_id, counterpart_id, actor_kind, actor_id, actor_name, note, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		row.CentreID, row.PartID, string(row.Kind), row.Quantity, dOn, dRes, l.onHand, l.reserved, l.unitCost,
		row.RepairID, row.CounterpartID, string(row.ActorKind), row.ActorID, row.ActorName, row.Note, now).Scan(&row.ID)
	if err != nil {
		return nil, nil, err
	}
	return &model.StockLevel{CentreID: l.centreID, PartID: l.partID, OnHand: l.onHand, Reserved: l.reserved,
		ReorderPoint: l.reorder, UpdatedAt: now}, row, nil
}

// TransferStock moves quantity units of a part from one centre to another
// in one transaction: the source must have them available (not
// reserved); each side gets a "transfer" ledger row naming the other.
// Lines are locked in centre order, so two opposite transfers cannot
// deadlock.
func (s *Store) TransferStock(ctx context.Context, fromID, toID, partID, quantity int64, note string, by model.Principal) (from, to *model.StockLevel, err error) {
	if quantity <= 0 {
		return nil, nil, model.FieldError("quantity", "must be a positive number of units")
	}
	if fromID == toID {
		return nil, nil, model.FieldError("to", "must be another centre")
	}
	err = s.Tx(ctx, func(q Querier) error {
		lines := map[int64]*stockLine{}
		for _, id := range []int64{min(fromID, toID), max(fromID, toID)} {
			l, err := s.lockLine(ctx, q, id, partID)
			if err != nil {
				return err
			}
			lines[id] = l
		}
		src, dst := lines[fromID], lines[toID]
		if avail := src.onHand - src.reserved; quantity > avail {
			return shortage(avail)
		}
		out := &model.StockMovement{CentreID: fromID, PartID: partID, Kind: model.MoveTransfer, Quantity: -quantity,
			CounterpartID: &toID, Note: note}
		var err error
		if from, _, err = s.applyMove(ctx, q, src, out, -quantity, 0, by); err != nil {
			return err
		}
		in := &model.StockMovement{CentreID: toID, PartID: partID, Kind: model.MoveTransfer, Quantity: quantity,
			CounterpartID: &fromID, Note: note}
		to, _, err = s.applyMove(ctx, q, dst, in, quantity, 0, by)
		return err
	})
	return from, to, err
}

// SetReorderPoint sets the level at or below which a line raises a
// reorder alert (0: none).
func (s *Store) SetReorderPoint(ctx context.Context, centreID, partID, point int64) (*model.StockLevel, error) {
	var l model.StockLevel
	err := s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO stock_levels (centre_id, part_id, on_hand, reserved, reorder_point, updated_at)
			VALUES ($1, $2, 0, 0, $3, $4) ON CONFLICT (centre_id, part_id) DO UPDATE SET reorder_point = excluded.reorder_point`,
			centreID, partID, point, s.Now())
		if err != nil {
			return err
		}
		return scanLevel(q.QueryRow(ctx, levelSelect+"WHERE l.centre_id = $1 AND l.part_id = $2", centreID, partID), &l)
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

const levelSelect = `SELECT l.centre_id, c.code, l.part_id, p.part_no, p.name, l.on_hand, l.reserved, l.reorder_point, l.updated_at
	FROM stock_levels l JOIN service_centres c ON c.id = l.centre_id JOIN parts p ON p.id = l.part_id `

func scanLevel(r Row, l *model.StockLevel) error {
	return r.Scan(&l.CentreID, &l.CentreCode, &l.PartID, &l.PartNo, &l.PartName, &l.OnHand, &l.Reserved, &l.ReorderPoint, &l.UpdatedAt)
}

// StockLevel returns one line; a part never stocked at the centre is a
// line of zeros.
func (s *Store) StockLevel(ctx context.Context, centre *model.ServiceCentre, part *model.Part) (*model.StockLevel, error) {
	l := model.StockLevel{CentreID: centre.ID, CentreCode: centre.Code, PartID: part.ID, PartNo: part.PartNo, PartName: part.Name}
	err := scanLevel(s.Read().QueryRow(ctx, levelSelect+"WHERE l.centre_id = $1 AND l.part_id = $2", centre.ID, part.ID), &l)
	if err != nil && !model.IsNotFound(notFound(err, "")) {
		return nil, err
	}
	return &l, nil
}

// StockLedger returns every ledger row of a line, oldest first: their
// on-hand and reserved changes add up to the line.
func (s *Store) StockLedger(ctx context.Context, centreID, partID int64) ([]model.StockMovement, error) {
	rows, err := s.Read().Query(ctx, `SELECT m.id, m.centre_id, m.part_id, m.kind, m.quantity, m.on_hand_delta, m.reserved_delta,
		m.on_hand_after, m.reserved_after, m.unit_cost, m.repair_id, m.counterpart_id, COALESCE(c.code, ''), m.actor_kind,
		m.actor_id, m.actor_name, m.note, m.created_at
		FROM stock_movements m LEFT JOIN service_centres c ON c.id = m.counterpart_id
		WHERE m.centre_id = $1 AND m.part_id = $2 ORDER BY m.id`, centreID, partID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.StockMovement
	for rows.Next() {
		var m model.StockMovement
		if err := rows.Scan(&m.ID, &m.CentreID, &m.PartID, &m.Kind, &m.Quantity, &m.OnHandDelta, &m.ReservedDelta,
			&m.OnHandAfter, &m.ReservedAfter, &m.UnitCost, &m.RepairID, &m.CounterpartID, &m.CounterpartCode,
			&m.ActorKind, &m.ActorID, &m.ActorName, &m.Note, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// StockFilter selects stock lines.
type StockFilter struct {
	CentreID int64 // 0: every centre
	// AlertsOnly keeps the lines at or below their reorder point and
	// those a repair at the centre is waiting for.
	AlertsOnly bool
}

// ListStock returns stock lines ordered by centre code and part number.
func (s *Store) ListStock(ctx context.Context, f StockFilter) ([]model.StockLevel, error) {
	query := levelSelect + "WHERE 1 = 1"
	var args []any
	if f.CentreID != 0 {
		args = append(args, f.CentreID)
		query += " AND l.centre_id = $1"
	}
	if f.AlertsOnly {
		query += ` AND (l.reorder_point > 0 AND l.on_hand - l.reserved <= l.reorder_point OR EXISTS (SELECT 1 FROM repairs rp
			WHERE rp.centre_id = l.centre_id AND rp.waiting_part_id = l.part_id AND rp.stage = 'waiting_parts'))`
	}
	rows, err := s.Read().Query(ctx, query+" ORDER BY c.code, p.part_no", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.StockLevel
	for rows.Next() {
		var l model.StockLevel
		if err := scanLevel(rows, &l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// InsertStock bulk-inserts stock lines and their ledger rows with ids
// (the demo seeder); the caller keeps the ledger summing to the lines.
func (s *Store) InsertStock(ctx context.Context, levels []model.StockLevel, moves []model.StockMovement) error {
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "stock_levels", []string{"centre_id", "part_id", "on_hand", "reserved", "reorder_point", "updated_at"},
			len(levels), func(a []any, i int) []any {
				l := &levels[i]
				return append(a, l.CentreID, l.PartID, l.OnHand, l.Reserved, l.ReorderPoint, l.UpdatedAt)
			})
		if err != nil {
			return err
		}
		cols := []string{"id", "centre_id", "part_id", "kind", "quantity", "on_hand_delta", "reserved_delta", "on_hand_after",
			"reserved_after", "unit_cost", "repair_id", "counterpart_id", "actor_kind", "actor_id", "actor_name", "note", "created_at"}
		err = s.bulkInsert(ctx, q, "stock_movements", cols, len(moves), func(a []any, i int) []any {
			m := &moves[i]
			return append(a, m.ID, m.CentreID, m.PartID, string(m.Kind), m.Quantity, m.OnHandDelta, m.ReservedDelta,
				m.OnHandAfter, m.ReservedAfter, m.UnitCost, m.RepairID, m.CounterpartID, string(m.ActorKind), m.ActorID,
				m.ActorName, m.Note, m.CreatedAt)
		})
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "stock_movements")
	})
}
