// Package api serves the JSON API under /api/v1 and its OpenAPI document
// at /api/openapi.json, over the same domain services as the web UI.
package api

import (
	"log/slog"
	"net/http"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/catalog"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
)

// Deps are the services the API needs.
type Deps struct {
	Store    *store.Store
	Auth     *auth.Service
	Catalog  *catalog.Service
	Requests *request.Service
	Logger   *slog.Logger
}

// New returns the API handler, to be mounted at /api/.
func New(d Deps) http.Handler {
	return http.NotFoundHandler()
}
