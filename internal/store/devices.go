package store

import (
	"context"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// RecordDeviceEvent stores a device's event and runs then (the rules) in
// the same transaction, with ev.Count24h filled: the events with this
// serial and code in the 24 hours up to and including ev.At. The unit's
// row is locked first, so events for one unit are counted and acted on
// one at a time (at most one open request per serial and code).
func (s *Store) RecordDeviceEvent(ctx context.Context, ev *model.DeviceEvent, then func(ctx context.Context, q Querier) error) error {
	ev.ReceivedAt = s.Now()
	ev.At = ev.At.UTC().Truncate(time.Microsecond)
	return s.Tx(ctx, func(q Querier) error {
		var unit int64
		err := q.QueryRow(ctx, "SELECT id FROM units WHERE serial = $1"+s.forUpdate(), ev.Serial).Scan(&unit)
		if err != nil && !model.IsNotFound(notFound(err, "unit")) {
			return err
		}
		if err := q.QueryRow(ctx, `INSERT INTO device_events (serial, code, value, at, device, received_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, ev.Serial, ev.Code, ev.Value, ev.At, ev.Device, ev.ReceivedAt).Scan(&ev.ID); err != nil {
			return err
		}
		if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM device_events WHERE serial = $1 AND code = $2 AND at > $3 AND at <= $4`,
			ev.Serial, ev.Code, ev.At.Add(-24*time.Hour), ev.At).Scan(&ev.Count24h); err != nil {
			return err
		}
		return then(ctx, q)
	})
}

// OpenDeviceRequestIn opens a request (channel device) for the owner of
// the unit with serial, in q, unless one opened for this serial and code
// is still open; it returns the new request's id, or 0 when it opened
// none (one is open, or no unit has this serial).
func (s *Store) OpenDeviceRequestIn(ctx context.Context, q Querier, serial, code string, in NewRequest, by Actor) (int64, error) {
	var open int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM device_requests d JOIN requests r ON r.id = d.request_id
		WHERE d.serial = $1 AND d.code = $2 AND r.status NOT IN ('resolved', 'closed', 'cancelled')`, serial, code).Scan(&open); err != nil {
		return 0, err
	}
	if open > 0 {
		return 0, nil
	}
	var owner int64
	err := q.QueryRow(ctx, "SELECT customer_id FROM units WHERE serial = $1", serial).Scan(&owner)
	if model.IsNotFound(notFound(err, "unit")) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	in.CustomerID, in.Serial, in.Channel = owner, serial, model.ChannelDevice
	now := s.Now()
	r := &model.Request{Type: in.Type, Status: model.StatusNew, Priority: in.Priority, Channel: in.Channel,
		Subject: in.Subject, Description: in.Description, CustomerID: owner, Version: 1, CreatedAt: now, UpdatedAt: now,
		Serial: serial}
	if err := s.insertRequest(ctx, q, r, in, by, requestTextTerms(r.Subject, r.Description)); err != nil {
		return 0, err
	}
	_, err = q.Exec(ctx, "INSERT INTO device_requests (request_id, serial, code) VALUES ($1, $2, $3)", r.ID, serial, code)
	return r.ID, err
}

// DeviceEvents returns the latest events, newest first, for one serial
// (all when serial is "").
func (s *Store) DeviceEvents(ctx context.Context, serial string, limit int) ([]model.DeviceEvent, error) {
	query := "SELECT id, serial, code, value, at, device, received_at FROM device_events"
	args := []any{limit}
	if serial != "" {
		query += " WHERE serial = $2"
		args = append(args, serial)
	}
	rows, err := s.Read().Query(ctx, query+" ORDER BY at DESC, id DESC LIMIT $1", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.DeviceEvent
	for rows.Next() {
		var e model.DeviceEvent
		if err := rows.Scan(&e.ID, &e.Serial, &e.Code, &e.Value, &e.At, &e.Device, &e.ReceivedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeviceRequestIDs returns the ids of the requests device rules opened,
// oldest first.
func (s *Store) DeviceRequestIDs(ctx context.Context) ([]int64, error) {
	rows, err := s.Read().Query(ctx, "SELECT request_id FROM device_requests ORDER BY request_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
