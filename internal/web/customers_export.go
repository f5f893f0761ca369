package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// customersExport downloads the customer list (the same search as the
// page, every page of it) as CSV or XLSX: name, mobile number, e-mail,
// language, city, address and since when, headings in the reader's
// language. It needs the export permission as well as the customer
// list's, and is recorded in the audit log with its search.
func (s *server) customersExport(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	if !p.Can(model.PermCustomerRead) {
		s.forbidden(w, r)
		return
	}
	format, err := export.ParseFormat(r.URL.Query().Get("format"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	f := store.CustomerFilter{Query: strings.TrimSpace(r.URL.Query().Get("q")), Limit: store.MaxPageSize}
	res, err := s.d.Store.ListCustomers(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ew, err := s.startExport(w, r, format, "customers", "q="+f.Query, s.tr(r, "customers.title"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	loc := s.d.Store.Location()
	tr := func(key string) string { return s.tr(r, key) }
	ew.Row(tr("customers.col.name"), tr("customers.col.phone"), tr("customers.col.email"), tr("customer_form.locale"),
		tr("customers.col.city"), tr("customer_form.address"), tr("customers.col.since"))
	rows := 0
	for {
		for _, c := range res.Items {
			if rows == maxExportRows {
				ew.Row(s.tr(r, "export.too_many", maxExportRows))
				s.closeExport(r, ew)
				return
			}
			ew.Row(c.Name, c.Phone, c.Email, c.Locale, c.City, c.Address, c.CreatedAt.In(loc))
			rows++
		}
		if res.NextCursor == "" {
			break
		}
		f.Cursor = res.NextCursor
		if res, err = s.d.Store.ListCustomers(r.Context(), f); err != nil {
			s.log.Error("customers export", "err", err)
			return
		}
	}
	s.closeExport(r, ew)
}
