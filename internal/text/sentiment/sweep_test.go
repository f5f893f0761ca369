package sentiment

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestSweep(t *testing.T) {
	if os.Getenv("SWEEP") == "" {
		t.Skip()
	}
	for _, o := range []Options{
		{ZhLambda: 2e-5, EnLambda: 1e-4},
		{ZhLambda: 1e-5, EnLambda: 3e-5},
		{ZhLambda: 5e-5, EnLambda: 3e-4},
		{ZhLambda: 1e-4, EnLambda: 1e-3},
	} {
		sc, err := CrossDomain(context.Background(), "/work/shared/data", o)
		if err != nil {
			t.Fatal(err)
		}
		var zs, es float64
		var zn, en int
		line := ""
		for _, s := range sc {
			line += fmt.Sprintf(" %.3f", s.Accuracy)
			if s.Test == "imdb" || s.Test == "amazon" {
				es += s.Accuracy
				en++
			} else {
				zs += s.Accuracy
				zn++
			}
		}
		fmt.Printf("zh %.0e en %.0e: zh mean %.4f en mean %.4f |%s\n", o.ZhLambda, o.EnLambda, zs/float64(zn), es/float64(en), line)
	}
}
