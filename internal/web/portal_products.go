package web

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// portalProductsPage lists the customer's products with their warranty.
type portalProductsPage struct {
	Base
	Units []model.OwnedUnit
}

// portalProducts shows "My products": each unit by its product's name,
// its serial and purchase date, today's warranty, and a button that opens
// a request with the product chosen.
func (s *server) portalProducts(w http.ResponseWriter, r *http.Request) {
	units, err := s.d.Catalog.MyUnits(r.Context(), *principalOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "portal_products", portalProductsPage{Base: s.base(r, "products"), Units: units})
}

// portalRegisterPage is the form that registers a product by serial.
type portalRegisterPage struct {
	Base
	Serial      string
	PurchasedAt string
	Today       string
	Errors      FieldErrors
}

// portalRegisterForm shows an empty registration form.
func (s *server) portalRegisterForm(w http.ResponseWriter, r *http.Request) {
	page := portalRegisterPage{Base: s.base(r, "products"), Serial: strings.TrimSpace(r.URL.Query().Get("serial")),
		Today: s.d.Store.Now().In(s.d.Store.Location()).Format("2006-01-02")}
	s.render(w, r, http.StatusOK, "portal_register", page)
}

// portalRegisterSubmit registers the product (multipart: serial,
// purchased_at and the proof file) and goes to "My products"; a refusal
// brings the form back with what was typed and the message beside the
// field (the file must be chosen again: browsers do not keep it).
func (s *server) portalRegisterSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxReplyBody)
	page := portalRegisterPage{Base: s.base(r, "products"), Today: s.d.Store.Now().In(s.d.Store.Location()).Format("2006-01-02")}
	rerender := func(status int, fe FieldErrors) {
		page.Errors = fe
		s.render(w, r, status, "portal_register", page)
	}
	err := r.ParseMultipartForm(1 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
	}
	if err != nil {
		if isTooLarge(err) {
			rerender(http.StatusRequestEntityTooLarge, fieldError("proof", s.tr(r, "products.proof_too_large")))
			return
		}
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	page.Serial, page.PurchasedAt = strings.TrimSpace(r.FormValue("serial")), strings.TrimSpace(r.FormValue("purchased_at"))
	in := catalog.RegisterInput{Serial: page.Serial, PurchasedAt: page.PurchasedAt}
	if file, hdr, err := r.FormFile("proof"); err == nil {
		staged, err := s.stageProof(file, hdr)
		file.Close()
		if err != nil {
			if c := model.ErrorCode(err); c == model.EINTERNAL {
				s.fail(w, r, err)
				return
			}
			rerender(statusOf(err), fieldError("proof", s.proofRefusal(r, err)))
			return
		}
		in.Proof = staged
	}
	owned, err := s.d.Catalog.RegisterUnit(r.Context(), *principalOf(r), in)
	if err != nil {
		if c := model.ErrorCode(err); c == model.EINTERNAL || c == model.EFORBIDDEN {
			s.fail(w, r, err)
			return
		}
		rerender(statusOf(err), s.errorsFrom(r, err, "serial", "purchased_at", "proof"))
		return
	}
	s.flash(r, "flash.product_registered")
	http.Redirect(w, r, "/portal/products#unit-"+itoa(owned.ID), http.StatusSeeOther)
}

// stageProof receives the proof-of-purchase file as an attachment.
func (s *server) stageProof(f multipart.File, hdr *multipart.FileHeader) (*request.Staged, error) {
	return s.d.Requests.Stage(hdr.Filename, f)
}

// proofRefusal says in plain words why a proof file was refused.
func (s *server) proofRefusal(r *http.Request, err error) string {
	switch {
	case isTooLarge(err):
		return s.tr(r, "products.proof_too_large")
	case request.IsTypeRefused(err):
		return s.tr(r, "products.proof_type")
	}
	return s.errText(r, err)
}
