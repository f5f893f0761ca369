package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/aftercare/aftercare/internal/model"
)

// errorPage is the 404, 403, 500 and 503 page.
type errorPage struct {
	Base
	Status     int
	TitleKey   string
	MessageKey string
}

func asError(err error, target **model.Error) bool { return errors.As(err, target) }

// notFound renders the 404 page. A request that is not the visitor's is
// not found too, so the page never tells that it exists.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusNotFound, "error", errorPage{Base: s.base(r, ""), Status: http.StatusNotFound,
		TitleKey: "error.404.title", MessageKey: "error.404.message"})
}

// forbidden renders the 403 page.
func (s *server) forbidden(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusForbidden, "error", errorPage{Base: s.base(r, ""), Status: http.StatusForbidden,
		TitleKey: "error.403.title", MessageKey: "error.403.message"})
}

// serverError logs err and renders the 500 page, which never shows it, or
// the 503 page when the database cannot be reached for now.
func (s *server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if model.ErrorCode(err) == model.EUNAVAILABLE {
		s.unavailable(w, r, err)
		return
	}
	s.log.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	s.render(w, r, http.StatusInternalServerError, "error", errorPage{Base: s.base(r, ""), Status: http.StatusInternalServerError,
		TitleKey: "error.500.title", MessageKey: "error.500.message"})
}

// unavailable renders the 503 page: the database is down for now, and the
// page asks the reader to try again (Retry-After says when).
func (s *server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Warn("web: store unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", strconv.Itoa(model.RetryAfterSeconds))
	s.render(w, r, http.StatusServiceUnavailable, "error", errorPage{Base: s.base(r, ""), Status: http.StatusServiceUnavailable,
		TitleKey: "error.503.title", MessageKey: "error.503.message"})
}

// fail renders the page that fits a domain error that is not about form
// input: 404 for not found, 403 for forbidden, 503 when the database is
// unavailable, else 500.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch model.ErrorCode(err) {
	case model.ENOTFOUND:
		s.notFound(w, r)
	case model.EFORBIDDEN:
		s.forbidden(w, r)
	case model.EUNAVAILABLE:
		s.unavailable(w, r, err)
	default:
		s.serverError(w, r, err)
	}
}
