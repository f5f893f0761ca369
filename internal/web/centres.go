package web

import (
	"net/http"
	"sort"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
)

// centresPage lists the service centres, nearest first when a city or a
// point is given: the map-free distance search.
type centresPage struct {
	Base
	Category, City, Lat, Lng string
	Cities                   []Option
	Categories               []string // product categories, for the filter's suggestions
	Items                    []centreRow
	// ByDistance says the items carry distances.
	ByDistance bool
	Error      string
	CanCreate  bool
}

// centreRow is a centre of the list with what the reader may do to it.
type centreRow struct {
	model.ServiceCentre
	CanEdit bool
}

// centres renders the centre list with its search.
func (s *server) centres(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	q := r.URL.Query()
	page := centresPage{Base: s.base(r, "centres"), Category: strings.TrimSpace(q.Get("category")), City: q.Get("city"),
		Lat: strings.TrimSpace(q.Get("lat")), Lng: strings.TrimSpace(q.Get("lng")), CanCreate: p.Can(model.PermCentreManage)}
	page.Cities = cityOptions(langOf(r), page.City)
	search := network.Search{Category: page.Category, City: page.City, IncludeClosed: true}
	var fe string
	if page.Lat != "" || page.Lng != "" {
		lat, ok1 := parseFloat(page.Lat)
		lng, ok2 := parseFloat(page.Lng)
		if !ok1 || !ok2 {
			fe = s.tr(r, "centres.bad_point")
		}
		search.Lat, search.Lng, search.City = &lat, &lng, ""
	}
	if fe == "" {
		items, err := s.d.Network.ListCentres(r.Context(), *p, search)
		if err != nil {
			if model.ErrorCode(err) != model.EINVALID {
				s.fail(w, r, err)
				return
			}
			fe = s.errText(r, err)
		}
		for i := range items {
			page.Items = append(page.Items, centreRow{ServiceCentre: items[i], CanEdit: mayEditCentre(p, &items[i])})
		}
		page.ByDistance = search.Lat != nil || search.City != ""
	}
	page.Error = fe
	if products, err := s.d.Store.ListProducts(r.Context()); err == nil {
		seen := map[string]bool{}
		for _, pr := range products {
			if pr.Category != "" && !seen[pr.Category] {
				seen[pr.Category] = true
				page.Categories = append(page.Categories, pr.Category)
			}
		}
		sort.Strings(page.Categories)
	}
	s.render(w, r, http.StatusOK, "centres", page)
}

// DayHours is one weekday's row of the opening-hours inputs.
type DayHours struct {
	Key, Label, Value string
}

// centreFormPage creates or edits a centre. A centre manager editing their
// own centre sees the other fields but may change only the hours and the
// capacity.
type centreFormPage struct {
	Base
	Edit, OnlySchedule                                          bool
	Code, Name, Region, Address, Lat, Lng, TimeZone, Categories string
	Capacity                                                    string
	Active                                                      bool
	Hours                                                       []DayHours
	Errors                                                      FieldErrors
}

// centreFields are the inputs a centre error can sit beside.
var centreFields = []string{"code", "name", "region", "address", "lat", "lng", "timezone", "categories", "daily_capacity", "opening_hours"}

func (s *server) hoursRows(r *http.Request, h model.OpeningHours, form map[string][]string) []DayHours {
	var out []DayHours
	for _, d := range model.Weekdays {
		key := model.WeekdayKey(d)
		v := h.Day(d)
		if form != nil {
			v = strings.TrimSpace(firstOf(form["hours_"+key]))
		}
		out = append(out, DayHours{Key: key, Label: s.tr(r, "weekday."+key), Value: v})
	}
	return out
}

func firstOf(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// centreNewForm shows an empty centre form.
func (s *server) centreNewForm(w http.ResponseWriter, r *http.Request) {
	page := centreFormPage{Base: s.base(r, "centres"), TimeZone: s.d.Store.Location().String(), Capacity: "20", Active: true}
	page.Hours = s.hoursRows(r, nil, nil)
	s.render(w, r, http.StatusOK, "centre_form", page)
}

// formHours collects the opening-hours inputs.
func formHours(f map[string][]string) map[string]string {
	out := map[string]string{}
	for _, d := range model.Weekdays {
		key := model.WeekdayKey(d)
		out[key] = strings.TrimSpace(firstOf(f["hours_"+key]))
	}
	return out
}

// centreNewSubmit creates a centre, or shows the form again with the
// message beside the field.
func (s *server) centreNewSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	page := centreFormPage{Base: s.base(r, "centres"), Code: f.Get("code"), Name: f.Get("name"), Region: f.Get("region"),
		Address: f.Get("address"), Lat: f.Get("lat"), Lng: f.Get("lng"), TimeZone: f.Get("timezone"),
		Categories: f.Get("categories"), Capacity: f.Get("daily_capacity"), Active: true}
	page.Hours = s.hoursRows(r, nil, f)
	rerender := func(fe FieldErrors) {
		page.Errors = fe
		s.render(w, r, http.StatusUnprocessableEntity, "centre_form", page)
	}
	in := network.CentreInput{Code: page.Code, Name: page.Name, Region: page.Region, Address: page.Address,
		TimeZone: page.TimeZone, Hours: formHours(f), Categories: splitList(page.Categories)}
	lat, ok1 := parseFloat(page.Lat)
	lng, ok2 := parseFloat(page.Lng)
	capacity, ok3 := parseInt(page.Capacity)
	switch {
	case !ok1:
		rerender(fieldError("lat", s.tr(r, "form.number")))
		return
	case !ok2:
		rerender(fieldError("lng", s.tr(r, "form.number")))
		return
	case !ok3:
		rerender(fieldError("daily_capacity", s.tr(r, "form.number")))
		return
	}
	in.Lat, in.Lng, in.DailyCapacity = &lat, &lng, int(capacity)
	c, err := s.d.Network.CreateCentre(r.Context(), *principalOf(r), in)
	if err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE {
			s.fail(w, r, err)
			return
		}
		rerender(s.errorsFrom(r, err, centreFields...))
		return
	}
	s.flash(r, "flash.centre_saved")
	http.Redirect(w, r, "/centres/"+c.Code+"/stock", http.StatusSeeOther)
}

// centreEditForm shows a centre's form filled in.
func (s *server) centreEditForm(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	c, err := s.d.Network.Centre(r.Context(), *p, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !mayEditCentre(p, c) {
		s.forbidden(w, r)
		return
	}
	s.render(w, r, http.StatusOK, "centre_form", s.centreEditPage(r, p, c))
}

func (s *server) centreEditPage(r *http.Request, p *model.Principal, c *model.ServiceCentre) centreFormPage {
	page := centreFormPage{Base: s.base(r, "centres"), Edit: true, OnlySchedule: !p.Can(model.PermCentreManage), Code: c.Code,
		Name: c.Name, Region: c.Region, Address: c.Address, Lat: formatCoord(c.Lat), Lng: formatCoord(c.Lng), TimeZone: c.TimeZone,
		Categories: strings.Join(c.Categories, ", "), Capacity: itoa(int64(c.DailyCapacity)), Active: c.Active}
	page.Hours = s.hoursRows(r, c.Hours, nil)
	return page
}

// centreEditSubmit saves a centre's changes: everything for managers, the
// hours and the capacity for its centre manager.
func (s *server) centreEditSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	c, err := s.d.Network.Centre(r.Context(), *p, r.PathValue("code"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !mayEditCentre(p, c) {
		s.forbidden(w, r)
		return
	}
	page := s.centreEditPage(r, p, c)
	page.Hours, page.Capacity = s.hoursRows(r, nil, f), f.Get("daily_capacity")
	rerender := func(fe FieldErrors) {
		page.Errors = fe
		s.render(w, r, http.StatusUnprocessableEntity, "centre_form", page)
	}
	capacity, ok := parseInt(page.Capacity)
	if !ok {
		rerender(fieldError("daily_capacity", s.tr(r, "form.number")))
		return
	}
	cap32 := int(capacity)
	upd := network.CentreUpdate{Hours: formHours(f), DailyCapacity: &cap32}
	if !page.OnlySchedule {
		page.Name, page.Region, page.Address = f.Get("name"), f.Get("region"), f.Get("address")
		page.Lat, page.Lng, page.TimeZone, page.Categories = f.Get("lat"), f.Get("lng"), f.Get("timezone"), f.Get("categories")
		page.Active = f.Get("active") != ""
		lat, ok1 := parseFloat(page.Lat)
		lng, ok2 := parseFloat(page.Lng)
		if !ok1 || !ok2 {
			rerender(fieldError(map[bool]string{true: "lng", false: "lat"}[ok1], s.tr(r, "form.number")))
			return
		}
		cats := splitList(page.Categories)
		upd.Name, upd.Region, upd.Address, upd.TimeZone = &page.Name, &page.Region, &page.Address, &page.TimeZone
		upd.Lat, upd.Lng, upd.Categories, upd.Active = &lat, &lng, &cats, &page.Active
	}
	if _, err := s.d.Network.UpdateCentre(r.Context(), *p, c.Code, upd); err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE {
			s.fail(w, r, err)
			return
		}
		rerender(s.errorsFrom(r, err, centreFields...))
		return
	}
	s.flash(r, "flash.centre_saved")
	http.Redirect(w, r, "/centres/"+c.Code+"/stock", http.StatusSeeOther)
}

// formatCoord writes a coordinate without trailing zeros.
func formatCoord(v float64) string {
	s := strings.TrimRight(strings.TrimRight(strconvFloat(v), "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}
