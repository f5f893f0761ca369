// Package web serves the server-rendered HTML UI for staff and customers.
package web

import (
	"log/slog"
	"net/http"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
)

// Deps are the services the web UI needs.
type Deps struct {
	Store    *store.Store
	Auth     *auth.Service
	Catalog  *catalog.Service
	Requests *request.Service
	Logger   *slog.Logger
	// BaseURL is the public URL, for invite links.
	BaseURL string
	// SecureCookies marks cookies Secure.
	SecureCookies bool
}

// New returns the web UI handler, mounted at /.
func New(d Deps) (http.Handler, error) {
	return http.NotFoundHandler(), nil
}
