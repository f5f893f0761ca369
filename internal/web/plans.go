package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/network"
	"github.com/aftercare/aftercare/internal/store"
)

// plansPage lists the extended-warranty plans on offer and the recent
// sales, with the form that adds a plan (managers) and a unit lookup
// (to sell one).
type plansPage struct {
	Base
	Plans     []model.WarrantyPlan
	Sales     []store.PlanSale
	CanCreate bool
	Currency  string
	Form      planForm
	Errors    FieldErrors
	Serial    string
	SerialErr string
}

// planForm is what was typed into the new-plan form.
type planForm struct {
	Code, Name, Months, Price     string
	Parts, Labour, Shipping, Sent bool
}

var planFields = []string{"code", "name", "months", "price", "covers"}

func (s *server) loadPlansPage(r *http.Request) (*plansPage, error) {
	p := principalOf(r)
	plans, err := s.d.Catalog.Plans(r.Context(), *p)
	if err != nil {
		return nil, err
	}
	today := s.d.Store.Now().In(s.d.Store.Location())
	to := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	sales, err := s.d.Store.PlanSales(r.Context(), to.AddDate(0, 0, -90), to, 50)
	if err != nil {
		return nil, err
	}
	return &plansPage{Base: s.base(r, "plans"), Plans: plans, Sales: sales, CanCreate: p.Can(model.PermPlanManage),
		Currency: s.d.Catalog.Currency(), Form: planForm{Months: "12", Parts: true, Labour: true}}, nil
}

// plans renders the plans page; ?serial= looks a unit up.
func (s *server) plans(w http.ResponseWriter, r *http.Request) {
	if serial := strings.TrimSpace(r.URL.Query().Get("serial")); serial != "" {
		if _, err := s.d.Store.UnitBySerial(r.Context(), serial); err == nil {
			http.Redirect(w, r, "/units/"+url.PathEscape(serial), http.StatusSeeOther)
			return
		}
		page, err := s.loadPlansPage(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Serial, page.SerialErr = serial, s.tr(r, "plans.unit_unknown")
		s.render(w, r, http.StatusNotFound, "plans", page)
		return
	}
	page, err := s.loadPlansPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "plans", page)
}

// planCreate adds a plan; its price is typed in the major unit.
func (s *server) planCreate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	form := planForm{Code: f.Get("code"), Name: f.Get("name"), Months: f.Get("months"), Price: f.Get("price"),
		Parts: f.Get("parts") != "", Labour: f.Get("labour") != "", Shipping: f.Get("shipping") != "", Sent: true}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.loadPlansPage(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Form, page.Errors = form, fe
		s.render(w, r, status, "plans", page)
	}
	months, ok := parseInt(form.Months)
	if !ok {
		rerender(http.StatusUnprocessableEntity, fieldError("months", s.tr(r, "form.number")))
		return
	}
	cur := s.d.Catalog.Currency()
	price, ok := model.ParseMajor(form.Price, cur)
	if !ok {
		rerender(http.StatusUnprocessableEntity, fieldError("price", s.tr(r, "form.money", model.FormatMinor(39900, cur))))
		return
	}
	_, err := s.d.Catalog.CreatePlan(r.Context(), *principalOf(r), catalog.PlanInput{Code: form.Code, Name: form.Name,
		Months: int(months), Price: price, Covers: model.Coverage{Parts: form.Parts, Labour: form.Labour, Shipping: form.Shipping}})
	if err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, planFields...))
		return
	}
	s.flash(r, "flash.plan_saved")
	http.Redirect(w, r, "/plans", http.StatusSeeOther)
}

// unitPage shows a unit's entitlement, base warranty and plans, with the
// form that sells a plan on it.
type unitPage struct {
	Base
	Unit        *model.Unit
	Product     *model.Product
	Entitlement *model.Entitlement
	Plans       []Option
	Centres     []Option
	CanSell     bool
	Currency    string
	Form        sellForm
	Errors      FieldErrors
}

// sellForm is what was typed into the sell form.
type sellForm struct {
	Plan, SoldAt, Price, Centre string
}

var sellFields = []string{"plan_code", "sold_at", "price", "centre"}

func (s *server) loadUnitPage(r *http.Request, form *sellForm) (*unitPage, error) {
	p := principalOf(r)
	ctx := r.Context()
	serial := r.PathValue("serial")
	u, err := s.d.Store.UnitBySerial(ctx, serial)
	if err != nil {
		return nil, err
	}
	e, err := s.d.Catalog.Entitlement(ctx, *p, serial)
	if err != nil {
		return nil, err
	}
	page := &unitPage{Base: s.base(r, "plans"), Unit: u, Entitlement: e, CanSell: p.Can(model.PermPlanSell),
		Currency: s.d.Catalog.Currency()}
	if products, err := s.d.Store.ListProducts(ctx); err == nil {
		for i := range products {
			if products[i].ID == u.ProductID {
				page.Product = &products[i]
			}
		}
	}
	if form != nil {
		page.Form = *form
	} else {
		page.Form.SoldAt = s.d.Store.Now().In(s.d.Store.Location()).Format(time.DateOnly)
	}
	if page.CanSell {
		plans, err := s.d.Catalog.Plans(ctx, *p)
		if err != nil {
			return nil, err
		}
		for _, pl := range plans {
			if pl.Active {
				page.Plans = append(page.Plans, Option{Value: pl.Code, Label: pl.Name + " · " + model.Money{Amount: pl.Price, Currency: pl.Currency}.String(),
					Selected: pl.Code == page.Form.Plan})
			}
		}
		cs, err := s.d.Network.ListCentres(ctx, *p, network.Search{})
		if err != nil {
			return nil, err
		}
		page.Centres = centreOptions(cs, page.Form.Centre, s.tr(r, "plans.no_centre"))
	}
	return page, nil
}

// unitShow renders a unit's page.
func (s *server) unitShow(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadUnitPage(r, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "unit", page)
}

// unitSellPlan sells a plan on the unit.
func (s *server) unitSellPlan(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	form := sellForm{Plan: f.Get("plan_code"), SoldAt: f.Get("sold_at"), Price: strings.TrimSpace(f.Get("price")), Centre: f.Get("centre")}
	rerender := func(status int, fe FieldErrors) {
		page, err := s.loadUnitPage(r, &form)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Errors = fe
		s.render(w, r, status, "unit", page)
	}
	in := catalog.SellInput{PlanCode: form.Plan, SoldAt: form.SoldAt, Centre: form.Centre}
	if form.Price != "" {
		cur := s.d.Catalog.Currency()
		price, ok := model.ParseMajor(form.Price, cur)
		if !ok {
			rerender(http.StatusUnprocessableEntity, fieldError("price", s.tr(r, "form.money", model.FormatMinor(39900, cur))))
			return
		}
		in.Price = &price
	}
	serial := r.PathValue("serial")
	if _, err := s.d.Catalog.SellPlan(r.Context(), *principalOf(r), serial, in); err != nil {
		if code := model.ErrorCode(err); code == model.EINTERNAL || code == model.EFORBIDDEN || code == model.EUNAVAILABLE || code == model.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, sellFields...))
		return
	}
	s.flash(r, "flash.plan_sold")
	http.Redirect(w, r, "/units/"+url.PathEscape(serial), http.StatusSeeOther)
}
