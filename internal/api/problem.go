package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// hookOnce guards huma's package-level error constructors. huma builds
// every error (validation, body too large, handler errors) through
// huma.NewError / huma.NewErrorWithContext, which are package variables.
// New sets them exactly once per process (so that tests booting several
// apps do not race on the write); the hooks are pure functions of their
// arguments and the request context, which carries this API's catalogs
// and language (see withEnv), so setting them is idempotent.
var hookOnce sync.Once

func installErrorHook() {
	hookOnce.Do(func() {
		huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
			return withMembers(newProblem(context.Background(), status, msg, errs...), errs)
		}
		huma.NewErrorWithContext = func(hctx huma.Context, status int, msg string, errs ...error) huma.StatusError {
			ctx := context.Background()
			if hctx != nil {
				ctx = hctx.Context()
			}
			p := newProblem(ctx, status, msg, errs...)
			if hctx != nil && p.Status == http.StatusServiceUnavailable {
				// The database is down for now: tell clients when to retry.
				hctx.SetHeader("Retry-After", strconv.Itoa(model.RetryAfterSeconds))
			}
			return withMembers(p, errs)
		}
	})
}

// staleProblem is the problem of an edit sent with an outdated version:
// its detail is a sentence without version numbers, and current_version
// (an RFC 9457 extension member) tells clients the version to re-read.
type staleProblem struct {
	*huma.ErrorModel
	CurrentVersion int64 `json:"current_version"`
}

// withMembers adds the extension members a domain error in errs carries
// (current_version of a stale edit) to p.
func withMembers(p *huma.ErrorModel, errs []error) huma.StatusError {
	for _, err := range errs {
		var me *model.Error
		if errors.As(err, &me) && me.CurrentVersion > 0 {
			return &staleProblem{ErrorModel: p, CurrentVersion: me.CurrentVersion}
		}
	}
	return p
}

// located says which part of the request a domain error's field is in
// ("query", "path", "header"); domain errors default to "body".
type located struct {
	in  string
	err error
}

func (l *located) Error() string { return l.err.Error() }
func (l *located) Unwrap() error { return l.err }

// at marks err's field as a field of part (query, path, header).
func at(part string, err error) error {
	if err == nil {
		return nil
	}
	return &located{in: part, err: err}
}

// statusOverride answers a domain error with another HTTP status than its
// code implies (415 for a refused attachment type).
type statusOverride struct {
	status int
	err    error
}

func (s *statusOverride) Error() string { return s.err.Error() }
func (s *statusOverride) Unwrap() error { return s.err }

// newProblem builds the RFC 9457 problem document for status/msg/errs in
// the language of the request in ctx. Domain errors (*model.Error) set the
// status from their code and the location from their field; huma's
// validation details keep their location (a missing required property is
// located at the property itself); any other error is internal: logged,
// never shown.
func newProblem(ctx context.Context, status int, msg string, errs ...error) *huma.ErrorModel {
	env := envFrom(ctx)
	var details []*huma.ErrorDetail
	var domain *model.Error
	var domainLoc string
	var domainParts []string
	for _, err := range eachField(errs) {
		if err == nil {
			continue
		}
		var me *model.Error
		var mbe *http.MaxBytesError
		var ed huma.ErrorDetailer
		switch {
		case errors.As(err, &me) && me.Code != model.EINTERNAL:
			status = model.HTTPStatus(me.Code)
			if me.Code == model.EUNAVAILABLE {
				env.logger().Warn("api: store unavailable", "err", err)
			}
			var so *statusOverride
			if errors.As(err, &so) {
				status = so.status
			}
			d := &huma.ErrorDetail{Message: env.modelText(me)}
			if me.Field != "" {
				part := "body"
				var l *located
				if errors.As(err, &l) {
					part = l.in
				}
				d.Location = part + "." + me.Field
			}
			if domain == nil {
				domain, domainLoc = me, d.Location
			}
			domainParts = append(domainParts, detailText(d))
			details = append(details, d)
		case errors.As(err, &mbe):
			status = http.StatusRequestEntityTooLarge
			details = append(details, &huma.ErrorDetail{Location: "body",
				Message: env.t("request body is too large limit=%d bytes", mbe.Limit)})
		case errors.As(err, &ed):
			details = append(details, env.humaDetail(status, ed.ErrorDetail()))
		default:
			if status < 500 {
				status = http.StatusInternalServerError
			}
			env.logger().Error("api: internal error", "err", err)
		}
	}
	p := &huma.ErrorModel{Status: status, Title: http.StatusText(status), Errors: details}
	switch {
	case len(domainParts) > 1: // every invalid field at once
		p.Detail = strings.Join(domainParts, "; ")
	case domain != nil:
		p.Detail = env.modelText(domain)
		if domain.Field != "" {
			p.Detail = domainLoc + ": " + p.Detail
		}
	case status == http.StatusBadRequest && len(details) == 1 && details[0].Location == "body":
		p.Detail = details[0].Message
	case len(details) > 0:
		parts := make([]string, len(details))
		for i, d := range details {
			parts[i] = detailText(d)
		}
		p.Detail = strings.Join(parts, "; ")
		if msg != "" {
			p.Detail = env.humaText(msg) + ": " + p.Detail
		}
	case status >= 500:
		p.Detail = env.t("internal error")
	default:
		p.Detail = env.humaText(msg)
		if status == http.StatusRequestEntityTooLarge || status == http.StatusBadRequest {
			// The body as a whole is at fault: say so where clients look.
			p.Errors = []*huma.ErrorDetail{{Location: "body", Message: p.Detail}}
		}
	}
	return p
}

// eachField replaces each model.FieldErrors among errs (every invalid
// field of an input at once) by its fields' errors, in the part of the
// request it was located in, so that the problem lists every field.
func eachField(errs []error) []error {
	var out []error
	for _, err := range errs {
		var fe model.FieldErrors
		if err == nil || !errors.As(err, &fe) {
			out = append(out, err)
			continue
		}
		var l *located
		for _, e := range fe {
			if errors.As(err, &l) {
				out = append(out, &located{in: l.in, err: e})
			} else {
				out = append(out, e)
			}
		}
	}
	return out
}

// detailText is a detail as one part of a problem's detail text.
func detailText(d *huma.ErrorDetail) string {
	if d.Location == "" {
		return d.Message
	}
	return d.Location + ": " + d.Message
}

// writeProblem writes p outside huma (unknown paths, streamed responses).
func writeProblem(w http.ResponseWriter, p *huma.ErrorModel) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func (e *reqEnv) logger() *slog.Logger {
	if e == nil || e.s == nil || e.s.log == nil {
		return slog.Default()
	}
	return e.s.log
}

func (e *reqEnv) bundle() (*i18n.Bundle, string) {
	if e == nil || e.s == nil || e.s.bundle == nil {
		return nil, i18n.En
	}
	return e.s.bundle, e.lang
}

// t translates an English format string.
func (e *reqEnv) t(format string, args ...any) string {
	b, lang := e.bundle()
	if b == nil {
		return fmt.Sprintf(format, args...)
	}
	return b.T(lang, format, args...)
}

// modelText translates a domain error: its whole message when the
// catalogs have it ("request not found" from "%s not found"), else its
// format with its arguments.
func (e *reqEnv) modelText(me *model.Error) string {
	b, lang := e.bundle()
	switch {
	case me.Code == model.EINTERNAL:
		return e.t("internal error")
	case b == nil:
		return me.Message
	case b.Has(me.Message):
		return b.T(lang, me.Message)
	}
	return b.Error(lang, me)
}

// humaDetail copies a huma validation detail, translated, without echoing
// the offending value back (it may be the whole body). A missing required
// property is located at the property, not at its parent object, and a
// body that is not JSON says so.
func (e *reqEnv) humaDetail(status int, src *huma.ErrorDetail) *huma.ErrorDetail {
	d := &huma.ErrorDetail{Location: src.Location, Message: src.Message}
	if m := requiredProperty.FindStringSubmatch(src.Message); m != nil {
		if d.Location == "" {
			d.Location = "body"
		}
		d.Location += "." + m[1]
	}
	if status == http.StatusBadRequest && d.Location == "body" && !isHumaMessage(d.Message) {
		d.Message = e.t("malformed JSON: %s", d.Message)
		return d
	}
	d.Message = e.humaText(d.Message)
	return d
}

var requiredProperty = regexp.MustCompile(`^expected required property (\S+) to be present$`)

// humaText translates one of huma's (or this package's) English messages
// by matching it against the known formats.
func (e *reqEnv) humaText(msg string) string {
	for _, f := range humaFormats {
		if args, ok := f.match(msg); ok {
			return e.t(f.format, args...)
		}
	}
	if b, lang := e.bundle(); b != nil && b.Has(msg) {
		return b.T(lang, msg)
	}
	return msg
}

func isHumaMessage(msg string) bool {
	for _, f := range humaFormats {
		if _, ok := f.match(msg); ok {
			return true
		}
	}
	return false
}

// humaMessages are the English formats of huma's messages (and this
// package's own) that reach clients; each is a key of errors.json.
var humaMessages = []string{
	"validation failed",
	"unexpected error occurred",
	"request body is required",
	"request body is too large limit=%d bytes",
	"request body read timeout",
	"cannot read request body",
	"malformed JSON: %s",
	"unknown content type: %s",
	"no such endpoint",
	"method not allowed",
	"a bearer token is required (Authorization: Bearer act_…)",
	"The If-Match header must hold a version such as \"3\".",
	"request must be multipart/form-data with a \"file\" field",
	"is required",
	"unexpected property",
	"expected boolean",
	"expected number",
	"expected integer",
	"expected string",
	"expected array",
	"expected object",
	"expected string to be RFC 3339 date",
	"expected string to be RFC 3339 date-time",
	"expected value to be one of \"%s\"",
	"expected number >= %v",
	"expected number > %v",
	"expected number <= %v",
	"expected number < %v",
	"expected length >= %d",
	"expected length <= %d",
	"expected array length >= %d",
	"expected array length <= %d",
	"expected array items to be unique",
	"expected string to match pattern %s",
	"expected required property %s to be present",
	"expected at most one value, but received multiple values",
	"invalid integer",
	"invalid float",
	"invalid boolean",
	"invalid value: %s",
	"required query parameter is missing",
	"required path parameter is missing",
	"required header parameter is missing",
}

type messageFormat struct {
	format string
	re     *regexp.Regexp
	verbs  []byte
}

// humaFormats are humaMessages compiled for matching; read-only after init.
var humaFormats = compileFormats(humaMessages)

var verbPattern = regexp.MustCompile(`%[dsvq]`)

func compileFormats(formats []string) []messageFormat {
	out := make([]messageFormat, 0, len(formats))
	for _, f := range formats {
		var verbs []byte
		pat := verbPattern.ReplaceAllStringFunc(regexp.QuoteMeta(f), func(v string) string {
			verbs = append(verbs, v[1])
			if v[1] == 'd' {
				return `(-?\d+)`
			}
			return `(.*?)`
		})
		out = append(out, messageFormat{format: f, re: regexp.MustCompile("^" + pat + "$"), verbs: verbs})
	}
	return out
}

// match returns the arguments that make msg from f's format.
func (f messageFormat) match(msg string) ([]any, bool) {
	m := f.re.FindStringSubmatch(msg)
	if m == nil {
		return nil, false
	}
	args := make([]any, len(f.verbs))
	for i, v := range f.verbs {
		args[i] = m[i+1]
		if v == 'd' {
			n, _ := strconv.ParseInt(m[i+1], 10, 64)
			args[i] = n
		}
	}
	return args, true
}
