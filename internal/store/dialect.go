package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The few places where SQL differs between SQLite and PostgreSQL.

// forUpdate locks the selected rows until the transaction ends. SQLite
// needs no row lock: its write transactions are serialised (BEGIN
// IMMEDIATE on the single write connection).
func (s *Store) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// assignNumber takes the next number of year's counter and gives it to
// request id: SR-<year>-<6 digits>. On PostgreSQL the counter row is the
// one write hot spot of request creation, locked until commit, so callers
// do it last, and it is one statement to keep the lock short. SQLite
// takes the number before inserting the request instead (nextNumber).
func (s *Store) assignNumber(ctx context.Context, q Querier, id int64, year int) (string, error) {
	var number string
	err := q.QueryRow(ctx, `WITH c AS (
			INSERT INTO request_counters (year, last) VALUES ($1, 1)
			ON CONFLICT (year) DO UPDATE SET last = request_counters.last + 1 RETURNING last)
		UPDATE requests SET number = 'SR-' || $1::text || '-' || lpad(c.last::text, 6, '0')
		FROM c WHERE requests.id = $2 RETURNING number`, year, id).Scan(&number)
	return number, err
}

// nextNumber takes the next number of year's counter: SR-<year>-<6
// digits>. On SQLite, whose one writer runs the transactions one after
// the other, the counter row is no hot spot, so a new request is inserted
// with its number instead of being given it by an UPDATE afterwards.
func nextNumber(ctx context.Context, q Querier, year int) (string, error) {
	var seq int64
	if err := q.QueryRow(ctx, `INSERT INTO request_counters (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = request_counters.last + 1 RETURNING last`, year).Scan(&seq); err != nil {
		return "", err
	}
	return fmt.Sprintf("SR-%d-%06d", year, seq), nil
}

// isForeignKey reports whether err is a foreign-key violation.
func isForeignKey(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23503"
	}
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// forUpdateOf locks only the rows of the table with alias in a join
// (PostgreSQL refuses FOR UPDATE on the nullable side of an outer join).
func (s *Store) forUpdateOf(alias string) string {
	if s.dialect == Postgres {
		return " FOR UPDATE OF " + alias
	}
	return ""
}
