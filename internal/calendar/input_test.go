package calendar_test

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/testenv"
)

func TestValidateNamesTheField(t *testing.T) {
	ok := func() calendar.Input {
		return calendar.Input{Name: "Office", TimeZone: "Asia/Shanghai", Hours: weekHours(office),
			Holidays: []string{"2026-10-01"}, Workdays: []string{"2026-10-10"}}
	}
	cases := []struct {
		name   string
		change func(*calendar.Input)
		field  string
	}{
		{"no name", func(in *calendar.Input) { in.Name = "  " }, "name"},
		{"no time zone", func(in *calendar.Input) { in.TimeZone = "" }, "timezone"},
		{"unknown time zone", func(in *calendar.Input) { in.TimeZone = "Mars/Olympus" }, "timezone"},
		{"the server's zone", func(in *calendar.Input) { in.TimeZone = "Local" }, "timezone"},
		{"unknown weekday", func(in *calendar.Input) { in.Hours["moon"] = office }, "hours.moon"},
		{"end before start", func(in *calendar.Input) { in.Hours["mon"] = [][]string{{"09:00", "12:00"}, {"18:00", "13:00"}} }, "hours.mon[1]"},
		{"end equals start", func(in *calendar.Input) { in.Hours["tue"] = [][]string{{"09:00", "09:00"}} }, "hours.tue[0]"},
		{"overlap", func(in *calendar.Input) { in.Hours["wed"] = [][]string{{"09:00", "12:00"}, {"11:00", "14:00"}} }, "hours.wed[1]"},
		{"overlap out of order", func(in *calendar.Input) { in.Hours["thu"] = [][]string{{"13:00", "18:00"}, {"08:00", "14:00"}} }, "hours.thu[1]"},
		{"bad time", func(in *calendar.Input) { in.Hours["fri"] = [][]string{{"9am", "12:00"}} }, "hours.fri[0]"},
		{"24:30", func(in *calendar.Input) { in.Hours["sat"] = [][]string{{"20:00", "24:30"}} }, "hours.sat[0]"},
		{"starts at 24:00", func(in *calendar.Input) { in.Hours["sun"] = [][]string{{"24:00", "24:00"}} }, "hours.sun[0]"},
		{"not a pair", func(in *calendar.Input) { in.Hours["mon"] = [][]string{{"09:00"}} }, "hours.mon[0]"},
		{"bad holiday", func(in *calendar.Input) { in.Holidays = []string{"2026-10-01", "2026-10-02", "2026-02-30"} }, "holidays[2]"},
		{"holiday not ISO", func(in *calendar.Input) { in.Holidays = []string{"10/01/2026"} }, "holidays[0]"},
		{"bad make-up day", func(in *calendar.Input) { in.Workdays = []string{"2026-13-01"} }, "workdays[0]"},
		{"make-up day that is a holiday", func(in *calendar.Input) { in.Workdays = []string{"2026-10-10", "2026-10-01"} }, "workdays[1]"},
		{"bad make-up hours", func(in *calendar.Input) { in.WorkdayHours = [][]string{{"10:00", "15:00"}, {"14:00", "16:00"}} }, "workday_hours[1]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := ok()
			c.change(&in)
			_, _, err := calendar.Validate(in)
			var e *model.Error
			if !errors.As(err, &e) || e.Code != model.EINVALID {
				t.Fatalf("got %v, want an invalid-input error", err)
			}
			if e.Field != c.field {
				t.Errorf("got field %q, want %q (%v)", e.Field, c.field, err)
			}
		})
	}
	if _, _, err := calendar.Validate(ok()); err != nil {
		t.Errorf("valid input: got %v", err)
	}
}

func TestValidateNormalises(t *testing.T) {
	c, loc, err := calendar.Validate(calendar.Input{Name: " Round the clock ", TimeZone: "America/New_York",
		Hours:    map[string][][]string{"sun": {{"13:00", "24:00"}, {"00:00", "12:00"}}, "mon": {{"9:00", "17:00"}}},
		Holidays: []string{"2026-12-25", "2026-01-01", "2026-12-25"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Round the clock" || loc.String() != "America/New_York" {
		t.Errorf("got name %q, zone %v", c.Name, loc)
	}
	if want := []model.WorkInterval{{Start: 0, End: 720}, {Start: 780, End: 1440}}; !slices.Equal(c.Hours[time.Sunday], want) {
		t.Errorf("got Sunday %v, want %v (sorted)", c.Hours[time.Sunday], want)
	}
	if want := []model.WorkInterval{{Start: 540, End: 1020}}; !slices.Equal(c.Hours[time.Monday], want) {
		t.Errorf("got Monday %v, want %v", c.Hours[time.Monday], want)
	}
	if want := []string{"2026-01-01", "2026-12-25"}; !slices.Equal(c.Holidays, want) {
		t.Errorf("got holidays %v, want %v (sorted, once each)", c.Holidays, want)
	}
	if c.WorkdayHours != nil {
		t.Errorf("got make-up hours %v, want nil (Monday's)", c.WorkdayHours)
	}
	back := calendar.ToInput(c)
	if got := back.Hours["sun"]; !reflect.DeepEqual(got, [][]string{{"00:00", "12:00"}, {"13:00", "24:00"}}) {
		t.Errorf("ToInput Sunday: got %v", got)
	}
}

func TestSplitIntervals(t *testing.T) {
	cases := []struct {
		in   string
		want [][]string
	}{
		{"09:00-12:00, 13:00-18:00", [][]string{{"09:00", "12:00"}, {"13:00", "18:00"}}},
		{"09:00 – 12:00；13:00~18:00", [][]string{{"09:00", "12:00"}, {"13:00", "18:00"}}},
		{"00:00-24:00", [][]string{{"00:00", "24:00"}}},
		{"", nil},
		{"9am", [][]string{{"9am"}}},
	}
	for _, c := range cases {
		if got := calendar.SplitIntervals(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("SplitIntervals(%q): got %q, want %q", c.in, got, c.want)
		}
	}
	if got := calendar.JoinIntervals([]model.WorkInterval{{Start: 540, End: 720}, {Start: 780, End: 1440}}); got != "09:00-12:00, 13:00-24:00" {
		t.Errorf("JoinIntervals: got %q", got)
	}
	if got := calendar.SplitDates("2026-10-01, 2026-10-02\n2026-10-03"); !slices.Equal(got, []string{"2026-10-01", "2026-10-02", "2026-10-03"}) {
		t.Errorf("SplitDates: got %q", got)
	}
}

func TestPresetCN(t *testing.T) {
	in, err := calendar.Preset(calendar.PresetCN2025)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := calendar.Validate(in)
	if err != nil {
		t.Fatal(err)
	}
	// Counts from the State Council notices: 28 + 33 holiday dates, 5 + 6
	// make-up days.
	if len(c.Holidays) != 61 || len(c.Workdays) != 11 {
		t.Errorf("got %d holidays and %d make-up days, want 61 and 11", len(c.Holidays), len(c.Workdays))
	}
	if c.TimeZone != "Asia/Shanghai" || !slices.Equal(c.Hours[time.Wednesday], []model.WorkInterval{{Start: 540, End: 720}, {Start: 780, End: 1080}}) ||
		len(c.Hours[time.Saturday]) != 0 {
		t.Errorf("got zone %s, Wednesday %v, Saturday %v", c.TimeZone, c.Hours[time.Wednesday], c.Hours[time.Saturday])
	}
	for _, d := range []string{"2025-01-01", "2025-10-08", "2026-02-15", "2026-10-07"} {
		if _, ok := slices.BinarySearch(c.Holidays, d); !ok {
			t.Errorf("%s is not a holiday", d)
		}
	}
	for _, d := range []string{"2025-01-26", "2026-02-14", "2026-02-28", "2026-10-10"} {
		if _, ok := slices.BinarySearch(c.Workdays, d); !ok {
			t.Errorf("%s is not a make-up day", d)
		}
	}
	if _, err := calendar.Preset("cn-1999"); err == nil {
		t.Error("unknown preset: got no error")
	}
}

// TestPresetCopyIsCurrent: the embedded copy equals the shared data set
// it was taken from.
func TestPresetCopyIsCurrent(t *testing.T) {
	shared, err := os.ReadFile(testenv.DataFile(t, "holidays_cn.json"))
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := os.ReadFile("presets/holidays_cn.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, embedded) {
		t.Error("presets/holidays_cn.json differs from the shared data set; copy it again")
	}
}

func TestUSFederalHolidays(t *testing.T) {
	// Observed dates, from the US Office of Personnel Management's tables.
	want := map[int][]string{
		2025: {"2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01",
			"2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"},
		2026: {"2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
			"2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"},
		2027: {"2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06",
			"2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24"},
	}
	for y, w := range want {
		if got := calendar.USFederalHolidays(y); !slices.Equal(got, w) {
			t.Errorf("%d: got %v, want %v", y, got, w)
		}
	}
}

func TestMonth(t *testing.T) {
	k := shanghai(t, nil)
	weeks := k.Month(2026, time.October)
	// October 2026 starts on a Thursday: the first row starts on Monday
	// 28 September; the last ends on Sunday 1 November.
	if len(weeks) != 5 || weeks[0][0].Date.Format(time.DateOnly) != "2026-09-28" || weeks[4][6].Date.Format(time.DateOnly) != "2026-11-01" {
		t.Fatalf("got %d weeks from %s", len(weeks), weeks[0][0].Date)
	}
	kinds := map[string]calendar.DayKind{"2026-09-28": calendar.DayWork, "2026-10-01": calendar.DayHoliday,
		"2026-10-03": calendar.DayHoliday, "2026-10-10": calendar.DayMakeup, "2026-10-11": calendar.DayOff, "2026-10-12": calendar.DayWork}
	for _, w := range weeks {
		for _, d := range w {
			if want, ok := kinds[d.Date.Format(time.DateOnly)]; ok && d.Kind != want {
				t.Errorf("%s: got %s, want %s", d.Date.Format(time.DateOnly), d.Kind, want)
			}
		}
	}
	if d := weeks[0][0]; d.InMonth || d.Worked != 8*time.Hour {
		t.Errorf("28 September: got in month %v, worked %v; want false, 8h", d.InMonth, d.Worked)
	}
	if d := weeks[1][5]; d.Date.Day() != 10 || d.Worked != 8*time.Hour {
		t.Errorf("make-up Saturday: got %s worked %v, want 8h", d.Date, d.Worked)
	}
	ny := newYork(t).Month(2026, time.March)
	if d := ny[1][6]; d.Date.Day() != 8 || d.Worked != 23*time.Hour {
		t.Errorf("8 March in New York: got %s worked %v, want 23h", d.Date, d.Worked)
	}
}
