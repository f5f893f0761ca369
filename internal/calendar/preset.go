package calendar

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// presetFS holds China's statutory holidays and make-up working days
// for 2025 and 2026, copied from the State Council notices (see
// presets/holidays_cn.json and the README). It is read at build time;
// nothing is read from disk at run time.
//
//go:embed presets/holidays_cn.json
var presetFS embed.FS

// Preset keys.
const (
	PresetCN2025 = "cn-2025-2026"
	PresetUS2025 = "us-federal-2025-2026"
)

// PresetKeys lists the presets, in the order forms offer them.
func PresetKeys() []string { return []string{PresetCN2025, PresetUS2025} }

// Preset returns a ready-made calendar for key: its name, zone, usual
// hours, holidays and make-up days. An unknown key is an error on the
// field "preset".
//
//   - cn-2025-2026: Asia/Shanghai, Monday–Friday 09:00–12:00 and
//     13:00–18:00, China's statutory holidays (放假) and make-up working
//     days (调休上班) of 2025 and 2026, which work Monday's hours.
//   - us-federal-2025-2026: America/New_York, Monday–Friday 09:00–17:00,
//     the eleven US federal holidays of 2025 and 2026 on their observed
//     dates (Saturday → Friday, Sunday → Monday).
func Preset(key string) (Input, error) {
	switch key {
	case PresetCN2025:
		return presetCN()
	case PresetUS2025:
		var hol []string
		for _, y := range []int{2025, 2026} {
			hol = append(hol, USFederalHolidays(y)...)
		}
		return Input{Name: "US federal holidays 2025–2026", TimeZone: "America/New_York", Holidays: hol,
			Hours: weekdays([][]string{{"09:00", "17:00"}})}, nil
	}
	return Input{}, model.FieldError("preset", "unknown preset %q", key)
}

// weekdays gives Monday to Friday the same hours.
func weekdays(hours [][]string) map[string][][]string {
	m := map[string][][]string{}
	for _, k := range []string{"mon", "tue", "wed", "thu", "fri"} {
		m[k] = hours
	}
	return m
}

func presetCN() (Input, error) {
	raw, err := presetFS.ReadFile("presets/holidays_cn.json")
	if err != nil {
		return Input{}, fmt.Errorf("calendar: preset: %w", err)
	}
	var doc struct {
		Years map[string]struct {
			Holidays []string `json:"holidays"`
			Workdays []string `json:"workdays"`
		} `json:"years"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return Input{}, fmt.Errorf("calendar: preset: %w", err)
	}
	in := Input{Name: "中国法定节假日 2025–2026", TimeZone: "Asia/Shanghai",
		Hours: weekdays([][]string{{"09:00", "12:00"}, {"13:00", "18:00"}})}
	years := make([]string, 0, len(doc.Years))
	for y := range doc.Years {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, y := range years {
		in.Holidays = append(in.Holidays, doc.Years[y].Holidays...)
		in.Workdays = append(in.Workdays, doc.Years[y].Workdays...)
	}
	return in, nil
}

// USFederalHolidays returns the observed dates of the eleven US federal
// holidays of year: New Year's Day, Martin Luther King Jr. Day,
// Washington's Birthday, Memorial Day, Juneteenth, Independence Day,
// Labor Day, Columbus Day, Veterans Day, Thanksgiving and Christmas. A
// fixed-date holiday on a Saturday is observed on the Friday before, on a
// Sunday on the Monday after (5 U.S.C. 6103).
func USFederalHolidays(year int) []string {
	fixed := func(m time.Month, d int) time.Time {
		t := time.Date(year, m, d, 0, 0, 0, 0, time.UTC)
		switch t.Weekday() {
		case time.Saturday:
			return t.AddDate(0, 0, -1)
		case time.Sunday:
			return t.AddDate(0, 0, 1)
		}
		return t
	}
	// nth is the n-th weekday wd of month m; n = -1 is the last.
	nth := func(m time.Month, wd time.Weekday, n int) time.Time {
		if n < 0 {
			t := time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC)
			return t.AddDate(0, 0, -((int(t.Weekday()) - int(wd) + 7) % 7))
		}
		t := time.Date(year, m, 1, 0, 0, 0, 0, time.UTC)
		return t.AddDate(0, 0, (int(wd)-int(t.Weekday())+7)%7+7*(n-1))
	}
	days := []time.Time{fixed(time.January, 1), nth(time.January, time.Monday, 3), nth(time.February, time.Monday, 3),
		nth(time.May, time.Monday, -1), fixed(time.June, 19), fixed(time.July, 4), nth(time.September, time.Monday, 1),
		nth(time.October, time.Monday, 2), fixed(time.November, 11), nth(time.November, time.Thursday, 4),
		fixed(time.December, 25)}
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d.Format(time.DateOnly)
	}
	return out
}
