package store

import (
	"context"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// SeedRepair is a repair order as the demo seeder makes it: the repair
// with its dates, its history (which also goes on the request's
// timeline, in plain words like a live repair's), its quote lines and
// the parts it used or holds.
type SeedRepair struct {
	Repair  model.Repair
	History []model.RepairStep
	// ReworkOf, when above 0, is 1 + the index in RepairSeed.Repairs of
	// the earlier repair this one reworks (inserted before it); both are
	// flagged.
	ReworkOf int
	// Consume lists parts (PartID, Consumed) used; Reserve parts (PartID,
	// Reserved) held now. A part the centre lacks is left out, so that
	// stock never goes negative.
	Consume []model.RepairPart
	Reserve []model.RepairPart
}

// RepairSeed is what SeedRepairs inserts.
type RepairSeed struct {
	FaultCodes []model.FaultCode
	Labour     []model.LabourPrice
	Policies   []model.ReturnPolicy
	Repairs    []SeedRepair
	Returns    []model.Return
	// ReturnSteps are the statuses each return went through after its
	// decision (parallel to Returns), dated, for the request timelines.
	ReturnSteps [][]ReturnStep
	// Deliveries set units' purchase and delivery dates (unit id →
	// [purchased, delivered]), for the demo's returns asked after their
	// window.
	Deliveries map[int64][2]time.Time
}

// ReturnStep is a status a seeded return reached, and when.
type ReturnStep struct {
	Status string
	At     time.Time
}

// SeedRepairs inserts the demo's fault codes, labour prices, return
// policies, repairs (with their history) and returns in one transaction,
// each step on its request's timeline at the time it happened (the
// timeline reads in time order). Parts move through
// the stock ledger (reserve, then consume), dated when the repair used
// them, so the ledger still sums to the stock.
func (s *Store) SeedRepairs(ctx context.Context, in RepairSeed) error {
	return s.Tx(ctx, func(q Querier) error {
		now := s.Now()
		for _, f := range in.FaultCodes {
			if _, err := q.Exec(ctx, "INSERT INTO fault_codes (category, code, name_zh, name_en) VALUES ($1, $2, $3, $4)",
				f.Category, f.Code, f.NameZh, f.NameEn); err != nil {
				return err
			}
		}
		for _, l := range in.Labour {
			if _, err := q.Exec(ctx, `INSERT INTO labour_prices (code, category, name, price, currency, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, l.Code, l.Category, l.Name, l.Price, l.Currency, now); err != nil {
				return err
			}
		}
		for _, p := range in.Policies {
			if _, err := q.Exec(ctx, `INSERT INTO return_policies (category, return_days, exchange_days, outside_window, updated_at)
				VALUES ($1, $2, $3, $4, $5)`, p.Category, p.ReturnDays, p.ExchangeDays, p.OutsideWindow, now); err != nil {
				return err
			}
		}
		for id, days := range in.Deliveries {
			if _, err := q.Exec(ctx, "UPDATE units SET purchased_at = $1, delivered_at = $2 WHERE id = $3", days[0], days[1], id); err != nil {
				return err
			}
		}
		for i := range in.Repairs {
			sr := &in.Repairs[i]
			if sr.ReworkOf > 0 && sr.ReworkOf <= i {
				earlier := &in.Repairs[sr.ReworkOf-1].Repair
				sr.Repair.Rework, sr.Repair.ReworkOf, earlier.Rework = true, &earlier.ID, true
				if _, err := q.Exec(ctx, "UPDATE repairs SET rework = TRUE WHERE id = $1", earlier.ID); err != nil {
					return err
				}
			}
			if err := s.seedRepair(ctx, q, sr); err != nil {
				return err
			}
		}
		for i, rt := range in.Returns {
			err := q.QueryRow(ctx, `INSERT INTO returns (request_id, unit_id, kind, reason, decision, decision_reason, window_ends_on,
				status, refund_amount, currency, replacement_serial, created_at, updated_at, closed_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`, rt.RequestID, rt.UnitID,
				string(rt.Kind), rt.Reason, rt.Decision, rt.DecisionReason, rt.WindowEndsOn, rt.Status, rt.RefundAmount, rt.Currency,
				rt.ReplacementSerial, rt.CreatedAt, rt.UpdatedAt, rt.ClosedAt).Scan(&rt.ID)
			if err != nil {
				return err
			}
			by := Actor{Kind: model.AuthorSystem, Name: "return policy", Channel: model.ChannelWeb}
			if err := insertEvent(ctx, q, rt.RequestID, by, "return", "", string(rt.Kind)+" "+rt.Decision, rt.CreatedAt); err != nil {
				return err
			}
			if i < len(in.ReturnSteps) {
				from := rt.Decision
				for _, st := range in.ReturnSteps[i] {
					if err := insertEvent(ctx, q, rt.RequestID, Actor{Kind: model.AuthorStaff, Name: "demo", Channel: model.ChannelWeb},
						"return", from, string(rt.Kind)+" "+st.Status, st.At); err != nil {
						return err
					}
					from = st.Status
				}
			}
		}
		// A request changed last when its latest step happened.
		_, err := q.Exec(ctx, `UPDATE requests SET updated_at = (SELECT MAX(created_at) FROM events e WHERE e.request_id = requests.id)
			WHERE id IN (SELECT request_id FROM repairs UNION SELECT request_id FROM returns)`)
		return err
	})
}

func (s *Store) seedRepair(ctx context.Context, q Querier, sr *SeedRepair) error {
	rp := &sr.Repair
	err := q.QueryRow(ctx, `INSERT INTO repairs (request_id, unit_id, centre_id, mode, stage, fault_codes, device_condition, accessories,
		approval, approval_by_kind, approval_by_name, approval_at, coverage_source, quote_total, inspection_fee, currency, carrier,
		tracking_no, rework, rework_of, created_at, updated_at, completed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23) RETURNING id`,
		rp.RequestID, rp.UnitID, rp.CentreID, string(rp.Mode), string(rp.Stage), strings.Join(rp.FaultCodes, ","), rp.Condition,
		rp.Accessories, string(rp.Approval), rp.ApprovalByKind, rp.ApprovalBy, rp.ApprovalAt, rp.CoverageSource, rp.QuoteTotal,
		rp.InspectionFee, rp.Currency, rp.Carrier, rp.TrackingNo, rp.Rework, rp.ReworkOf, rp.CreatedAt, rp.UpdatedAt,
		rp.CompletedAt).Scan(&rp.ID)
	if err != nil {
		return err
	}
	if err := s.writeLines(ctx, q, rp.ID, rp.Lines); err != nil {
		return err
	}
	for _, h := range sr.History {
		if _, err := q.Exec(ctx, `INSERT INTO repair_history (repair_id, from_stage, stage, note, actor_kind, actor_id, actor_name, created_at)
			VALUES ($1, $2, $3, $4, $5, NULL, $6, $7)`, rp.ID, string(h.From), string(h.Stage), h.Note, string(h.ActorKind),
			h.ActorName, h.At); err != nil {
			return err
		}
		if err := insertEvent(ctx, q, rp.RequestID, Actor{Kind: h.ActorKind, Name: h.ActorName, Channel: model.ChannelWeb},
			"repair", string(h.From), string(h.Stage), h.At); err != nil {
			return err
		}
	}
	by := model.Principal{Kind: model.KindStaff, Name: "demo"}
	// The ledger stays in time order: the movements are dated now; the
	// revenue report dates a repair's parts by its completion.
	use := func(partID, qty int64, consume bool) error {
		l, err := s.lockLine(ctx, q, rp.CentreID, partID)
		if err != nil {
			return err
		}
		if qty <= 0 || l.onHand-l.reserved < qty {
			return nil // the centre lacks it: the demo leaves it out
		}
		if _, _, err := s.moveStock(ctx, q, StockMove{CentreID: rp.CentreID, PartID: partID, Kind: model.MoveReserve, Quantity: qty,
			RepairID: &rp.ID, Note: "repair", By: by}); err != nil {
			return err
		}
		if consume {
			if _, _, err := s.moveStock(ctx, q, StockMove{CentreID: rp.CentreID, PartID: partID, Kind: model.MoveConsume, Quantity: qty,
				RepairID: &rp.ID, Note: "fitted", By: by}); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range sr.Consume {
		if err := use(p.PartID, p.Consumed, true); err != nil {
			return err
		}
	}
	for _, p := range sr.Reserve {
		if err := use(p.PartID, p.Reserved, false); err != nil {
			return err
		}
	}
	return nil
}
