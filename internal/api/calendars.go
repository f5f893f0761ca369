package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
)

// WeekHours are a calendar's working intervals per weekday, each a pair
// of "HH:MM" times, the end after the start ("24:00" may end one); a day
// left out does not work.
type WeekHours struct {
	Mon [][]string `json:"mon,omitempty" maxItems:"24" example:"[[\"09:00\",\"12:00\"],[\"13:00\",\"18:00\"]]"`
	Tue [][]string `json:"tue,omitempty" maxItems:"24"`
	Wed [][]string `json:"wed,omitempty" maxItems:"24"`
	Thu [][]string `json:"thu,omitempty" maxItems:"24"`
	Fri [][]string `json:"fri,omitempty" maxItems:"24"`
	Sat [][]string `json:"sat,omitempty" maxItems:"24"`
	Sun [][]string `json:"sun,omitempty" maxItems:"24"`
}

func (w *WeekHours) toMap() map[string][][]string {
	if w == nil {
		return nil
	}
	m := map[string][][]string{}
	for key, v := range map[string][][]string{"mon": w.Mon, "tue": w.Tue, "wed": w.Wed, "thu": w.Thu, "fri": w.Fri,
		"sat": w.Sat, "sun": w.Sun} {
		if v != nil {
			m[key] = v
		}
	}
	return m
}

func weekHoursOf(m map[string][][]string) WeekHours {
	return WeekHours{Mon: m["mon"], Tue: m["tue"], Wed: m["wed"], Thu: m["thu"], Fri: m["fri"], Sat: m["sat"], Sun: m["sun"]}
}

// Calendar is a business calendar as the API shows it.
type Calendar struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	Timezone string    `json:"timezone" example:"Asia/Shanghai"`
	Hours    WeekHours `json:"hours"`
	Holidays []string  `json:"holidays" doc:"Local dates without working time, whatever the weekday."`
	Workdays []string  `json:"workdays" doc:"Make-up working days (调休): local dates that work workday_hours."`
	// WorkdayHours is null when make-up days work Monday's hours.
	WorkdayHours [][]string `json:"workday_hours" nullable:"true" doc:"The make-up days' own hours; null: Monday's."`
	Version      int64      `json:"version" doc:"Send it back (or If-Match) when changing the calendar."`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

func toCalendar(c *model.Calendar) Calendar {
	in := calendar.ToInput(c)
	out := Calendar{ID: c.ID, Name: c.Name, Timezone: c.TimeZone, Hours: weekHoursOf(in.Hours), Holidays: in.Holidays,
		Workdays: in.Workdays, WorkdayHours: in.WorkdayHours, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if out.Holidays == nil {
		out.Holidays = []string{}
	}
	if out.Workdays == nil {
		out.Workdays = []string{}
	}
	return out
}

type calendarOutput struct {
	ETag string `header:"ETag" doc:"The quoted version, for If-Match."`
	Body Calendar
}

func calendarOut(c *model.Calendar) *calendarOutput {
	return &calendarOutput{ETag: etag(c.Version), Body: toCalendar(c)}
}

type createCalendarInput struct {
	Body struct {
		Preset       string     `json:"preset,omitempty" enum:"cn-2025-2026,us-federal-2025-2026" doc:"Start from a ready-made calendar; the fields you send replace the preset's."`
		Name         string     `json:"name,omitempty" maxLength:"200" doc:"Required without a preset."`
		Timezone     string     `json:"timezone,omitempty" maxLength:"64" example:"Asia/Shanghai" doc:"An IANA time zone; required without a preset."`
		Hours        *WeekHours `json:"hours,omitempty"`
		Holidays     []string   `json:"holidays,omitempty" maxItems:"5000" example:"[\"2026-10-01\"]"`
		Workdays     []string   `json:"workdays,omitempty" maxItems:"5000" example:"[\"2026-10-10\"]"`
		WorkdayHours [][]string `json:"workday_hours,omitempty" maxItems:"24" doc:"The make-up days' own hours; without them, Monday's."`
	}
}

type updateCalendarInput struct {
	ID      int64  `path:"id"`
	IfMatch string `header:"If-Match" doc:"The ETag you read (\"3\"), instead of body.version."`
	Body    struct {
		Name         *string    `json:"name,omitempty" maxLength:"200"`
		Timezone     *string    `json:"timezone,omitempty" maxLength:"64"`
		Hours        *WeekHours `json:"hours,omitempty" doc:"Replaces the whole week."`
		Holidays     []string   `json:"holidays,omitempty" maxItems:"5000" doc:"Replaces every holiday."`
		Workdays     []string   `json:"workdays,omitempty" maxItems:"5000" doc:"Replaces every make-up day."`
		WorkdayHours [][]string `json:"workday_hours,omitempty" maxItems:"24" doc:"[] goes back to Monday's hours."`
		Version      *int64     `json:"version,omitempty" minimum:"1" doc:"The version you read; wins over If-Match."`
	}
}

type calendarIDInput struct {
	ID int64 `path:"id"`
}

type calendarListInput struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"100" doc:"Default 25."`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page."`
}

type calendarListOutput struct {
	Body struct {
		Items      []Calendar `json:"items"`
		NextCursor string     `json:"next_cursor"`
	}
}

type teamCalendarInput struct {
	ID   int64 `path:"id"`
	Body struct {
		CalendarID *int64 `json:"calendar_id" nullable:"true" minimum:"0" doc:"null or 0: the team has no calendar."`
	}
}

func (s *server) registerCalendars() {
	register(s, huma.Operation{
		OperationID: "create-calendar", Method: http.MethodPost, Path: "/api/v1/calendars",
		Summary: "Create a business calendar", Tags: []string{"calendars"}, DefaultStatus: http.StatusCreated,
		Description: "Weekly working intervals (\"HH:MM\" pairs, several a day; \"24:00\" may end one), public " +
			"holidays, make-up working days (调休, with workday_hours or else Monday's hours) and an IANA time zone. " +
			"`{\"preset\":\"cn-2025-2026\"}` creates China's 2025–2026 statutory calendar in one step. " +
			"An unknown time zone, an interval whose end is not after its start, overlapping intervals or a bad date " +
			"is 422 naming the field (body.timezone, body.hours.mon[1], body.holidays[2]).",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermCalendarManage), func(ctx context.Context, in *createCalendarInput) (*calendarOutput, error) {
		b := in.Body
		c, err := s.d.Calendars.Create(ctx, principalFrom(ctx), calendar.CreateInput{Preset: b.Preset, Input: calendar.Input{
			Name: b.Name, TimeZone: b.Timezone, Hours: b.Hours.toMap(), Holidays: b.Holidays, Workdays: b.Workdays,
			WorkdayHours: b.WorkdayHours}})
		if err != nil {
			return nil, err
		}
		return calendarOut(c), nil
	})

	register(s, huma.Operation{
		OperationID: "list-calendars", Method: http.MethodGet, Path: "/api/v1/calendars",
		Summary: "List business calendars", Tags: []string{"calendars"},
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermCalendarRead), func(ctx context.Context, in *calendarListInput) (*calendarListOutput, error) {
		page, err := s.d.Calendars.List(ctx, principalFrom(ctx), model.CalendarFilter{Limit: in.Limit, Cursor: in.Cursor})
		if err != nil {
			return nil, at("query", err)
		}
		out := &calendarListOutput{}
		out.Body.Items = make([]Calendar, len(page.Items))
		for i := range page.Items {
			out.Body.Items[i] = toCalendar(&page.Items[i])
		}
		out.Body.NextCursor = page.NextCursor
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-calendar", Method: http.MethodGet, Path: "/api/v1/calendars/{id}",
		Summary: "Get a business calendar", Tags: []string{"calendars"},
		Errors: []int{http.StatusNotFound},
	}, can(model.PermCalendarRead), func(ctx context.Context, in *calendarIDInput) (*calendarOutput, error) {
		c, err := s.d.Calendars.Get(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return calendarOut(c), nil
	})

	register(s, huma.Operation{
		OperationID: "update-calendar", Method: http.MethodPatch, Path: "/api/v1/calendars/{id}",
		Summary: "Change a business calendar", Tags: []string{"calendars"},
		Description: "Send only what changes; hours, holidays and workdays each replace the whole list. " +
			"Optimistic locking: with a version (body.version or If-Match) a stale one is 409. " +
			"Every change is recorded in the audit log.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermCalendarManage), func(ctx context.Context, in *updateCalendarInput) (*calendarOutput, error) {
		b := in.Body
		patch := calendar.Patch{Name: b.Name, TimeZone: b.Timezone, Hours: b.Hours.toMap(), Holidays: b.Holidays,
			Workdays: b.Workdays, WorkdayHours: b.WorkdayHours}
		switch {
		case b.Version != nil:
			patch.Version = *b.Version
		case in.IfMatch != "":
			v, err := parseETag(in.IfMatch)
			if err != nil {
				return nil, at("header", err)
			}
			patch.Version = v
		}
		c, err := s.d.Calendars.Update(ctx, principalFrom(ctx), in.ID, patch)
		if err != nil {
			return nil, err
		}
		return calendarOut(c), nil
	})

	register(s, huma.Operation{
		OperationID: "set-team-calendar", Method: http.MethodPut, Path: "/api/v1/teams/{id}/calendar",
		Summary: "Set the business calendar a team's time targets count in", Tags: []string{"calendars", "people"},
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermCalendarManage), func(ctx context.Context, in *teamCalendarInput) (*teamOutput, error) {
		id := in.Body.CalendarID
		if id != nil && *id == 0 {
			id = nil
		}
		t, err := s.d.Calendars.SetTeamCalendar(ctx, principalFrom(ctx), in.ID, id)
		if err != nil {
			return nil, err
		}
		return &teamOutput{Body: toTeam(t)}, nil
	})
}
