package sentiment

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// TestLODOExperiment runs the full leave-one-domain-out protocol and
// saves the fold models to $AFTERCARE_SENTI_FOLDS. It is a tool for
// tuning by hand (minutes of CPU), not part of the suite.
func TestLODOExperiment(t *testing.T) {
	dir := os.Getenv("AFTERCARE_SENTI_FOLDS")
	if dir == "" {
		t.Skip("set AFTERCARE_SENTI_FOLDS to run the leave-one-domain-out experiment")
	}
	opts := Options{Baseline: os.Getenv("AFTERCARE_SENTI_NB") != "", Progress: os.Stderr, foldDir: dir}
	fmt.Sscanf(os.Getenv("AFTERCARE_SENTI_POW"), "%g,%g", &opts.ZhPow, &opts.EnPow)
	rep, err := CrossDomain(context.Background(), dataDir(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Summary {
		t.Log(s)
	}
}
