// Package apptest boots the real Aftercare app for tests: app.Main on
// 127.0.0.1:0 with a fresh SQLite store in a temporary directory (or
// PostgreSQL), ready and serving, stopped when the test ends. HTTP, browser
// and CLI tests share it so they all run the product as it ships.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/config"
)

// Options adjusts the configuration of a test instance.
type Options struct {
	// DatabaseURL selects PostgreSQL (see storetest.PostgresURL).
	DatabaseURL string
	// Logger receives the app's logs; nil discards them.
	Logger *slog.Logger
	// Configure, if set, changes the configuration before it is validated.
	Configure func(*config.Config)
	// Prepare, if set, adjusts the instance before it opens (its clock
	// Now, the AutoCloseEvery seam).
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
