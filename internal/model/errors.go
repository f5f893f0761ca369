// Package model holds Aftercare's plain domain types, enumerations and
// error codes. It imports nothing internal so that every other package can
// depend on it.
package model

import (
	"errors"
	"fmt"
	"net/http"
)

// Error codes map one-to-one onto HTTP statuses in the API and web layers
// (see ErrorCode). Keeping them here lets domain code say what went wrong
// without knowing how it will be shown.
const (
	EINVALID      = "invalid"      // bad input: 422 / form re-rendered
	ENOTFOUND     = "not_found"    // 404
	ECONFLICT     = "conflict"     // 409: stale version, forbidden transition, duplicate
	EUNAUTHORIZED = "unauthorized" // 401: no or bad credentials
	EFORBIDDEN    = "forbidden"    // 403: authenticated but not allowed
	ETOOLARGE     = "too_large"    // 413
	ERATELIMIT    = "rate_limited" // 429
	EINTERNAL     = "internal"     // 500
	// EUNAVAILABLE: the database cannot be reached for now (connection
	// refused, reset or timed out). 503 with Retry-After: the request may
	// succeed if repeated, unlike EINTERNAL.
	EUNAVAILABLE = "unavailable"
)

// RetryAfterSeconds is the Retry-After value sent with EUNAVAILABLE
// answers, by the API and the web UI alike.
const RetryAfterSeconds = 5

// Error is a domain error with a machine-readable code, a message safe to
// show to the user, and optionally the input field it concerns.
type Error struct {
	Code    string
	Message string
	// Field names the offending input field (JSON name), if any.
	Field string
	// Format and Args are what Message was made from; the web and API
	// layers look Format up in the translation catalogs (gettext style:
	// the English text is the key) to show the message in the reader's
	// language.
	Format string
	Args   []any
	// CurrentVersion is, for a stale edit (see StaleVersion), the record's
	// version now: for clients, never in the message.
	CurrentVersion int64
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Term is an enumeration value quoted in an error message (a return's
// status, say) that has no type of its own: the message shows the name
// the catalogs give to Key+Value in the reader's language, Value itself
// where no catalog applies.
type Term struct{ Key, Value string }

// String is the raw value, for logs and untranslated messages.
func (t Term) String() string { return t.Value }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// FieldError builds an EINVALID error about one input field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err, or a generic text
// for internal errors so that details never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Conflict builds an ECONFLICT error about one field.
func Conflict(field, format string, args ...any) *Error {
	e := Errorf(ECONFLICT, format, args...)
	e.Field = field
	return e
}

// StaleVersion builds the ECONFLICT at "version" of an edit made from an
// outdated copy: format is a sentence for people, without version
// numbers; current, the record's version now, is for clients (the API
// gives it as the problem's current_version member).
func StaleVersion(current int64, format string, args ...any) *Error {
	e := Conflict("version", format, args...)
	e.CurrentVersion = current
	return e
}

// WithField returns a copy of e naming field, with code.
func (e *Error) WithField(code, field string) *Error {
	c := *e
	c.Code, c.Field = code, field
	return &c
}

// IsNotFound reports whether err carries ENOTFOUND.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }

// HTTPStatus is the HTTP status for an error code, the one mapping the
// web UI and the API share: invalid 422, not found 404, conflict 409,
// unauthorized 401, forbidden 403, too large 413, rate limited 429,
// unavailable 503, anything else 500.
func HTTPStatus(code string) int {
	switch code {
	case EINVALID:
		return http.StatusUnprocessableEntity
	case ENOTFOUND:
		return http.StatusNotFound
	case ECONFLICT:
		return http.StatusConflict
	case EUNAUTHORIZED:
		return http.StatusUnauthorized
	case EFORBIDDEN:
		return http.StatusForbidden
	case ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case ERATELIMIT:
		return http.StatusTooManyRequests
	case EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// FieldErrors is every invalid field of one input at once, so that a
// form can flag them all in one go instead of one per try. Its code is
// EINVALID: errors.As finds its first *Error, and ErrorCode and
// ErrorMessage answer as for that one.
type FieldErrors []*Error

// Error implements the error interface, joining the fields' messages.
func (fe FieldErrors) Error() string {
	s := ""
	for i, e := range fe {
		if i > 0 {
			s += "; "
		}
		s += e.Error()
	}
	return s
}

// Unwrap returns each field's error (for errors.As and errors.Is).
func (fe FieldErrors) Unwrap() []error {
	out := make([]error, len(fe))
	for i, e := range fe {
		out[i] = e
	}
	return out
}

// Invalid returns nil when errs is empty, its one error when it holds
// one, and a FieldErrors of all of them otherwise.
func Invalid(errs []*Error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return FieldErrors(errs)
}

// AllErrors returns every domain error err carries: each field of a
// FieldErrors anywhere in its chain, else its first *Error; nil when it
// has none.
func AllErrors(err error) []*Error {
	var fe FieldErrors
	if errors.As(err, &fe) {
		return fe
	}
	var e *Error
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return nil
}
