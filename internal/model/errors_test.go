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

// TestFieldErrors: every invalid field travels in one error, which
// answers as the first field's for code and message, and gives back each
// field's error.
func TestFieldErrors(t *testing.T) {
	if Invalid(nil) != nil {
		t.Fatal("no field errors must be no error")
	}
	name, phone := FieldError("name", "Enter the name."), FieldError("phone", "Enter a valid number.")
	if got := Invalid([]*Error{name}); got != name {
		t.Errorf("one field: got %v, want the field's own error", got)
	}
	err := fmt.Errorf("wrapped: %w", Invalid([]*Error{name, phone}))
	if ErrorCode(err) != EINVALID || ErrorMessage(err) != "Enter the name." {
		t.Errorf("code %q, message %q", ErrorCode(err), ErrorMessage(err))
	}
	all := AllErrors(err)
	if len(all) != 2 || all[0] != name || all[1] != phone {
		t.Errorf("AllErrors: got %v, want both fields", all)
	}
	if all := AllErrors(Conflict("email", "taken")); len(all) != 1 || all[0].Field != "email" {
		t.Errorf("AllErrors of one error: %v", all)
	}
	if AllErrors(fmt.Errorf("boom")) != nil {
		t.Error("AllErrors of a non-domain error must be nil")
	}
}
