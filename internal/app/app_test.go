package app_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// healthz returns /healthz's status and body.
func healthz(t *testing.T, m *app.Main) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 30 * time.Second}
	res, err := c.Get(m.URL() + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	return res.StatusCode, strings.TrimSpace(string(body))
}

// TestHealthzStoreDown checks that /healthz answers 503 once the store
// stops answering: on SQLite the store is closed under the running app; on
// PostgreSQL the app's database refuses connections and its sessions are
// terminated.
func TestHealthzStoreDown(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var dbURL string
			if d == store.Postgres {
				dbURL = storetest.PostgresURL(t)
			}
			m := apptest.Start(t, apptest.Options{DatabaseURL: dbURL})
			if code, body := healthz(t, m); code != http.StatusOK || body != "ok" {
				t.Fatalf("/healthz on a working store: got %d %q, want 200 ok", code, body)
			}
			if d == store.Postgres {
				cutPostgres(t, dbURL)
			} else if err := m.Store.Close(); err != nil {
				t.Fatalf("close the store: %v", err)
			}
			if code, body := healthz(t, m); code != http.StatusServiceUnavailable || body != "store unavailable" {
				t.Errorf("/healthz on a store that stopped answering: got %d %q, want 503 store unavailable", code, body)
			}
		})
	}
}

// cutPostgres makes the database of dbURL refuse new connections and
// terminates the ones it has, until the test ends (then it lets
// connections in again, so that the app can stop and the database be
// dropped).
func cutPostgres(t *testing.T, dbURL string) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := pgx.Identifier{strings.TrimPrefix(u.Path, "/")}.Sanitize()
	admin := func(sql string, args ...any) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, os.Getenv("AFTERCARE_TEST_PG_URL"))
		if err != nil {
			t.Fatalf("connect to AFTERCARE_TEST_PG_URL: %v", err)
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false")
	t.Cleanup(func() { admin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true") })
	admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
		strings.TrimPrefix(u.Path, "/"))
}
