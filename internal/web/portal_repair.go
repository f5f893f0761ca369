package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/repair"
)

// portalRepairPage is the customer's repair request: a unit with its
// warranty answer, the nearest centres that repair its category (from a
// city: the customer's own or one they pick), how the device gets there
// and when.
type portalRepairPage struct {
	Base
	Units       []Option
	Serial      string
	Entitlement *model.Entitlement
	Category    string
	Cities      []Option
	City        string
	Centres     []model.ServiceCentre
	ByDistance  bool
	Form        portalRepairForm
	Slots       []slotGroup
	Errors      FieldErrors
	Address     string // the customer's, for the on-site hint
	Lang        string
	Modes       []model.RepairMode
}

// portalRepairForm is what the customer chose and typed.
type portalRepairForm struct {
	Centre, Mode, Day, Slot, Address, Subject, Description string
}

// slotGroup is a labelled group of time slots ("09:00-10:00").
type slotGroup struct {
	Label string
	Slots []Option
}

// inStoreSlots are the hour-long in-store slots and visitWindows the
// on-site visit windows a customer may pick, in the centre's time zone.
var (
	inStoreSlots = []string{"09:00-10:00", "10:00-11:00", "11:00-12:00", "13:00-14:00", "14:00-15:00", "15:00-16:00",
		"16:00-17:00", "17:00-18:00"}
	visitWindows = []string{"09:00-12:00", "13:00-17:00", "18:00-21:00"}
)

// nearestCentres is how many centres the request suggests.
const nearestCentres = 5

func (s *server) loadPortalRepair(r *http.Request, serial, city string, form portalRepairForm) (*portalRepairPage, error) {
	p := principalOf(r)
	ctx := r.Context()
	units, err := s.d.Catalog.MyUnits(ctx, *p)
	if err != nil {
		return nil, err
	}
	page := &portalRepairPage{Base: s.base(r, "repair_request"), Form: form, Lang: langOf(r),
		Modes: []model.RepairMode{model.ModeMailIn, model.ModeInStore, model.ModeOnSite}}
	if !slices.ContainsFunc(units, func(u model.OwnedUnit) bool { return u.Serial == serial }) {
		serial = "" // not theirs: the first of theirs
		if len(units) > 0 {
			serial = units[0].Serial
		}
	}
	page.Units = unitOptions(units, serial)
	page.Serial = serial
	cust, err := s.d.Store.CustomerByID(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	page.Address = strings.TrimSpace(cust.City + " " + cust.Address)
	if city == "" {
		if c, ok := network.FindCity(cust.City); ok {
			city = c.En
		}
	}
	if _, ok := network.FindCity(city); !ok {
		city = ""
	}
	page.City, page.Cities = city, cityOptions(page.Lang, city)
	if serial != "" {
		if page.Entitlement, err = s.d.Catalog.Entitlement(ctx, *p, serial); err != nil {
			return nil, err
		}
		u, err := s.d.Store.UnitBySerial(ctx, serial)
		if err != nil {
			return nil, err
		}
		if prod, err := s.d.Store.ProductBySKU(ctx, u.SKU); err == nil {
			page.Category = prod.Category
		}
	}
	search := network.Search{Category: page.Category, City: city, Limit: nearestCentres}
	if page.Centres, err = s.d.Network.ListCentres(ctx, *p, search); err != nil {
		return nil, err
	}
	page.ByDistance = city != ""
	if page.Form.Centre == "" && len(page.Centres) > 0 {
		page.Form.Centre = page.Centres[0].Code
	}
	if page.Form.Mode == "" {
		page.Form.Mode = string(model.ModeMailIn)
	}
	if page.Form.Day == "" {
		page.Form.Day = s.d.Store.Now().In(s.d.Store.Location()).AddDate(0, 0, 1).Format(time.DateOnly)
	}
	if page.Form.Slot == "" {
		page.Form.Slot = inStoreSlots[0]
	}
	for _, g := range []struct {
		key   string
		slots []string
	}{{"portal.repair.slots_in_store", inStoreSlots}, {"portal.repair.slots_on_site", visitWindows}} {
		grp := slotGroup{Label: s.tr(r, g.key)}
		for _, v := range g.slots {
			grp.Slots = append(grp.Slots, Option{Value: v, Label: strings.Replace(v, "-", " – ", 1), Selected: v == page.Form.Slot})
		}
		page.Slots = append(page.Slots, grp)
	}
	return page, nil
}

// portalRepairForm shows the repair request for ?serial= (default: the
// customer's first unit) with centres near ?city= (default: theirs).
func (s *server) portalRepairNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, err := s.loadPortalRepair(r, q.Get("serial"), q.Get("city"), portalRepairForm{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_repair", page)
}

// portalRepairSubmit opens the request, its repair and the booking in
// one go; bad input brings the form back as typed, with the message
// beside its field.
func (s *server) portalRepairSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	form := portalRepairForm{Centre: f.Get("centre"), Mode: f.Get("mode"), Day: f.Get("day"), Slot: f.Get("slot"),
		Address: f.Get("address"), Subject: f.Get("subject"), Description: f.Get("description")}
	serial, city := f.Get("serial"), f.Get("city")
	rerender := func(status int, fe FieldErrors) {
		page, err := s.loadPortalRepair(r, serial, city, form)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Errors = fe
		s.render(w, r, status, "portal_repair", page)
	}
	in := repair.RequestInput{Serial: serial, Subject: form.Subject, Description: form.Description,
		Mode: model.RepairMode(form.Mode), Centre: form.Centre, Address: form.Address}
	if strings.TrimSpace(in.Subject) == "" {
		rerender(http.StatusUnprocessableEntity, fieldError("subject", s.tr(r, "form.required")))
		return
	}
	if in.Mode == model.ModeInStore || in.Mode == model.ModeOnSite {
		start, end, field := s.slotTimes(r, form)
		if field != "" {
			rerender(http.StatusUnprocessableEntity, fieldError(field, s.tr(r, "portal.repair.bad_"+field)))
			return
		}
		in.StartsAt, in.EndsAt = start, end
	}
	req, _, err := s.d.Repairs.RequestRepair(r.Context(), *principalOf(r), in)
	if err != nil {
		if c := model.ErrorCode(err); c == model.EINTERNAL || c == model.EFORBIDDEN || c == model.EUNAVAILABLE {
			s.fail(w, r, err)
			return
		}
		fe := s.errorsFrom(r, err, "serial", "subject", "description", "mode", "centre", "address", "starts_at", "ends_at")
		if msg := fe.Get("starts_at") + fe.Get("ends_at"); msg != "" {
			fe = fieldError("slot", msg) // the slot is what the customer chose
		}
		rerender(statusOf(err), fe)
		return
	}
	s.flash(r, "flash.repair_requested")
	http.Redirect(w, r, portalRequestURL(url.PathEscape(req.Number)), http.StatusSeeOther)
}

// slotTimes turns the chosen day and slot into times in the centre's
// time zone; field names what is wrong ("day" or "slot"), "" when fine.
func (s *server) slotTimes(r *http.Request, form portalRepairForm) (start, end time.Time, field string) {
	loc := s.d.Store.Location()
	if c, err := s.d.Store.CentreByCode(r.Context(), strings.TrimSpace(form.Centre)); err == nil {
		loc = c.Location()
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(form.Day), loc)
	if err != nil {
		return start, end, "day"
	}
	from, to, ok := strings.Cut(form.Slot, "-")
	a, err1 := time.Parse("15:04", from)
	b, err2 := time.Parse("15:04", to)
	if !ok || err1 != nil || err2 != nil || !b.After(a) {
		return start, end, "slot"
	}
	at := func(t time.Time) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	}
	return at(a), at(b), ""
}
