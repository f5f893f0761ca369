package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/aftercare/aftercare/internal/store"
)

// producedPerProduct is how many produced, unregistered serial numbers the
// demo records for each product model.
const producedPerProduct = 4

// seedProduced records serial numbers the maker produced but nobody has
// registered yet, so that a demo customer can try product registration in
// the portal. They are the model's code, "N" and a number, unlike the
// units' (code, year, month, number), so they never meet a unit's serial.
// It returns the serials by SKU, in product order.
func (g *gen) seedProduced(ctx context.Context, st *store.Store) ([]ProducedSerial, error) {
	var out []ProducedSerial
	for i, p := range g.products {
		code := strings.ReplaceAll(p.SKU, "-", "")
		serials := make([]string, producedPerProduct)
		for k := range serials {
			// No draw from g.rnd: the rest of the demo's story stays as it was.
			serials[k] = fmt.Sprintf("%sN%05d", code, 10001+k*37+(i*13+k*7)%37)
		}
		if _, err := st.AddSerials(ctx, p.SKU, serials); err != nil {
			return nil, err
		}
		for _, s := range serials {
			out = append(out, ProducedSerial{SKU: p.SKU, Name: p.Name, Serial: s})
		}
	}
	return out, nil
}

// ProducedSerial is a serial number the maker produced that no customer
// has registered yet.
type ProducedSerial struct {
	SKU, Name, Serial string
}
