package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestRegisterUnit: a customer registers a produced serial with its proof
// of purchase; an unknown serial, one they already registered and one
// registered to someone else are refused naming the serial, and a refusal
// writes nothing. Two customers racing for one serial: exactly one wins.
func TestRegisterUnit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prod := &model.Product{SKU: "CAM-1", Name: "Travel Camera", WarrantyMonths: 12}
		if err := s.CreateProduct(ctx, prod, nil); err != nil {
			t.Fatal(err)
		}
		var people []*model.Customer
		for _, e := range []string{"ann@example.com", "ben@example.com", "cai@example.com"} {
			c := &model.Customer{Name: e, Email: e, Locale: "en"}
			if err := s.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			people = append(people, c)
		}
		ann, ben, cai := people[0], people[1], people[2]
		if n, err := s.AddSerials(ctx, "CAM-1", []string{"SN-1", "SN-2", " SN-1 ", ""}); err != nil || n != 2 {
			t.Fatalf("add serials: got %d, %v; want 2 added", n, err)
		}
		if _, err := s.AddSerials(ctx, "NOPE", []string{"SN-9"}); model.ErrorCode(err) != model.EINVALID {
			t.Errorf("serials of an unknown SKU: got %v, want invalid", err)
		}
		if p, err := s.SerialProduct(ctx, "SN-1"); err != nil || p.Name != "Travel Camera" {
			t.Errorf("product of SN-1: got %+v, %v; want Travel Camera", p, err)
		}

		bought := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		register := func(c *model.Customer, serial string) (*model.Unit, *model.UnitProof, error) {
			u := &model.Unit{Serial: serial, CustomerID: c.ID, PurchasedAt: bought, Channel: "portal"}
			p := &model.UnitProof{Filename: "receipt.jpg", ContentType: "image/jpeg", Size: 10, SHA256: "ab", Path: "units/x"}
			return u, p, s.RegisterUnit(ctx, u, p)
		}
		u, proof, err := register(ann, "SN-1")
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.SKU != "CAM-1" || proof.UnitID != u.ID {
			t.Errorf("registered: unit %+v, proof %+v; want the CAM-1 unit with its proof", u, proof)
		}
		if got, err := s.UnitBySerial(ctx, "SN-1"); err != nil || got.CustomerID != ann.ID || !got.PurchasedAt.Equal(bought) {
			t.Errorf("unit SN-1: got %+v, %v; want Ann's, bought %v", got, err, bought)
		}
		if ps, err := s.UnitProofs(ctx, u.ID); err != nil || len(ps) != 1 || ps[0].Filename != "receipt.jpg" {
			t.Errorf("proofs: got %+v, %v; want the receipt", ps, err)
		}

		for _, tc := range []struct {
			name   string
			who    *model.Customer
			serial string
			code   string
			msg    string
		}{
			{"unknown serial", ben, "SN-404", model.EINVALID, "we do not know this serial number; check it on the label or the box"},
			{"already hers", ann, "SN-1", model.ECONFLICT, "you have already registered this product"},
			{"someone else's", ben, "SN-1", model.ECONFLICT, "this product is registered to someone else; contact us if it is yours"},
		} {
			_, _, err := register(tc.who, tc.serial)
			var e *model.Error
			if model.ErrorCode(err) != tc.code || !asModelError(err, &e) || e.Field != "serial" || e.Message != tc.msg {
				t.Errorf("%s: got %v, want %s on serial: %q", tc.name, err, tc.code, tc.msg)
			}
		}
		if units, err := s.UnitsByCustomer(ctx, ben.ID); err != nil || len(units) != 0 {
			t.Errorf("Ben after refusals: got %d units (%v), want none", len(units), err)
		}

		// Ben and Cai race for SN-2: one gets it, the other is told it is
		// someone else's; only one unit and one proof are written.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, c := range []*model.Customer{ben, cai} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[i] = register(c, "SN-2")
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch model.ErrorCode(err) {
			case "":
				won++
			case model.ECONFLICT:
			default:
				t.Errorf("race: unexpected %v", err)
			}
		}
		if won != 1 {
			t.Errorf("race for SN-2: %d winners (%v), want exactly 1", won, errs)
		}
		got, err := s.UnitBySerial(ctx, "SN-2")
		if err != nil {
			t.Fatal(err)
		}
		if ps, err := s.UnitProofs(ctx, got.ID); err != nil || len(ps) != 1 {
			t.Errorf("proofs of SN-2: got %d (%v), want 1", len(ps), err)
		}
	})
}

func asModelError(err error, e **model.Error) bool {
	if err == nil {
		return false
	}
	me, ok := err.(*model.Error)
	if ok {
		*e = me
	}
	return ok
}
