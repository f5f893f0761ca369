package model

import (
	"fmt"
	"time"
)

// MinutesPerDay is the largest clock time an interval may end at: "24:00",
// the end of a day open round the clock.
const MinutesPerDay = 24 * 60

// WorkInterval is one stretch of working time within a local day, in
// minutes after midnight: the half-open interval [Start, End), with
// 0 ≤ Start < End ≤ 1440. Minutes rather than a time.Duration because a
// calendar speaks of wall clocks: on a daylight-saving day 09:00–17:00 is
// still "09:00–17:00", however long it really lasts.
type WorkInterval struct {
	Start, End int
}

// String formats the interval as "09:00–12:00".
func (w WorkInterval) String() string { return ClockString(w.Start) + "–" + ClockString(w.End) }

// ClockString formats minutes after midnight as "HH:MM" (1440 is "24:00").
func ClockString(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// WeekdayKeys are the JSON names of the weekdays, indexed by time.Weekday
// (Sunday is 0), as the API and the stored calendars spell them.
var WeekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Calendar is a business calendar: when a team works, in its own time
// zone. SLA clocks count only its working time. Holidays have no working
// time whatever the weekday; make-up working days (调休) work with
// WorkdayHours, or Monday's hours when it has none.
type Calendar struct {
	ID       int64
	Name     string
	TimeZone string // IANA name, e.g. "Asia/Shanghai"
	// Hours holds each weekday's intervals, indexed by time.Weekday,
	// sorted and not overlapping.
	Hours [7][]WorkInterval
	// Holidays and Workdays are local dates ("2026-10-01"), sorted, never
	// the same date in both.
	Holidays []string
	Workdays []string
	// WorkdayHours are the make-up days' own hours; nil means Monday's.
	WorkdayHours []WorkInterval
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// CalendarFilter selects a page of calendars, by name.
type CalendarFilter struct {
	Limit  int
	Cursor string
}

// CalendarPage is one page of calendars.
type CalendarPage struct {
	Items      []Calendar
	NextCursor string
}
