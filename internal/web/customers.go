package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// customersPage lists customers, newest first, searchable by name, e-mail
// or mobile number, one page at a time.
type customersPage struct {
	Base
	Items     []model.Customer
	Query     string
	CanCreate bool
	// FirstURL and NextURL feed the shared pager.
	FirstURL, NextURL string
	Error             string
	// ExportCSV and ExportXLSX download the list as searched; empty for
	// whom the export would refuse.
	ExportCSV, ExportXLSX string
}

// customersList shows the customer list.
func (s *server) customersList(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := &customersPage{Base: s.base(r, "customers"), Query: q, CanCreate: p.Can(model.PermCustomerCreate)}
	res, err := s.d.Store.ListCustomers(r.Context(), store.CustomerFilter{Query: q, Cursor: r.URL.Query().Get("cursor"), Limit: 50})
	if err != nil {
		if model.ErrorCode(err) != model.EINVALID {
			s.fail(w, r, err)
			return
		}
		page.Error = s.errText(r, err)
	}
	page.Items = res.Items
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if p.Can(model.PermRequestExport) {
		ev := url.Values{"q": {q}}
		ev.Set("format", "csv")
		page.ExportCSV = "/admin/customers/export?" + ev.Encode()
		ev.Set("format", "xlsx")
		page.ExportXLSX = "/admin/customers/export?" + ev.Encode()
	}
	if r.URL.Query().Get("cursor") != "" {
		page.FirstURL = "/admin/customers?" + v.Encode()
	}
	if res.NextCursor != "" {
		v.Set("cursor", res.NextCursor)
		page.NextURL = "/admin/customers?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, "customers", page)
}

// customerForm creates or edits a customer's contact data; a bad field
// brings the form back as typed, with the message next to the field.
type customerForm struct {
	Base
	ID     int64 // 0 for a new customer
	In     catalog.CustomerInput
	Errors FieldErrors
}

func customerInput(v url.Values) catalog.CustomerInput {
	return catalog.CustomerInput{Name: v.Get("name"), Email: v.Get("email"), Phone: v.Get("phone"),
		Locale: v.Get("locale"), Address: v.Get("address"), City: v.Get("city")}
}

// customerNewForm shows the empty form; ?phone= or ?name= fill it in (the
// call log sends an unknown caller here).
func (s *server) customerNewForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "customer_form", &customerForm{Base: s.base(r, "customers"), In: customerInput(r.URL.Query())})
}

// customerNewSubmit creates the customer and opens its page.
func (s *server) customerNewSubmit(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := customerInput(vals)
	c, err := s.d.Catalog.CreateCustomer(r.Context(), *principalOf(r), in)
	if err != nil {
		s.customerFormError(w, r, 0, in, err)
		return
	}
	s.flash(r, "flash.customer_created")
	http.Redirect(w, r, "/admin/customers/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

// customerEditForm shows the customer's contact data to change.
func (s *server) customerEditForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	c, err := s.d.Store.CustomerByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "customer_form", &customerForm{Base: s.base(r, "customers"), ID: id,
		In: catalog.CustomerInput{Name: c.Name, Email: c.Email, Phone: c.Phone, Locale: c.Locale, Address: c.Address, City: c.City}})
}

// customerEditSubmit saves the contact data; "saved" is said only when
// something changed.
func (s *server) customerEditSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := customerInput(vals)
	before, err := s.d.Store.CustomerByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	after, err := s.d.Catalog.UpdateCustomer(r.Context(), *principalOf(r), id, in)
	if err != nil {
		s.customerFormError(w, r, id, in, err)
		return
	}
	if *before != *after {
		s.flash(r, "flash.customer_saved")
	} else {
		s.flash(r, "flash.nothing_changed")
	}
	http.Redirect(w, r, "/admin/customers/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *server) customerFormError(w http.ResponseWriter, r *http.Request, id int64, in catalog.CustomerInput, err error) {
	switch model.ErrorCode(err) {
	case model.EINVALID, model.ECONFLICT:
		s.render(w, r, statusOf(err), "customer_form", &customerForm{Base: s.base(r, "customers"), ID: id, In: in,
			Errors: s.errorsFrom(r, err, "name", "email", "phone", "locale", "address", "city")})
	default:
		s.fail(w, r, err)
	}
}
