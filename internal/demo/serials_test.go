package demo

import (
	"context"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// checkProduced: every product model has produced serials nobody owns, the
// store knows each one's model, and the demo customer can register one in
// the portal's way (a second registration is refused as already hers).
func checkProduced(t *testing.T, st *store.Store, produced []ProducedSerial) {
	t.Helper()
	ctx := context.Background()
	if got, want := len(produced), producedPerProduct*count(t, st, "SELECT COUNT(*) FROM products"); got != want {
		t.Fatalf("%d produced serials, want %d (%d per model)", got, want, producedPerProduct)
	}
	if n := count(t, st, "SELECT COUNT(*) FROM units WHERE serial IN (SELECT serial FROM product_serials)"); n != 0 {
		t.Errorf("%d produced serials are already units, want none", n)
	}
	for _, p := range produced {
		got, err := st.SerialProduct(ctx, p.Serial)
		if err != nil || got.SKU != p.SKU {
			t.Fatalf("serial %s: product %+v, %v; want %s", p.Serial, got, err, p.SKU)
		}
	}
	customer := int64(count(t, st, "SELECT MIN(id) FROM customers"))
	u := &model.Unit{Serial: produced[0].Serial, CustomerID: customer, PurchasedAt: st.Now().Add(-72 * time.Hour), Channel: "online"}
	if err := st.RegisterUnit(ctx, u, nil); err != nil {
		t.Fatalf("the demo customer registers %s: %v", produced[0].Serial, err)
	}
	if u.SKU != produced[0].SKU {
		t.Errorf("registered as %s, want %s", u.SKU, produced[0].SKU)
	}
	again := &model.Unit{Serial: produced[0].Serial, CustomerID: customer, PurchasedAt: u.PurchasedAt}
	if err := st.RegisterUnit(ctx, again, nil); model.ErrorCode(err) != model.ECONFLICT {
		t.Errorf("registering it twice: %v, want a conflict", err)
	}
}
