package store_test

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestCustomerPhoneOneForm: a mobile number saved as "+86 138-0013-8000"
// is the customer's 13800138000 — it logs in by either form, no second
// customer may take it in any form (a conflict naming the phone field),
// and so the other way round.
func TestCustomerPhoneOneForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, c := range []struct{ saved, login, second string }{
			{"+86 138-0013-8000", "13800138000", "13800138000"},
			{"13900139000", "+86 139-0013-9000", "+8613900139000"},
			{"0086 137 0013 7000", "137.0013.7000", "8613700137000"},
		} {
			cust := &model.Customer{Name: "A " + c.saved, Phone: c.saved, Locale: "zh-CN"}
			if err := s.CreateCustomer(ctx, cust); err != nil {
				t.Fatal(err)
			}
			if want := strings.Map(digitsOnly, c.login)[len(strings.Map(digitsOnly, c.login))-11:]; cust.Phone != want {
				t.Errorf("saved %q: stored %q, want %q", c.saved, cust.Phone, want)
			}
			for _, login := range []string{c.login, c.saved, c.second} {
				got, err := s.CustomerByLogin(ctx, login)
				if err != nil || got.ID != cust.ID {
					t.Errorf("saved %q, log in with %q: got %+v, %v; want customer %d", c.saved, login, got, err, cust.ID)
				}
			}
			var me *model.Error
			err := s.CreateCustomer(ctx, &model.Customer{Name: "B " + c.second, Phone: c.second, Locale: "zh-CN"})
			if !errors.As(err, &me) || me.Code != model.ECONFLICT || me.Field != "phone" {
				t.Errorf("saved %q, second customer with %q: got %v, want a conflict on phone", c.saved, c.second, err)
			}
			other := &model.Customer{Name: "C " + c.saved, Email: "c" + strings.Map(digitsOnly, c.saved) + "@example.com", Locale: "en"}
			if err := s.CreateCustomer(ctx, other); err != nil {
				t.Fatal(err)
			}
			other.Phone = c.second
			if err := s.UpdateCustomer(ctx, other); !errors.As(err, &me) || me.Code != model.ECONFLICT || me.Field != "phone" {
				t.Errorf("saved %q, another customer changed to %q: got %v, want a conflict on phone", c.saved, c.second, err)
			}
		}
	})
}

func digitsOnly(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// TestSearchByPhoneInAnyForm: a customer's requests are found by the
// customer's mobile number however it is written in the search box, and
// an international number by its "+" or "00" form.
func TestSearchByPhoneInAnyForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		mine := &model.Customer{Name: "刘洋", Phone: "+86 138-0013-8000", Locale: "zh-CN"}
		abroad := &model.Customer{Name: "Jonas", Phone: "+49 151 1234 5678", Locale: "en"}
		other := &model.Customer{Name: "other", Phone: "13912345678", Locale: "zh-CN"}
		var numbers [3][]string
		for i, c := range []*model.Customer{mine, abroad, other} {
			if err := s.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
					Channel: model.ChannelPhone, Subject: "screen flickers", CustomerID: c.ID}, agent)
				if err != nil {
					t.Fatal(err)
				}
				numbers[i] = append(numbers[i], r.Number)
			}
			slices.Sort(numbers[i])
		}
		for q, want := range map[string][]string{
			"13800138000": numbers[0], "+8613800138000": numbers[0], "+86 138 0013 8000": numbers[0],
			"138-0013-8000": numbers[0], "0086 138 0013 8000": numbers[0], "8613800138000": numbers[0],
			"+49 151 1234 5678": numbers[1], "0049-151-1234-5678": numbers[1],
		} {
			page, err := s.ListRequests(ctx, model.RequestFilter{Query: q, CountUpTo: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range page.Items {
				got = append(got, r.Number)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) || page.Count != len(want) {
				t.Errorf("q=%q: %v (count %d), want %v", q, got, page.Count, want)
			}
		}
	})
}

// TestPhoneMigration: migration 00031 turns numbers stored before the
// canonical form into it, leaves a number another customer already has
// canonically (NonCanonicalPhones names it), and keeps what is canonical.
func TestPhoneMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		before := []string{"+8613900000011", "008613900000012", "8613900000013", "+8613900000014", "13900000014",
			"004915112345678", "+861065529988", "13900000015"}
		ids := make([]int64, len(before))
		if err := s.Tx(ctx, func(q store.Querier) error {
			for i, p := range before {
				if err := q.QueryRow(ctx, `INSERT INTO customers (name, phone, locale, password_hash, address, city, created_at)
					VALUES ($1, $2, 'zh-CN', '', '', '', $3) RETURNING id`, "m"+p, p, s.Now()).Scan(&ids[i]); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		dir, err := store.Migrations(s.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		sql, err := fs.ReadFile(dir, "00031_customer_phone_canonical.sql")
		if err != nil {
			t.Fatal(err)
		}
		up, _, _ := strings.Cut(strings.SplitN(string(sql), "-- +goose Up", 2)[1], "-- +goose Down")
		if err := s.Tx(ctx, func(q store.Querier) error {
			for stmt := range strings.SplitSeq(up, ";\n") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				if _, err := q.Exec(ctx, stmt); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatalf("migration 00031: %v", err)
		}
		want := []string{"13900000011", "13900000012", "13900000013", "+8613900000014", "13900000014",
			"+4915112345678", "+861065529988", "13900000015"}
		for i, id := range ids {
			c, err := s.CustomerByID(ctx, id)
			if err != nil || c.Phone != want[i] {
				t.Errorf("stored %q: now %+v, %v; want %q", before[i], c, err, want[i])
			}
		}
		left, err := s.NonCanonicalPhones(ctx)
		if err != nil || !slices.Equal(left, []int64{ids[3]}) {
			t.Errorf("NonCanonicalPhones: %v, %v; want [%d] (the number taken canonically)", left, err, ids[3])
		}
	})
}
