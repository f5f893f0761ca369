// Package calendar holds Aftercare's business calendars and the one
// business-time engine that the API, the web UI, the metrics and the SLA
// jobs share: when is a target of N working minutes due, and how many
// working minutes lie between two instants.
//
// The clock rules (evaluation.md section 4):
//   - working intervals are half-open, [start, end), in the calendar's
//     time zone; "24:00" may end one;
//   - a holiday has no working time, even on a weekday; a make-up working
//     day (调休) works the calendar's make-up hours, or Monday's when it has
//     none; holidays win over weekdays;
//   - business time is real elapsed time: 00:00–24:00 on a daylight-saving
//     day lasts 23 or 25 hours. A wall-clock time means the first instant
//     the local clock shows it (or, if the clocks skip it, the instant they
//     jump): 01:30 on a fall-back day is its first 01:30, 02:30 on a
//     spring-forward day is the 03:00 the clocks jump to;
//   - a due time is the earliest instant at which the counted time reaches
//     the target, so a target used up at 12:00 is due at 12:00; a start
//     outside working hours counts from the next working instant, and a
//     zero target is due at that instant;
//   - pauses count nothing; results are in UTC.
//
// The engine walks day by day through working intervals (never minute by
// minute), so a due time a few weeks out costs a few microseconds.
package calendar

import (
	"errors"
	"fmt"
	"slices"
	"time"
	_ "time/tzdata" // time zones work on hosts without a zoneinfo database

	"github.com/aftercare/aftercare/internal/model"
)

// ErrNoWorkingTime is returned by Due when the calendar has no working
// time left in which the target could be reached.
var ErrNoWorkingTime = errors.New("calendar: no working time in which to reach the target")

// maxWalkDays bounds a Due walk: a target not reached within about 50
// years (a calendar whose holidays cover decades) is an error, not a hang.
const maxWalkDays = 366 * 50

// day is a local calendar date as a day number since 1970-01-01.
type day int32

func dayOf(y int, m time.Month, d int) day {
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// date returns the year, month and day.
func (d day) date() (int, time.Month, int) { return time.Unix(int64(d)*86400, 0).UTC().Date() }

// weekday: 1970-01-01 was a Thursday.
func (d day) weekday() time.Weekday { return time.Weekday((int(d)%7 + 7 + 4) % 7) }

func (d day) String() string {
	y, m, dd := d.date()
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}

// kind says what a special date is.
type kind uint8

const (
	regular kind = iota
	holiday
	makeup
)

// Calendar is a compiled business calendar, ready to compute with. It is
// immutable and safe for concurrent use.
type Calendar struct {
	loc    *time.Location
	week   [7][]model.WorkInterval
	makeup []model.WorkInterval
	// special maps holidays and make-up days to their kind; lastSpecial
	// is the latest of them, after which only the week counts.
	special     map[day]kind
	lastSpecial day
	weekMinutes int
}

// Compile prepares c for computing. c must be valid (see Validate); loc
// is its time zone, loaded by the caller (Compile loads c.TimeZone when
// loc is nil).
func Compile(c *model.Calendar, loc *time.Location) (*Calendar, error) {
	if loc == nil {
		var err error
		if loc, err = loadZone(c.TimeZone); err != nil {
			return nil, err
		}
	}
	k := &Calendar{loc: loc, week: c.Hours, makeup: c.WorkdayHours, special: make(map[day]kind, len(c.Holidays)+len(c.Workdays))}
	if k.makeup == nil {
		k.makeup = c.Hours[time.Monday]
	}
	for _, hours := range c.Hours {
		for _, iv := range hours {
			k.weekMinutes += iv.End - iv.Start
		}
	}
	add := func(dates []string, what kind) error {
		for _, s := range dates {
			t, err := time.Parse(time.DateOnly, s)
			if err != nil {
				return fmt.Errorf("calendar: date %q: %w", s, err)
			}
			d := dayOf(t.Date())
			k.special[d] = what
			k.lastSpecial = max(k.lastSpecial, d)
		}
		return nil
	}
	// Make-up days first: should a date be in both lists, the holiday wins.
	if err := add(c.Workdays, makeup); err != nil {
		return nil, err
	}
	if err := add(c.Holidays, holiday); err != nil {
		return nil, err
	}
	return k, nil
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// hours returns the wall-clock working intervals of local day d, and
// what kind of day it is.
func (c *Calendar) hours(d day) ([]model.WorkInterval, kind) {
	switch k := c.special[d]; k {
	case holiday:
		return nil, k
	case makeup:
		return c.makeup, k
	}
	return c.week[d.weekday()], regular
}

// resolve turns a wall-clock time on local day d (minutes after
// midnight, 1440 being the next midnight) into the first instant the
// local clock shows it, or the instant the clocks jump over it.
func (c *Calendar) resolve(d day, minutes int) time.Time {
	y, m, dd := d.date()
	want := time.Date(y, m, dd, 0, minutes, 0, 0, time.UTC)
	t := time.Date(y, m, dd, 0, minutes, 0, 0, c.loc)
	got := wallClock(t)
	switch {
	case got.Equal(want):
		// If the clocks went back at the start of t's zone period and the
		// wall time also occurred before, take that first occurrence.
		start, _ := t.ZoneBounds()
		if !start.IsZero() {
			_, off := t.Zone()
			_, prev := start.Add(-time.Nanosecond).Zone()
			if prev > off {
				if e := t.Add(-time.Duration(prev-off) * time.Second); e.Before(start) {
					return e
				}
			}
		}
		return t
	case got.After(want): // skipped; t lies after the jump
		start, _ := t.ZoneBounds()
		return start
	default: // skipped; t lies before the jump
		_, end := t.ZoneBounds()
		return end
	}
}

// wallClock is t's local date and clock reading, as a UTC time.
func wallClock(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// span is a stretch of real time [from, to).
type span struct{ from, to time.Time }

// instants appends the working intervals of local day d, as instants, to
// buf. On a day without a clock change every boundary is midnight plus
// its minutes; otherwise each boundary is resolved on its own.
func (c *Calendar) instants(d day, buf []span) []span {
	hours, _ := c.hours(d)
	if len(hours) == 0 {
		return buf
	}
	midnight := c.resolve(d, 0)
	_, end := midnight.ZoneBounds()
	y, m, dd := d.date()
	steady := (end.IsZero() || !end.Before(midnight.Add(24*time.Hour))) &&
		wallClock(midnight).Equal(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC))
	for _, iv := range hours {
		var s span
		if steady {
			s = span{midnight.Add(time.Duration(iv.Start) * time.Minute), midnight.Add(time.Duration(iv.End) * time.Minute)}
		} else {
			s = span{c.resolve(d, iv.Start), c.resolve(d, iv.End)}
		}
		if s.to.After(s.from) { // an interval inside a skipped hour is empty
			buf = append(buf, s)
		}
	}
	return buf
}

// Pause is a stretch of real time [From, To) in which a clock stands
// still.
type Pause struct{ From, To time.Time }

// pauses sorts ps and merges overlapping or touching pauses, dropping
// empty ones.
func pauses(ps []Pause) []span {
	out := make([]span, 0, len(ps))
	for _, p := range ps {
		if p.To.After(p.From) {
			out = append(out, span{p.From, p.To})
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.from.Compare(b.from) })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && !s.from.After(merged[n-1].to) {
			if s.to.After(merged[n-1].to) {
				merged[n-1].to = s.to
			}
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// counted calls fn with the parts of working interval w that no pause
// covers, in order; *next is the index of the first pause that may still
// matter (pauses ending before w are skipped for good). fn returns false
// to stop.
func counted(w span, ps []span, next *int, fn func(span) bool) bool {
	for *next < len(ps) && !ps[*next].to.After(w.from) {
		*next++
	}
	cur := w.from
	for i := *next; i < len(ps) && ps[i].from.Before(w.to); i++ {
		if ps[i].from.After(cur) && !fn(span{cur, ps[i].from}) {
			return false
		}
		if ps[i].to.After(cur) {
			cur = ps[i].to
		}
	}
	if w.to.After(cur) {
		return fn(span{cur, w.to})
	}
	return true
}

// Due returns the earliest instant, in UTC, at which the working time
// counted from start, less the pauses, reaches target. A start outside
// working hours counts from the next working instant; a zero target is
// due at that instant. It fails with ErrNoWorkingTime when the calendar
// has no working time left in which to reach the target.
func (c *Calendar) Due(start time.Time, target time.Duration, ps []Pause) (time.Time, error) {
	if target < 0 {
		return time.Time{}, fmt.Errorf("calendar: negative target %v", target)
	}
	paused := pauses(ps)
	next, left := 0, target
	var due time.Time
	found := false
	buf := make([]span, 0, 4)
	first := dayOf(start.In(c.loc).Date())
	for d := first; d < first+maxWalkDays; d++ {
		if c.weekMinutes == 0 && d > c.lastSpecial {
			break // nothing but the empty week from here on
		}
		buf = c.instants(d, buf[:0])
		for _, w := range buf {
			if !w.to.After(start) {
				continue
			}
			if w.from.Before(start) {
				w.from = start
			}
			counted(w, paused, &next, func(s span) bool {
				if n := s.to.Sub(s.from); left > n {
					left -= n
					return true
				}
				due, found = s.from.Add(left), true
				return false
			})
			if found {
				return due.UTC(), nil
			}
		}
	}
	return time.Time{}, ErrNoWorkingTime
}

// Duration returns the working time between from and to, less the
// pauses: real elapsed time inside working intervals. It is zero when to
// is not after from. Duration(start, Due(start, m)) == m.
func (c *Calendar) Duration(from, to time.Time, ps []Pause) time.Duration {
	if !to.After(from) {
		return 0
	}
	paused := pauses(ps)
	next := 0
	var total time.Duration
	buf := make([]span, 0, 4)
	// One day past to's local date: where the clocks go back over
	// midnight, the next day's first interval starts before to's clock
	// shows it.
	last := dayOf(to.In(c.loc).Date()) + 1
	for d := dayOf(from.In(c.loc).Date()); d <= last; d++ {
		if c.weekMinutes == 0 && d > c.lastSpecial {
			break
		}
		buf = c.instants(d, buf[:0])
		for _, w := range buf {
			if w.from.Before(from) {
				w.from = from
			}
			if w.to.After(to) {
				w.to = to
			}
			if !w.to.After(w.from) {
				continue
			}
			counted(w, paused, &next, func(s span) bool {
				total += s.to.Sub(s.from)
				return true
			})
		}
	}
	return total
}
