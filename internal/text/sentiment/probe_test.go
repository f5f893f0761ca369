package sentiment

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestProbeErrZh(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	zh, _ := LoadChinese("/work/shared/data")
	var train, test []Example
	for _, ex := range zh {
		if ex.Domain == os.Getenv("PROBE") {
			test = append(test, ex)
		} else {
			train = append(train, ex)
		}
	}
	lx := newLexicons()
	opts := Options{}.withDefaults()
	lin, _ := fit(context.Background(), lx, langZh, train, opts, "a")
	ds := featurize(lx, langZh, test, 1<<20-1)
	k := 0
	for i, ex := range test {
		z := lin.margin(ds, i)
		if (z >= 0) != (ex.Label == 1) && k < 60 && i%7 == 0 {
			k++
			r := []rune(ex.Text)
			if len(r) > 80 {
				r = r[:80]
			}
			fmt.Printf("%d %+.2f %.2v %s\n", ex.Label, z, ds.dense[i], string(r))
		}
	}
}
