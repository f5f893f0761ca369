package model

import (
	"fmt"
	"testing"
)

// TestHTTPStatus checks the one mapping of error codes to HTTP statuses
// that the web UI and the API share, including through wrapping.
func TestHTTPStatus(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{Errorf(EINVALID, "x"), 422},
		{Errorf(ENOTFOUND, "x"), 404},
		{Errorf(ECONFLICT, "x"), 409},
		{Errorf(EUNAUTHORIZED, "x"), 401},
		{Errorf(EFORBIDDEN, "x"), 403},
		{Errorf(ETOOLARGE, "x"), 413},
		{Errorf(ERATELIMIT, "x"), 429},
		{Errorf(EUNAVAILABLE, "x"), 503},
		{fmt.Errorf("store: begin: %w", Errorf(EUNAVAILABLE, "x")), 503},
		{Errorf(EINTERNAL, "x"), 500},
		{fmt.Errorf("boom"), 500},
	} {
		if got := HTTPStatus(ErrorCode(c.err)); got != c.want {
			t.Errorf("HTTPStatus(ErrorCode(%v)): got %d, want %d", c.err, got, c.want)
		}
	}
}
