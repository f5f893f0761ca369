package store_test

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// A statement run before a schema change (a migration) answers with the
// new schema afterwards, in transactions and on the read pool: SQLite's
// kept statements are prepared again by SQLite itself.
func TestStatementsFollowSchemaChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		exec := func(stmts ...string) {
			t.Helper()
			if err := s.Tx(ctx, func(q store.Querier) error {
				for _, st := range stmts {
					if _, err := q.Exec(ctx, st); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		// The same text before and after each change. (A result of
		// another shape, SELECT * after ADD COLUMN, is SQLite's only:
		// PostgreSQL refuses it once from pgx's own statement cache.)
		const sel = "SELECT id, a FROM cache_probe WHERE id = $1"
		// read scans the row through a transaction and the read pool, a
		// few times each (the pool has several connections).
		read := func() (id int64, a string) {
			t.Helper()
			for range 6 {
				if err := s.Read().QueryRow(ctx, sel, 1).Scan(&id, &a); err != nil {
					t.Fatalf("read pool: %v", err)
				}
				if err := s.Tx(ctx, func(q store.Querier) error { return q.QueryRow(ctx, sel, 1).Scan(&id, &a) }); err != nil {
					t.Fatalf("transaction: %v", err)
				}
			}
			return id, a
		}
		exec("CREATE TABLE cache_probe (id INTEGER PRIMARY KEY, a TEXT NOT NULL)",
			"INSERT INTO cache_probe (id, a) VALUES (1, 'x')")
		if id, a := read(); id != 1 || a != "x" {
			t.Fatalf("got %d %q, want 1 x", id, a)
		}
		exec("ALTER TABLE cache_probe ADD COLUMN b TEXT NOT NULL DEFAULT 'y'", "CREATE INDEX cache_probe_a ON cache_probe (a)")
		if id, a := read(); id != 1 || a != "x" {
			t.Errorf("after ADD COLUMN got %d %q, want 1 x", id, a)
		}
		// The columns in another order: a statement prepared for the old
		// table would read the wrong ones.
		exec("DROP TABLE cache_probe", "CREATE TABLE cache_probe (z TEXT, a TEXT NOT NULL, id INTEGER PRIMARY KEY)",
			"INSERT INTO cache_probe (z, a, id) VALUES ('zz', 'w', 1)")
		if id, a := read(); id != 1 || a != "w" {
			t.Errorf("after re-creating the table got %d %q, want 1 w", id, a)
		}
		if s.Dialect() == store.SQLite && s.StatementCacheHits() == 0 {
			t.Errorf("no statement was run from a cache")
		}
	})
}
