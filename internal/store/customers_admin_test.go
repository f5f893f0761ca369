package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestCustomerListAndUpdate: the staff's customer list pages newest first
// and finds a customer by a part of the name, e-mail or number (a "%" is
// a character, not a wildcard); a changed e-mail or number that another
// customer has is a conflict naming the field and changes nothing.
func TestCustomerListAndUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var ids []int64
		for _, c := range []model.Customer{
			{Name: "Zhang Wei", Email: "zw@example.com", Phone: "13900000001", Locale: "zh-CN"},
			{Name: "Li Na 100%", Email: "ln@example.com", Phone: "13900000002", Locale: "zh-CN"},
			{Name: "Wang Fang", Phone: "13900000003", Locale: "en"},
		} {
			if err := s.CreateCustomer(ctx, &c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		page, err := s.ListCustomers(ctx, store.CustomerFilter{Limit: 2})
		if err != nil || len(page.Items) != 2 || page.Items[0].ID != ids[2] || page.NextCursor == "" {
			t.Fatalf("first page: got %+v, %v; want Wang Fang first and a next page", page, err)
		}
		next, err := s.ListCustomers(ctx, store.CustomerFilter{Limit: 2, Cursor: page.NextCursor})
		if err != nil || len(next.Items) != 1 || next.Items[0].ID != ids[0] || next.NextCursor != "" {
			t.Fatalf("second page: got %+v, %v; want Zhang Wei alone", next, err)
		}
		for q, want := range map[string]int64{"zhang": ids[0], "LN@EX": ids[1], "00000003": ids[2], "0%": ids[1]} {
			got, err := s.ListCustomers(ctx, store.CustomerFilter{Query: q})
			if err != nil || len(got.Items) != 1 || got.Items[0].ID != want {
				t.Errorf("search %q: got %+v, %v; want customer %d alone", q, got.Items, err, want)
			}
		}
		c, _ := s.CustomerByID(ctx, ids[2])
		c.Phone = "13900000001"
		var me *model.Error
		if err := s.UpdateCustomer(ctx, c); !errors.As(err, &me) || me.Code != model.ECONFLICT || me.Field != "phone" {
			t.Fatalf("taken number: got %v, want a conflict on phone", err)
		}
		c.Phone, c.Email, c.City = "13900000009", "WF@example.com", "Suzhou"
		if err := s.UpdateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, _ := s.CustomerByID(ctx, ids[2])
		if got.Phone != "13900000009" || got.Email != "wf@example.com" || got.City != "Suzhou" || got.Name != "Wang Fang" {
			t.Errorf("after update: got %+v", got)
		}
		if err := s.UpdateCustomer(ctx, &model.Customer{ID: 999999, Name: "x", Locale: "en"}); model.ErrorCode(err) != model.ENOTFOUND {
			t.Errorf("unknown customer: got %v, want not found", err)
		}
	})
}
