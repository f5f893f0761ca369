package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// Calendars are stored as one row with the weekly hours as readable JSON
// ({"mon":[["09:00","12:00"],…]}) and one calendar_days row per holiday
// or make-up working day, so that a date is never both.

const calendarColumns = "id, name, time_zone, hours, workday_hours, version, created_at, updated_at"

// Kinds of calendar_days rows.
const (
	dayHoliday = "holiday"
	dayWorkday = "workday"
)

func scanCalendar(r Row, c *model.Calendar) error {
	var hours string
	var workday *string
	if err := r.Scan(&c.ID, &c.Name, &c.TimeZone, &hours, &workday, &c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return err
	}
	var week map[string][][]string
	if err := json.Unmarshal([]byte(hours), &week); err != nil {
		return fmt.Errorf("store: calendar %d hours: %w", c.ID, err)
	}
	for wd, key := range model.WeekdayKeys {
		ivs, err := decodeIntervals(week[key])
		if err != nil {
			return fmt.Errorf("store: calendar %d hours: %w", c.ID, err)
		}
		c.Hours[wd] = ivs
	}
	if workday != nil {
		var pairs [][]string
		if err := json.Unmarshal([]byte(*workday), &pairs); err != nil {
			return fmt.Errorf("store: calendar %d workday hours: %w", c.ID, err)
		}
		ivs, err := decodeIntervals(pairs)
		if err != nil {
			return fmt.Errorf("store: calendar %d workday hours: %w", c.ID, err)
		}
		c.WorkdayHours = ivs
		if c.WorkdayHours == nil {
			c.WorkdayHours = []model.WorkInterval{}
		}
	}
	return nil
}

// decodeIntervals reads [["09:00","12:00"],…] as written by encodeIntervals.
func decodeIntervals(pairs [][]string) ([]model.WorkInterval, error) {
	var out []model.WorkInterval
	for _, p := range pairs {
		if len(p) != 2 {
			return nil, fmt.Errorf("interval %v is not a pair", p)
		}
		var iv model.WorkInterval
		for i, s := range p {
			h, m, ok := strings.Cut(s, ":")
			hh, err1 := strconv.Atoi(h)
			mm, err2 := strconv.Atoi(m)
			if !ok || err1 != nil || err2 != nil {
				return nil, fmt.Errorf("bad time %q", s)
			}
			if i == 0 {
				iv.Start = hh*60 + mm
			} else {
				iv.End = hh*60 + mm
			}
		}
		out = append(out, iv)
	}
	return out, nil
}

func encodeIntervals(ivs []model.WorkInterval) [][]string {
	out := make([][]string, len(ivs))
	for i, iv := range ivs {
		out[i] = []string{model.ClockString(iv.Start), model.ClockString(iv.End)}
	}
	return out
}

// calendarArgs are the hours and make-up hours columns of c.
func calendarArgs(c *model.Calendar) (hours string, workday any, err error) {
	week := map[string][][]string{}
	for wd, key := range model.WeekdayKeys {
		if len(c.Hours[wd]) > 0 {
			week[key] = encodeIntervals(c.Hours[wd])
		}
	}
	b, err := json.Marshal(week)
	if err != nil {
		return "", nil, err
	}
	if c.WorkdayHours != nil {
		w, err := json.Marshal(encodeIntervals(c.WorkdayHours))
		if err != nil {
			return "", nil, err
		}
		workday = string(w)
	}
	return string(b), workday, nil
}

// CreateCalendar inserts a calendar (already validated) with its
// holidays and make-up days and the audit entries, in one transaction. A
// taken name is ECONFLICT. Each entry's Target gets the calendar's id and
// name.
func (s *Store) CreateCalendar(ctx context.Context, c *model.Calendar, audit ...model.AuditEntry) error {
	hours, workday, err := calendarArgs(c)
	if err != nil {
		return err
	}
	c.CreatedAt = s.Now()
	c.UpdatedAt, c.Version = c.CreatedAt, 1
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO calendars (name, time_zone, hours, workday_hours, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			c.Name, c.TimeZone, hours, workday, c.Version, c.CreatedAt, c.UpdatedAt).Scan(&c.ID)
		if err != nil {
			return conflict(err, "name", "a calendar with this name already exists")
		}
		if err := s.insertCalendarDays(ctx, q, c); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = calendarTarget(c)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// calendarTarget names a calendar in the audit log.
func calendarTarget(c *model.Calendar) string { return fmt.Sprintf("calendar %d (%s)", c.ID, c.Name) }

func (s *Store) insertCalendarDays(ctx context.Context, q Querier, c *model.Calendar) error {
	type row struct{ day, kind string }
	rows := make([]row, 0, len(c.Holidays)+len(c.Workdays))
	for _, d := range c.Holidays {
		rows = append(rows, row{d, dayHoliday})
	}
	for _, d := range c.Workdays {
		rows = append(rows, row{d, dayWorkday})
	}
	return s.bulkInsert(ctx, q, "calendar_days", []string{"calendar_id", "day", "kind"}, len(rows),
		func(a []any, i int) []any { return append(a, c.ID, rows[i].day, rows[i].kind) })
}

// UpdateCalendar replaces calendar c.ID with c when its stored version is
// still c.Version (ECONFLICT otherwise: someone changed it meanwhile),
// with the audit entries, in one transaction. On success c.Version and
// c.UpdatedAt are the new ones.
func (s *Store) UpdateCalendar(ctx context.Context, c *model.Calendar, audit ...model.AuditEntry) error {
	hours, workday, err := calendarArgs(c)
	if err != nil {
		return err
	}
	now := s.Now()
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `UPDATE calendars SET name = $1, time_zone = $2, hours = $3, workday_hours = $4,
			version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7`,
			c.Name, c.TimeZone, hours, workday, now, c.ID, c.Version)
		if err != nil {
			return conflict(err, "name", "a calendar with this name already exists")
		}
		if n == 0 {
			var cur int64
			if err := q.QueryRow(ctx, "SELECT version FROM calendars WHERE id = $1", c.ID).Scan(&cur); err != nil {
				return notFound(err, "calendar")
			}
			return model.StaleVersion(cur, "the calendar was changed meanwhile by someone else; reload it and make your change again")
		}
		if _, err := q.Exec(ctx, "DELETE FROM calendar_days WHERE calendar_id = $1", c.ID); err != nil {
			return err
		}
		if err := s.insertCalendarDays(ctx, q, c); err != nil {
			return err
		}
		c.Version++
		c.UpdatedAt = now
		for i := range audit {
			audit[i].Target = calendarTarget(c)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// CalendarByID returns a calendar with its holidays and make-up days.
func (s *Store) CalendarByID(ctx context.Context, id int64) (*model.Calendar, error) {
	q := s.Read()
	var c model.Calendar
	if err := scanCalendar(q.QueryRow(ctx, "SELECT "+calendarColumns+" FROM calendars WHERE id = $1", id), &c); err != nil {
		return nil, notFound(err, "calendar")
	}
	cs := []model.Calendar{c}
	if err := s.loadCalendarDays(ctx, q, cs); err != nil {
		return nil, err
	}
	return &cs[0], nil
}

// CalendarVersion returns calendar id's version, which every change to
// it or its days raises: the SLA engine compiles a calendar again only
// when it moved.
func (s *Store) CalendarVersion(ctx context.Context, id int64) (int64, error) {
	var v int64
	if err := s.Read().QueryRow(ctx, "SELECT version FROM calendars WHERE id = $1", id).Scan(&v); err != nil {
		return 0, notFound(err, "calendar")
	}
	return v, nil
}

// loadCalendarDays fills the holidays and make-up days of cs.
func (s *Store) loadCalendarDays(ctx context.Context, q Querier, cs []model.Calendar) error {
	if len(cs) == 0 {
		return nil
	}
	index := make(map[int64]*model.Calendar, len(cs))
	ph := make([]string, len(cs))
	args := make([]any, len(cs))
	for i := range cs {
		index[cs[i].ID] = &cs[i]
		ph[i] = "$" + strconv.Itoa(i+1)
		args[i] = cs[i].ID
	}
	rows, err := q.Query(ctx, "SELECT calendar_id, day, kind FROM calendar_days WHERE calendar_id IN ("+
		strings.Join(ph, ", ")+") ORDER BY calendar_id, day", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var day, kind string
		if err := rows.Scan(&id, &day, &kind); err != nil {
			return err
		}
		c := index[id]
		if kind == dayHoliday {
			c.Holidays = append(c.Holidays, day)
		} else {
			c.Workdays = append(c.Workdays, day)
		}
	}
	return rows.Err()
}

// ListCalendars returns a page of calendars, oldest first, with their
// holidays and make-up days.
func (s *Store) ListCalendars(ctx context.Context, f model.CalendarFilter) (model.CalendarPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return model.CalendarPage{}, model.FieldError("limit", "must be between 1 and %d", MaxPageSize)
	}
	var after int64
	if f.Cursor != "" {
		var err error
		if after, err = strconv.ParseInt(f.Cursor, 10, 64); err != nil || after <= 0 {
			return model.CalendarPage{}, model.FieldError("cursor", "invalid cursor")
		}
	}
	q := s.Read()
	rows, err := q.Query(ctx, "SELECT "+calendarColumns+" FROM calendars WHERE id > $1 ORDER BY id LIMIT "+
		strconv.Itoa(limit+1), after)
	if err != nil {
		return model.CalendarPage{}, err
	}
	var page model.CalendarPage
	for rows.Next() {
		var c model.Calendar
		if err := scanCalendar(rows, &c); err != nil {
			rows.Close()
			return model.CalendarPage{}, err
		}
		page.Items = append(page.Items, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return model.CalendarPage{}, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = strconv.FormatInt(page.Items[limit-1].ID, 10)
	}
	return page, s.loadCalendarDays(ctx, q, page.Items)
}

// SetTeamCalendar gives team teamID the calendar calendarID (nil: none)
// with the audit entries, in one transaction, and returns the team.
func (s *Store) SetTeamCalendar(ctx context.Context, teamID int64, calendarID *int64, audit ...model.AuditEntry) (*model.Team, error) {
	var t model.Team
	err := s.Tx(ctx, func(q Querier) error {
		var old *int64
		if err := q.QueryRow(ctx, "SELECT id, name, calendar_id, created_at FROM teams WHERE id = $1"+s.forUpdate(), teamID).
			Scan(&t.ID, &t.Name, &old, &t.CreatedAt); err != nil {
			return notFound(err, "team")
		}
		if calendarID != nil {
			var one int
			if err := q.QueryRow(ctx, "SELECT 1 FROM calendars WHERE id = $1", *calendarID).Scan(&one); err != nil {
				if model.IsNotFound(notFound(err, "calendar")) {
					return model.FieldError("calendar_id", "There is no business calendar with id %d; choose one of the calendars.", *calendarID)
				}
				return err
			}
		}
		if _, err := q.Exec(ctx, "UPDATE teams SET calendar_id = $1 WHERE id = $2", calendarID, teamID); err != nil {
			return err
		}
		t.CalendarID = calendarID
		for i := range audit {
			audit[i].Target = fmt.Sprintf("team %d (%s)", t.ID, t.Name)
			audit[i].Detail = "calendar: " + idText(old) + " → " + idText(calendarID)
		}
		return s.insertAudit(ctx, q, audit...)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// idText writes an optional id for the audit log ("none" for nil).
func idText(id *int64) string {
	if id == nil {
		return "none"
	}
	return strconv.FormatInt(*id, 10)
}
