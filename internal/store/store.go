// Package store persists Aftercare's data in SQLite (embedded default) or
// PostgreSQL (production, many nodes) with one set of portable SQL texts.
// Dialect differences live in dialect.go and the migrations folders, nowhere
// else. Public methods own their transaction; unexported helpers take the
// Querier of the transaction they run in.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect names the database in use.
type Dialect string

// Dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options says which database to open.
type Options struct {
	// DatabaseURL selects PostgreSQL when set.
	DatabaseURL string
	// SQLitePath is the SQLite file used when DatabaseURL is empty.
	SQLitePath string
	// Location is the store's time zone for dates (warranty ends,
	// request-number years). Nil means UTC.
	Location *time.Location
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxConns bounds the PostgreSQL pool (default 16).
	MaxConns int32
	// ConnectTimeout bounds each attempt to open a PostgreSQL connection
	// (default 5 s; a connect_timeout in DatabaseURL wins), so that a dead
	// server fails a request with EUNAVAILABLE instead of stalling it.
	ConnectTimeout time.Duration
}

// defaultConnectTimeout is Options.ConnectTimeout's default.
const defaultConnectTimeout = 5 * time.Second

// Store is the database handle. It is safe for concurrent use.
type Store struct {
	dialect Dialect
	wdb     *sql.DB // SQLite: the one write connection (shared with River)
	rdb     *sql.DB // SQLite: read-only pool
	w       *writer // SQLite: the goroutine that runs write transactions (groupcommit.go)
	pool    *pgxpool.Pool
	loc     *time.Location
	now     func() time.Time
	sink    EventSink // where published events go (SetEventSink)
	// mailHook sees published events for outbound mail (SetMailHook).
	mailHook MailHook
	// live hears of changed requests after commit (SetLive).
	live LiveSink
	// Hooks registered while the app is assembled (hooks.go).
	statusHooks  []StatusHook
	createHooks  []CreateHook
	openedHooks  []CreateHook
	messageHooks []MessageHook
	patchHooks   []PatchHook
	tagsHooks    []TagsHook
	// stmtHits counts statements SQLite ran from a connection's cache
	// (stmtcache.go), for tests.
	stmtHits atomic.Int64
	// searchBlock, when positive, replaces the constant searchBlock (tests).
	searchBlock int64
	// searchRecentSpan, when positive, replaces the constant
	// searchRecentSpan (tests).
	searchRecentSpan int64
	// searchStats keeps the planner's term frequencies for PostgreSQL
	// searches (search_stats_pg.go).
	searchStats searchStats
}

// Open connects to the database described by opts. It does not migrate;
// call Migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	s := &Store{loc: opts.Location, now: opts.Now}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.now == nil {
		s.now = time.Now
	}
	if opts.DatabaseURL != "" {
		return s, s.openPostgres(ctx, opts)
	}
	return s, s.openSQLite(ctx, opts.SQLitePath)
}

func (s *Store) openPostgres(ctx context.Context, opts Options) error {
	s.dialect = Postgres
	cfg, err := pgxpool.ParseConfig(opts.DatabaseURL)
	if err != nil {
		return fmt.Errorf("store: parse database URL: %w", err)
	}
	cfg.MaxConns = opts.MaxConns
	if cfg.MaxConns == 0 {
		cfg.MaxConns = 16
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
		if cfg.ConnConfig.ConnectTimeout == 0 {
			cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
		}
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	s.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("store: connect to PostgreSQL: %w", mapError(err))
	}
	if err := s.pool.Ping(ctx); err != nil {
		s.pool.Close()
		return fmt.Errorf("store: connect to PostgreSQL: %w", mapError(err))
	}
	return nil
}

func (s *Store) openSQLite(ctx context.Context, path string) error {
	s.dialect = SQLite
	if path == "" {
		return errors.New("store: no SQLite path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	// synchronous(NORMAL) in WAL mode loses no committed transaction when
	// the process is killed; only an OS crash or power loss may roll back
	// the last commits.
	common := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	// temp_store(MEMORY) on the write connection keeps the sub-journal of
	// the group commit's savepoints (groupcommit.go) in memory: on a file,
	// each caller's savepoint wrote the pages it changed to a temporary
	// file (13 % of the server's CPU per creation at load 16).
	wc, err := newCachingConnector("file:"+path+"?_pragma=journal_mode(WAL)&_txlock=immediate&_pragma=temp_store(MEMORY)&"+common, stmtCacheSize, &s.stmtHits)
	if err != nil {
		return fmt.Errorf("store: open SQLite: %w", err)
	}
	s.wdb = sql.OpenDB(wc)
	s.wdb.SetMaxOpenConns(1)
	s.wdb.SetMaxIdleConns(1)
	s.wdb.SetConnMaxLifetime(0)
	if err := s.wdb.PingContext(ctx); err != nil {
		s.wdb.Close()
		return fmt.Errorf("store: open SQLite %s: %w", path, err)
	}
	rc, err := newCachingConnector("file:"+path+"?_pragma=query_only(1)&"+common, stmtCacheSize, &s.stmtHits)
	if err != nil {
		s.wdb.Close()
		return fmt.Errorf("store: open SQLite: %w", err)
	}
	s.rdb = sql.OpenDB(rc)
	n := max(4, 2*runtime.NumCPU())
	s.rdb.SetMaxOpenConns(n)
	s.rdb.SetMaxIdleConns(n)
	s.startWriter()
	return nil
}

// Close releases every connection.
func (s *Store) Close() error {
	if s.pool != nil {
		s.pool.Close()
		return nil
	}
	s.stopWriter()
	return errors.Join(s.rdb.Close(), s.wdb.Close())
}

// Dialect returns the database in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// Location returns the store's time zone.
func (s *Store) Location() *time.Location { return s.loc }

// Now returns the store clock's current time, in UTC, truncated to
// microseconds (the resolution both databases keep).
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// WriteDB returns SQLite's single write connection pool, which River uses
// too. It is nil on PostgreSQL.
func (s *Store) WriteDB() *sql.DB { return s.wdb }

// Pool returns the PostgreSQL pool, nil on SQLite.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Read returns a Querier for reads outside a transaction.
func (s *Store) Read() Querier {
	if s.pool != nil {
		return pgQuerier{q: s.pool}
	}
	return sqlQuerier{q: s.rdb}
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.Read().QueryRow(ctx, "SELECT 1").Scan(&one)
}

// Tx runs fn in one transaction, committing when fn returns nil and rolling
// back otherwise. fn must not use any other Querier of this Store: on
// SQLite the single write connection is held by the transaction. On
// SQLite fn may share one database transaction with other callers' (group
// commit, groupcommit.go), each in its own savepoint: fn's failure undoes
// only fn's work, and Tx returns nil only after the shared COMMIT. fn
// runs on the writer's goroutine there, its statements unaffected by the
// end of ctx (which would interrupt the others' work too).
//
// Failing to begin or commit because the database cannot be reached is
// EUNAVAILABLE. A commit that fails that way may still have been applied
// by the server; the caller was not told it succeeded, so nothing it
// relied on is lost.
func (s *Store) Tx(ctx context.Context, fn func(q Querier) error) error {
	if s.pool != nil {
		return s.pgTx(ctx, fn)
	}
	return s.sqliteTx(ctx, fn)
}

// pgTx is Tx on PostgreSQL: pgx.BeginFunc, with the begin and commit
// errors mapped (fn's own errors are returned as they are).
func (s *Store) pgTx(ctx context.Context, fn func(q Querier) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", mapError(err))
	}
	defer func() { _ = tx.Rollback(ctx) }() // a no-op after Commit
	cs := s.newChangeSet()
	if err := fn(pgQuerier{q: tx, changed: cs}); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("store: commit: %w", mapError(err))
	}
	s.announce(ctx, cs)
	return nil
}

// Backup writes a consistent copy of a SQLite store to path with VACUUM
// INTO on the write connection (it reads one snapshot while writers
// wait). PostgreSQL stores are backed up with pg_dump.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != SQLite {
		return errors.New("backup: the store is PostgreSQL; use pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if _, err := s.wdb.ExecContext(ctx, "VACUUM INTO $1", path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func isSQLiteUnique(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}
