package store

import (
	"context"
	"strconv"
	"time"
)

// SLAInstant is an open clock's warning or due instant: when its
// request's timer must fire.
type SLAInstant struct {
	RequestID int64
	At        time.Time
}

// UpcomingSLAInstants returns up to limit warning and due instants of
// open clocks that lie after the keyset (after, afterID) — instant, then
// request id — and at or before to, in that order, read in q: the timers
// the sweeper schedules ahead. A request with a warning and a due time in
// the window, or two clocks, is listed once per instant. It reads the
// partial indexes of open clocks by due and by warning time.
func (s *Store) UpcomingSLAInstants(ctx context.Context, q Querier, after time.Time, afterID int64, to time.Time, limit int) ([]SLAInstant, error) {
	rows, err := q.Query(ctx, `SELECT request_id, at FROM (
			SELECT request_id, due_at AS at FROM sla_clocks
			WHERE met_at IS NULL AND stopped_at IS NULL AND due_at >= $1 AND due_at <= $3
			UNION
			SELECT request_id, warn_at AS at FROM sla_clocks
			WHERE met_at IS NULL AND stopped_at IS NULL AND warn_at >= $1 AND warn_at <= $3
		) t WHERE at > $1 OR request_id > $2
		ORDER BY at, request_id LIMIT `+strconv.Itoa(limit), after, afterID, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SLAInstant
	for rows.Next() {
		var in SLAInstant
		if err := rows.Scan(&in.RequestID, &in.At); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// SLATimerWatermark returns, read in q, the instant up to which the
// sweeper has scheduled timers ahead (nil: never).
func (s *Store) SLATimerWatermark(ctx context.Context, q Querier) (*time.Time, error) {
	var t *time.Time
	err := q.QueryRow(ctx, "SELECT until FROM sla_timer_watermark WHERE id = 1").Scan(&t)
	return t, err
}

// SetSLATimerWatermark records in q that timers are scheduled up to t.
func (s *Store) SetSLATimerWatermark(ctx context.Context, q Querier, t time.Time) error {
	_, err := q.Exec(ctx, "UPDATE sla_timer_watermark SET until = $1 WHERE id = 1", t)
	return err
}
