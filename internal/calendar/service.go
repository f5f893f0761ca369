package calendar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// MaxTargetMinutes bounds a target or a preview: about two years round
// the clock, far beyond any service promise, so a walk stays short.
const MaxTargetMinutes = 1_000_000

// maxSpanYears bounds the span Duration measures, for the same reason.
const maxSpanYears = 20

// Service is the calendars' domain logic: who may read and change them,
// validation, presets, and due times and durations in a stored calendar.
type Service struct {
	store *store.Store
	// zones caches loaded time zones by name (a zone's rules do not
	// change while the binary runs; loading one reads the tz database).
	zones sync.Map
}

// NewService returns the calendar service.
func NewService(st *store.Store) *Service { return &Service{store: st} }

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// CreateInput is a new calendar: Input, optionally filled in from a
// preset. Fields the caller gives win over the preset's (a nil Hours,
// Holidays, Workdays or WorkdayHours, an empty Name or TimeZone means
// "not given").
type CreateInput struct {
	Input
	Preset string
}

// Create validates and stores a calendar (model.PermCalendarManage).
func (s *Service) Create(ctx context.Context, p model.Principal, in CreateInput) (*model.Calendar, error) {
	if !p.Can(model.PermCalendarManage) {
		return nil, forbidden()
	}
	spec := in.Input
	if in.Preset != "" {
		base, err := Preset(in.Preset)
		if err != nil {
			return nil, err
		}
		spec = overlay(base, in.Input)
	}
	c, _, err := Validate(spec)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("time zone %s; %d holidays, %d make-up days", c.TimeZone, len(c.Holidays), len(c.Workdays))
	if in.Preset != "" {
		detail = "preset " + in.Preset + "; " + detail
	}
	if err := s.store.CreateCalendar(ctx, c, model.Audit(ctx, p, model.AuditCalendarCreated, "", detail)); err != nil {
		return nil, err
	}
	return c, nil
}

// overlay returns base with the fields given in top.
func overlay(base, top Input) Input {
	if strings.TrimSpace(top.Name) != "" {
		base.Name = top.Name
	}
	if strings.TrimSpace(top.TimeZone) != "" {
		base.TimeZone = top.TimeZone
	}
	if top.Hours != nil {
		base.Hours = top.Hours
	}
	if top.Holidays != nil {
		base.Holidays = top.Holidays
	}
	if top.Workdays != nil {
		base.Workdays = top.Workdays
	}
	if top.WorkdayHours != nil {
		base.WorkdayHours = top.WorkdayHours
	}
	return base
}

// Patch changes a calendar: nil fields stay as they are. An empty
// WorkdayHours (not nil) goes back to Monday's hours. Version, when not
// zero, must be the version the caller read.
type Patch struct {
	Name, TimeZone     *string
	Hours              map[string][][]string
	Holidays, Workdays []string
	WorkdayHours       [][]string
	Version            int64
}

// Update applies patch to calendar id (model.PermCalendarManage); a
// stale version is ECONFLICT. The audit log records which parts changed.
func (s *Service) Update(ctx context.Context, p model.Principal, id int64, patch Patch) (*model.Calendar, error) {
	if !p.Can(model.PermCalendarManage) {
		return nil, forbidden()
	}
	cur, err := s.store.CalendarByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if patch.Version != 0 && patch.Version != cur.Version {
		return nil, model.StaleVersion(cur.Version, "the calendar was changed meanwhile by someone else; reload it and make your change again")
	}
	in := ToInput(cur)
	if patch.Name != nil {
		in.Name = *patch.Name
	}
	if patch.TimeZone != nil {
		in.TimeZone = *patch.TimeZone
	}
	if patch.Hours != nil {
		in.Hours = patch.Hours
	}
	if patch.Holidays != nil {
		in.Holidays = patch.Holidays
	}
	if patch.Workdays != nil {
		in.Workdays = patch.Workdays
	}
	if patch.WorkdayHours != nil {
		in.WorkdayHours = patch.WorkdayHours
	}
	c, _, err := Validate(in)
	if err != nil {
		return nil, err
	}
	c.ID, c.Version, c.CreatedAt = cur.ID, cur.Version, cur.CreatedAt
	changes := changed(cur, c)
	if len(changes) == 0 {
		return cur, nil
	}
	if err := s.store.UpdateCalendar(ctx, c, model.Audit(ctx, p, model.AuditCalendarUpdated, "", strings.Join(changes, "; "))); err != nil {
		return nil, err
	}
	return c, nil
}

// changed describes what differs between two versions of a calendar.
func changed(a, b *model.Calendar) []string {
	var out []string
	if a.Name != b.Name {
		out = append(out, "name: "+a.Name+" → "+b.Name)
	}
	if a.TimeZone != b.TimeZone {
		out = append(out, "time zone: "+a.TimeZone+" → "+b.TimeZone)
	}
	for wd, key := range model.WeekdayKeys {
		if !slices.Equal(a.Hours[wd], b.Hours[wd]) {
			out = append(out, key+": "+JoinIntervals(a.Hours[wd])+" → "+JoinIntervals(b.Hours[wd]))
		}
	}
	if !slices.Equal(a.WorkdayHours, b.WorkdayHours) || (a.WorkdayHours == nil) != (b.WorkdayHours == nil) {
		out = append(out, "make-up day hours: "+makeupText(a)+" → "+makeupText(b))
	}
	if d := dateDiff(a.Holidays, b.Holidays); d != "" {
		out = append(out, "holidays: "+d)
	}
	if d := dateDiff(a.Workdays, b.Workdays); d != "" {
		out = append(out, "make-up days: "+d)
	}
	return out
}

func makeupText(c *model.Calendar) string {
	if c.WorkdayHours == nil {
		return "Monday's"
	}
	return JoinIntervals(c.WorkdayHours)
}

// dateDiff lists the dates added to and removed from a sorted list.
func dateDiff(a, b []string) string {
	var parts []string
	for _, d := range b {
		if _, ok := slices.BinarySearch(a, d); !ok {
			parts = append(parts, "+"+d)
		}
	}
	for _, d := range a {
		if _, ok := slices.BinarySearch(b, d); !ok {
			parts = append(parts, "−"+d)
		}
	}
	return strings.Join(parts, " ")
}

// Get returns one calendar (model.PermCalendarRead).
func (s *Service) Get(ctx context.Context, p model.Principal, id int64) (*model.Calendar, error) {
	if !p.Can(model.PermCalendarRead) {
		return nil, forbidden()
	}
	return s.store.CalendarByID(ctx, id)
}

// List returns a page of calendars (model.PermCalendarRead).
func (s *Service) List(ctx context.Context, p model.Principal, f model.CalendarFilter) (model.CalendarPage, error) {
	if !p.Can(model.PermCalendarRead) {
		return model.CalendarPage{}, forbidden()
	}
	return s.store.ListCalendars(ctx, f)
}

// SetTeamCalendar gives a team its calendar, or none when calendarID is
// nil (model.PermCalendarManage).
func (s *Service) SetTeamCalendar(ctx context.Context, p model.Principal, teamID int64, calendarID *int64) (*model.Team, error) {
	if !p.Can(model.PermCalendarManage) {
		return nil, forbidden()
	}
	return s.store.SetTeamCalendar(ctx, teamID, calendarID, model.Audit(ctx, p, model.AuditTeamCalendarSet, "", ""))
}

// Compile returns the engine for a stored calendar, its time zone loaded
// once per process.
func (s *Service) Compile(c *model.Calendar) (*Calendar, error) {
	var loc *time.Location
	if v, ok := s.zones.Load(c.TimeZone); ok {
		loc = v.(*time.Location)
	} else {
		l, err := loadZone(c.TimeZone)
		if err != nil {
			return nil, err
		}
		s.zones.Store(c.TimeZone, l)
		loc = l
	}
	return Compile(c, loc)
}

// engine loads and compiles calendar id for a computation; an unknown id
// is an error on the field calendar_id.
func (s *Service) engine(ctx context.Context, p model.Principal, id int64) (*Calendar, error) {
	if !p.Can(model.PermCalendarRead) {
		return nil, forbidden()
	}
	c, err := s.store.CalendarByID(ctx, id)
	if model.IsNotFound(err) {
		return nil, model.FieldError("calendar_id", "There is no business calendar with id %d; choose one of the calendars.", id)
	}
	if err != nil {
		return nil, err
	}
	return s.Compile(c)
}

// Due answers "when would this be due?": the instant, in UTC, at which
// minutes of calendar id's working time counted from start, less the
// pauses, are used up.
func (s *Service) Due(ctx context.Context, p model.Principal, id int64, start time.Time, minutes float64, ps []Pause) (time.Time, error) {
	if minutes < 0 || minutes > MaxTargetMinutes {
		return time.Time{}, model.FieldError("minutes", "must be between 0 and %d", MaxTargetMinutes)
	}
	k, err := s.engine(ctx, p, id)
	if err != nil {
		return time.Time{}, err
	}
	due, err := k.Due(start, time.Duration(minutes*float64(time.Minute)), ps)
	if errors.Is(err, ErrNoWorkingTime) {
		return time.Time{}, model.FieldError("calendar_id", "calendar %d has too little working time after %s to reach the target",
			id, start.UTC().Format(time.RFC3339))
	}
	return due, err
}

// Duration returns calendar id's working time between from and to, less
// the pauses.
func (s *Service) Duration(ctx context.Context, p model.Principal, id int64, from, to time.Time, ps []Pause) (time.Duration, error) {
	if to.Before(from) {
		return 0, model.FieldError("to", "must not be before from")
	}
	if to.Sub(from) > maxSpanYears*366*24*time.Hour {
		return 0, model.FieldError("to", "must be at most %d years after from", maxSpanYears)
	}
	k, err := s.engine(ctx, p, id)
	if err != nil {
		return 0, err
	}
	return k.Duration(from, to, ps), nil
}

// CheckPauses refuses a pause that ends before it starts; errors name
// field[i].
func CheckPauses(field string, ps []Pause) error {
	for i, x := range ps {
		if x.To.Before(x.From) {
			return model.FieldError(fmt.Sprintf("%s[%d]", field, i), "the end is before the start")
		}
	}
	return nil
}
