package store

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aftercare/aftercare/internal/model"
)

// errUnavailable is what a caller sees when the database cannot be
// reached: EUNAVAILABLE (503 with Retry-After on the web and the API), a
// message that says to try again, instead of an internal error.
var errUnavailable = model.Errorf(model.EUNAVAILABLE, "the service is temporarily unavailable; please try again in a moment")

// unavailableError is a connection-level database error. It unwraps to
// both errUnavailable (so model.ErrorCode reports EUNAVAILABLE) and the
// driver's error (kept for the logs and for errors.Is).
type unavailableError struct{ err error }

func (e *unavailableError) Error() string   { return "database unavailable: " + e.err.Error() }
func (e *unavailableError) Unwrap() []error { return []error{errUnavailable, e.err} }

// isUnavailable reports whether err says that the database could not be
// reached or went away (refused, reset or closed connections, failed
// connects, timeouts, a server shutting down), as opposed to an error in
// the statement or the data, which repeating the request would not cure.
func isUnavailable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08 is "connection exception"; 57P01-57P03 are a server
		// shutting down or starting up; 53300 is "too many connections".
		return strings.HasPrefix(pgErr.Code, "08") || pgErr.Code == "57P01" || pgErr.Code == "57P02" ||
			pgErr.Code == "57P03" || pgErr.Code == "53300"
	}
	var connectErr *pgconn.ConnectError
	var opErr *net.OpError
	if errors.As(err, &connectErr) || errors.As(err, &opErr) || pgconn.Timeout(err) {
		return true
	}
	for _, target := range []error{pgconn.ErrConnClosed, io.EOF, io.ErrUnexpectedEOF, net.ErrClosed,
		syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EPIPE, context.DeadlineExceeded} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
