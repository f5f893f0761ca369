package sentiment

import (
	"fmt"
	"os"
	"testing"
)

func TestProbe(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	m := mustModel(t)
	var sc scratch
	for _, s := range []string{"It broke after a week and support never answered.", "support", "never answered", "after a week", "it broke"} {
		d := sc.extract(m.lx, langEn, s, m.en.mask())
		fmt.Printf("%q z=%.3f dense=%v dw=%v bias=%.3f\n", s, m.en.margin(sc.feats, d), d, m.en.dense, m.en.bias)
		for i, s := range sc.toks {
			fmt.Printf("  %s neg=%v\n", sc.buf[s.s:s.e], sc.neg[i])
		}
	}
}
