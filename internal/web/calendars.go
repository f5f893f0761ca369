package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// calendarsPage lists the business calendars and, for those who manage
// them, which calendar each team counts its time targets in.
type calendarsPage struct {
	Base
	Items     []calendarRow
	Teams     []teamCalendarRow
	CanManage bool
	Presets   []Option
	// NextURL pages on; FirstURL goes back to the first page.
	NextURL, FirstURL string
}

// calendarRow is one calendar in the list.
type calendarRow struct {
	ID                 int64
	Name, TimeZone     string
	Week               string // "Mon–Fri 09:00-12:00, 13:00-18:00"
	Holidays, Workdays int
	Teams              []string
}

// teamCalendarRow is one team with the calendars it may use.
type teamCalendarRow struct {
	ID        int64
	Name      string
	Calendars []Option
}

// weekOrder is Monday to Sunday, the order calendars are shown in.
func weekOrder() []time.Weekday {
	return []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
}

// calendarList renders the calendars and the teams' calendars.
func (s *server) calendarList(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	cursor := r.URL.Query().Get("cursor")
	page, err := s.d.Calendars.List(r.Context(), *p, model.CalendarFilter{Cursor: cursor})
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			http.Redirect(w, r, "/admin/calendars", http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	teams, err := s.d.Store.ListTeams(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := calendarsPage{Base: s.base(r, "calendars"), CanManage: p.Can(model.PermCalendarManage)}
	for _, c := range page.Items {
		row := calendarRow{ID: c.ID, Name: c.Name, TimeZone: c.TimeZone, Week: s.weekSummary(r, &c),
			Holidays: len(c.Holidays), Workdays: len(c.Workdays)}
		for _, t := range teams {
			if t.CalendarID != nil && *t.CalendarID == c.ID {
				row.Teams = append(row.Teams, t.Name)
			}
		}
		pg.Items = append(pg.Items, row)
	}
	if page.NextCursor != "" {
		pg.NextURL = "/admin/calendars?" + url.Values{"cursor": {page.NextCursor}}.Encode()
	}
	if cursor != "" {
		pg.FirstURL = "/admin/calendars"
	}
	if pg.CanManage {
		all, err := s.allCalendars(r.Context(), *p)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, t := range teams {
			row := teamCalendarRow{ID: t.ID, Name: t.Name,
				Calendars: []Option{{Value: "", Label: s.tr(r, "calendars.no_calendar"), Selected: t.CalendarID == nil}}}
			for _, c := range all {
				row.Calendars = append(row.Calendars, Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name,
					Selected: t.CalendarID != nil && *t.CalendarID == c.ID})
			}
			pg.Teams = append(pg.Teams, row)
		}
		for _, key := range calendar.PresetKeys() {
			pg.Presets = append(pg.Presets, Option{Value: key, Label: s.tr(r, "calendars.preset."+key)})
		}
	}
	s.render(w, r, http.StatusOK, "calendars", pg)
}

// allCalendars walks every page of calendars (for the teams' pickers).
func (s *server) allCalendars(ctx context.Context, p model.Principal) ([]model.Calendar, error) {
	var out []model.Calendar
	f := model.CalendarFilter{Limit: store.MaxPageSize}
	for {
		page, err := s.d.Calendars.List(ctx, p, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out, nil
		}
		f.Cursor = page.NextCursor
	}
}

// weekSummary writes a calendar's week compactly, runs of days with the
// same hours together: "Mon–Fri 09:00-12:00, 13:00-18:00".
func (s *server) weekSummary(r *http.Request, c *model.Calendar) string {
	var parts []string
	weekOrder := weekOrder()
	for i := 0; i < len(weekOrder); {
		j := i
		for j+1 < len(weekOrder) && slices.Equal(c.Hours[weekOrder[j+1]], c.Hours[weekOrder[i]]) {
			j++
		}
		if len(c.Hours[weekOrder[i]]) > 0 {
			days := s.weekdayLabel(r, weekOrder[i])
			if j > i {
				days += "–" + s.weekdayLabel(r, weekOrder[j])
			}
			parts = append(parts, days+" "+calendar.JoinIntervals(c.Hours[weekOrder[i]]))
		}
		i = j + 1
	}
	if len(parts) == 0 {
		return s.tr(r, "calendars.no_hours")
	}
	return strings.Join(parts, "; ")
}

func (s *server) weekdayLabel(r *http.Request, d time.Weekday) string {
	return s.tr(r, "weekday."+model.WeekdayKeys[d])
}

// teamCalendarSubmit sets a team's calendar from the list page.
func (s *server) teamCalendarSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	teamID, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	var calID *int64
	if v := r.PostForm.Get("calendar_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		calID = &id
	}
	if _, err := s.d.Calendars.SetTeamCalendar(r.Context(), *principalOf(r), teamID, calID); err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			http.Error(w, s.errText(r, err), http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/admin/calendars", http.StatusSeeOther)
}
