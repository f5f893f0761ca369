// Package network manages the service network: service centres (网点)
// with their location, time zone, opening hours, the product categories
// they repair and their daily capacity; the search for the nearest centre
// that repairs a category; and appointments, the in-store slots and
// on-site visit windows booked against a centre's capacity and a
// technician's time.
package network

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Service is the network's domain logic over the store.
type Service struct {
	store *store.Store
	now   func() time.Time
}

// NewService returns a network service.
func NewService(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, now: now}
}

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// codePattern is what a centre code may look like: short, URL-safe.
var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// CentreInput is a new service centre. Lat and Lng are required (a
// centre nobody can find by distance is no use); TimeZone defaults to the
// store's.
type CentreInput struct {
	Code, Name, Region, Address string
	Lat, Lng                    *float64
	TimeZone                    string
	// Hours is anything ParseHours reads.
	Hours         any
	Categories    []string
	DailyCapacity int
}

// CreateCentre validates and stores a centre (model.PermCentreManage) and
// records it in the audit log.
func (s *Service) CreateCentre(ctx context.Context, p model.Principal, in CentreInput) (*model.ServiceCentre, error) {
	if !p.IsStaff() || !p.Can(model.PermCentreManage) {
		return nil, forbidden()
	}
	c := &model.ServiceCentre{Code: strings.TrimSpace(in.Code), Name: strings.TrimSpace(in.Name),
		Region: strings.TrimSpace(in.Region), Address: strings.TrimSpace(in.Address), TimeZone: strings.TrimSpace(in.TimeZone),
		DailyCapacity: in.DailyCapacity}
	if !codePattern.MatchString(c.Code) {
		return nil, model.FieldError("code", "must be 1 to 32 letters, digits, - or _")
	}
	if c.TimeZone == "" {
		c.TimeZone = s.store.Location().String()
	}
	if in.Lat == nil {
		return nil, model.FieldError("lat", "is required")
	}
	if in.Lng == nil {
		return nil, model.FieldError("lng", "is required")
	}
	c.Lat, c.Lng = *in.Lat, *in.Lng
	var err error
	if c.Hours, err = ParseHours(in.Hours); err != nil {
		return nil, err
	}
	if c.Categories, err = cleanCategories(in.Categories); err != nil {
		return nil, err
	}
	if err := checkCentre(c); err != nil {
		return nil, err
	}
	if err := s.store.CreateCentre(ctx, c, model.Audit(ctx, p, model.AuditCentreCreated, "", centreDetail(c))); err != nil {
		return nil, err
	}
	return c, nil
}

// centreDetail describes a centre for the audit log.
func centreDetail(c *model.ServiceCentre) string {
	return fmt.Sprintf("%s; capacity %d/day; categories %s", c.Name, c.DailyCapacity, strings.Join(c.Categories, ", "))
}

// checkCentre validates the fields of a centre as it will be stored.
func checkCentre(c *model.ServiceCentre) error {
	switch {
	case c.Name == "":
		return model.FieldError("name", "is required")
	case utf8.RuneCountInString(c.Name) > 200:
		return model.FieldError("name", "must be at most %d characters", 200)
	case utf8.RuneCountInString(c.Region) > 100:
		return model.FieldError("region", "must be at most %d characters", 100)
	case utf8.RuneCountInString(c.Address) > 500:
		return model.FieldError("address", "must be at most %d characters", 500)
	case math.IsNaN(c.Lat) || c.Lat < -90 || c.Lat > 90:
		return model.FieldError("lat", "must be a latitude between -90 and 90")
	case math.IsNaN(c.Lng) || c.Lng < -180 || c.Lng > 180:
		return model.FieldError("lng", "must be a longitude between -180 and 180")
	case c.DailyCapacity < 1 || c.DailyCapacity > 100000:
		return model.FieldError("daily_capacity", "must be between 1 and 100000")
	}
	if c.TimeZone == "Local" {
		return model.FieldError("timezone", "must be an IANA time zone such as Asia/Shanghai")
	}
	if _, err := time.LoadLocation(c.TimeZone); err != nil {
		return model.FieldError("timezone", "must be an IANA time zone such as Asia/Shanghai")
	}
	return nil
}

// cleanCategories trims, drops empties and duplicates, and sorts.
func cleanCategories(in []string) ([]string, error) {
	out := []string{}
	for _, c := range in {
		c = strings.TrimSpace(c)
		if c == "" || slices.Contains(out, c) {
			continue
		}
		if utf8.RuneCountInString(c) > 64 {
			return nil, model.FieldError("categories", "must be at most %d characters", 64)
		}
		out = append(out, c)
	}
	sort.Strings(out)
	return out, nil
}

// CentreUpdate is a change to a centre as callers send it: nil fields are
// left alone; Hours is anything ParseHours reads.
type CentreUpdate struct {
	Name, Region, Address, TimeZone *string
	Lat, Lng                        *float64
	Hours                           any // nil: unchanged
	Categories                      *[]string
	DailyCapacity                   *int
	Active                          *bool
}

// UpdateCentre changes a centre. Admins and managers change anything
// (model.PermCentreManage); a centre manager changes only the opening
// hours and daily capacity of their own centre (model.PermCentreSchedule).
// Changes are recorded in the audit log.
func (s *Service) UpdateCentre(ctx context.Context, p model.Principal, code string, in CentreUpdate) (*model.ServiceCentre, error) {
	if !p.IsStaff() || !p.Can(model.PermCentreSchedule) {
		return nil, forbidden()
	}
	patch := model.CentrePatch{Name: trimmed(in.Name), Region: trimmed(in.Region), Address: trimmed(in.Address),
		TimeZone: trimmed(in.TimeZone), Lat: in.Lat, Lng: in.Lng, DailyCapacity: in.DailyCapacity, Active: in.Active}
	if in.Hours != nil {
		h, err := ParseHours(in.Hours)
		if err != nil {
			return nil, err
		}
		patch.Hours = &h
	}
	if in.Categories != nil {
		cats, err := cleanCategories(*in.Categories)
		if err != nil {
			return nil, err
		}
		patch.Categories = &cats
	}
	var before model.ServiceCentre
	check := func(c *model.ServiceCentre) error {
		before = *c
		if !p.Can(model.PermCentreManage) {
			if !p.AtCentre(c.ID) {
				return forbidden()
			}
			if !patch.OnlySchedule() {
				return model.Errorf(model.EFORBIDDEN, "centre managers may change only the opening hours and daily capacity")
			}
		}
		after := *c
		applyPatch(&after, patch)
		return checkCentre(&after)
	}
	c, err := s.store.UpdateCentre(ctx, code, patch, check, func(c *model.ServiceCentre) model.AuditEntry {
		return model.Audit(ctx, p, model.AuditCentreUpdated, "centre "+c.Code, strings.Join(centreChanges(&before, c), "; "))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func trimmed(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}

// applyPatch is what the store will write, for validation beforehand.
func applyPatch(c *model.ServiceCentre, p model.CentrePatch) {
	for _, f := range []struct {
		dst *string
		v   *string
	}{{&c.Name, p.Name}, {&c.Region, p.Region}, {&c.Address, p.Address}, {&c.TimeZone, p.TimeZone}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	if p.Lat != nil {
		c.Lat = *p.Lat
	}
	if p.Lng != nil {
		c.Lng = *p.Lng
	}
	if p.DailyCapacity != nil {
		c.DailyCapacity = *p.DailyCapacity
	}
}

// centreChanges lists what changed, for the audit log.
func centreChanges(a, b *model.ServiceCentre) []string {
	var out []string
	diff := func(name, x, y string) {
		if x != y {
			out = append(out, name+": "+x+" → "+y)
		}
	}
	diff("name", a.Name, b.Name)
	diff("region", a.Region, b.Region)
	diff("address", a.Address, b.Address)
	diff("timezone", a.TimeZone, b.TimeZone)
	diff("location", fmt.Sprintf("%.5f,%.5f", a.Lat, a.Lng), fmt.Sprintf("%.5f,%.5f", b.Lat, b.Lng))
	diff("hours", a.Hours.String(), b.Hours.String())
	diff("categories", strings.Join(a.Categories, ","), strings.Join(b.Categories, ","))
	diff("daily capacity", fmt.Sprint(a.DailyCapacity), fmt.Sprint(b.DailyCapacity))
	diff("active", fmt.Sprint(a.Active), fmt.Sprint(b.Active))
	return out
}

// Centre returns the centre with code (model.PermCentreRead).
func (s *Service) Centre(ctx context.Context, p model.Principal, code string) (*model.ServiceCentre, error) {
	if !p.Can(model.PermCentreRead) {
		return nil, forbidden()
	}
	c, err := s.store.CentreByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if p.IsCustomer() && !c.Active {
		return nil, model.Errorf(model.ENOTFOUND, "service centre not found")
	}
	return c, nil
}

// Search says which centres to list and from where.
type Search struct {
	// Category keeps centres that repair it.
	Category string
	// Lat and Lng, or City (a name FindCity knows), sort the result by
	// distance from there, nearest first.
	Lat, Lng *float64
	City     string
	// IncludeClosed lists closed (inactive) centres too; staff only.
	IncludeClosed bool
	// Limit keeps the first n (0: all).
	Limit int
}

// ListCentres lists centres (model.PermCentreRead): sorted by great-circle
// distance from the search point, each with its DistanceKm, or by code
// without one. Customers see active centres only, to pick one.
func (s *Service) ListCentres(ctx context.Context, p model.Principal, q Search) ([]model.ServiceCentre, error) {
	if !p.Can(model.PermCentreRead) {
		return nil, forbidden()
	}
	from, err := searchPoint(q)
	if err != nil {
		return nil, err
	}
	cs, err := s.store.ListCentres(ctx, store.CentreFilter{Category: strings.TrimSpace(q.Category),
		ActiveOnly: !q.IncludeClosed || p.IsCustomer()})
	if err != nil {
		return nil, err
	}
	if from != nil {
		for i := range cs {
			cs[i].DistanceKm = roundKm(DistanceKm(from[0], from[1], cs[i].Lat, cs[i].Lng))
		}
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].DistanceKm < cs[j].DistanceKm })
	}
	if q.Limit > 0 && len(cs) > q.Limit {
		cs = cs[:q.Limit]
	}
	return cs, nil
}

// searchPoint is the point to measure from, or nil.
func searchPoint(q Search) (*[2]float64, error) {
	switch {
	case q.Lat != nil && q.Lng != nil:
		if math.IsNaN(*q.Lat) || *q.Lat < -90 || *q.Lat > 90 {
			return nil, model.FieldError("lat", "must be a latitude between -90 and 90")
		}
		if math.IsNaN(*q.Lng) || *q.Lng < -180 || *q.Lng > 180 {
			return nil, model.FieldError("lng", "must be a longitude between -180 and 180")
		}
		return &[2]float64{*q.Lat, *q.Lng}, nil
	case q.Lat != nil:
		return nil, model.FieldError("lng", "is required with lat")
	case q.Lng != nil:
		return nil, model.FieldError("lat", "is required with lng")
	case strings.TrimSpace(q.City) != "":
		c, ok := FindCity(q.City)
		if !ok {
			return nil, model.FieldError("city", "unknown city %q; give lat and lng instead", q.City)
		}
		return &[2]float64{c.Lat, c.Lng}, nil
	}
	return nil, nil
}
