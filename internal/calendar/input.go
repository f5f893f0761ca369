package calendar

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// Input is a calendar as people write it: "HH:MM" times, "YYYY-MM-DD"
// dates and an IANA time zone. Validate turns it into a model.Calendar.
type Input struct {
	Name     string
	TimeZone string
	// Hours maps a weekday key of model.WeekdayKeys ("mon") to its
	// intervals, each a pair ["09:00", "12:00"]; a day not given does not
	// work.
	Hours    map[string][][]string
	Holidays []string
	Workdays []string
	// WorkdayHours are the make-up days' own hours; none means Monday's.
	WorkdayHours [][]string
}

// maxNameLength bounds a calendar's name, in characters.
const maxNameLength = 200

// Validate checks in and returns the calendar it describes with its time
// zone. An error names the field the way the API locates it: "name",
// "timezone", "hours.mon[1]", "holidays[2]", "workdays[0]",
// "workday_hours[1]". Duplicate dates count once.
func Validate(in Input) (*model.Calendar, *time.Location, error) {
	c := &model.Calendar{Name: strings.TrimSpace(in.Name), TimeZone: strings.TrimSpace(in.TimeZone)}
	switch {
	case c.Name == "":
		return nil, nil, model.FieldError("name", "is required")
	case utf8.RuneCountInString(c.Name) > maxNameLength:
		return nil, nil, model.FieldError("name", "must be at most %d characters", maxNameLength)
	}
	loc, err := loadZone(c.TimeZone)
	if err != nil {
		return nil, nil, err
	}
	for _, key := range slices.Sorted(maps.Keys(in.Hours)) {
		if !slices.Contains(model.WeekdayKeys[:], key) {
			return nil, nil, model.FieldError("hours."+key, "is not a weekday (mon, tue, wed, thu, fri, sat, sun)")
		}
	}
	for wd, key := range model.WeekdayKeys {
		if c.Hours[wd], err = intervals("hours."+key, in.Hours[key]); err != nil {
			return nil, nil, err
		}
	}
	if len(in.WorkdayHours) > 0 {
		if c.WorkdayHours, err = intervals("workday_hours", in.WorkdayHours); err != nil {
			return nil, nil, err
		}
	}
	if c.Holidays, err = dates("holidays", in.Holidays, nil); err != nil {
		return nil, nil, err
	}
	if c.Workdays, err = dates("workdays", in.Workdays, c.Holidays); err != nil {
		return nil, nil, err
	}
	return c, loc, nil
}

// loadZone loads an IANA time zone; "" and "Local" (the server's own
// zone, which differs between hosts) are refused.
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return nil, model.FieldError("timezone", "is required")
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		return nil, model.FieldError("timezone", "unknown time zone %q (use an IANA name such as Asia/Shanghai)", name)
	}
	return loc, nil
}

// intervals checks a day's intervals and returns them sorted; errors
// name field[i].
func intervals(field string, pairs [][]string) ([]model.WorkInterval, error) {
	out := make([]model.WorkInterval, 0, len(pairs))
	for i, p := range pairs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if len(p) != 2 {
			return nil, model.FieldError(f, "must be a pair of times like [\"09:00\", \"12:00\"]")
		}
		start, ok := ParseClock(p[0])
		if !ok {
			return nil, model.FieldError(f, "%q is not a time of day (HH:MM, 00:00–24:00)", p[0])
		}
		end, ok := ParseClock(p[1])
		if !ok {
			return nil, model.FieldError(f, "%q is not a time of day (HH:MM, 00:00–24:00)", p[1])
		}
		iv := model.WorkInterval{Start: start, End: end}
		if end <= start {
			return nil, model.FieldError(f, "the end %s is not after the start %s", model.ClockString(end), model.ClockString(start))
		}
		for _, o := range out {
			if iv.Start < o.End && o.Start < iv.End {
				return nil, model.FieldError(f, "%s overlaps %s", iv, o)
			}
		}
		out = append(out, iv)
	}
	if len(out) == 0 {
		return nil, nil
	}
	slices.SortFunc(out, func(a, b model.WorkInterval) int { return a.Start - b.Start })
	return out, nil
}

// dashes matches the separator inside a typed interval, with any spaces
// around it.
var dashes = regexp.MustCompile(`\s*[-–—~～]\s*`)

// ParseClock reads "HH:MM" (or "H:MM") as minutes after midnight,
// 00:00–24:00.
func ParseClock(s string) (int, bool) {
	hh, mm, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) ||
		hh[0] == '+' || mm[0] == '+' || hh[0] == '-' || mm[0] == '-' {
		return 0, false
	}
	return h*60 + m, true
}

// dates checks "YYYY-MM-DD" dates and returns them sorted without
// duplicates; a date also in exclude (the holidays, for make-up days) is
// an error. Errors name field[i].
func dates(field string, in []string, exclude []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for i, s := range in {
		s = strings.TrimSpace(s)
		t, err := time.Parse(time.DateOnly, s)
		if err != nil || t.Year() < 1900 {
			return nil, model.FieldError(fmt.Sprintf("%s[%d]", field, i), "%q is not a date (YYYY-MM-DD)", s)
		}
		if _, found := slices.BinarySearch(exclude, s); found {
			return nil, model.FieldError(fmt.Sprintf("%s[%d]", field, i), "%s is also listed as a holiday", s)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// ToInput is the inverse of Validate: c as people write it (the edit
// form and the API show it so).
func ToInput(c *model.Calendar) Input {
	in := Input{Name: c.Name, TimeZone: c.TimeZone, Hours: map[string][][]string{},
		Holidays: slices.Clone(c.Holidays), Workdays: slices.Clone(c.Workdays)}
	for wd, key := range model.WeekdayKeys {
		if len(c.Hours[wd]) > 0 {
			in.Hours[key] = Pairs(c.Hours[wd])
		}
	}
	if c.WorkdayHours != nil {
		in.WorkdayHours = Pairs(c.WorkdayHours)
	}
	return in
}

// Pairs writes intervals as [["09:00", "12:00"], …].
func Pairs(ivs []model.WorkInterval) [][]string {
	out := make([][]string, len(ivs))
	for i, iv := range ivs {
		out[i] = []string{model.ClockString(iv.Start), model.ClockString(iv.End)}
	}
	return out
}

// SplitIntervals reads a day's hours as typed in a form, "09:00-12:00,
// 13:00-18:00" (commas, semicolons or spaces between intervals; "-", "–"
// or "~" inside), into pairs for Validate. A piece that is not a pair is
// returned as it is, for Validate to refuse with its position.
func SplitIntervals(s string) [][]string {
	s = dashes.ReplaceAllString(s, "-")
	var out [][]string
	for _, piece := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '；' || r == ' ' || r == '\n' }) {
		from, to, ok := strings.Cut(piece, "-")
		if !ok {
			out = append(out, []string{piece})
			continue
		}
		out = append(out, []string{from, to})
	}
	return out
}

// JoinIntervals writes intervals the way SplitIntervals reads them.
func JoinIntervals(ivs []model.WorkInterval) string {
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = model.ClockString(iv.Start) + "-" + model.ClockString(iv.End)
	}
	return strings.Join(parts, ", ")
}

// SplitDates reads dates as typed in a form: separated by spaces, commas
// or new lines.
func SplitDates(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '，' || r == '；' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
}
