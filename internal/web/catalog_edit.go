package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
)

// catalogEditPage changes or removes one product model or one category.
// A refused change comes back as typed with the message beside the
// field; a refused removal says, in a sentence, what still refers to it.
type catalogEditPage struct {
	Base
	// Product is set when a product model is edited, else Category.
	Product  *model.Product
	Category *model.Category
	// ProductIn and CategoryIn are the form as typed.
	ProductIn  productInput
	CategoryIn categoryInput
	Errors     FieldErrors
	// Parents are the categories a category may move under (not itself).
	Parents []categoryRow
	// ProductCategories are the model categories in use (a datalist).
	ProductCategories []string
}

// productEditForm shows a product model's form.
func (s *server) productEditForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	pr, err := s.d.Store.ProductByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pol, err := s.d.Store.WarrantyPolicy(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderProductEdit(w, r, http.StatusOK, pr, productFormOf(pr, pol), FieldErrors{})
}

func (s *server) renderProductEdit(w http.ResponseWriter, r *http.Request, status int, pr *model.Product, in productInput, errs FieldErrors) {
	page := &catalogEditPage{Base: s.base(r, "catalog"), Product: pr, ProductIn: in, Errors: errs}
	if ps, err := s.d.Store.ListProducts(r.Context()); err == nil {
		page.ProductCategories = productCategories(ps)
	}
	s.render(w, r, status, "catalog_edit", page)
}

// productUpdate saves a product model's form.
func (s *server) productUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	pr, err := s.d.Store.ProductByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := productInputFrom(vals)
	in.SKU = pr.SKU
	errs := FieldErrors{Fields: map[string]string{}}
	for field, v := range map[string]string{"name": in.Name, "warranty_months": in.Months} {
		if v == "" {
			errs.Fields[field] = s.tr(r, "form.required")
		}
	}
	months, convErr := strconv.Atoi(in.Months)
	if in.Months != "" && convErr != nil {
		errs.Fields["warranty_months"] = s.errText(r, catalog.WarrantyMonthsError())
	}
	status := http.StatusUnprocessableEntity
	if !errs.Any() {
		_, err = s.d.Catalog.UpdateProduct(r.Context(), *principalOf(r), id, catalog.ProductChange{Name: in.Name, Brand: in.Brand,
			Category: in.Category, WarrantyMonths: months, Coverage: model.Coverage{Parts: in.Parts, Labour: in.Labour, Shipping: in.Shipping}})
		if err != nil {
			if c := model.ErrorCode(err); c != model.EINVALID && c != model.ECONFLICT {
				s.fail(w, r, err)
				return
			}
			errs, status = s.errorsFrom(r, err, "name", "brand", "category", "warranty_months"), statusOf(err)
		}
	}
	if errs.Any() {
		s.renderProductEdit(w, r, status, pr, in, errs)
		return
	}
	s.flash(r, "flash.product_saved")
	http.Redirect(w, r, "/admin/catalog#products", http.StatusSeeOther)
}

// productDelete removes a product model nothing refers to; otherwise the
// form comes back with the sentence saying what does.
func (s *server) productDelete(w http.ResponseWriter, r *http.Request) {
	s.confirmedDelete(w, r, deletion{remove: s.d.Catalog.DeleteProduct, flash: "flash.product_removed", back: "/admin/catalog#products",
		refused: func(id int64, err error) {
			pr, perr := s.d.Store.ProductByID(r.Context(), id)
			pol, polErr := s.d.Store.WarrantyPolicy(r.Context(), id)
			if perr != nil || polErr != nil {
				s.fail(w, r, err)
				return
			}
			s.renderProductEdit(w, r, statusOf(err), pr, productFormOf(pr, pol), s.errorsFrom(r, err, "confirm"))
		}})
}

// productFormOf is the form of a stored product model and its policy.
func productFormOf(pr *model.Product, pol *model.WarrantyPolicy) productInput {
	return productInput{SKU: pr.SKU, Name: pr.Name, Brand: pr.Brand, Category: pr.Category, Months: strconv.Itoa(pr.WarrantyMonths),
		Parts: pol.CoversParts, Labour: pol.CoversLabour, Shipping: pol.CoversShipping}
}

// categoryFormOf is the form of a stored category.
func categoryFormOf(c *model.Category) categoryInput {
	in := categoryInput{NameZh: c.NameZh, NameEn: c.NameEn}
	if c.ParentID != nil {
		in.Parent = strconv.FormatInt(*c.ParentID, 10)
	}
	return in
}

// categoryFormFrom reads a category form (add or change): the form as
// typed, the parent it names, and every empty or unreadable field.
func (s *server) categoryFormFrom(r *http.Request, vals url.Values) (categoryInput, *int64, FieldErrors) {
	in := categoryInput{Parent: vals.Get("parent_id"), NameZh: strings.TrimSpace(vals.Get("name_zh")), NameEn: strings.TrimSpace(vals.Get("name_en"))}
	errs := FieldErrors{Fields: map[string]string{}}
	if in.NameZh == "" {
		errs.Fields["name_zh"] = s.tr(r, "form.required")
	}
	if in.NameEn == "" {
		errs.Fields["name_en"] = s.tr(r, "form.required")
	}
	var parent *int64
	if in.Parent != "" {
		id, err := strconv.ParseInt(in.Parent, 10, 64)
		if err != nil || id <= 0 {
			errs.Fields["parent_id"] = s.errText(r, model.Errorf(model.ENOTFOUND, "category not found"))
		}
		parent = &id
	}
	return in, parent, errs
}

// categoryEditForm shows a category's form.
func (s *server) categoryEditForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	c, err := s.d.Store.CategoryByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderCategoryEdit(w, r, http.StatusOK, c, categoryFormOf(c), FieldErrors{})
}

func (s *server) renderCategoryEdit(w http.ResponseWriter, r *http.Request, status int, c *model.Category, in categoryInput, errs FieldErrors) {
	page := &catalogEditPage{Base: s.base(r, "catalog"), Category: c, CategoryIn: in, Errors: errs}
	cs, err := s.d.Store.ListCategories(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, row := range categoryTree(cs) {
		if row.ID != c.ID {
			page.Parents = append(page.Parents, row)
		}
	}
	s.render(w, r, status, "catalog_edit", page)
}

// categoryUpdate saves a category's form.
func (s *server) categoryUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	c, err := s.d.Store.CategoryByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, parent, errs := s.categoryFormFrom(r, vals)
	change := catalog.CategoryChange{ParentID: parent, NameZh: in.NameZh, NameEn: in.NameEn}
	status := http.StatusUnprocessableEntity
	if !errs.Any() {
		if _, err = s.d.Catalog.UpdateCategory(r.Context(), *principalOf(r), id, change); err != nil {
			if code := model.ErrorCode(err); code != model.EINVALID && code != model.ECONFLICT {
				s.fail(w, r, err)
				return
			}
			errs, status = s.errorsFrom(r, err, "parent_id", "name_zh", "name_en"), statusOf(err)
		}
	}
	if errs.Any() {
		s.renderCategoryEdit(w, r, status, c, in, errs)
		return
	}
	s.flash(r, "flash.category_saved")
	http.Redirect(w, r, "/admin/catalog#categories", http.StatusSeeOther)
}

// categoryDelete removes a category nothing refers to; otherwise the
// form comes back with the sentence saying what does.
func (s *server) categoryDelete(w http.ResponseWriter, r *http.Request) {
	s.confirmedDelete(w, r, deletion{remove: s.d.Catalog.DeleteCategory, flash: "flash.category_removed", back: "/admin/catalog#categories",
		refused: func(id int64, err error) {
			c, cerr := s.d.Store.CategoryByID(r.Context(), id)
			if cerr != nil {
				s.fail(w, r, err)
				return
			}
			s.renderCategoryEdit(w, r, statusOf(err), c, categoryFormOf(c), s.errorsFrom(r, err, "confirm"))
		}})
}

// deletion is what differs between the catalogue's confirmed removals.
type deletion struct {
	// remove deletes the row with this id, or says why it may not.
	remove func(ctx context.Context, p model.Principal, id int64) error
	// refused shows the edit form of id again with err beside its
	// confirm box.
	refused func(id int64, err error)
	// flash is the message key and back the page after a removal.
	flash, back string
}

// confirmedDelete removes the row named by the path's {id} once the form's
// confirm box is ticked. An unticked box, or a row something still refers
// to, brings the edit form back with the sentence why (nothing removed);
// a removal says so and returns to the list (redirect after POST).
func (s *server) confirmedDelete(w http.ResponseWriter, r *http.Request, d deletion) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	var err error
	if vals.Get("confirm") == "" {
		err = model.FieldError("confirm", "tick the box to confirm the removal")
	} else {
		err = d.remove(r.Context(), *principalOf(r), id)
	}
	if c := model.ErrorCode(err); c == model.ECONFLICT || c == model.EINVALID {
		d.refused(id, err)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, d.flash)
	http.Redirect(w, r, d.back, http.StatusSeeOther)
}
