package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations
var migrationsFS embed.FS

// Migrations returns the migration folder of a dialect, for the test that
// checks both dialects have the same versions.
func Migrations(d Dialect) (fs.FS, error) { return fs.Sub(migrationsFS, "migrations/"+string(d)) }

// Migrate applies every pending migration of the store's dialect.
func (s *Store) Migrate(ctx context.Context) error {
	dir, err := Migrations(s.dialect)
	if err != nil {
		return err
	}
	db, dialect := s.wdb, goose.DialectSQLite3
	if s.pool != nil {
		db, dialect = stdlib.OpenDBFromPool(s.pool), goose.DialectPostgres
		defer db.Close()
	}
	// Capabilities are developed side by side, each with its own
	// migration number; a store that already has a later one must still
	// take an earlier one merged after it (each migration touches only
	// its own tables and columns).
	p, err := goose.NewProvider(dialect, db, dir, goose.WithAllowOutofOrder(true))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// A seed cut short between BeginBulkLoad and EndBulkLoad left the
	// search documents without their index.
	if err := s.ensureSearchIndex(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// The request search index starts with what existed before it.
	return s.BackfillSearch(ctx)
}

// migrationLockID is the PostgreSQL advisory lock that serialises
// migrations: "aftercare" in ASCII, as an int64.
const migrationLockID int64 = 0x6166746572636172

// LockMigrations makes the nodes that start at once on one PostgreSQL
// database take turns to migrate: it waits for a session-level advisory
// lock on a connection of its own and returns the function that releases
// it. The first node applies the migrations (Aftercare's and River's);
// the others then find nothing to do. On SQLite (one node) it does nothing.
func (s *Store) LockMigrations(ctx context.Context) (unlock func(), err error) {
	if s.pool == nil {
		return func() {}, nil
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
		conn.Release()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", migrationLockID); err != nil {
			// A session lock lives as long as its connection: drop it.
			_ = conn.Conn().Close(ctx)
		}
		conn.Release()
	}, nil
}
