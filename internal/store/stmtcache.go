package store

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"reflect"
	"sync/atomic"

	"modernc.org/sqlite"
)

// Prepared statements kept per SQLite connection.
//
// The SQLite driver prepares every statement anew on each call: parsing
// and planning the SQL text was about a third of the server's CPU when
// requests were created under load (perf, README "Performance"). Every
// SQLite connection of the store (the write connection, which River uses
// too, and the read pool) therefore keeps the statements it prepared, by
// their exact text, and runs a statement again by resetting and binding
// it. SQLite re-prepares a kept statement by itself when the schema
// changed since (sqlite3_prepare_v2), so migrations need nothing more.
//
// database/sql never uses one driver connection from two goroutines at
// once, so a connection's cache needs no lock. A statement whose rows are
// still open is busy: the same text asked again meanwhile (a query inside
// the loop over its own rows) runs uncached, as before.

// stmtCacheSize bounds the statements kept per connection; the least
// recently used is finalized first. The store's SQL texts are a few
// hundred; text built for a variable number of values (IN lists) adds
// some variants per shape.
const stmtCacheSize = 512

// cachingConnector opens SQLite connections that keep their statements.
type cachingConnector struct {
	driver.Connector // the driver's own, for dsn
	size             int
	hits             *atomic.Int64 // statements run from a cache, for tests
}

// newCachingConnector returns a connector for sql.OpenDB whose connections
// to dsn keep up to size statements each, counting reuses in hits.
func newCachingConnector(dsn string, size int, hits *atomic.Int64) (driver.Connector, error) {
	base, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return cachingConnector{Connector: base, size: size, hits: hits}, nil
}

// Connect implements driver.Connector.
func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	inner, ok := dc.(sqliteConn)
	if !ok {
		_ = dc.Close()
		return nil, errors.New("store: the SQLite driver's connection lacks the context methods")
	}
	return &cachingConn{inner: inner, size: c.size, hits: c.hits, byText: map[string]*list.Element{}, lru: list.New()}, nil
}

// sqliteConn is what the store uses of a driver connection.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachedStmt is one kept statement.
type cachedStmt struct {
	text string
	stmt interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
	busy bool // its rows are open
}

// cachingConn is a SQLite connection with its kept statements.
type cachingConn struct {
	inner  sqliteConn
	size   int
	byText map[string]*list.Element // of *cachedStmt
	lru    *list.List               // most recently used first
	hits   *atomic.Int64            // shared by the connector's connections
}

// stmt returns the kept statement for text, preparing and keeping it on
// first use, or nil when it is busy or cannot be kept (every kept
// statement busy); the caller then runs text uncached.
func (c *cachingConn) stmt(ctx context.Context, text string) (*cachedStmt, error) {
	if e, ok := c.byText[text]; ok {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		c.hits.Add(1)
		return cs, nil
	}
	if c.lru.Len() >= c.size && !c.evict() {
		return nil, nil
	}
	ds, err := c.inner.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	})
	if !ok {
		_ = ds.Close()
		return nil, nil
	}
	cs := &cachedStmt{text: text, stmt: st}
	c.byText[text] = c.lru.PushFront(cs)
	return cs, nil
}

// evict finalizes the least recently used statement that is not busy,
// reporting whether there was one.
func (c *cachingConn) evict() bool {
	for e := c.lru.Back(); e != nil; e = e.Prev() {
		cs := e.Value.(*cachedStmt)
		if cs.busy {
			continue
		}
		c.lru.Remove(e)
		delete(c.byText, cs.text)
		_ = cs.stmt.Close()
		return true
	}
	return false
}

// ExecContext implements driver.ExecerContext.
func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.inner.ExecContext(ctx, query, args)
	}
	return cs.stmt.ExecContext(ctx, args)
}

// QueryContext implements driver.QueryerContext.
func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.inner.QueryContext(ctx, query, args)
	}
	rows, err := cs.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, cs: cs}, nil
}

// Close finalizes the kept statements, then closes the connection.
func (c *cachingConn) Close() error {
	var errs []error
	for e := c.lru.Front(); e != nil; e = e.Next() {
		errs = append(errs, e.Value.(*cachedStmt).stmt.Close())
	}
	c.lru.Init()
	clear(c.byText)
	return errors.Join(append(errs, c.inner.Close())...)
}

// Prepare implements driver.Conn; statements prepared by database/sql's
// Prepare are the caller's, not kept.
func (c *cachingConn) Prepare(query string) (driver.Stmt, error) { return c.inner.Prepare(query) }

// PrepareContext implements driver.ConnPrepareContext.
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner.PrepareContext(ctx, query)
}

// Begin implements driver.Conn.
func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.inner.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx implements driver.ConnBeginTx.
func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}

// Ping implements driver.Pinger.
func (c *cachingConn) Ping(ctx context.Context) error { return c.inner.Ping(ctx) }

// ResetSession implements driver.SessionResetter.
func (c *cachingConn) ResetSession(ctx context.Context) error { return c.inner.ResetSession(ctx) }

// IsValid implements driver.Validator.
func (c *cachingConn) IsValid() bool { return c.inner.IsValid() }

// cachedRows are the rows of a kept statement; closing them resets the
// statement (the driver does) and frees it for its next use.
type cachedRows struct {
	driver.Rows
	cs *cachedStmt
}

// Close implements driver.Rows.
func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.cs.busy = false
	return err
}

// ColumnTypeDatabaseTypeName forwards the driver's column type.
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

// ColumnTypeScanType forwards the driver's scan type.
func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

// ColumnTypeNullable forwards the driver's nullability.
func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}
