package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// requestNewPage is the staff form for opening a request on a customer's
// behalf, typically while logging a phone call.
type requestNewPage struct {
	Base
	Customer   string // e-mail or mobile number as typed
	Types      []Option
	Channels   []Option
	Priorities []Option
	Serial     string
	Subject    string
	Desc       string
	Errors     FieldErrors
	// NewCustomerURL adds an unknown caller as a customer, the number or
	// address filled in.
	NewCustomerURL string
	// Match is the customer the typed number or address finds, shown
	// before the request is created ("look up"); Unknown says the look-up
	// found no one, and CanAddCaller offers to add the caller right here
	// (NewName as typed), back to this form with everything kept.
	Match        *model.Customer
	Unknown      bool
	CanAddCaller bool
	NewName      string
	// Added says the caller was just added as a customer.
	Added bool
}

// staffChannels are the channels a request opened by staff can come from.
func staffChannels() []model.Channel {
	return []model.Channel{model.ChannelPhone, model.ChannelEmail, model.ChannelWeb}
}

// newStaffRequestPage builds the form with the given choices selected.
func (s *server) newStaffRequestPage(r *http.Request, typ, channel, priority string) *requestNewPage {
	page := &requestNewPage{Base: s.base(r, "new")}
	if typ == "" {
		typ = string(model.TypeRepair)
	}
	if channel == "" {
		channel = string(model.ChannelPhone)
	}
	if priority == "" {
		priority = string(model.PriorityNormal)
	}
	for _, t := range model.RequestTypes {
		page.Types = append(page.Types, Option{Value: string(t), Label: s.tr(r, "type."+string(t)), Selected: typ == string(t)})
	}
	for _, c := range staffChannels() {
		page.Channels = append(page.Channels, Option{Value: string(c), Label: s.tr(r, "channel."+string(c)), Selected: channel == string(c)})
	}
	for _, p := range slices.Backward(model.Priorities) {
		page.Priorities = append(page.Priorities, Option{Value: string(p), Label: s.tr(r, "priority."+string(p)), Selected: priority == string(p)})
	}
	return page
}

// requestNewForm shows the empty form; ?customer= pre-fills the customer.
func (s *server) requestNewForm(w http.ResponseWriter, r *http.Request) {
	page := s.newStaffRequestPage(r, "", "", "")
	page.Customer = strings.TrimSpace(r.URL.Query().Get("customer"))
	s.render(w, r, http.StatusOK, "request_new", page)
}

// requestNewSubmit finds the customer by e-mail or mobile number, creates
// the request on the chosen channel and opens its page. Bad input brings
// the form back with everything typed and the message beside the field.
func (s *server) requestNewSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p := principalOf(r)
	f := r.PostForm
	in := request.CreateInput{Type: model.RequestType(f.Get("type")), Subject: f.Get("subject"),
		Description: f.Get("description"), Serial: strings.TrimSpace(f.Get("serial")),
		Channel: model.Channel(f.Get("channel")), Priority: model.Priority(f.Get("priority"))}
	login := strings.TrimSpace(f.Get("customer"))
	rerender := func(status int, fe FieldErrors) {
		page := s.newStaffRequestPage(r, string(in.Type), string(in.Channel), string(in.Priority))
		page.Customer, page.Serial, page.Subject, page.Desc, page.Errors = login, in.Serial, in.Subject, in.Description, fe
		s.render(w, r, status, "request_new", page)
	}
	switch f.Get("action") {
	case "lookup", "add_caller":
		s.requestNewCaller(w, r, in, login)
		return
	}
	// Every missing field at once, not one per try.
	var fe FieldErrors
	missing := func(field string) {
		if fe.Fields == nil {
			fe.Fields = map[string]string{}
		}
		fe.Fields[field] = s.tr(r, "form.required")
	}
	if !slices.Contains(staffChannels(), in.Channel) {
		missing("channel")
	}
	if login == "" {
		missing("customer")
	}
	if strings.TrimSpace(in.Subject) == "" {
		missing("subject")
	}
	if fe.Any() {
		rerender(http.StatusUnprocessableEntity, fe)
		return
	}
	c, err := s.findCaller(r, login)
	if err != nil {
		if model.IsNotFound(err) {
			page := s.newStaffRequestPage(r, string(in.Type), string(in.Channel), string(in.Priority))
			page.Customer, page.Serial, page.Subject, page.Desc = login, in.Serial, in.Subject, in.Description
			page.Errors = fieldError("customer", s.tr(r, "new.customer_unknown"))
			if principalOf(r).Can(model.PermCustomerCreate) {
				page.NewCustomerURL = newCustomerURL(login)
			}
			s.render(w, r, http.StatusUnprocessableEntity, "request_new", page)
			return
		}
		s.fail(w, r, err)
		return
	}
	in.CustomerID, in.AssignToMe = c.ID, true
	req, err := s.d.Requests.Create(r.Context(), *p, in)
	if err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, "type", "subject", "description", "serial", "channel", "priority"))
		return
	}
	s.flash(r, "flash.request_created")
	http.Redirect(w, r, "/requests/"+req.Number, http.StatusSeeOther)
}

// findCaller finds the customer by e-mail or mobile number as staff type
// it from a call: the store compares numbers in their canonical form, so
// spaces, dashes and a +86 / 0086 prefix make no difference.
func (s *server) findCaller(r *http.Request, login string) (*model.Customer, error) {
	return s.d.Store.CustomerByLogin(r.Context(), login)
}

// newCustomerURL opens the new-customer form with the caller's number or
// e-mail filled in.
func newCustomerURL(login string) string {
	v := url.Values{}
	if strings.Contains(login, "@") {
		v.Set("email", login)
	} else {
		v.Set("phone", login)
	}
	return "/admin/customers/new?" + v.Encode()
}

// requestNewCaller serves the form's two helper buttons, which work
// without JavaScript: "look up" shows whom the typed number or address
// finds, and "add caller" creates the unknown caller (name and the typed
// number or address) as a customer. Either way the form comes back with
// everything typed, nothing else is saved, and no field but the
// caller's is judged yet.
func (s *server) requestNewCaller(w http.ResponseWriter, r *http.Request, in request.CreateInput, login string) {
	page := s.newStaffRequestPage(r, string(in.Type), string(in.Channel), string(in.Priority))
	page.Customer, page.Serial, page.Subject, page.Desc = login, in.Serial, in.Subject, in.Description
	page.NewName = strings.TrimSpace(r.PostForm.Get("new_name"))
	page.CanAddCaller = principalOf(r).Can(model.PermCustomerCreate)
	status := http.StatusOK
	if login == "" {
		page.Errors = fieldError("customer", s.tr(r, "form.required"))
		s.render(w, r, http.StatusUnprocessableEntity, "request_new", page)
		return
	}
	if r.PostForm.Get("action") == "add_caller" && page.CanAddCaller {
		ci := catalog.CustomerInput{Name: page.NewName, Locale: langOf(r)}
		if strings.Contains(login, "@") {
			ci.Email = login
		} else {
			ci.Phone = login
		}
		c, err := s.d.Catalog.CreateCustomer(r.Context(), *principalOf(r), ci)
		switch {
		case err == nil:
			page.Match = c
			page.Added = true
			s.render(w, r, http.StatusOK, "request_new", page)
			return
		case model.ErrorCode(err) == model.EINVALID || model.ErrorCode(err) == model.ECONFLICT:
			page.Errors = s.errorsFrom(r, err, "name", "email", "phone")
			if msg, ok := page.Errors.Fields["name"]; ok {
				page.Errors.Fields = map[string]string{"new_name": msg}
			} else if page.Errors.Fields != nil {
				page.Errors = fieldError("customer", s.errText(r, err))
			}
			status = statusOf(err)
		default:
			s.fail(w, r, err)
			return
		}
	}
	c, err := s.findCaller(r, login)
	switch {
	case err == nil:
		page.Match = c
	case model.IsNotFound(err):
		page.Unknown = true
	default:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "request_new", page)
}
