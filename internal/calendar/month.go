package calendar

import (
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// DayKind says at a glance what a date is in a calendar.
type DayKind string

// Kinds of days.
const (
	DayWork    DayKind = "work"    // a weekday with working hours
	DayOff     DayKind = "off"     // a weekday without working hours (a weekend)
	DayHoliday DayKind = "holiday" // a public holiday: no working time
	DayMakeup  DayKind = "makeup"  // a make-up working day (调休)
)

// Day is one date of a month view.
type Day struct {
	// Date is the local calendar date, as midnight UTC.
	Date time.Time
	Kind DayKind
	// Hours are the day's wall-clock working intervals.
	Hours []model.WorkInterval
	// Worked is the day's real working time (a daylight-saving change
	// makes it differ from the wall-clock sum).
	Worked time.Duration
	// InMonth is false for the days of the neighbouring months that fill
	// the first and last week.
	InMonth bool
}

// Month returns the weeks, Monday first, that cover month m of year y:
// what each day is and how long it works. The admin page draws it.
func (c *Calendar) Month(y int, m time.Month) [][7]Day {
	first := dayOf(y, m, 1)
	start := first - day((int(first.weekday())+6)%7) // back to Monday
	end := dayOf(y, m+1, 1)
	var weeks [][7]Day
	var buf []span
	for d := start; d < end; d += 7 {
		var w [7]Day
		for i := range w {
			dd := d + day(i)
			hours, k := c.hours(dd)
			yy, mm, ddd := dd.date()
			x := Day{Date: time.Date(yy, mm, ddd, 0, 0, 0, 0, time.UTC), Hours: hours, InMonth: mm == m}
			switch {
			case k == holiday:
				x.Kind = DayHoliday
			case k == makeup:
				x.Kind = DayMakeup
			case len(hours) > 0:
				x.Kind = DayWork
			default:
				x.Kind = DayOff
			}
			buf = c.instants(dd, buf[:0])
			for _, s := range buf {
				x.Worked += s.to.Sub(s.from)
			}
			w[i] = x
		}
		weeks = append(weeks, w)
	}
	return weeks
}
