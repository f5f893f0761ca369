package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
)

// calendarFormPage creates or edits a calendar: one line of hours per
// weekday ("09:00-12:00, 13:00-18:00"), the holidays and make-up days one
// per line, the make-up days' own hours. Errors show beside their field.
type calendarFormPage struct {
	Base
	Edit         bool
	ID, Version  int64
	Name         string
	TimeZone     string
	Days         []dayField
	Holidays     string
	Workdays     string
	WorkdayHours string
	Zones        []string
	Errors       FieldErrors
}

// dayField is one weekday's hours on the form.
type dayField struct {
	Key, Label, Value string
}

// commonZones are offered as suggestions; any IANA zone may be typed.
func commonZones() []string {
	return []string{"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Tokyo", "Asia/Seoul", "Asia/Singapore",
		"Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Moscow",
		"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
		"Australia/Sydney", "UTC"}
}

// calendarFormOf fills the form from in.
func (s *server) calendarFormOf(r *http.Request, in calendar.Input) *calendarFormPage {
	pg := &calendarFormPage{Base: s.base(r, "calendars"), Name: in.Name, TimeZone: in.TimeZone,
		Holidays: strings.Join(in.Holidays, "\n"), Workdays: strings.Join(in.Workdays, "\n"), Zones: commonZones()}
	for _, d := range weekOrder() {
		key := model.WeekdayKeys[d]
		pg.Days = append(pg.Days, dayField{Key: key, Label: s.weekdayLabel(r, d), Value: pairsText(in.Hours[key])})
	}
	pg.WorkdayHours = pairsText(in.WorkdayHours)
	return pg
}

// pairsText writes [["09:00","12:00"], …] the way the form reads it.
func pairsText(pairs [][]string) string {
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = strings.Join(p, "-")
	}
	return strings.Join(parts, ", ")
}

// calendarInputOf reads the posted form.
func calendarInputOf(f map[string][]string) calendar.Input {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	in := calendar.Input{Name: get("name"), TimeZone: strings.TrimSpace(get("timezone")), Hours: map[string][][]string{},
		Holidays: calendar.SplitDates(get("holidays")), Workdays: calendar.SplitDates(get("workdays")),
		WorkdayHours: calendar.SplitIntervals(get("workday_hours"))}
	for _, key := range model.WeekdayKeys {
		if ivs := calendar.SplitIntervals(get("hours." + key)); len(ivs) > 0 {
			in.Hours[key] = ivs
		}
	}
	return in
}

// calendarErrors puts a domain error beside its field: "hours.mon[1]"
// belongs to the Monday line, "holidays[2]" to the holidays box.
func (s *server) calendarErrors(r *http.Request, err error) FieldErrors {
	msg := s.errText(r, err)
	var e *model.Error
	if asError(err, &e) && e.Field != "" && e.Field != "version" {
		field, _, _ := strings.Cut(e.Field, "[")
		return fieldError(field, msg)
	}
	return FieldErrors{Form: msg}
}

// calendarNewForm shows an empty form, or one filled from a preset
// (?preset=cn-2025-2026).
func (s *server) calendarNewForm(w http.ResponseWriter, r *http.Request) {
	in := calendar.Input{TimeZone: s.d.Store.Location().String(), Hours: map[string][][]string{}}
	if key := r.URL.Query().Get("preset"); key != "" {
		preset, err := calendar.Preset(key)
		if err != nil {
			s.notFound(w, r)
			return
		}
		in = preset
	}
	s.render(w, r, http.StatusOK, "calendar_form", s.calendarFormOf(r, in))
}

// calendarNewSubmit creates the calendar and shows it; bad input brings
// the form back with everything typed and the message beside the field.
func (s *server) calendarNewSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	in := calendarInputOf(r.PostForm)
	c, err := s.d.Calendars.Create(r.Context(), *principalOf(r), calendar.CreateInput{Input: in})
	if err != nil {
		if code := model.ErrorCode(err); code != model.EINVALID && code != model.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		pg := s.calendarFormOf(r, in)
		s.keepTyped(pg, r.PostForm)
		pg.Errors = s.calendarErrors(r, err)
		s.render(w, r, statusOf(err), "calendar_form", pg)
		return
	}
	s.flash(r, "flash.calendar_created")
	http.Redirect(w, r, fmt.Sprintf("/admin/calendars/%d", c.ID), http.StatusSeeOther)
}

// keepTyped shows the text as typed, not as parsed (a bad line stays
// visible for correction).
func (s *server) keepTyped(pg *calendarFormPage, f map[string][]string) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	pg.Holidays, pg.Workdays, pg.WorkdayHours = get("holidays"), get("workdays"), get("workday_hours")
	for i := range pg.Days {
		pg.Days[i].Value = get("hours." + pg.Days[i].Key)
	}
}

// calendarEditForm shows a calendar's form with its version.
func (s *server) calendarEditForm(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	c, err := s.d.Calendars.Get(r.Context(), *principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.calendarFormOf(r, calendar.ToInput(c))
	pg.Edit, pg.ID, pg.Version = true, c.ID, c.Version
	s.render(w, r, http.StatusOK, "calendar_form", pg)
}

// calendarEditSubmit saves the form under optimistic locking: a calendar
// changed meanwhile brings the form back with the conflict explained.
func (s *server) calendarEditSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	in := calendarInputOf(r.PostForm)
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	workday := in.WorkdayHours
	if workday == nil {
		workday = [][]string{} // an empty box: back to Monday's hours
	}
	holidays, workdays := in.Holidays, in.Workdays
	if holidays == nil {
		holidays = []string{}
	}
	if workdays == nil {
		workdays = []string{}
	}
	c, err := s.d.Calendars.Update(r.Context(), *principalOf(r), id, calendar.Patch{Name: &in.Name, TimeZone: &in.TimeZone,
		Hours: in.Hours, Holidays: holidays, Workdays: workdays, WorkdayHours: workday, Version: max(version, 1)})
	if err != nil {
		if code := model.ErrorCode(err); code != model.EINVALID && code != model.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		pg := s.calendarFormOf(r, in)
		s.keepTyped(pg, r.PostForm)
		pg.Edit, pg.ID, pg.Version = true, id, version
		pg.Errors = s.calendarErrors(r, err)
		s.render(w, r, statusOf(err), "calendar_form", pg)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/admin/calendars/%d", c.ID), http.StatusSeeOther)
}
