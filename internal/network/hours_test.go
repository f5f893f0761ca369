package network

import (
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

func TestParseHours(t *testing.T) {
	for _, c := range []struct {
		in   any
		want string // the stored form; "!" for an error
	}{
		{nil, ""},
		{"", ""},
		{"09:00-18:00", "mon=09:00-18:00;tue=09:00-18:00;wed=09:00-18:00;thu=09:00-18:00;fri=09:00-18:00;sat=09:00-18:00;sun=09:00-18:00"},
		{"mon-fri 09:00-18:00; sat 10:00-16:00", "mon=09:00-18:00;tue=09:00-18:00;wed=09:00-18:00;thu=09:00-18:00;fri=09:00-18:00;sat=10:00-16:00"},
		{"Sat 10:00-24:00, sun 10:00-16:00", "sat=10:00-24:00;sun=10:00-16:00"},
		{map[string]any{"mon": "08:30-17:30", "sun": "closed", "tue": ""}, "mon=08:30-17:30"},
		{map[string]string{"fri": "09:00-21:00"}, "fri=09:00-21:00"},
		{"fri-mon 09:00-18:00", "!"}, // backwards
		{"mon 18:00-09:00", "!"},     // closes before it opens
		{"mon 9:00-18:00", "!"},
		{"whenever", "!"},
		{map[string]any{"funday": "09:00-18:00"}, "!"},
		{map[string]any{"mon": 9}, "!"},
		{42, "!"},
	} {
		h, err := ParseHours(c.in)
		got := "!"
		if err == nil {
			got = h.String()
		}
		if got != c.want {
			t.Errorf("ParseHours(%v): got %q (%v), want %q", c.in, got, err, c.want)
		}
	}
}

func TestHoursCover(t *testing.T) {
	h, err := ParseHours("mon-fri 09:00-18:00")
	if err != nil {
		t.Fatal(err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		from, to string
		want     bool
	}{
		{"2026-05-04T09:00:00+08:00", "2026-05-04T10:00:00+08:00", true},  // Monday, at opening
		{"2026-05-04T17:00:00+08:00", "2026-05-04T18:00:00+08:00", true},  // until closing
		{"2026-05-04T17:30:00+08:00", "2026-05-04T18:30:00+08:00", false}, // past closing
		{"2026-05-04T00:30:00Z", "2026-05-04T01:30:00Z", false},           // 08:30 in Shanghai
		{"2026-05-04T01:00:00Z", "2026-05-04T02:00:00Z", true},            // 09:00 in Shanghai
		{"2026-05-09T10:00:00+08:00", "2026-05-09T11:00:00+08:00", false}, // Saturday
	} {
		if got := h.Covers(at(c.from), at(c.to), sh); got != c.want {
			t.Errorf("%s–%s: got %v, want %v", c.from, c.to, got, c.want)
		}
	}
	if (model.OpeningHours{}).Recorded() {
		t.Error("empty hours: got recorded")
	}
}
