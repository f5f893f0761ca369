package web

import (
	"crypto/rand"
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/kb"
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
	// Visit names this visit to the form: the suggested articles link to
	// it, and submitting ends it (deflection report).
	Visit       string
	Suggestions []helpHit
}

// portalNewForm shows an empty new-request form.
func (s *server) portalNewForm(w http.ResponseWriter, r *http.Request) {
	// "Open a service request for it" on My products chooses the product.
	page, err := s.newRequestPage(r, "", r.URL.Query().Get("serial"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Visit = rand.Text()
	if err := s.d.KB.StartVisit(r.Context(), *principalOf(r), page.Visit); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_new", page)
}

// portalSuggest answers the new-request form while the customer types
// (htmx): the public articles that best match the subject and
// description, linked with the visit so that opening one is counted.
func (s *server) portalSuggest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("subject") + " " + q.Get("description"))
	page := &portalNewPage{Base: s.base(r, "new"), Visit: q.Get("visit")}
	if len([]rune(text)) > kb.MaxQuery {
		text = string([]rune(text)[:kb.MaxQuery])
	}
	if text != "" {
		hits, err := s.d.KB.Search(r.Context(), *principalOf(r), kb.Query{Text: text, Limit: 3, Source: model.SearchFromDeflect})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, h := range hits {
			page.Suggestions = append(page.Suggestions, helpHit{ID: h.ID, Title: h.Title, Locale: h.Locale,
				Snippet: kb.Highlight(h.Snippet, h.Marks)})
		}
	}
	s.renderBlock(w, r, http.StatusOK, "portal_new", "suggestions", page)
}

// newRequestPage builds the form with typ and serial selected.
func (s *server) newRequestPage(r *http.Request, typ, serial string) (*portalNewPage, error) {
	p := principalOf(r)
	units, err := s.d.Catalog.MyUnits(r.Context(), *p)
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
	page.Units = append([]Option{{Value: "", Label: s.tr(r, "portal.new.no_unit")}}, unitOptions(units, serial)...)
	return page, nil
}

// unitOptions are a customer's units for a picker: people know their
// products by name, and the serial tells two of the same apart.
func unitOptions(units []model.OwnedUnit, selected string) []Option {
	out := make([]Option, 0, len(units))
	for _, u := range units {
		label := u.Serial
		if u.ProductName != "" {
			label = u.ProductName + " (" + u.Serial + ")"
		}
		out = append(out, Option{Value: u.Serial, Label: label, Selected: selected == u.Serial})
	}
	return out
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
		page.Subject, page.Desc, page.Errors, page.Visit = in.Subject, in.Description, fe, f.Get("visit")
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
	if err := s.d.KB.SubmittedVisit(r.Context(), *p, f.Get("visit")); err != nil {
		s.log.Warn("deflection: record the submitted visit", "err", err)
	}
	s.flash(r, "flash.request_created")
	http.Redirect(w, r, portalRequestURL(req.Number), http.StatusSeeOther)
}

// portalRequestURL is the portal page of a request.
func portalRequestURL(number string) string { return "/portal/requests/" + number }
