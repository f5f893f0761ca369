package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// BookAppointment inserts an appointment for the request with number,
// with an "appointment" event on the request's timeline, in one
// transaction. It locks the centre (and the technician, if any) first, so
// that concurrent bookings are checked one after the other: a technician
// already booked in an overlapping window, or a centre whose day (in its
// time zone, a.LocalDay) is full, is ECONFLICT. check, when set, sees the
// request before anything is written (customers book for their own
// requests only).
func (s *Store) BookAppointment(ctx context.Context, a *model.Appointment, number string, by Actor, check func(*model.Request) error) error {
	a.CreatedAt, a.Status = s.Now(), model.AppointmentBooked
	return s.Tx(ctx, func(q Querier) error {
		var r model.Request
		if err := q.QueryRow(ctx, "SELECT id, number, customer_id, status FROM requests WHERE number = $1", number).
			Scan(&r.ID, &r.Number, &r.CustomerID, &r.Status); err != nil {
			if model.IsNotFound(notFound(err, "request")) {
				return model.FieldError("request_number", "There is no request with the number “%s”; check the number.", number)
			}
			return err
		}
		if check != nil {
			if err := check(&r); err != nil {
				return err
			}
		}
		a.RequestID, a.RequestNumber, a.CustomerID = r.ID, r.Number, r.CustomerID
		return s.insertAppointment(ctx, q, a, by)
	})
}

// insertAppointment books a (its request set, CreatedAt and Status
// filled) inside the caller's transaction: it locks the centre and the
// technician, refuses an overlap or a full day (ECONFLICT), inserts the
// row and its "appointment" timeline event.
func (s *Store) insertAppointment(ctx context.Context, q Querier, a *model.Appointment, by Actor) error {
	var capacity int
	var active bool
	if err := q.QueryRow(ctx, "SELECT code, daily_capacity, active FROM service_centres WHERE id = $1"+s.forUpdate(),
		a.CentreID).Scan(&a.CentreCode, &capacity, &active); err != nil {
		return notFound(err, "service centre")
	}
	if !active {
		return model.Conflict("centre", "this service centre is closed")
	}
	if a.TechnicianID != nil {
		var name string
		if err := q.QueryRow(ctx, "SELECT name FROM users WHERE id = $1"+s.forUpdate(), *a.TechnicianID).Scan(&name); err != nil {
			return notFound(err, "user")
		}
		a.Technician = name
		var clash model.Appointment
		err := q.QueryRow(ctx, `SELECT id, starts_at, ends_at FROM appointments
			WHERE technician_id = $1 AND status = $2 AND starts_at < $3 AND ends_at > $4 ORDER BY starts_at LIMIT 1`,
			*a.TechnicianID, model.AppointmentBooked, a.EndsAt, a.StartsAt).Scan(&clash.ID, &clash.StartsAt, &clash.EndsAt)
		if err == nil {
			return model.Conflict("technician_id", "the technician is already booked from %s to %s (appointment %d)",
				clash.StartsAt.Format(time.RFC3339), clash.EndsAt.Format(time.RFC3339), clash.ID)
		}
		if !model.IsNotFound(notFound(err, "")) {
			return err
		}
	}
	var booked int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM appointments WHERE centre_id = $1 AND local_day = $2 AND status = $3",
		a.CentreID, a.LocalDay, model.AppointmentBooked).Scan(&booked); err != nil {
		return err
	}
	if booked >= capacity {
		return model.Conflict("starts_at", "the centre is fully booked on %s (%d of %d appointments)",
			a.LocalDay.Format(time.DateOnly), booked, capacity)
	}
	err := q.QueryRow(ctx, `INSERT INTO appointments (centre_id, technician_id, request_id, kind, status, starts_at, ends_at,
		local_day, address, note, booked_by_kind, booked_by_id, booked_by_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		a.CentreID, a.TechnicianID, a.RequestID, string(a.Kind), a.Status, a.StartsAt, a.EndsAt, a.LocalDay, a.Address,
		a.Note, string(a.BookedByKind), a.BookedByID, a.BookedBy, a.CreatedAt).Scan(&a.ID)
	if err != nil {
		return err
	}
	if err := insertEvent(ctx, q, a.RequestID, by, "appointment", strconv.FormatInt(a.ID, 10),
		AppointmentSummary(a), a.CreatedAt); err != nil {
		return err
	}
	_, err = q.Exec(ctx, "UPDATE requests SET updated_at = $1 WHERE id = $2", a.CreatedAt, a.RequestID)
	return err
}

// AppointmentSummary is the timeline's record of a booking: kind, centre
// and window ("in_store BJ01 2026-05-04T02:00:00Z/2026-05-04T03:00:00Z");
// the pages render it in the reader's language and time zone.
func AppointmentSummary(a *model.Appointment) string {
	return fmt.Sprintf("%s %s %s/%s", a.Kind, a.CentreCode, a.StartsAt.UTC().Format(time.RFC3339), a.EndsAt.UTC().Format(time.RFC3339))
}

// CancelAppointment cancels a booked appointment under a row lock, with
// an event on the request's timeline; check sees it first (who may
// cancel). Cancelling one already cancelled is ECONFLICT.
func (s *Store) CancelAppointment(ctx context.Context, id int64, reason string, by Actor, check func(*model.Appointment) error) (*model.Appointment, error) {
	var a model.Appointment
	err := s.Tx(ctx, func(q Querier) error {
		if err := scanAppointment(q.QueryRow(ctx, appointmentSelect+"WHERE a.id = $1"+s.forUpdateOf("a"), id), &a); err != nil {
			return notFound(err, "appointment")
		}
		if check != nil {
			if err := check(&a); err != nil {
				return err
			}
		}
		if a.Status != model.AppointmentBooked {
			return model.Conflict("status", "the appointment is already %s", model.Term{Key: "appointment.state.", Value: a.Status})
		}
		now := s.Now()
		a.Status, a.CancelledAt, a.CancelReason = model.AppointmentCancelled, &now, reason
		if _, err := q.Exec(ctx, "UPDATE appointments SET status = $1, cancelled_at = $2, cancel_reason = $3 WHERE id = $4",
			a.Status, now, reason, a.ID); err != nil {
			return err
		}
		if err := insertEvent(ctx, q, a.RequestID, by, "appointment_cancelled", strconv.FormatInt(a.ID, 10),
			AppointmentSummary(&a), now); err != nil {
			return err
		}
		_, err := q.Exec(ctx, "UPDATE requests SET updated_at = $1 WHERE id = $2", now, a.RequestID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

const appointmentSelect = `SELECT a.id, a.centre_id, c.code, a.technician_id, COALESCE(u.name, ''), a.request_id, r.number,
	r.customer_id, a.kind, a.status, a.starts_at, a.ends_at, a.local_day, a.address, a.note, a.booked_by_kind, a.booked_by_id,
	a.booked_by_name, a.created_at, a.cancelled_at, a.cancel_reason
	FROM appointments a JOIN service_centres c ON c.id = a.centre_id JOIN requests r ON r.id = a.request_id
	LEFT JOIN users u ON u.id = a.technician_id `

func scanAppointment(r Row, a *model.Appointment) error {
	return r.Scan(&a.ID, &a.CentreID, &a.CentreCode, &a.TechnicianID, &a.Technician, &a.RequestID, &a.RequestNumber,
		&a.CustomerID, &a.Kind, &a.Status, &a.StartsAt, &a.EndsAt, &a.LocalDay, &a.Address, &a.Note, &a.BookedByKind,
		&a.BookedByID, &a.BookedBy, &a.CreatedAt, &a.CancelledAt, &a.CancelReason)
}

// AppointmentByID returns one appointment.
func (s *Store) AppointmentByID(ctx context.Context, id int64) (*model.Appointment, error) {
	var a model.Appointment
	if err := scanAppointment(s.Read().QueryRow(ctx, appointmentSelect+"WHERE a.id = $1", id), &a); err != nil {
		return nil, notFound(err, "appointment")
	}
	return &a, nil
}

// ListAppointments returns the appointments matching f in time order
// (at most f.Limit, default 200: a day view of a centre or technician).
func (s *Store) ListAppointments(ctx context.Context, f model.AppointmentFilter) ([]model.Appointment, error) {
	query := appointmentSelect + "WHERE 1 = 1"
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		query += " AND " + cond + " $" + strconv.Itoa(len(args))
	}
	if f.CentreID != 0 {
		add("a.centre_id =", f.CentreID)
	}
	if f.TechnicianID != 0 {
		add("a.technician_id =", f.TechnicianID)
	}
	if f.RequestID != 0 {
		add("a.request_id =", f.RequestID)
	}
	if f.CustomerID != 0 {
		add("r.customer_id =", f.CustomerID)
	}
	if f.Day != nil {
		add("a.local_day =", *f.Day)
	}
	if f.From != nil {
		add("a.ends_at >", *f.From)
	}
	if !f.IncludeCancelled {
		add("a.status =", model.AppointmentBooked)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := s.Read().Query(ctx, query+" ORDER BY a.starts_at, a.id LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Appointment
	for rows.Next() {
		var a model.Appointment
		if err := scanAppointment(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InsertAppointments bulk-inserts appointments with their ids (the demo).
func (s *Store) InsertAppointments(ctx context.Context, rows []model.Appointment) error {
	cols := []string{"id", "centre_id", "technician_id", "request_id", "kind", "status", "starts_at", "ends_at", "local_day",
		"address", "note", "booked_by_kind", "booked_by_id", "booked_by_name", "created_at"}
	return s.Tx(ctx, func(q Querier) error {
		err := s.bulkInsert(ctx, q, "appointments", cols, len(rows), func(a []any, i int) []any {
			r := &rows[i]
			return append(a, r.ID, r.CentreID, r.TechnicianID, r.RequestID, string(r.Kind), r.Status, r.StartsAt, r.EndsAt,
				r.LocalDay, r.Address, r.Note, string(r.BookedByKind), r.BookedByID, r.BookedBy, r.CreatedAt)
		})
		if err != nil {
			return err
		}
		return s.syncIdentity(ctx, q, "appointments")
	})
}
