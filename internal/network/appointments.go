package network

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// MaxAppointment is the longest appointment: an on-site visit window of
// a working day.
const MaxAppointment = 12 * time.Hour

// BookInput is an appointment to book.
type BookInput struct {
	Centre        string // centre code
	TechnicianID  *int64
	StartsAt      time.Time
	EndsAt        time.Time
	RequestNumber string
	Kind          model.AppointmentKind
	Address       string // on-site: where; defaults to the customer's address
	Note          string
}

// actor is the timeline actor of p.
func actor(p model.Principal) store.Actor {
	kind, ch := model.AuthorStaff, model.ChannelWeb
	if p.IsCustomer() {
		kind = model.AuthorCustomer
	}
	id := p.ID
	return store.Actor{Kind: kind, ID: &id, Name: p.Name, Channel: ch}
}

// Book books an appointment (model.PermAppointmentBook) for a request:
// at a centre, optionally with a technician of that centre. A technician
// already booked in an overlapping window, or a centre whose day (in the
// centre's time zone) has reached its daily capacity, is ECONFLICT; the
// store checks both under locks, so concurrent bookings cannot pass
// together. In-store slots must fall within the opening hours when the
// centre has recorded them.
//
// Customers book for their own requests, cannot choose the technician
// and cannot book in the past; technicians and centre managers book at
// their own centre. Staff may record a past appointment (arranged by
// phone and entered afterwards).
func (s *Service) Book(ctx context.Context, p model.Principal, in BookInput) (*model.Appointment, error) {
	a, err := s.PrepareBooking(ctx, p, in)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.RequestNumber) == "" {
		return nil, model.FieldError("request_number", "is required")
	}
	check := func(r *model.Request) error {
		if p.IsCustomer() && r.CustomerID != p.ID {
			return model.FieldError("request_number", "There is no request with the number “%s”; check the number.", in.RequestNumber)
		}
		if r.Status == model.StatusClosed || r.Status == model.StatusCancelled {
			return model.Conflict("request_number", "request %s is %s", r.Number, r.Status)
		}
		return nil
	}
	if a.Kind == model.AppointmentOnSite && a.Address == "" {
		r, err := s.store.RequestByNumber(ctx, strings.TrimSpace(in.RequestNumber))
		if err == nil {
			if cust, err := s.store.CustomerByID(ctx, r.CustomerID); err == nil && (!p.IsCustomer() || cust.ID == p.ID) {
				a.Address = strings.TrimSpace(cust.City + " " + cust.Address)
			}
		}
		if a.Address == "" {
			return nil, model.FieldError("address", "is required for an on-site visit")
		}
	}
	if err := s.store.BookAppointment(ctx, a, strings.TrimSpace(in.RequestNumber), actor(p), check); err != nil {
		return nil, err
	}
	return a, nil
}

// PrepareBooking checks a booking the way Book does — who may book
// where, the window, the opening hours, the technician — and returns the
// appointment to store, without its request (in.RequestNumber is not
// read) and, for an on-site visit without an address, without one. The
// repair service books with a request it creates in the same
// transaction.
func (s *Service) PrepareBooking(ctx context.Context, p model.Principal, in BookInput) (*model.Appointment, error) {
	if !p.Can(model.PermAppointmentBook) {
		return nil, forbidden()
	}
	if !in.Kind.Valid() {
		return nil, model.FieldError("kind", "must be in_store or on_site")
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
	if p.IsStaff() && (p.Role == model.RoleTechnician || p.Role == model.RoleCentreManager) && !p.AtCentre(c.ID) {
		return nil, model.Errorf(model.EFORBIDDEN, "you may book only at your own centre")
	}
	switch {
	case in.StartsAt.IsZero():
		return nil, model.FieldError("starts_at", "is required")
	case in.EndsAt.IsZero():
		return nil, model.FieldError("ends_at", "is required")
	case !in.EndsAt.After(in.StartsAt):
		return nil, model.FieldError("ends_at", "must be after starts_at")
	case in.EndsAt.Sub(in.StartsAt) > MaxAppointment:
		return nil, model.FieldError("ends_at", "an appointment lasts at most %d hours", int(MaxAppointment/time.Hour))
	case utf8.RuneCountInString(in.Address) > 500:
		return nil, model.FieldError("address", "must be at most %d characters", 500)
	case utf8.RuneCountInString(in.Note) > 1000:
		return nil, model.FieldError("note", "must be at most %d characters", 1000)
	}
	if p.IsCustomer() {
		if in.TechnicianID != nil {
			return nil, model.FieldError("technician_id", "customers cannot choose the technician")
		}
		if in.StartsAt.Before(s.now()) {
			return nil, model.FieldError("starts_at", "must not be in the past")
		}
	}
	loc := c.Location()
	if in.Kind == model.AppointmentInStore && c.Hours.Recorded() && !c.Hours.Covers(in.StartsAt, in.EndsAt, loc) {
		return nil, model.FieldError("starts_at", "the centre is not open then (opening hours: %s)", c.Hours.String())
	}
	if in.TechnicianID != nil {
		if err := s.checkTechnician(ctx, *in.TechnicianID, c); err != nil {
			return nil, err
		}
	}
	y, m, d := in.StartsAt.In(loc).Date()
	a := &model.Appointment{CentreID: c.ID, CentreCode: c.Code, TechnicianID: in.TechnicianID, Kind: in.Kind,
		StartsAt: in.StartsAt.UTC().Truncate(time.Second), EndsAt: in.EndsAt.UTC().Truncate(time.Second),
		LocalDay: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Address: strings.TrimSpace(in.Address),
		Note: strings.TrimSpace(in.Note), BookedByKind: p.Kind, BookedBy: p.Name}
	if p.ID != 0 {
		id := p.ID
		a.BookedByID = &id
	}
	return a, nil
}

// checkTechnician verifies that id is an active technician who works at
// centre c, or at no centre yet (a roaming technician may be booked
// anywhere); one attached to another centre is refused.
func (s *Service) checkTechnician(ctx context.Context, id int64, c *model.ServiceCentre) error {
	u, err := s.store.UserByID(ctx, id)
	if model.IsNotFound(err) {
		return model.FieldError("technician_id", "There is no technician with id %d; choose one of the technicians.", id)
	} else if err != nil {
		return err
	}
	switch {
	case !u.Active || u.Role != model.RoleTechnician:
		return model.FieldError("technician_id", "There is no technician with id %d; choose one of the technicians.", id)
	case u.CentreID != nil && *u.CentreID != c.ID:
		return model.FieldError("technician_id", "technician %d does not work at centre %s", id, c.Code)
	}
	return nil
}

// Cancel cancels a booked appointment (model.PermAppointmentBook):
// customers their own, technicians and centre managers at their centre.
func (s *Service) Cancel(ctx context.Context, p model.Principal, id int64, reason string) (*model.Appointment, error) {
	if !p.Can(model.PermAppointmentBook) {
		return nil, forbidden()
	}
	if utf8.RuneCountInString(reason) > 500 {
		return nil, model.FieldError("reason", "must be at most %d characters", 500)
	}
	return s.store.CancelAppointment(ctx, id, strings.TrimSpace(reason), actor(p), func(a *model.Appointment) error {
		return s.mayTouch(p, a)
	})
}

// mayTouch says whether p may see or change appointment a: customers
// their own (anything else is not found, so as not to tell it exists),
// technicians and centre managers those of their centre (read: any).
func (s *Service) mayTouch(p model.Principal, a *model.Appointment) error {
	switch {
	case p.IsCustomer():
		if a.CustomerID != p.ID {
			return model.Errorf(model.ENOTFOUND, "appointment not found")
		}
	case p.Role == model.RoleTechnician || p.Role == model.RoleCentreManager:
		if !p.AtCentre(a.CentreID) {
			return model.Errorf(model.EFORBIDDEN, "you may change appointments of your own centre only")
		}
	}
	return nil
}

// Appointment returns one appointment (model.PermAppointmentRead);
// customers see only their own.
func (s *Service) Appointment(ctx context.Context, p model.Principal, id int64) (*model.Appointment, error) {
	if !p.Can(model.PermAppointmentRead) {
		return nil, forbidden()
	}
	a, err := s.store.AppointmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.IsCustomer() && a.CustomerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "appointment not found")
	}
	return a, nil
}

// DayQuery selects appointments: a centre's or a technician's day (Date
// is a calendar day in the centre's time zone), a request's appointments,
// or, without a date, those not yet over.
type DayQuery struct {
	Centre           string
	TechnicianID     int64
	RequestNumber    string
	Date             string // YYYY-MM-DD
	IncludeCancelled bool
}

// List returns the appointments q selects in time order
// (model.PermAppointmentRead); customers see only their own.
func (s *Service) List(ctx context.Context, p model.Principal, q DayQuery) ([]model.Appointment, error) {
	if !p.Can(model.PermAppointmentRead) {
		return nil, forbidden()
	}
	f := model.AppointmentFilter{TechnicianID: q.TechnicianID, IncludeCancelled: q.IncludeCancelled}
	if code := strings.TrimSpace(q.Centre); code != "" {
		c, err := s.store.CentreByCode(ctx, code)
		if model.IsNotFound(err) {
			return nil, model.FieldError("centre", "There is no service centre with the code “%s”; choose one of the centres.", code)
		} else if err != nil {
			return nil, err
		}
		f.CentreID = c.ID
	}
	if n := strings.TrimSpace(q.RequestNumber); n != "" {
		r, err := s.store.RequestByNumber(ctx, n)
		if model.IsNotFound(err) || (err == nil && p.IsCustomer() && r.CustomerID != p.ID) {
			return []model.Appointment{}, nil
		} else if err != nil {
			return nil, err
		}
		f.RequestID = r.ID
	}
	if q.Date != "" {
		d, err := time.Parse(time.DateOnly, q.Date)
		if err != nil {
			return nil, model.FieldError("date", "The appointment date must be a date such as 2026-03-01.")
		}
		f.Day = &d
	} else if f.RequestID == 0 {
		now := s.now()
		f.From = &now
	}
	if p.IsCustomer() {
		f.CustomerID = p.ID
	}
	return s.store.ListAppointments(ctx, f)
}
