package model

import (
	"strings"
	"time"
)

// DefaultPeriodDays is the length of the period analytics and exports
// cover when none is given: the last 90 days up to today.
const DefaultPeriodDays = 90

// Period is a range of whole days in the store's time zone, both ends
// inclusive, as analytics and exports take them (?from=&to=, YYYY-MM-DD).
type Period struct {
	From, To time.Time // midnight at the start of the first and of the last day, in the store's zone
}

// ParsePeriod reads from and to (YYYY-MM-DD, either may be empty) in loc.
// An empty to is today (at now); an empty from is DefaultPeriodDays−1
// days before to, so the default covers 90 days. A malformed date, or
// from after to, is EINVALID naming the parameter.
func ParsePeriod(from, to string, loc *time.Location, now time.Time) (Period, error) {
	var p Period
	day := func(s, field string) (time.Time, error) {
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
		if err != nil {
			if field == "from" {
				return t, FieldError(field, "The start date (from) must be a date such as 2026-03-01.")
			}
			return t, FieldError(field, "The end date (to) must be a date such as 2026-03-01.")
		}
		return t, nil
	}
	var err error
	if strings.TrimSpace(to) == "" {
		l := now.In(loc)
		p.To = time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	} else if p.To, err = day(to, "to"); err != nil {
		return p, err
	}
	if strings.TrimSpace(from) == "" {
		p.From = p.To.AddDate(0, 0, -(DefaultPeriodDays - 1))
	} else if p.From, err = day(from, "from"); err != nil {
		return p, err
	}
	if p.From.After(p.To) {
		return p, FieldError("from", "must not be after to")
	}
	return p, nil
}

// Bounds are the instants [start, end) the period covers: from the first
// day's midnight to the midnight after the last day.
func (p Period) Bounds() (start, end time.Time) { return p.From, p.To.AddDate(0, 0, 1) }
