package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
)

// Appointment is a booked in-store slot or on-site visit window.
type Appointment struct {
	ID            int64      `json:"id"`
	Centre        string     `json:"centre"`
	TechnicianID  *int64     `json:"technician_id,omitempty"`
	Technician    string     `json:"technician,omitempty"`
	RequestNumber string     `json:"request_number"`
	Kind          string     `json:"kind" enum:"in_store,on_site"`
	Status        string     `json:"status" enum:"booked,cancelled"`
	StartsAt      time.Time  `json:"starts_at"`
	EndsAt        time.Time  `json:"ends_at"`
	Day           string     `json:"day" format:"date" doc:"The day in the centre's time zone, which its daily capacity counts."`
	Address       string     `json:"address,omitempty"`
	Note          string     `json:"note,omitempty"`
	BookedBy      string     `json:"booked_by"`
	CreatedAt     time.Time  `json:"created_at"`
	CancelledAt   *time.Time `json:"cancelled_at,omitempty"`
	CancelReason  string     `json:"cancel_reason,omitempty"`
}

func toAppointment(a *model.Appointment) Appointment {
	return Appointment{ID: a.ID, Centre: a.CentreCode, TechnicianID: a.TechnicianID, Technician: a.Technician,
		RequestNumber: a.RequestNumber, Kind: string(a.Kind), Status: a.Status, StartsAt: a.StartsAt, EndsAt: a.EndsAt,
		Day: a.LocalDay.Format(time.DateOnly), Address: a.Address, Note: a.Note, BookedBy: a.BookedBy,
		CreatedAt: a.CreatedAt, CancelledAt: a.CancelledAt, CancelReason: a.CancelReason}
}

type bookInput struct {
	Body struct {
		Centre        string    `json:"centre" doc:"Centre code."`
		TechnicianID  *int64    `json:"technician_id,omitempty" doc:"A technician of that centre (staff only)."`
		StartsAt      time.Time `json:"starts_at" doc:"RFC 3339, e.g. 2026-05-04T10:00:00+08:00."`
		EndsAt        time.Time `json:"ends_at"`
		RequestNumber string    `json:"request_number" example:"SR-2026-000123"`
		Kind          string    `json:"kind" enum:"in_store,on_site"`
		Address       string    `json:"address,omitempty" maxLength:"500" doc:"On-site visits: where; default the customer's address."`
		Note          string    `json:"note,omitempty" maxLength:"1000"`
	}
}

type appointmentOutput struct {
	Body Appointment
}

type appointmentIDInput struct {
	ID int64 `path:"id"`
}

type cancelInput struct {
	ID   int64 `path:"id"`
	Body *struct {
		Reason string `json:"reason,omitempty" maxLength:"500"`
	}
}

type listAppointmentsInput struct {
	Centre        string `query:"centre" doc:"A centre's code: its day view with date."`
	TechnicianID  int64  `query:"technician_id" doc:"A technician's day view with date."`
	RequestNumber string `query:"request_number"`
	Date          string `query:"date" format:"date" doc:"A day in the centre's time zone; without it (and without request_number), appointments not yet over."`
	Cancelled     bool   `query:"include_cancelled"`
}

type appointmentListOutput struct {
	Body struct {
		Items []Appointment `json:"items"`
	}
}

func (s *server) registerAppointments() {
	register(s, huma.Operation{
		OperationID: "book-appointment", Method: http.MethodPost, Path: "/api/v1/appointments",
		Summary: "Book an in-store slot or an on-site visit", Tags: []string{"network"}, DefaultStatus: http.StatusCreated,
		Description: "409 when the window overlaps another appointment of the technician, or the centre's day (in its " +
			"time zone) is at its daily capacity; both are checked under locks, so concurrent bookings cannot pass together. " +
			"In-store slots must fall within the opening hours when the centre has recorded them. Customers book for " +
			"their own requests, not in the past, without choosing the technician; technicians and centre managers at " +
			"their own centre. The booking goes on the request's timeline.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermAppointmentBook), func(ctx context.Context, in *bookInput) (*appointmentOutput, error) {
		b := in.Body
		a, err := s.d.Network.Book(ctx, principalFrom(ctx), network.BookInput{Centre: b.Centre, TechnicianID: b.TechnicianID,
			StartsAt: b.StartsAt, EndsAt: b.EndsAt, RequestNumber: b.RequestNumber, Kind: model.AppointmentKind(b.Kind),
			Address: b.Address, Note: b.Note})
		if err != nil {
			return nil, err
		}
		return &appointmentOutput{Body: toAppointment(a)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-appointments", Method: http.MethodGet, Path: "/api/v1/appointments",
		Summary: "Appointments: a centre's or a technician's day, or a request's", Tags: []string{"network"},
		Description: "In time order. Customers see only their own.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, can(model.PermAppointmentRead), func(ctx context.Context, in *listAppointmentsInput) (*appointmentListOutput, error) {
		as, err := s.d.Network.List(ctx, principalFrom(ctx), network.DayQuery{Centre: in.Centre, TechnicianID: in.TechnicianID,
			RequestNumber: in.RequestNumber, Date: in.Date, IncludeCancelled: in.Cancelled})
		if err != nil {
			return nil, at("query", err)
		}
		out := &appointmentListOutput{}
		out.Body.Items = make([]Appointment, len(as))
		for i := range as {
			out.Body.Items[i] = toAppointment(&as[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-appointment", Method: http.MethodGet, Path: "/api/v1/appointments/{id}",
		Summary: "Get an appointment", Tags: []string{"network"}, Errors: []int{http.StatusNotFound},
	}, can(model.PermAppointmentRead), func(ctx context.Context, in *appointmentIDInput) (*appointmentOutput, error) {
		a, err := s.d.Network.Appointment(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &appointmentOutput{Body: toAppointment(a)}, nil
	})

	register(s, huma.Operation{
		OperationID: "cancel-appointment", Method: http.MethodPost, Path: "/api/v1/appointments/{id}/cancel",
		Summary: "Cancel an appointment", Tags: []string{"network"},
		Description: "Frees the technician's time and the centre's capacity. Already cancelled: 409.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermAppointmentBook), func(ctx context.Context, in *cancelInput) (*appointmentOutput, error) {
		var reason string
		if in.Body != nil {
			reason = in.Body.Reason
		}
		a, err := s.d.Network.Cancel(ctx, principalFrom(ctx), in.ID, reason)
		if err != nil {
			return nil, err
		}
		return &appointmentOutput{Body: toAppointment(a)}, nil
	})
}
