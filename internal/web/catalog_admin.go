package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// catalogPage lists product models with their warranty and the request
// category tree; leads add models and categories on it. A refused form
// comes back as typed with the message beside the field.
type catalogPage struct {
	Base
	Products   []model.Product
	Categories []categoryRow
	// ProductCategories are the model categories in use (a datalist).
	ProductCategories []string
	CanProducts       bool
	CanCategories     bool
	Product           productInput
	ProductErrors     FieldErrors
	Category          categoryInput
	CategoryErrors    FieldErrors
}

// categoryRow is a category with its depth in the tree and its name in
// both languages.
type categoryRow struct {
	model.Category
	Depth int
	// Prefix indents the name by its depth ("— — "), since the page's
	// style sheet, not inline styles, sets the layout.
	Prefix string
}

// productInput is the add-a-model form as typed.
type productInput struct {
	SKU, Name, Brand, Category, Months string
	Parts, Labour, Shipping            bool
}

// categoryInput is the add-a-category form as typed.
type categoryInput struct {
	Parent, NameZh, NameEn string
}

func (s *server) loadCatalogPage(r *http.Request) (*catalogPage, error) {
	ps, err := s.d.Store.ListProducts(r.Context())
	if err != nil {
		return nil, err
	}
	cs, err := s.d.Store.ListCategories(r.Context())
	if err != nil {
		return nil, err
	}
	p := principalOf(r)
	page := &catalogPage{Base: s.base(r, "catalog"), Products: ps, CanProducts: p.Can(model.PermProductManage),
		CanCategories: p.Can(model.PermCategoryManage),
		Product:       productInput{Months: "12", Parts: true, Labour: true, Shipping: true}}
	page.ProductCategories = productCategories(ps)
	page.Categories = categoryTree(cs)
	return page, nil
}

// productCategories are the distinct model categories of ps, in order.
func productCategories(ps []model.Product) []string {
	var out []string
	seen := map[string]bool{}
	for _, pr := range ps {
		if pr.Category != "" && !seen[pr.Category] {
			seen[pr.Category] = true
			out = append(out, pr.Category)
		}
	}
	return out
}

// categoryTree orders categories parents first, each followed by its
// children, with their depth.
func categoryTree(cs []model.Category) []categoryRow {
	children := map[int64][]model.Category{}
	var roots []model.Category
	for _, c := range cs {
		if c.ParentID == nil {
			roots = append(roots, c)
		} else {
			children[*c.ParentID] = append(children[*c.ParentID], c)
		}
	}
	var out []categoryRow
	var walk func(c model.Category, depth int)
	walk = func(c model.Category, depth int) {
		out = append(out, categoryRow{Category: c, Depth: depth, Prefix: strings.Repeat("— ", depth)})
		if depth < 10 {
			for _, k := range children[c.ID] {
				walk(k, depth+1)
			}
		}
	}
	for _, c := range roots {
		walk(c, 0)
	}
	return out
}

// catalogAdmin shows the product models and categories.
func (s *server) catalogAdmin(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadCatalogPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "catalog_admin", page)
}

func productInputFrom(v url.Values) productInput {
	return productInput{SKU: strings.TrimSpace(v.Get("sku")), Name: strings.TrimSpace(v.Get("name")),
		Brand: strings.TrimSpace(v.Get("brand")), Category: strings.TrimSpace(v.Get("category")),
		Months: strings.TrimSpace(v.Get("warranty_months")), Parts: v.Get("covers_parts") == "on",
		Labour: v.Get("covers_labour") == "on", Shipping: v.Get("covers_shipping") == "on"}
}

// productCreate adds a product model with its warranty policy.
func (s *server) productCreate(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := productInputFrom(vals)
	errs := FieldErrors{Fields: map[string]string{}}
	for field, v := range map[string]string{"sku": in.SKU, "name": in.Name, "warranty_months": in.Months} {
		if v == "" {
			errs.Fields[field] = s.tr(r, "form.required")
		}
	}
	months, convErr := strconv.Atoi(in.Months)
	if in.Months != "" && convErr != nil {
		errs.Fields["warranty_months"] = s.errText(r, catalog.WarrantyMonthsError())
	}
	var err error
	if !errs.Any() {
		_, err = s.d.Catalog.CreateProduct(r.Context(), *principalOf(r), catalog.ProductInput{SKU: in.SKU, Name: in.Name,
			Brand: in.Brand, Category: in.Category, WarrantyMonths: months,
			Coverage: &model.Coverage{Parts: in.Parts, Labour: in.Labour, Shipping: in.Shipping}})
		if err != nil {
			if c := model.ErrorCode(err); c != model.EINVALID && c != model.ECONFLICT {
				s.fail(w, r, err)
				return
			}
			errs = s.errorsFrom(r, err, "sku", "name", "brand", "category", "warranty_months")
		}
	}
	if errs.Any() {
		page, perr := s.loadCatalogPage(r)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		page.Product, page.ProductErrors = in, errs
		status := http.StatusUnprocessableEntity
		if err != nil {
			status = statusOf(err)
		}
		s.render(w, r, status, "catalog_admin", page)
		return
	}
	s.flash(r, "flash.product_created")
	http.Redirect(w, r, "/admin/catalog#products", http.StatusSeeOther)
}

// categoryCreate adds a request category (top level or under a parent).
func (s *server) categoryCreate(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in, parent, errs := s.categoryFormFrom(r, vals)
	c := &model.Category{ParentID: parent, NameZh: in.NameZh, NameEn: in.NameEn}
	var err error
	if !errs.Any() {
		if err = s.d.Store.CreateCategory(r.Context(), c); err != nil {
			if c := model.ErrorCode(err); c != model.EINVALID && c != model.ECONFLICT && c != model.ENOTFOUND {
				s.fail(w, r, err)
				return
			}
			errs = s.errorsFrom(r, err, "parent_id", "name_zh", "name_en")
		}
	}
	if errs.Any() {
		page, perr := s.loadCatalogPage(r)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		page.Category, page.CategoryErrors = in, errs
		status := http.StatusUnprocessableEntity
		if err != nil {
			status = statusOf(err)
		}
		s.render(w, r, status, "catalog_admin", page)
		return
	}
	s.flash(r, "flash.category_created")
	http.Redirect(w, r, "/admin/catalog#categories", http.StatusSeeOther)
}
