package store_test

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestUnstorableText checks that text PostgreSQL cannot hold (a NUL, bytes
// that are not UTF-8) is invalid input on both stores, never an internal
// error: writing it is refused and writes nothing, and looking it up
// finds nothing.
func TestUnstorableText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, c := range []struct {
			name string
			cust model.Customer
		}{
			{"NUL in the name", model.Customer{Name: "Li\x00Lei", Email: "a@example.com"}},
			{"not UTF-8 in the city", model.Customer{Name: "Li Lei", City: "\xb1\xb1\xbe\xa9"}},
			{"NUL in the e-mail", model.Customer{Name: "Li Lei", Email: "a\x00@example.com"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				cust := c.cust
				if err := s.CreateCustomer(ctx, &cust); model.ErrorCode(err) != model.EINVALID {
					t.Errorf("create: got %v (code %q), want invalid", err, model.ErrorCode(err))
				}
			})
		}
		var n int
		if err := s.Read().QueryRow(ctx, "SELECT count(*) FROM customers").Scan(&n); err != nil || n != 0 {
			t.Errorf("customers: got %d (%v), want 0", n, err)
		}
		ok := model.Customer{Name: "Han Meimei", Email: "han@example.com", Phone: "13900000001"}
		if err := s.CreateCustomer(ctx, &ok); err != nil {
			t.Fatal(err)
		}
		for _, login := range []string{"han@example.com\x00", "han\xff@example.com", "1390000000\x00"} {
			if _, err := s.CustomerByLogin(ctx, login); !model.IsNotFound(err) {
				t.Errorf("CustomerByLogin(%q): got %v, want not found", login, err)
			}
		}
		if _, err := s.RequestByNumber(ctx, "SR-2026-\xff"); !model.IsNotFound(err) {
			t.Errorf("RequestByNumber: got %v, want not found", err)
		}
		page, err := s.ListRequests(ctx, model.RequestFilter{Query: "lens\x00", Limit: 10})
		if err != nil || len(page.Items) != 0 {
			t.Errorf("ListRequests with NUL in the query: got %d items, %v; want none, no error", len(page.Items), err)
		}
	})
}
