// Package storetest opens fresh, migrated stores for tests: SQLite in a
// temporary file always, PostgreSQL when AFTERCARE_TEST_PG_URL is set. Each
// PostgreSQL store gets a database of its own, created for the test and
// dropped after it, so test packages can run in parallel.
package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/testenv"
)

// SQLitePath returns a fresh SQLite file path in the test's temp dir.
func SQLitePath(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(tb.TempDir(), "aftercare.db")
}

// PostgresURL creates an empty database for tb on the server named by
// AFTERCARE_TEST_PG_URL, drops it when tb ends, and returns its URL. It
// skips (or fails, when AFTERCARE_REQUIRE has pg) without a server.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("AFTERCARE_TEST_PG_URL")
	if base == "" {
		testenv.Missing(tb, "pg", "PostgreSQL tests need AFTERCARE_TEST_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		testenv.Missing(tb, "pg", fmt.Sprintf("cannot connect to AFTERCARE_TEST_PG_URL: %v", err))
	}
	defer admin.Close(ctx)
	name := "aftercare_t_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Logf("drop test database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("AFTERCARE_TEST_PG_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Options returns store options for a fresh database of dialect d.
func Options(tb testing.TB, d store.Dialect) store.Options {
	tb.Helper()
	if d == store.Postgres {
		return store.Options{DatabaseURL: PostgresURL(tb), Location: shanghai(tb)}
	}
	return store.Options{SQLitePath: SQLitePath(tb), Location: shanghai(tb)}
}

func shanghai(tb testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		tb.Fatalf("load time zone: %v", err)
	}
	return loc
}

// Open returns a fresh migrated store of dialect d, closed when tb ends.
func Open(tb testing.TB, d store.Dialect) *store.Store {
	tb.Helper()
	return OpenWith(tb, Options(tb, d))
}

// OpenWith opens and migrates a store with opts, closed when tb ends.
func OpenWith(tb testing.TB, opts store.Options) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, opts)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}

// Dialects lists the dialects every store test runs on.
func Dialects() []store.Dialect { return []store.Dialect{store.SQLite, store.Postgres} }

// Each runs fn as a subtest on a fresh store of each dialect.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}
