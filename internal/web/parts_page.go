package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/parts"
	"github.com/aftercare/aftercare/internal/store"
)

// partsPage is the parts catalogue with its search and, for managers,
// the form that adds a part.
type partsPage struct {
	Base
	Q, SKU    string
	Items     []model.Part
	NextURL   string
	FirstURL  string
	CanCreate bool
	Currency  string
	Form      partForm
	Errors    FieldErrors
}

// partForm is what was typed into the new-part form.
type partForm struct {
	PartNo, Name, SKUs, Cost, Price string
}

var partFields = []string{"part_no", "name", "compatible_skus", "cost", "price"}

func (s *server) loadPartsPage(r *http.Request) (*partsPage, error) {
	p := principalOf(r)
	q := r.URL.Query()
	page := &partsPage{Base: s.base(r, "parts"), Q: strings.TrimSpace(q.Get("q")), SKU: strings.TrimSpace(q.Get("sku")),
		CanCreate: p.Can(model.PermPartManage), Currency: s.d.Parts.Currency()}
	cursor := q.Get("cursor")
	items, next, err := s.d.Parts.ListParts(r.Context(), *p, store.PartFilter{SKU: page.SKU, Query: page.Q, After: cursor, Limit: 50})
	if err != nil {
		return nil, err
	}
	page.Items = items
	link := func(c string) string {
		v := url.Values{}
		if page.Q != "" {
			v.Set("q", page.Q)
		}
		if page.SKU != "" {
			v.Set("sku", page.SKU)
		}
		if c != "" {
			v.Set("cursor", c)
		}
		if len(v) == 0 {
			return "/parts"
		}
		return "/parts?" + v.Encode()
	}
	if next != "" {
		page.NextURL = link(next)
	}
	if cursor != "" {
		page.FirstURL = link("")
	}
	return page, nil
}

// partsList renders the catalogue.
func (s *server) partsList(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadPartsPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "parts", page)
}

// partCreate adds a part; prices are typed in the major unit (yuan) and
// kept in minor units.
func (s *server) partCreate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	form := partForm{PartNo: f.Get("part_no"), Name: f.Get("name"), SKUs: f.Get("compatible_skus"), Cost: f.Get("cost"), Price: f.Get("price")}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.loadPartsPage(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Form, page.Errors = form, fe
		s.render(w, r, status, "parts", page)
	}
	cur := s.d.Parts.Currency()
	cost, ok := model.ParseMajor(form.Cost, cur)
	if !ok {
		rerender(http.StatusUnprocessableEntity, fieldError("cost", s.tr(r, "form.money", model.FormatMinor(12345, cur))))
		return
	}
	price, ok := model.ParseMajor(form.Price, cur)
	if !ok {
		rerender(http.StatusUnprocessableEntity, fieldError("price", s.tr(r, "form.money", model.FormatMinor(12345, cur))))
		return
	}
	part, err := s.d.Parts.CreatePart(r.Context(), *principalOf(r), parts.PartInput{PartNo: form.PartNo, Name: form.Name,
		CompatibleSKUs: splitList(form.SKUs), Cost: cost, Price: price})
	if err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, partFields...))
		return
	}
	s.flash(r, "flash.part_saved")
	http.Redirect(w, r, "/parts?q="+url.QueryEscape(part.PartNo), http.StatusSeeOther)
}
