package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// portalNewPage is the customer's new-request form.
type portalNewPage struct {
	Base
	Types   []Option
	Units   []Option
	Subject string
	Desc    string
	Errors  FieldErrors
}

// portalNewForm shows an empty new-request form.
func (s *server) portalNewForm(w http.ResponseWriter, r *http.Request) {
	page, err := s.newRequestPage(r, "", "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_new", page)
}

// newRequestPage builds the form with typ and serial selected.
func (s *server) newRequestPage(r *http.Request, typ, serial string) (*portalNewPage, error) {
	p := principalOf(r)
	units, err := s.d.Store.UnitsByCustomer(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	page := &portalNewPage{Base: s.base(r, "new")}
	if typ == "" {
		typ = string(model.TypeRepair)
	}
	for _, t := range model.RequestTypes {
		page.Types = append(page.Types, Option{Value: string(t), Label: s.tr(r, "type."+string(t)), Selected: typ == string(t)})
	}
	page.Units = []Option{{Value: "", Label: s.tr(r, "portal.new.no_unit")}}
	for _, u := range units {
		label := u.Serial
		if u.SKU != "" {
			label += " · " + u.SKU
		}
		page.Units = append(page.Units, Option{Value: u.Serial, Label: label, Selected: serial == u.Serial})
	}
	return page, nil
}

// portalNewSubmit creates the request and opens it; bad input brings the
// form back with everything typed and the message beside the field.
func (s *server) portalNewSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	p := principalOf(r)
	f := r.PostForm
	in := request.CreateInput{Type: model.RequestType(f.Get("type")), Subject: f.Get("subject"),
		Description: f.Get("description"), Serial: f.Get("serial"), Via: model.ChannelWeb}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.newRequestPage(r, string(in.Type), in.Serial)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Subject, page.Desc, page.Errors = in.Subject, in.Description, fe
		s.render(w, r, status, "portal_new", page)
	}
	if strings.TrimSpace(in.Subject) == "" {
		rerender(http.StatusUnprocessableEntity, fieldError("subject", s.tr(r, "form.required")))
		return
	}
	req, err := s.d.Requests.Create(r.Context(), *p, in)
	if err != nil {
		if c := model.ErrorCode(err); c == model.EINTERNAL || c == model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, "type", "subject", "description", "serial"))
		return
	}
	s.flash(r, "flash.request_created")
	http.Redirect(w, r, portalRequestURL(req.Number), http.StatusSeeOther)
}

// portalRequestURL is the portal page of a request.
func portalRequestURL(number string) string { return "/portal/requests/" + number }
