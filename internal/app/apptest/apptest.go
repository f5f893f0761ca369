// Package apptest boots the real Aftercare app for tests: app.Main on
// 127.0.0.1:0 with a fresh SQLite store in a temporary directory (or
// PostgreSQL), ready and serving, stopped when the test ends. HTTP, browser
// and CLI tests share it so they all run the product as it ships.
package apptest

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/store"
)

// Options adjusts the configuration of a test instance.
type Options struct {
	// DatabaseURL selects PostgreSQL (see storetest.PostgresURL).
	DatabaseURL string
	// Logger receives the app's logs; nil discards them.
	Logger *slog.Logger
	// Configure, if set, changes the configuration before it is validated.
	Configure func(*config.Config)
	// Now, if set, is the app's clock (app.Main.Now): the store, the
	// domain services and the jobs read the time from it, so tests can
	// create rows at chosen instants.
	Now func() time.Time
	// Prepare, if set, changes the unopened app (its mailer, its job
	// intervals) after Now is set.
	Prepare func(*app.Main)
}

// Start boots and runs the app; it fails tb if the app does not open.
func Start(tb testing.TB, opts Options) *app.Main {
	tb.Helper()
	cfg := config.Default()
	cfg.DataDir = tb.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.DatabaseURL = opts.DatabaseURL
	cfg.LogLevel = "warn"
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		tb.Fatalf("config: %v", err)
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	m := app.New(cfg, logger)
	if opts.Now != nil {
		m.Now = opts.Now
	}
	if opts.Prepare != nil {
		opts.Prepare(m)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		cancel()
		m.Close()
		tb.Fatalf("open app: %v", err)
	}
	m.SetReady(true)
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				tb.Errorf("run: %v", err)
			}
		case <-time.After(20 * time.Second):
			tb.Errorf("app did not stop")
		}
		m.Close()
	})
	return m
}

// StoredFiles lists the files m keeps, as slash-separated paths: the keys
// in the database's blob store on PostgreSQL and every file under the
// attachments directory (stored files on SQLite, staged uploads on both),
// so that a test can check that nothing refused left a file behind.
func StoredFiles(tb testing.TB, m *app.Main) []string {
	tb.Helper()
	var out []string
	if m.Store.Dialect() == store.Postgres {
		rows, err := m.Store.Read().Query(context.Background(), "SELECT key FROM blobs ORDER BY key")
		if err != nil {
			tb.Fatalf("list blobs: %v", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				tb.Fatal(err)
			}
			out = append(out, k)
		}
		if err := rows.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	root := m.Config.AttachmentDir()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == root {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("walk attachments: %v", err)
	}
	return out
}
