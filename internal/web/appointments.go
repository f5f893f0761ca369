package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
)

// appointmentsPage is a day view: a centre's appointments on a day in its
// time zone, or a technician's.
type appointmentsPage struct {
	Base
	Centre           *model.ServiceCentre
	Centres          []Option
	Technicians      []Option
	TechnicianID     int64
	Date             string
	PrevURL, NextURL string
	Items            []appointmentRow
	Booked, Capacity int
	CanBook          bool
	BookURL          string
	Loc              *time.Location
}

// appointmentRow is one appointment with what the reader may do to it.
type appointmentRow struct {
	model.Appointment
	Start, End string // local times in the centre's zone
	CanCancel  bool
}

// technicians lists the active technicians, of one centre when centreID
// is set.
func (s *server) technicians(ctx context.Context, centreID int64) ([]model.User, error) {
	us, err := s.d.Store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	var out []model.User
	for _, u := range us {
		if u.Active && u.Role == model.RoleTechnician && (centreID == 0 || (u.CentreID != nil && *u.CentreID == centreID)) {
			out = append(out, u)
		}
	}
	return out, nil
}

// mayCancel mirrors network.Service's rule for the cancel buttons.
func mayCancel(p *model.Principal, a *model.Appointment) bool {
	if !p.Can(model.PermAppointmentBook) || a.Status != model.AppointmentBooked {
		return false
	}
	if p.Role == model.RoleTechnician || p.Role == model.RoleCentreManager {
		return p.AtCentre(a.CentreID)
	}
	return true
}

// appointments renders a day view.
func (s *server) appointments(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	ctx := r.Context()
	q := r.URL.Query()
	cs, err := s.d.Network.ListCentres(ctx, *p, network.Search{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := appointmentsPage{Base: s.base(r, "appointments"), CanBook: p.Can(model.PermAppointmentBook)}
	code := q.Get("centre")
	if code == "" {
		for _, c := range cs {
			if p.AtCentre(c.ID) || code == "" {
				code = c.Code
			}
			if p.AtCentre(c.ID) {
				break
			}
		}
	}
	for i := range cs {
		if cs[i].Code == code {
			page.Centre = &cs[i]
		}
	}
	page.Centres = centreOptions(cs, code, "")
	if page.Centre == nil {
		s.render(w, r, http.StatusOK, "appointments", page)
		return
	}
	page.Loc = page.Centre.Location()
	day, err := time.Parse(time.DateOnly, q.Get("date"))
	if err != nil {
		y, m, d := s.d.Store.Now().In(page.Loc).Date()
		day = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	page.Date = day.Format(time.DateOnly)
	page.TechnicianID, _ = strconv.ParseInt(q.Get("technician"), 10, 64)
	techs, err := s.technicians(ctx, page.Centre.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Technicians = []Option{{Value: "", Label: s.tr(r, "appointments.whole_centre"), Selected: page.TechnicianID == 0}}
	for _, u := range techs {
		page.Technicians = append(page.Technicians, Option{Value: itoa(u.ID), Label: u.Name, Selected: u.ID == page.TechnicianID})
	}
	dq := network.DayQuery{Centre: page.Centre.Code, Date: page.Date}
	if page.TechnicianID != 0 {
		dq = network.DayQuery{TechnicianID: page.TechnicianID, Date: page.Date}
	}
	items, err := s.d.Network.List(ctx, *p, dq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range items {
		if a.CentreID == page.Centre.ID {
			page.Booked++
		}
		page.Items = append(page.Items, appointmentRow{Appointment: a, Start: a.StartsAt.In(page.Loc).Format("15:04"),
			End: a.EndsAt.In(page.Loc).Format("15:04"), CanCancel: mayCancel(p, &a)})
	}
	page.Capacity = page.Centre.DailyCapacity
	link := func(d time.Time) string {
		v := url.Values{"centre": {page.Centre.Code}, "date": {d.Format(time.DateOnly)}}
		if page.TechnicianID != 0 {
			v.Set("technician", itoa(page.TechnicianID))
		}
		return "/appointments?" + v.Encode()
	}
	page.PrevURL, page.NextURL = link(day.AddDate(0, 0, -1)), link(day.AddDate(0, 0, 1))
	page.BookURL = "/appointments/new?" + url.Values{"centre": {page.Centre.Code}, "date": {page.Date}}.Encode()
	s.render(w, r, http.StatusOK, "appointments", page)
}

// bookPage is the booking form.
type bookPage struct {
	Base
	Centres     []Option
	Technicians []Option
	Kinds       []Option
	Form        bookForm
	Errors      FieldErrors
}

// bookForm is what was typed into the booking form; times are in the
// centre's time zone.
type bookForm struct {
	Centre, Request, Kind, Technician, Date, Start, End, Address, Note string
}

var bookFields = []string{"centre", "request_number", "kind", "technician_id", "starts_at", "ends_at", "address", "note"}

func (s *server) newBookPage(r *http.Request, f bookForm) (*bookPage, error) {
	p := principalOf(r)
	ctx := r.Context()
	cs, err := s.d.Network.ListCentres(ctx, *p, network.Search{})
	if err != nil {
		return nil, err
	}
	if f.Centre == "" {
		for _, c := range cs {
			if p.AtCentre(c.ID) {
				f.Centre = c.Code
			}
		}
	}
	if f.Kind == "" {
		f.Kind = string(model.AppointmentInStore)
	}
	page := &bookPage{Base: s.base(r, "appointments"), Centres: centreOptions(cs, f.Centre, s.tr(r, "form.choose")), Form: f}
	techs, err := s.technicians(ctx, 0)
	if err != nil {
		return nil, err
	}
	codes := map[int64]string{}
	for _, c := range cs {
		codes[c.ID] = c.Code
	}
	page.Technicians = []Option{{Value: "", Label: s.tr(r, "appointments.any_technician"), Selected: f.Technician == ""}}
	for _, u := range techs {
		label := u.Name
		if u.CentreID != nil {
			label += " · " + codes[*u.CentreID]
		}
		page.Technicians = append(page.Technicians, Option{Value: itoa(u.ID), Label: label, Selected: itoa(u.ID) == f.Technician})
	}
	for _, k := range []model.AppointmentKind{model.AppointmentInStore, model.AppointmentOnSite} {
		page.Kinds = append(page.Kinds, Option{Value: string(k), Label: s.tr(r, "appointment.kind."+string(k)), Selected: f.Kind == string(k)})
	}
	return page, nil
}

// appointmentNewForm shows the booking form, pre-filled from the query.
func (s *server) appointmentNewForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	date := q.Get("date")
	if date == "" {
		date = s.d.Store.Now().In(s.d.Store.Location()).AddDate(0, 0, 1).Format(time.DateOnly)
	}
	page, err := s.newBookPage(r, bookForm{Centre: q.Get("centre"), Date: date, Request: q.Get("request"),
		Start: "10:00", End: "11:00"})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "appointment_new", page)
}

// appointmentNewSubmit books, or shows the form again with the conflict
// or the mistake beside its field.
func (s *server) appointmentNewSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	form := bookForm{Centre: f.Get("centre"), Request: strings.ToUpper(strings.TrimSpace(f.Get("request_number"))),
		Kind: f.Get("kind"), Technician: f.Get("technician_id"), Date: f.Get("date"), Start: f.Get("start"), End: f.Get("end"),
		Address: f.Get("address"), Note: f.Get("note")}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.newBookPage(r, form)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Errors = fe
		s.render(w, r, status, "appointment_new", page)
	}
	in := network.BookInput{Centre: form.Centre, RequestNumber: form.Request, Kind: model.AppointmentKind(form.Kind),
		Address: form.Address, Note: form.Note}
	if form.Technician != "" {
		id, ok := parseInt(form.Technician)
		if !ok {
			rerender(http.StatusUnprocessableEntity, fieldError("technician_id", s.tr(r, "form.invalid")))
			return
		}
		in.TechnicianID = &id
	}
	loc := s.d.Store.Location()
	if c, err := s.d.Store.CentreByCode(r.Context(), form.Centre); err == nil {
		loc = c.Location()
	}
	var err error
	if in.StartsAt, err = time.ParseInLocation("2006-01-02 15:04", form.Date+" "+form.Start, loc); err != nil {
		rerender(http.StatusUnprocessableEntity, fieldError("starts_at", s.tr(r, "appointments.bad_time")))
		return
	}
	if in.EndsAt, err = time.ParseInLocation("2006-01-02 15:04", form.Date+" "+form.End, loc); err != nil {
		rerender(http.StatusUnprocessableEntity, fieldError("ends_at", s.tr(r, "appointments.bad_time")))
		return
	}
	a, err := s.d.Network.Book(r.Context(), *principalOf(r), in)
	if err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, bookFields...))
		return
	}
	s.flash(r, "flash.appointment_booked")
	http.Redirect(w, r, "/appointments?"+url.Values{"centre": {a.CentreCode}, "date": {a.LocalDay.Format(time.DateOnly)}}.Encode(), http.StatusSeeOther)
}

// appointmentCancel cancels an appointment and goes back to the day view.
func (s *server) appointmentCancel(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	id, ok := parseInt(r.PathValue("id"))
	if !ok {
		s.notFound(w, r)
		return
	}
	back := localPath(f.Get("back"), "/appointments")
	if _, err := s.d.Network.Cancel(r.Context(), *principalOf(r), id, f.Get("reason")); err != nil {
		if model.ErrorCode(err) != model.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		s.flash(r, "flash.appointment_not_cancelled")
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	s.flash(r, "flash.appointment_cancelled")
	http.Redirect(w, r, back, http.StatusSeeOther)
}
