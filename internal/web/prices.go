package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
)

// pricesPage is the published price list: fault codes per category (zh
// and en names), the labour price list and the return policies; holders
// of model.PermPriceManage (and model.PermReturnPolicy) add and change
// entries.
type pricesPage struct {
	Base
	FaultCodes []model.FaultCode
	Labour     []model.LabourPrice
	Policies   []model.ReturnPolicy
	Categories []string // product categories, for the forms' suggestions
	Currency   string
	CanManage  bool
	CanPolicy  bool
	// Form is what was typed into the form named Which, with its errors.
	Which  string
	Form   url.Values
	Errors FieldErrors
}

func (s *server) loadPrices(r *http.Request) (*pricesPage, error) {
	p := principalOf(r)
	ctx := r.Context()
	page := &pricesPage{Base: s.base(r, "prices"), Currency: s.d.Repairs.Currency(), CanManage: p.Can(model.PermPriceManage),
		CanPolicy: p.Can(model.PermReturnPolicy), Form: url.Values{}}
	var err error
	if page.FaultCodes, err = s.d.Repairs.FaultCodes(ctx, *p, ""); err != nil {
		return nil, err
	}
	if page.Labour, err = s.d.Repairs.LabourPrices(ctx, *p); err != nil {
		return nil, err
	}
	if page.Policies, err = s.d.Repairs.ReturnPolicies(ctx, *p); err != nil {
		return nil, err
	}
	products, err := s.d.Store.ListProducts(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, pr := range products {
		if pr.Category != "" && !seen[pr.Category] {
			seen[pr.Category] = true
			page.Categories = append(page.Categories, pr.Category)
		}
	}
	sort.Strings(page.Categories)
	return page, nil
}

func (s *server) prices(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadPrices(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "prices", page)
}

// pricesDone goes back to the price list after a save, or shows it again
// with the form (which) as typed and the message beside its field.
func (s *server) pricesDone(w http.ResponseWriter, r *http.Request, which string, f url.Values, err error, fields ...string) {
	if err == nil {
		s.flash(r, "flash.price_saved")
		http.Redirect(w, r, "/admin/prices#"+which, http.StatusSeeOther)
		return
	}
	if c := model.ErrorCode(err); c == model.EINTERNAL || c == model.EFORBIDDEN || c == model.EUNAVAILABLE {
		s.fail(w, r, err)
		return
	}
	page, lerr := s.loadPrices(r)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	page.Which, page.Form, page.Errors = which, f, s.errorsFrom(r, err, fields...)
	s.render(w, r, statusOf(err), "prices", page)
}

// faultCodeSave adds a category's fault code or renames it.
func (s *server) faultCodeSave(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	err := s.d.Repairs.PutFaultCode(r.Context(), *principalOf(r), model.FaultCode{Category: f.Get("category"), Code: f.Get("code"),
		NameZh: f.Get("name_zh"), NameEn: f.Get("name_en")})
	s.pricesDone(w, r, "fault-codes", f, err, "category", "code", "name_zh", "name_en")
}

// labourSave adds an entry to the labour price list or changes it; the
// price is typed in the major unit.
func (s *server) labourSave(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	fields := []string{"code", "category", "name", "price"}
	price, ok := model.ParseMajor(strings.TrimSpace(f.Get("price")), s.d.Repairs.Currency())
	if !ok {
		s.pricesDone(w, r, "labour", f, model.FieldError("price", "must be an amount like 199.50"), fields...)
		return
	}
	_, err := s.d.Repairs.PutLabourPrice(r.Context(), *principalOf(r), model.LabourPrice{Code: f.Get("code"),
		Category: f.Get("category"), Name: f.Get("name"), Price: price})
	s.pricesDone(w, r, "labour", f, err, fields...)
}

// policySave sets a category's return and exchange policy.
func (s *server) policySaveReturn(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	fields := []string{"category", "return_days", "exchange_days", "outside_window"}
	days := func(field string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(field)))
		if err != nil {
			return 0, model.FieldError(field, "must be between 0 and 365")
		}
		return n, nil
	}
	ret, err := days("return_days")
	var exch int
	if err == nil {
		exch, err = days("exchange_days")
	}
	if err == nil {
		_, err = s.d.Repairs.PutReturnPolicy(r.Context(), *principalOf(r), f.Get("category"),
			repair.PolicyInput{ReturnDays: ret, ExchangeDays: exch, OutsideWindow: f.Get("outside_window")})
	}
	s.pricesDone(w, r, "policies", f, err, fields...)
}
