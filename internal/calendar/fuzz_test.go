package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
)

// FuzzCalendar feeds the calendar form's text fields (as people type
// them) through the parsers and Validate; whatever is accepted must
// compile, and its due times must round-trip through Duration. Nothing
// may panic or run away.
func FuzzCalendar(f *testing.F) {
	f.Add("09:00-12:00, 13:00-18:00", "Asia/Shanghai", "2026-10-01\n2026-10-02", "2026-10-10", "", int64(1790000000), uint32(120))
	f.Add("00:00-24:00", "America/New_York", "", "", "", int64(1772946000), uint32(1440))
	f.Add("02:30-04:00", "Europe/Berlin", "", "2026-03-29", "01:00-03:30", int64(1774742400), uint32(45))
	f.Add("9-5", "Local", "2026-02-30", "x", "24:00-24:00", int64(0), uint32(0))
	f.Fuzz(func(t *testing.T, hours, zone, holidays, workdays, workdayHours string, start int64, minutes uint32) {
		in := calendar.Input{Name: "fuzz", TimeZone: zone, Hours: map[string][][]string{"mon": calendar.SplitIntervals(hours),
			"sat": calendar.SplitIntervals(hours)}, Holidays: calendar.SplitDates(holidays), Workdays: calendar.SplitDates(workdays),
			WorkdayHours: calendar.SplitIntervals(workdayHours)}
		c, loc, err := calendar.Validate(in)
		if err != nil {
			return
		}
		k, err := calendar.Compile(c, loc)
		if err != nil {
			t.Fatalf("valid calendar does not compile: %v", err)
		}
		from := time.Unix(start%(400*365*86400), 0) // within ±400 years of 1970
		target := time.Duration(minutes%20000) * time.Minute
		due, err := k.Due(from, target, nil)
		if errors.Is(err, calendar.ErrNoWorkingTime) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if due.Before(from) {
			t.Fatalf("due %v before start %v", due, from)
		}
		if got := k.Duration(from, due, nil); got != target {
			t.Fatalf("Duration(start, Due(start, %v)) = %v", target, got)
		}
	})
}
