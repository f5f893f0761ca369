package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// customerPage is everything the desk needs about one customer: contact
// data, units with their warranty, earlier requests, open repairs and
// satisfaction history; the desk registers units here.
type customerPage struct {
	Base
	Customer *model.Customer
	*customerHistory
	CanEdit     bool
	CanRegister bool
	// Products fill the unit form's picker; Unit and UnitErrors bring it
	// back as typed.
	Products   []Option
	Unit       catalog.UnitInput
	UnitErrors FieldErrors
}

func (s *server) loadCustomerPage(r *http.Request, id int64) (*customerPage, error) {
	ctx := r.Context()
	p := principalOf(r)
	c, err := s.d.Store.CustomerByID(ctx, id)
	if err != nil {
		return nil, err
	}
	page := &customerPage{Base: s.base(r, "customers"), Customer: c, CanEdit: p.Can(model.PermCustomerCreate),
		CanRegister: p.Can(model.PermUnitCreate)}
	if page.customerHistory, err = s.loadCustomerHistory(r, id, 20); err != nil {
		return nil, err
	}
	proofs, err := s.d.Store.CustomerProofs(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range page.Units {
		for _, pr := range proofs {
			if pr.UnitID == page.Units[i].ID {
				page.Units[i].Proofs = append(page.Units[i].Proofs, pr)
			}
		}
	}
	if page.CanRegister {
		products, err := s.d.Store.ListProducts(ctx)
		if err != nil {
			return nil, err
		}
		page.Products = append(page.Products, Option{Value: "", Label: s.tr(r, "customer.unit.pick")})
		for _, pr := range products {
			page.Products = append(page.Products, Option{Value: pr.SKU, Label: pr.Name + " (" + pr.SKU + ")"})
		}
	}
	return page, nil
}

// customerShow shows one customer.
func (s *server) customerShow(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	page, err := s.loadCustomerPage(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "customer", page)
}

// customerUnitSubmit registers a unit sold to the customer; a bad field
// brings the page back with the form as typed.
func (s *server) customerUnitSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := catalog.UnitInput{Serial: strings.TrimSpace(vals.Get("serial")), SKU: vals.Get("sku"), CustomerID: id,
		PurchasedAt: vals.Get("purchased_at"), DeliveredAt: vals.Get("delivered_at"), Channel: vals.Get("channel"),
		OrderRef: vals.Get("order_ref")}
	if _, err := s.d.Catalog.CreateUnit(r.Context(), *principalOf(r), in); err != nil {
		switch model.ErrorCode(err) {
		case model.EINVALID, model.ECONFLICT, model.ENOTFOUND:
		default:
			s.fail(w, r, err)
			return
		}
		page, lerr := s.loadCustomerPage(r, id)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		page.Unit, page.UnitErrors = in, s.errorsFrom(r, err, "serial", "sku", "purchased_at", "delivered_at", "channel", "order_ref")
		for i := range page.Products {
			page.Products[i].Selected = page.Products[i].Value == in.SKU
		}
		s.render(w, r, statusOf(err), "customer", page)
		return
	}
	s.flash(r, "flash.unit_registered")
	http.Redirect(w, r, "/admin/customers/"+strconv.FormatInt(id, 10)+"#units", http.StatusSeeOther)
}
