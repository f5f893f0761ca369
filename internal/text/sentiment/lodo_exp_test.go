package sentiment

import (
	"context"
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
	rep, err := CrossDomain(context.Background(), dataDir(t), Options{Baseline: true, Progress: os.Stderr, foldDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Summary {
		t.Log(s)
	}
}
