package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
)

// calendarShowPage shows one calendar month by month, with the "when
// would this be due?" form.
type calendarShowPage struct {
	Base
	Cal         *model.Calendar
	Week        []weekLine
	MakeupHours string
	Teams       []string
	CanManage   bool

	Month, MonthLabel          string // "2026-10", "2026年10月"
	PrevURL, NextURL, TodayURL string
	DayNames                   []string
	Weeks                      [][7]dayCell

	// The due-time form and its answer.
	Start, Minutes string
	Due            *dueAnswer
	DueErrors      FieldErrors
}

// weekLine is one weekday's hours.
type weekLine struct{ Day, Hours string }

// dayCell is one day of the month grid.
type dayCell struct {
	calendar.Day
	Number       int
	Hours        string // "09:00-12:00, 13:00-18:00"
	Worked       string // "8h", "7.5h"
	Today, IsDue bool
	IsStart      bool
	KindLabel    string
	OutsideMonth bool
}

// dueAnswer is a due time in the calendar's zone and in UTC.
type dueAnswer struct {
	Local, UTC, Zone string
	Minutes          string
}

// calendarShow renders a calendar's month (?month=2026-10) and answers
// ?start=…&minutes=… with the due time.
func (s *server) calendarShow(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	c, err := s.d.Calendars.Get(r.Context(), *p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, err := s.d.Calendars.Compile(c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	loc := k.Location()
	q := r.URL.Query()
	pg := calendarShowPage{Base: s.base(r, "calendars"), Cal: c, CanManage: p.Can(model.PermCalendarManage),
		Start: strings.TrimSpace(q.Get("start")), Minutes: strings.TrimSpace(q.Get("minutes"))}
	for _, d := range weekOrder() {
		pg.Week = append(pg.Week, weekLine{Day: s.weekdayLabel(r, d), Hours: s.hoursText(r, c.Hours[d])})
	}
	pg.MakeupHours = s.tr(r, "calendar.makeup_mondays")
	if c.WorkdayHours != nil {
		pg.MakeupHours = s.hoursText(r, c.WorkdayHours)
	}
	teams, err := s.d.Store.ListTeams(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, t := range teams {
		if t.CalendarID != nil && *t.CalendarID == c.ID {
			pg.Teams = append(pg.Teams, t.Name)
		}
	}

	now := s.d.Store.Now().In(loc)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	var start, due time.Time
	if pg.Start != "" || pg.Minutes != "" {
		start, due = s.answerDue(r, &pg, loc)
		if !start.IsZero() {
			st := start.In(loc)
			month = time.Date(st.Year(), st.Month(), 1, 0, 0, 0, 0, time.UTC)
		}
	}
	if m, err := time.Parse("2006-01", q.Get("month")); err == nil && m.Year() >= 1900 && m.Year() <= 2999 {
		month = m
	}
	s.fillMonth(r, &pg, k, month, now, start, due)
	s.render(w, r, http.StatusOK, "calendar", pg)
}

// answerDue reads the form and fills pg.Due or pg.DueErrors; it returns
// the start and due instants when it has them.
func (s *server) answerDue(r *http.Request, pg *calendarShowPage, loc *time.Location) (start, due time.Time) {
	fe := FieldErrors{Fields: map[string]string{}}
	var err error
	// The forms a datetime-local input sends, and a typed one.
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if start, err = time.ParseInLocation(layout, pg.Start, loc); err == nil {
			break
		}
	}
	if err != nil {
		fe.Fields["start"] = s.tr(r, "form.invalid")
		start = time.Time{}
	}
	minutes, merr := strconv.ParseFloat(pg.Minutes, 64)
	if merr != nil {
		fe.Fields["minutes"] = s.tr(r, "form.invalid")
	}
	if len(fe.Fields) > 0 {
		pg.DueErrors = fe
		return start, time.Time{}
	}
	due, err = s.d.Calendars.Due(r.Context(), *principalOf(r), pg.Cal.ID, start, minutes, nil)
	if err != nil {
		pg.DueErrors = s.errorsFrom(r, err, "minutes", "start")
		return start, time.Time{}
	}
	local := due.In(loc)
	pg.Due = &dueAnswer{Local: local.Format("2006-01-02 15:04:05") + " " + s.weekdayLabel(r, local.Weekday()), UTC: due.UTC().Format(time.RFC3339),
		Zone: loc.String(), Minutes: pg.Minutes}
	return start, due
}

// fillMonth draws month (its first day, UTC midnight) and the links to
// its neighbours, keeping the due-time form's values.
func (s *server) fillMonth(r *http.Request, pg *calendarShowPage, k *calendar.Calendar, month, now, start, due time.Time) {
	loc := k.Location()
	pg.Month = month.Format("2006-01")
	pg.MonthLabel = s.tr(r, "calendar.month_label", s.tr(r, "month."+strconv.Itoa(int(month.Month()))), month.Year(), int(month.Month()))
	link := func(m time.Time) string {
		v := url.Values{"month": {m.Format("2006-01")}}
		if pg.Start != "" {
			v.Set("start", pg.Start)
		}
		if pg.Minutes != "" {
			v.Set("minutes", pg.Minutes)
		}
		return fmt.Sprintf("/admin/calendars/%d?%s", pg.Cal.ID, v.Encode())
	}
	pg.PrevURL, pg.NextURL = link(month.AddDate(0, -1, 0)), link(month.AddDate(0, 1, 0))
	pg.TodayURL = link(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC))
	for _, d := range weekOrder() {
		pg.DayNames = append(pg.DayNames, s.weekdayLabel(r, d))
	}
	sameDay := func(d time.Time, t time.Time) bool {
		if t.IsZero() {
			return false
		}
		y, m, dd := t.In(loc).Date()
		return d.Year() == y && d.Month() == m && d.Day() == dd
	}
	for _, week := range k.Month(month.Year(), month.Month()) {
		var row [7]dayCell
		for i, d := range week {
			c := dayCell{Day: d, Number: d.Date.Day(), Hours: calendar.JoinIntervals(d.Hours),
				Today: sameDay(d.Date, now), IsStart: sameDay(d.Date, start), IsDue: sameDay(d.Date, due),
				KindLabel: s.tr(r, "calendar.kind."+string(d.Kind)), OutsideMonth: !d.InMonth}
			if d.Worked > 0 {
				c.Worked = strconv.FormatFloat(d.Worked.Hours(), 'f', -1, 64) + "h"
			}
			if d.Kind == calendar.DayHoliday || d.Kind == calendar.DayOff {
				c.Hours = ""
			}
			row[i] = c
		}
		pg.Weeks = append(pg.Weeks, row)
	}
}

// hoursText writes a day's intervals, or "closed".
func (s *server) hoursText(r *http.Request, ivs []model.WorkInterval) string {
	if len(ivs) == 0 {
		return s.tr(r, "calendar.closed")
	}
	return calendar.JoinIntervals(ivs)
}
