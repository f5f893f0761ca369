package store

import (
	"context"
	"time"
)

// RevenueFact is one amount of the revenue report, with where and when
// it happened; the report groups them.
type RevenueFact struct {
	Centre string // centre code; "" when none (a plan sold online)
	At     time.Time
	// One of these is set per fact.
	Paid, PartsRevenue, PlanSales, PartsCost int64
	Repair                                   bool // a completed repair (counted)
	// Dated facts (plan sales) have a date in At, not an instant.
	Dated bool
}

// RevenueFacts returns the facts between from and to (instants, to
// exclusive): completed repairs (what the customer paid — the approved
// total or, after a decline, the inspection fee — and the part lines of
// it), extended-warranty plans sold (sold_at between the dates fromDay
// and toDay inclusive) and the cost of the parts those repairs consumed.
func (s *Store) RevenueFacts(ctx context.Context, from, to, fromDay, toDay time.Time) ([]RevenueFact, error) {
	var out []RevenueFact
	q := s.Read()
	rows, err := q.Query(ctx, `SELECT c.code, rp.completed_at,
		CASE WHEN rp.approval = 'declined' THEN rp.inspection_fee WHEN rp.approval = 'approved' THEN rp.quote_total ELSE 0 END,
		CASE WHEN rp.approval = 'approved' THEN COALESCE((SELECT SUM(l.amount) FROM repair_quote_lines l
			WHERE l.repair_id = rp.id AND l.kind = 'part'), 0) ELSE 0 END
		FROM repairs rp JOIN service_centres c ON c.id = rp.centre_id
		WHERE rp.stage = 'completed' AND rp.completed_at >= $1 AND rp.completed_at < $2`, from, to)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		f := RevenueFact{Repair: true}
		if err := rows.Scan(&f.Centre, &f.At, &f.Paid, &f.PartsRevenue); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT COALESCE(c.code, ''), up.sold_at, up.price FROM unit_plans up
		LEFT JOIN service_centres c ON c.id = up.centre_id WHERE up.sold_at >= $1 AND up.sold_at <= $2`, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		f := RevenueFact{Dated: true}
		if err := rows.Scan(&f.Centre, &f.At, &f.PlanSales); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT c.code, rp.completed_at, COALESCE(SUM(-m.on_hand_delta * m.unit_cost), 0)
		FROM repairs rp JOIN service_centres c ON c.id = rp.centre_id JOIN stock_movements m ON m.repair_id = rp.id AND m.kind = 'consume'
		WHERE rp.stage = 'completed' AND rp.completed_at >= $1 AND rp.completed_at < $2
		GROUP BY rp.id, c.code, rp.completed_at`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f RevenueFact
		if err := rows.Scan(&f.Centre, &f.At, &f.PartsCost); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
