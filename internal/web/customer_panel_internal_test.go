package web

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestCustomerPanelNeedsCustomerRead: a viewer who may not read customer
// records (a staff role the matrix grants nothing, or a customer) gets no
// customer panel, and nothing is loaded for it. No built-in staff role
// lacks customer.read today, so this is checked below the HTTP layer.
func TestCustomerPanelNeedsCustomerRead(t *testing.T) {
	s := &server{} // no dependencies: loading anything would panic
	for _, p := range []model.Principal{
		{Kind: model.KindStaff, ID: 7, Name: "Visitor", Role: model.Role("visitor")},
		{Kind: model.KindCustomer, ID: 1, Name: "Alice"},
	} {
		if p.Kind == model.KindStaff && p.Can(model.PermCustomerRead) {
			t.Fatalf("role %q reads customers; the test needs one that does not", p.Role)
		}
		r := httptest.NewRequest("GET", "/requests/SR-2026-000001", nil)
		r = r.WithContext(context.WithValue(r.Context(), principalKey, &p))
		panel, err := s.loadCustomerPanel(r, &model.Request{ID: 1, CustomerID: 1})
		if err != nil || panel != nil {
			t.Errorf("%s %q: got panel %v, error %v; want neither", p.Kind, p.Role, panel, err)
		}
	}
}
