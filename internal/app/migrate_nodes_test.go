package app_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestNodesMigrateAtOnce starts three nodes at the same instant on one
// empty PostgreSQL database, as a fresh deployment (or an upgrade that
// restarts every node) does: each runs the migrations at start-up, and all
// three must open — one migrates while the others wait, then find nothing
// to do — leaving every migration applied exactly once.
func TestNodesMigrateAtOnce(t *testing.T) {
	url := storetest.PostgresURL(t)
	ctx := context.Background()
	const nodes = 3
	var wg sync.WaitGroup
	start := make(chan struct{})
	opened := make([]*app.Main, nodes)
	errs := make([]error, nodes)
	for i := range nodes {
		cfg := config.Default()
		cfg.DataDir, cfg.DatabaseURL = t.TempDir(), url
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		m := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		opened[i] = m
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = m.OpenStore(ctx)
		}()
	}
	close(start)
	wg.Wait()
	for i, m := range opened {
		defer m.Close()
		if errs[i] != nil {
			t.Errorf("node %d: %v", i+1, errs[i])
		}
	}
	if t.Failed() {
		return
	}
	var applied, distinct int
	if err := opened[0].Store.Read().QueryRow(ctx,
		"SELECT COUNT(*), COUNT(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0").Scan(&applied, &distinct); err != nil {
		t.Fatal(err)
	}
	if applied != distinct || applied == 0 {
		t.Errorf("goose recorded %d migrations, %d distinct: want each once", applied, distinct)
	}
}
