package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aftercare/aftercare/internal/model"
)

// TestMapErrorUnavailable checks which driver errors mapError turns into
// EUNAVAILABLE (the database cannot be reached: 503, try again) and
// which it leaves alone (errors in the statement or the data: 500, 404,
// 409), and that the driver's error stays in the chain for the logs.
func TestMapErrorUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", refused, true},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"broken pipe", fmt.Errorf("write: %w", syscall.EPIPE), true},
		{"server closed the connection", fmt.Errorf("failed to receive message: %w", io.ErrUnexpectedEOF), true},
		{"driver closed the connection", fmt.Errorf("query: %w", pgconn.ErrConnClosed), true},
		{"deadline", fmt.Errorf("acquire: %w", context.DeadlineExceeded), true},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, true},
		{"starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"undefined table", &pgconn.PgError{Code: "42P01"}, false},
		{"wrong password", &pgconn.PgError{Code: "28P01"}, false},
		{"no rows", pgx.ErrNoRows, false},
		{"canceled by the client", context.Canceled, false},
		{"anything else", errors.New("boom"), false},
	} {
		got := mapError(c.err)
		if isUnavail := model.ErrorCode(got) == model.EUNAVAILABLE; isUnavail != c.want {
			t.Errorf("%s: mapError(%v) code %q: got unavailable %v, want %v", c.name, c.err, model.ErrorCode(got), isUnavail, c.want)
		}
		if c.want && !errors.Is(got, c.err) {
			t.Errorf("%s: mapError(%v) = %v lost the driver's error", c.name, c.err, got)
		}
		if c.want && mapError(got) != got {
			t.Errorf("%s: mapping twice wraps twice: %v", c.name, mapError(got))
		}
	}
	if !errors.Is(mapError(pgx.ErrNoRows), sql.ErrNoRows) {
		t.Errorf("no rows: got %v, want sql.ErrNoRows", mapError(pgx.ErrNoRows))
	}
}
