package model

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC) // already April 1st in Shanghai
	for _, c := range []struct {
		from, to         string
		wantFrom, wantTo string
		field            string
	}{
		{"", "", "2026-01-02", "2026-04-01", ""},
		{"2026-03-01", "2026-03-31", "2026-03-01", "2026-03-31", ""},
		{"2026-03-05", "2026-03-05", "2026-03-05", "2026-03-05", ""},
		{"", "2026-02-28", "2025-12-01", "2026-02-28", ""},
		{"2026-3-1", "", "", "", "from"},
		{"", "tomorrow", "", "", "to"},
		{"2026-03-02", "2026-03-01", "", "", "from"},
	} {
		p, err := ParsePeriod(c.from, c.to, sh, now)
		if c.field != "" {
			if e, ok := err.(*Error); !ok || e.Field != c.field {
				t.Errorf("%q..%q: got %v, want an error at %s", c.from, c.to, err, c.field)
			}
			continue
		}
		if err != nil || p.From.Format(time.DateOnly) != c.wantFrom || p.To.Format(time.DateOnly) != c.wantTo {
			t.Errorf("%q..%q: got %v..%v (%v), want %s..%s", c.from, c.to, p.From, p.To, err, c.wantFrom, c.wantTo)
		}
		start, end := p.Bounds()
		if start.Location() != sh || end.Sub(p.To) != 24*time.Hour || start.Hour() != 0 {
			t.Errorf("%q..%q: bounds %v..%v, want local midnights, the end after the last day", c.from, c.to, start, end)
		}
	}
}
