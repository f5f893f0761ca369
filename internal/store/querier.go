package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// sqlQuerier adapts *sql.DB, *sql.Conn or *sql.Tx (SQLite).
type sqlQuerier struct {
	q interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}
}

func (s sqlQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.q.ExecContext(ctx, query, sqliteArgs(args)...)
	if err != nil {
		return 0, mapError(err)
	}
	return res.RowsAffected()
}

func (s sqlQuerier) Query(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := s.q.QueryContext(ctx, query, sqliteArgs(args)...)
	if err != nil {
		return nil, mapError(err)
	}
	return sqlRows{rows}, nil
}

func (s sqlQuerier) QueryRow(ctx context.Context, query string, args ...any) Row {
	return sqlRow{s.q.QueryRowContext(ctx, query, sqliteArgs(args)...)}
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
}

func (p pgQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := p.q.Exec(ctx, query, args...)
	if err != nil {
		return 0, mapError(err)
	}
	return tag.RowsAffected(), nil
}

func (p pgQuerier) Query(ctx context.Context, query string, args ...any) (Rows, error) {
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
