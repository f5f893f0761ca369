package store

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aftercare/aftercare/internal/model"
)

// Querier runs portable SQL with $N placeholders on either database. Both
// a pool and a transaction implement it, so store helpers take a Querier
// and work inside or outside a transaction.
type Querier interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows is the subset of a result set the store uses.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is a single-row result.
type Row interface {
	Scan(dest ...any) error
}

// timeLayout is how SQLite stores instants: UTC, fixed width, so that text
// order is time order (keyset pagination compares them as text).
const timeLayout = "2006-01-02T15:04:05.000000Z"

// sqliteArgs converts arguments for SQLite: instants become fixed-width
// UTC text.
func sqliteArgs(in []any) []any {
	args := make([]any, len(in))
	copy(args, in)
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC().Format(timeLayout)
		case *time.Time:
			if v == nil {
				args[i] = nil
			} else {
				args[i] = v.UTC().Format(timeLayout)
			}
		}
	}
	return args
}

// unstorable reports whether an argument is text that PostgreSQL cannot
// hold: with a NUL character or bytes that are not UTF-8. Such text comes
// from outside (a form field, a JSON "\u0000", a file name) and used to
// reach PostgreSQL, whose refusal was an internal error (500).
//
// Both stores treat it alike: a statement that writes it is refused as
// invalid input (422), so neither database keeps text the other could not;
// a SELECT finds nothing, since no stored text can equal it (SQLite runs
// the query, PostgreSQL is not asked).
func unstorable(args []any) bool {
	for _, a := range args {
		v := reflect.ValueOf(a)
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if v.Kind() == reflect.String {
			if s := v.String(); strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) {
				return true
			}
		}
	}
	return false
}

// unstorableError is the refusal of a write with unstorable text.
func unstorableError() error {
	return model.Errorf(model.EINVALID, "text must be UTF-8 without NUL characters")
}

// isSelect reports whether query only reads.
func isSelect(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT")
}

// errRow is a Row that fails with err.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// noRows is an empty result set.
type noRows struct{}

func (noRows) Next() bool        { return false }
func (noRows) Scan(...any) error { return sql.ErrNoRows }
func (noRows) Err() error        { return nil }
func (noRows) Close()            {}

// sqlQuerier adapts *sql.DB, *sql.Conn or *sql.Tx (SQLite).
type sqlQuerier struct {
	q interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}
	// changed collects the requests a transaction changes (nil outside
	// one, or without live updates).
	changed *changeSet
	// detached runs statements without the caller's cancellation: in a
	// transaction shared by several callers (group commit), interrupting
	// one caller's write could roll back everyone's.
	detached bool
	// fts, in a job of the group commit, collects the job's writes to
	// full-text tables for the end of its batch (execFTS).
	fts *[]ftsWrite
}

// ctx is the context statements run with.
func (s sqlQuerier) ctx(ctx context.Context) context.Context {
	if s.detached {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (s sqlQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if unstorable(args) {
		return 0, unstorableError()
	}
	res, err := s.q.ExecContext(s.ctx(ctx), query, sqliteArgs(args)...)
	if err != nil {
		return 0, mapError(err)
	}
	return res.RowsAffected()
}

func (s sqlQuerier) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	if !isSelect(query) && unstorable(args) {
		return nil, unstorableError()
	}
	rows, err := s.q.QueryContext(s.ctx(ctx), query, sqliteArgs(args)...)
	if err != nil {
		return nil, mapError(err)
	}
	return sqlRows{rows}, nil
}

func (s sqlQuerier) QueryRow(ctx context.Context, query string, args ...any) Row {
	if !isSelect(query) && unstorable(args) {
		return errRow{unstorableError()}
	}
	return sqlRow{s.q.QueryRowContext(s.ctx(ctx), query, sqliteArgs(args)...)}
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close()     { _ = r.Rows.Close() }
func (r sqlRows) Err() error { return mapError(r.Rows.Err()) }

type sqlRow struct{ r *sql.Row }

func (r sqlRow) Scan(dest ...any) error { return mapError(r.r.Scan(dest...)) }

// pgQuerier adapts a pgx pool or transaction (PostgreSQL).
type pgQuerier struct {
	q interface {
		Exec(context.Context, string, ...any) (pgconn.CommandTag, error)
		Query(context.Context, string, ...any) (pgx.Rows, error)
		QueryRow(context.Context, string, ...any) pgx.Row
	}
	changed *changeSet // as sqlQuerier's
}

func (p pgQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if unstorable(args) {
		return 0, unstorableError()
	}
	tag, err := p.q.Exec(ctx, query, args...)
	if err != nil {
		return 0, mapError(err)
	}
	return tag.RowsAffected(), nil
}

func (p pgQuerier) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	if unstorable(args) {
		if isSelect(query) {
			return noRows{}, nil
		}
		return nil, unstorableError()
	}
	rows, err := p.q.Query(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	return pgRows{rows}, nil
}

// pgRows maps the error of a result set that broke off mid-way (the
// connection went away while rows were read).
type pgRows struct{ pgx.Rows }

func (r pgRows) Err() error { return mapError(r.Rows.Err()) }

func (p pgQuerier) QueryRow(ctx context.Context, query string, args ...any) Row {
	if unstorable(args) {
		if isSelect(query) {
			return errRow{sql.ErrNoRows}
		}
		return errRow{unstorableError()}
	}
	return pgRow{p.q.QueryRow(ctx, query, args...)}
}

type pgRow struct{ r pgx.Row }

func (r pgRow) Scan(dest ...any) error { return mapError(r.r.Scan(dest...)) }

// mapError turns driver "no rows" errors into sql.ErrNoRows, unique
// violations into uniqueError and connection-level failures into
// EUNAVAILABLE (see isUnavailable), so store code checks one error per
// case and a database that is down answers 503, not 500.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return sql.ErrNoRows
	}
	if isUnavailable(err) {
		var ue *unavailableError
		if errors.As(err, &ue) {
			return err
		}
		return &unavailableError{err: err}
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return &uniqueError{constraint: pgErr.ConstraintName, err: err}
	}
	if isSQLiteUnique(err) {
		return &uniqueError{constraint: err.Error(), err: err}
	}
	return err
}

// uniqueError is a unique-constraint violation. constraint names the
// constraint (PostgreSQL) or holds the message naming the column (SQLite).
type uniqueError struct {
	constraint string
	err        error
}

func (e *uniqueError) Error() string { return e.err.Error() }
func (e *uniqueError) Unwrap() error { return e.err }
