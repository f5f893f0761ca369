package calendar_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
)

// The expected values below are worked out by hand from the rules of
// evaluation.md section 4 (see the comment on each row), never by calling
// the code under test.

// compile validates and compiles in, failing tb on error.
func compile(tb testing.TB, in calendar.Input) *calendar.Calendar {
	tb.Helper()
	c, loc, err := calendar.Validate(in)
	if err != nil {
		tb.Fatalf("validate: %v", err)
	}
	k, err := calendar.Compile(c, loc)
	if err != nil {
		tb.Fatalf("compile: %v", err)
	}
	return k
}

// ts parses an RFC 3339 time.
func ts(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

var (
	office    = [][]string{{"09:00", "12:00"}, {"13:00", "18:00"}}
	roundDay  = [][]string{{"00:00", "24:00"}}
	nineFive  = [][]string{{"09:00", "17:00"}}
	weekHours = func(h [][]string) map[string][][]string {
		return map[string][][]string{"mon": h, "tue": h, "wed": h, "thu": h, "fri": h}
	}
)

// shanghai is an office in a zone without daylight saving, with China's
// 2026 National Day and Spring Festival holidays and their make-up days.
func shanghai(tb testing.TB, workdayHours [][]string) *calendar.Calendar {
	return compile(tb, calendar.Input{Name: "sh", TimeZone: "Asia/Shanghai", Hours: weekHours(office),
		Holidays: []string{"2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
			"2026-02-21", "2026-02-22", "2026-02-23", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
			"2026-10-05", "2026-10-06", "2026-10-07"},
		Workdays:     []string{"2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"},
		WorkdayHours: workdayHours})
}

// newYork works every day round the clock, in a zone with daylight
// saving (2026: clocks forward on 8 March, back on 1 November).
func newYork(tb testing.TB) *calendar.Calendar {
	h := roundDay
	return compile(tb, calendar.Input{Name: "ny", TimeZone: "America/New_York",
		Hours: map[string][][]string{"mon": h, "tue": h, "wed": h, "thu": h, "fri": h, "sat": h, "sun": h}})
}

type dueCase struct {
	name    string
	cal     *calendar.Calendar
	start   string
	minutes int
	pauses  [][2]string
	want    string
}

func pausesOf(tb testing.TB, ps [][2]string) []calendar.Pause {
	out := make([]calendar.Pause, len(ps))
	for i, p := range ps {
		out[i] = calendar.Pause{From: ts(tb, p[0]), To: ts(tb, p[1])}
	}
	return out
}

func TestDue(t *testing.T) {
	sh, shOwn, ny := shanghai(t, nil), shanghai(t, [][]string{{"10:00", "15:00"}}), newYork(t)
	nyOffice := compile(t, calendar.Input{Name: "nyo", TimeZone: "America/New_York", Hours: weekHours(nineFive)})
	sundays := compile(t, calendar.Input{Name: "sun", TimeZone: "America/New_York", Hours: map[string][][]string{"sun": roundDay}})
	cases := []dueCase{
		// Lunch break: 60 min until 12:00, the other 60 from 13:00.
		{"across lunch", sh, "2026-03-02T11:00:00+08:00", 120, nil, "2026-03-02T06:00:00Z"},
		// Used up exactly at 12:00: due at 12:00, not at 13:00.
		{"used up at 12:00", sh, "2026-03-02T09:00:00+08:00", 180, nil, "2026-03-02T04:00:00Z"},
		{"used up at the end of Friday", sh, "2026-03-02T09:00:00+08:00", 5 * 480, nil, "2026-03-06T10:00:00Z"},
		{"before opening", sh, "2026-03-02T07:30:00+08:00", 30, nil, "2026-03-02T01:30:00Z"},
		{"zero during lunch: due when work resumes", sh, "2026-03-02T12:30:00+08:00", 0, nil, "2026-03-02T05:00:00Z"},
		{"zero at 12:00 (half-open)", sh, "2026-03-02T12:00:00+08:00", 0, nil, "2026-03-02T05:00:00Z"},
		{"zero in working hours: due at once", sh, "2026-03-02T10:15:00+08:00", 0, nil, "2026-03-02T02:15:00Z"},
		// Friday 17:00–18:00, then Monday 09:00–10:00.
		{"over the weekend", sh, "2026-03-06T17:00:00+08:00", 120, nil, "2026-03-09T02:00:00Z"},
		{"zero at Friday 18:00", sh, "2026-03-06T18:00:00+08:00", 0, nil, "2026-03-09T01:00:00Z"},
		{"start on Saturday", sh, "2026-03-07T10:00:00+08:00", 60, nil, "2026-03-09T02:00:00Z"},
		// 30 September 17:00–18:00, 1–7 October are holidays (Thursday
		// and Friday included), 8 October 09:00–10:00.
		{"over National Day", sh, "2026-09-30T17:00:00+08:00", 120, nil, "2026-10-08T02:00:00Z"},
		{"holiday on a Thursday", sh, "2026-10-01T10:00:00+08:00", 0, nil, "2026-10-08T01:00:00Z"},
		// Saturday 10 October is a make-up day with Monday's hours.
		{"make-up Saturday, Monday's hours", sh, "2026-10-09T17:00:00+08:00", 120, nil, "2026-10-10T02:00:00Z"},
		{"make-up Saturday, lunch as on Monday", sh, "2026-10-10T11:00:00+08:00", 120, nil, "2026-10-10T06:00:00Z"},
		// The same day with its own hours 10:00–15:00.
		{"make-up Saturday, own hours", shOwn, "2026-10-09T17:00:00+08:00", 120, nil, "2026-10-10T03:00:00Z"},
		{"make-up day's own hours have no lunch", shOwn, "2026-10-10T11:00:00+08:00", 120, nil, "2026-10-10T05:00:00Z"},
		{"make-up Sunday", sh, "2026-09-19T12:00:00+08:00", 30, nil, "2026-09-20T01:30:00Z"},
		// Friday 13 February ends at 18:00; Saturday 14 is a make-up day.
		{"make-up day before Spring Festival", sh, "2026-02-13T18:00:00+08:00", 1, nil, "2026-02-14T01:01:00Z"},
		// After Saturday 14: holidays 15–23, so Tuesday 24 09:00.
		{"over Spring Festival", sh, "2026-02-14T18:00:00+08:00", 0, nil, "2026-02-24T01:00:00Z"},

		// Pauses count nothing.
		{"pause inside working time", sh, "2026-03-02T09:00:00+08:00", 120,
			[][2]string{{"2026-03-02T10:00:00+08:00", "2026-03-02T11:00:00+08:00"}}, "2026-03-02T04:00:00Z"},
		{"overlapping pauses", sh, "2026-03-02T09:00:00+08:00", 120,
			[][2]string{{"2026-03-02T10:15:00+08:00", "2026-03-02T11:00:00+08:00"}, {"2026-03-02T10:00:00+08:00", "2026-03-02T10:30:00+08:00"}},
			"2026-03-02T04:00:00Z"},
		{"pause outside working time", sh, "2026-03-02T09:00:00+08:00", 120,
			[][2]string{{"2026-03-02T12:00:00+08:00", "2026-03-02T13:00:00+08:00"}, {"2026-03-01T19:00:00+08:00", "2026-03-02T08:00:00+08:00"}},
			"2026-03-02T03:00:00Z"},
		{"pause spanning days", sh, "2026-03-02T16:00:00+08:00", 120,
			[][2]string{{"2026-03-02T17:00:00+08:00", "2026-03-03T10:00:00+08:00"}}, "2026-03-03T03:00:00Z"},
		{"zero target inside a pause", sh, "2026-03-02T09:00:00+08:00", 0,
			[][2]string{{"2026-03-02T08:00:00+08:00", "2026-03-02T09:30:00+08:00"}}, "2026-03-02T01:30:00Z"},
		{"pause ending when the target is used up", sh, "2026-03-02T09:00:00+08:00", 60,
			[][2]string{{"2026-03-02T10:00:00+08:00", "2026-03-02T11:00:00+08:00"}}, "2026-03-02T02:00:00Z"},

		// Daylight saving: real elapsed time. 8 March 2026 lasts 23 hours
		// in New York, 1 November 25 hours.
		{"24 h from midnight on 8 March", ny, "2026-03-08T00:00:00-05:00", 1440, nil, "2026-03-09T05:00:00Z"},
		{"a 23-hour Sunday used up exactly", sundays, "2026-03-07T12:00:00-05:00", 1380, nil, "2026-03-09T04:00:00Z"},
		{"one minute more waits a week", sundays, "2026-03-07T12:00:00-05:00", 1381, nil, "2026-03-15T04:01:00Z"},
		{"a 25-hour Sunday used up exactly", sundays, "2026-10-31T12:00:00-04:00", 1500, nil, "2026-11-02T05:00:00Z"},
		// Friday 16:00–17:00 EST, Monday 09:00–10:00 EDT.
		{"office hours across the change", nyOffice, "2026-03-06T16:00:00-05:00", 120, nil, "2026-03-09T14:00:00Z"},
		{"office hours across the change back", nyOffice, "2026-10-30T16:00:00-04:00", 120, nil, "2026-11-02T15:00:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.cal.Due(ts(t, c.start), time.Duration(c.minutes)*time.Minute, pausesOf(t, c.pauses))
			if err != nil {
				t.Fatalf("Due: %v", err)
			}
			if got.Location() != time.UTC {
				t.Errorf("got zone %v, want UTC", got.Location())
			}
			if want := ts(t, c.want); !got.Equal(want) {
				t.Errorf("got %s, want %s", got.Format(time.RFC3339), c.want)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	sh, ny := shanghai(t, nil), newYork(t)
	shDay := compile(t, calendar.Input{Name: "sh24", TimeZone: "Asia/Shanghai", Hours: map[string][][]string{"sun": roundDay}})
	gap := compile(t, calendar.Input{Name: "gap", TimeZone: "America/New_York",
		Hours: map[string][][]string{"sun": {{"01:00", "04:00"}}}})
	inGap := compile(t, calendar.Input{Name: "in-gap", TimeZone: "America/New_York",
		Hours: map[string][][]string{"sun": {{"02:00", "03:00"}, {"03:00", "03:30"}}}})
	// Berlin changes at 02:00/03:00 local time, east of Greenwich: the
	// standard library resolves its skipped and repeated times the other
	// way round from New York's, so both zones are checked.
	berlin := compile(t, calendar.Input{Name: "berlin", TimeZone: "Europe/Berlin",
		Hours: map[string][][]string{"sun": {{"02:30", "04:00"}}}})
	firstHalf := compile(t, calendar.Input{Name: "first", TimeZone: "America/New_York",
		Hours: map[string][][]string{"sun": {{"01:00", "01:30"}}}})
	cases := []struct {
		name     string
		cal      *calendar.Calendar
		from, to string
		pauses   [][2]string
		want     float64 // minutes
	}{
		{"a whole working day", sh, "2026-03-02T08:00:00+08:00", "2026-03-02T20:00:00+08:00", nil, 480},
		{"across lunch", sh, "2026-03-02T11:30:00+08:00", "2026-03-02T13:30:00+08:00", nil, 60},
		{"over the weekend", sh, "2026-03-06T17:00:00+08:00", "2026-03-09T10:00:00+08:00", nil, 120},
		{"over National Day to the make-up Saturday", sh, "2026-09-30T09:00:00+08:00", "2026-10-10T18:00:00+08:00", nil, 4 * 480},
		{"half a minute", sh, "2026-03-02T09:00:00+08:00", "2026-03-02T09:00:30+08:00", nil, 0.5},
		{"to before from", sh, "2026-03-02T12:00:00+08:00", "2026-03-02T10:00:00+08:00", nil, 0},
		{"pauses overlap working time and lunch", sh, "2026-03-02T09:00:00+08:00", "2026-03-02T18:00:00+08:00",
			[][2]string{{"2026-03-02T10:00:00+08:00", "2026-03-02T14:00:00+08:00"}}, 300},
		{"pause covering everything", sh, "2026-03-02T09:00:00+08:00", "2026-03-02T18:00:00+08:00",
			[][2]string{{"2026-03-01T00:00:00+08:00", "2026-03-03T00:00:00+08:00"}}, 0},
		{"23-hour day", ny, "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", nil, 1380},
		{"25-hour day", ny, "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", nil, 1500},
		{"a week across the change", ny, "2026-03-02T00:00:00-05:00", "2026-03-09T00:00:00-04:00", nil, 167 * 60},
		{"no daylight saving in Shanghai", shDay, "2026-03-08T00:00:00+08:00", "2026-03-09T00:00:00+08:00", nil, 1440},
		// 01:00 EST to 04:00 EDT: the hour 02:00–03:00 does not exist.
		{"interval over the skipped hour", gap, "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", nil, 120},
		// 01:00 EDT to 04:00 EST: 01:00–02:00 happens twice.
		{"interval over the repeated hour", gap, "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", nil, 240},
		// 02:00–03:00 never shows on the clock; 03:00–03:30 does.
		{"interval inside the skipped hour", inGap, "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", nil, 30},
		// 01:00–01:30 means the first time the clock shows it.
		// 03:00 CEST (the jump) to 04:00 CEST.
		{"Berlin: start in the skipped hour", berlin, "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", nil, 60},
		// The first 02:30 (CEST) to 04:00 CET.
		{"Berlin: start in the repeated hour", berlin, "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", nil, 150},
		{"interval inside the repeated hour", firstHalf, "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", nil, 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.cal.Duration(ts(t, c.from), ts(t, c.to), pausesOf(t, c.pauses)).Minutes()
			if got != c.want {
				t.Errorf("got %v minutes, want %v", got, c.want)
			}
		})
	}
}

// TestNoWorkingTime: a calendar without any working time (or with none
// left after its last make-up day) answers with an error, not a hang.
func TestNoWorkingTime(t *testing.T) {
	empty := compile(t, calendar.Input{Name: "empty", TimeZone: "Europe/Berlin"})
	start := ts(t, "2026-03-02T09:00:00+01:00")
	if _, err := empty.Due(start, 0, nil); !errors.Is(err, calendar.ErrNoWorkingTime) {
		t.Errorf("empty calendar: got %v, want ErrNoWorkingTime", err)
	}
	if got := empty.Duration(start, start.AddDate(1, 0, 0), nil); got != 0 {
		t.Errorf("empty calendar duration: got %v, want 0", got)
	}
	once := compile(t, calendar.Input{Name: "once", TimeZone: "Europe/Berlin", Workdays: []string{"2026-03-07"},
		WorkdayHours: [][]string{{"10:00", "11:00"}}})
	if got, err := once.Due(start, 60*time.Minute, nil); err != nil || !got.Equal(ts(t, "2026-03-07T10:00:00Z")) {
		t.Errorf("one make-up day: got %v, %v; want 2026-03-07T10:00:00Z", got, err)
	}
	if _, err := once.Due(start, 61*time.Minute, nil); !errors.Is(err, calendar.ErrNoWorkingTime) {
		t.Errorf("past the last make-up day: got %v, want ErrNoWorkingTime", err)
	}
}

// TestRoundTrip: the time counted from a start to its due time is the
// target, for any start and target, in zones with and without daylight
// saving, with pauses.
func TestRoundTrip(t *testing.T) {
	cals := map[string]*calendar.Calendar{"shanghai": shanghai(t, nil), "new york 24/7": newYork(t),
		"new york office": compile(t, calendar.Input{Name: "nyo", TimeZone: "America/New_York", Hours: weekHours(nineFive),
			Holidays: calendar.USFederalHolidays(2026)})}
	rnd := rand.New(rand.NewPCG(1, 2))
	base := ts(t, "2026-01-01T00:00:00Z")
	for name, k := range cals {
		for i := range 400 {
			start := base.Add(time.Duration(rnd.Int64N(int64(360 * 24 * time.Hour))))
			target := time.Duration(rnd.Int64N(int64(5000 * time.Minute)))
			var ps []calendar.Pause
			if i%2 == 0 {
				from := start.Add(time.Duration(rnd.Int64N(int64(72 * time.Hour))))
				ps = append(ps, calendar.Pause{From: from, To: from.Add(time.Duration(rnd.Int64N(int64(30 * time.Hour))))})
			}
			due, err := k.Due(start, target, ps)
			if err != nil {
				t.Fatalf("%s: Due(%s, %v): %v", name, start, target, err)
			}
			if got := k.Duration(start, due, ps); got != target {
				t.Fatalf("%s: Duration(%s, Due(…, %v)=%s): got %v, want %v", name, start, target, due, got, target)
			}
			// Earliest: a moment earlier, less had been counted.
			if target > 0 {
				if got := k.Duration(start, due.Add(-time.Nanosecond), ps); got >= target {
					t.Fatalf("%s: due %s is not the earliest instant (%v counted a nanosecond before)", name, due, got)
				}
			}
		}
	}
}

// BenchmarkDue measures a typical resolution target (three working days
// on an office calendar with lunch breaks and holidays), the call a queue
// page makes per request.
func BenchmarkDue(b *testing.B) {
	k := shanghai(b, nil)
	start := ts(b, "2026-09-29T15:20:00+08:00")
	ps := []calendar.Pause{{From: ts(b, "2026-09-30T10:00:00+08:00"), To: ts(b, "2026-09-30T11:00:00+08:00")}}
	for b.Loop() {
		if _, err := k.Due(start, 3*480*time.Minute, ps); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDuration measures a month of business time in a zone with a
// daylight-saving change inside it.
func BenchmarkDuration(b *testing.B) {
	k := compile(b, calendar.Input{Name: "nyo", TimeZone: "America/New_York", Hours: weekHours(nineFive)})
	from, to := ts(b, "2026-02-20T10:00:00-05:00"), ts(b, "2026-03-20T10:00:00-04:00")
	for b.Loop() {
		k.Duration(from, to, nil)
	}
}
