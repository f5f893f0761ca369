package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ServiceCentre is a place that repairs products (网点): where customers
// drop devices off, where technicians work and parts are stocked.
type ServiceCentre struct {
	ID      int64
	Code    string // short and unique, e.g. "BJ-CY"; used in URLs and by people
	Name    string
	Region  string // free text, e.g. 华北 / North China
	Address string
	Lat     float64 // WGS-84 degrees
	Lng     float64
	// TimeZone is the IANA zone of the centre (Asia/Shanghai): its
	// opening hours and the day its capacity counts are in it.
	TimeZone string
	Hours    OpeningHours
	// Categories are the product categories (model.Product.Category) it
	// repairs.
	Categories []string
	// DailyCapacity is how many appointments it takes per day.
	DailyCapacity int
	Active        bool
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// DistanceKm is filled by searches from a point; negative otherwise.
	DistanceKm float64
}

// Location loads the centre's time zone (validated when saved).
func (c *ServiceCentre) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Repairs reports whether the centre repairs products of category.
func (c *ServiceCentre) Repairs(category string) bool { return slices.Contains(c.Categories, category) }

// Weekdays, in the order opening hours are listed: Monday first.
var Weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday,
	time.Saturday, time.Sunday}

// WeekdayKey is the short English key of a weekday ("mon").
func WeekdayKey(d time.Weekday) string { return strings.ToLower(d.String()[:3]) }

// Span is one opening period of a day, in minutes after midnight.
type Span struct{ Open, Close int }

// OpeningHours are a centre's weekly hours, one span per weekday; a day
// without one is closed. A zero value (no day set) means the hours are
// not recorded, and bookings are not checked against them.
type OpeningHours map[time.Weekday]Span

// Recorded reports whether any hours are set.
func (h OpeningHours) Recorded() bool { return len(h) > 0 }

// Day is the text of one day's hours ("09:00-18:00"), "" when closed.
func (h OpeningHours) Day(d time.Weekday) string {
	sp, ok := h[d]
	if !ok {
		return ""
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", sp.Open/60, sp.Open%60, sp.Close/60, sp.Close%60)
}

// Map is the hours as weekday key → "HH:MM-HH:MM" (closed days left out).
func (h OpeningHours) Map() map[string]string {
	out := map[string]string{}
	for _, d := range Weekdays {
		if s := h.Day(d); s != "" {
			out[WeekdayKey(d)] = s
		}
	}
	return out
}

// String is the stored form: "mon=09:00-18:00;tue=…", Monday first.
func (h OpeningHours) String() string {
	var parts []string
	for _, d := range Weekdays {
		if s := h.Day(d); s != "" {
			parts = append(parts, WeekdayKey(d)+"="+s)
		}
	}
	return strings.Join(parts, ";")
}

// Covers reports whether [from, to) lies within one opening span of the
// day from falls on, both read in loc.
func (h OpeningHours) Covers(from, to time.Time, loc *time.Location) bool {
	a, b := from.In(loc), to.In(loc)
	sp, ok := h[a.Weekday()]
	if !ok {
		return false
	}
	y, m, d := a.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	open := midnight.Add(time.Duration(sp.Open) * time.Minute)
	closes := midnight.Add(time.Duration(sp.Close) * time.Minute)
	return !a.Before(open) && !b.After(closes)
}

// ParseSpan reads "09:00-18:00"; the close must be after the open, at
// most 24:00.
func ParseSpan(s string) (Span, bool) {
	open, closes, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return Span{}, false
	}
	o, ok1 := parseClock(open)
	c, ok2 := parseClock(closes)
	if !ok1 || !ok2 || c <= o {
		return Span{}, false
	}
	return Span{Open: o, Close: c}, true
}

func parseClock(s string) (int, bool) {
	var h, m int
	s = strings.TrimSpace(s)
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 24 || m > 59 || (h == 24 && m > 0) {
		return 0, false
	}
	return h*60 + m, true
}

// ParseOpeningHours reads the stored form (see String). Unknown parts are
// skipped: the stored text was validated when written.
func ParseOpeningHours(s string) OpeningHours {
	h := OpeningHours{}
	for _, part := range strings.Split(s, ";") {
		key, span, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		for _, d := range Weekdays {
			if WeekdayKey(d) == key {
				if sp, ok := ParseSpan(span); ok {
					h[d] = sp
				}
			}
		}
	}
	return h
}

// CentrePatch changes a centre. Nil fields are left alone. Centre
// managers may change only Hours and DailyCapacity, of their own centre.
type CentrePatch struct {
	Name, Region, Address, TimeZone *string
	Lat, Lng                        *float64
	Hours                           *OpeningHours
	Categories                      *[]string
	DailyCapacity                   *int
	Active                          *bool
}

// OnlySchedule reports whether the patch touches nothing but the opening
// hours and the daily capacity.
func (p CentrePatch) OnlySchedule() bool {
	return p.Name == nil && p.Region == nil && p.Address == nil && p.TimeZone == nil && p.Lat == nil &&
		p.Lng == nil && p.Categories == nil && p.Active == nil
}

// AppointmentKind says where the work happens.
type AppointmentKind string

// Appointment kinds.
const (
	AppointmentInStore AppointmentKind = "in_store" // the customer brings the device to the centre
	AppointmentOnSite  AppointmentKind = "on_site"  // a technician visits the customer
)

// Valid reports whether k is a known kind.
func (k AppointmentKind) Valid() bool { return k == AppointmentInStore || k == AppointmentOnSite }

// Appointment statuses.
const (
	AppointmentBooked    = "booked"
	AppointmentCancelled = "cancelled"
)

// Appointment is a booked slot at a centre or a visit window, for one
// request, optionally with the technician who does the work.
type Appointment struct {
	ID            int64
	CentreID      int64
	CentreCode    string // filled on reads
	TechnicianID  *int64
	Technician    string // the technician's name, filled on reads
	RequestID     int64
	RequestNumber string // filled on reads
	CustomerID    int64  // the request's customer, filled on reads
	Kind          AppointmentKind
	Status        string
	StartsAt      time.Time
	EndsAt        time.Time
	// LocalDay is the day of StartsAt in the centre's time zone (midnight
	// UTC, how dates are kept): the day its capacity counts.
	LocalDay     time.Time
	Address      string
	Note         string
	BookedByKind PrincipalKind
	BookedByID   *int64
	BookedBy     string
	CreatedAt    time.Time
	CancelledAt  *time.Time
	CancelReason string
}

// AppointmentFilter selects appointments for a day view or a list.
type AppointmentFilter struct {
	CentreID     int64
	TechnicianID int64
	RequestID    int64
	CustomerID   int64
	// Day, when set, is a centre-local date (midnight UTC).
	Day *time.Time
	// From, when set, keeps appointments ending after it.
	From             *time.Time
	IncludeCancelled bool
	Limit            int
}
