package network

import (
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// dayKeys maps the keys and ranges people write to weekdays.
var dayKeys = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}

// ParseHours reads opening hours written as a map of weekday to span
// ({"mon": "09:00-18:00", "sun": ""}; an empty or "closed" span closes the
// day) or as text: "09:00-18:00" (every day), or day ranges with spans
// separated by ";" or ",": "mon-fri 09:00-18:00; sat 10:00-16:00" (days
// not named are closed). An empty map or text means not recorded. Errors
// name the field opening_hours.
func ParseHours(v any) (model.OpeningHours, error) {
	bad := model.FieldError("opening_hours", "must map weekdays to spans (mon: 09:00-18:00) or read like mon-fri 09:00-18:00; sat 10:00-16:00")
	h := model.OpeningHours{}
	switch x := v.(type) {
	case nil:
		return h, nil
	case map[string]string:
		for k, span := range x {
			d, ok := dayKeys[strings.ToLower(strings.TrimSpace(k))]
			if !ok {
				return nil, bad
			}
			span = strings.TrimSpace(span)
			if span == "" || strings.EqualFold(span, "closed") {
				continue
			}
			sp, ok := model.ParseSpan(span)
			if !ok {
				return nil, bad
			}
			h[d] = sp
		}
		return h, nil
	case map[string]any:
		m := map[string]string{}
		for k, val := range x {
			switch s := val.(type) {
			case string:
				m[k] = s
			case nil:
				m[k] = ""
			default:
				return nil, bad
			}
		}
		return ParseHours(m)
	case string:
		return parseHoursText(x, bad)
	}
	return nil, bad
}

func parseHoursText(s string, bad error) (model.OpeningHours, error) {
	h := model.OpeningHours{}
	s = strings.TrimSpace(s)
	if s == "" {
		return h, nil
	}
	if sp, ok := model.ParseSpan(s); ok {
		for _, d := range model.Weekdays {
			h[d] = sp
		}
		return h, nil
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' }) {
		f := strings.Fields(part)
		if len(f) != 2 {
			return nil, bad
		}
		days, ok := dayRange(strings.ToLower(f[0]))
		sp, ok2 := model.ParseSpan(f[1])
		if !ok || !ok2 {
			return nil, bad
		}
		for _, d := range days {
			h[d] = sp
		}
	}
	return h, nil
}

// dayRange reads "mon", "mon-fri" or "daily" into weekdays, Monday first.
func dayRange(s string) ([]time.Weekday, bool) {
	if s == "daily" {
		return model.Weekdays, true
	}
	from, to, isRange := strings.Cut(s, "-")
	a, ok := dayKeys[from]
	if !ok {
		return nil, false
	}
	if !isRange {
		return []time.Weekday{a}, true
	}
	b, ok := dayKeys[to]
	if !ok {
		return nil, false
	}
	idx := func(d time.Weekday) int { return (int(d) + 6) % 7 } // Monday 0 … Sunday 6
	if idx(b) < idx(a) {
		return nil, false
	}
	var out []time.Weekday
	for i := idx(a); i <= idx(b); i++ {
		out = append(out, model.Weekdays[i])
	}
	return out, true
}
