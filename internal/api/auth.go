package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/aftercare/aftercare/internal/model"
)

// securityScheme names the bearer-token scheme in the OpenAPI document.
const securityScheme = "bearer"

type principalKey struct{}

type httpRequestKey struct{}

// principalFrom returns the authenticated principal of the request; the
// guard middleware put it there before the handler ran.
func principalFrom(ctx context.Context) model.Principal {
	p, _ := ctx.Value(principalKey{}).(model.Principal)
	return p
}

// httpRequestFrom returns the underlying request, for handlers that read
// the body themselves (uploads).
func httpRequestFrom(ctx context.Context) *http.Request {
	r, _ := ctx.Value(httpRequestKey{}).(*http.Request)
	return r
}

// access says who may call an operation. It is checked by the guard
// middleware before huma reads or validates the body, so that a caller
// without the right gets 401/403 whatever body it sent. Checks that depend
// on the resource (a customer's own request) stay in the domain services.
type access struct {
	// check returns a domain error when p may not call the operation.
	check func(ctx context.Context, hctx huma.Context, p model.Principal) error
	// who documents the rule in the OpenAPI description.
	who string
	// bodyLimit, when set, wraps the raw body in http.MaxBytesReader
	// (operations that read the body themselves).
	bodyLimit int64
	// device lets device tokens in; every other operation refuses them.
	device bool
}

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// anyone lets every authenticated principal in; the domain decides what
// each may see.
func anyone() access { return access{who: "any authenticated staff user or customer"} }

// deviceOnly lets in device tokens (aftercare token create --device) and
// nobody else.
func deviceOnly() access {
	return access{who: "device tokens only", device: true, check: func(_ context.Context, _ huma.Context, p model.Principal) error {
		if p.Kind != model.KindDevice {
			return forbidden()
		}
		return nil
	}}
}

// can lets in the principals that hold perm in the role matrix
// (model.Grants); customers, when the permission extends to them, still
// act only on their own things, which the domain services check.
func can(perm model.Permission) access {
	return access{who: whoHolds(perm), check: func(_ context.Context, _ huma.Context, p model.Principal) error {
		if !p.Can(perm) {
			return forbidden()
		}
		return nil
	}}
}

// whoHolds describes a grant for the OpenAPI document.
func whoHolds(perm model.Permission) string {
	g := model.Grants(perm)
	names := make([]string, 0, len(g.Roles)+1)
	for _, r := range g.Roles {
		names = append(names, string(r))
	}
	if g.Own {
		names = append(names, "customer (own only)")
	}
	return strings.Join(names, ", ") + " [" + string(perm) + "]"
}

// guard is the per-operation middleware: bearer authentication, then the
// access check, then the handler with the principal in its context.
func (s *server) guard(a access) func(huma.Context, func(huma.Context)) {
	return func(hctx huma.Context, next func(huma.Context)) {
		ctx := hctx.Context()
		p, err := s.authenticate(ctx, hctx.Header("Authorization"))
		if err == nil && p.Kind == model.KindDevice && !a.device {
			err = model.Errorf(model.EFORBIDDEN, "a device token may only post device events")
		}
		if err == nil && a.check != nil {
			err = a.check(ctx, hctx, p)
		}
		if err != nil {
			if model.ErrorCode(err) == model.EUNAUTHORIZED {
				hctx.SetHeader("WWW-Authenticate", `Bearer realm="aftercare"`)
			}
			_ = huma.WriteErr(s.api, hctx, http.StatusInternalServerError, "", err)
			return
		}
		ctx = context.WithValue(ctx, principalKey{}, p)
		if a.bodyLimit > 0 {
			r, w := humago.Unwrap(hctx)
			r.Body = http.MaxBytesReader(w, r.Body, a.bodyLimit)
			ctx = context.WithValue(ctx, httpRequestKey{}, r)
		}
		next(huma.WithContext(hctx, ctx))
	}
}

// authenticate resolves "Authorization: Bearer act_…" into a principal.
func (s *server) authenticate(ctx context.Context, header string) (model.Principal, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return model.Principal{}, model.Errorf(model.EUNAUTHORIZED, "a bearer token is required (Authorization: Bearer act_…)")
	}
	return s.d.Auth.Authenticate(ctx, token)
}

// register adds an operation behind the guard, with the bearer security
// requirement, the JSON body limit and the access rule in its description.
// The operation's own middlewares run after the guard, with the principal
// in their context.
func register[I, O any](s *server, op huma.Operation, a access, h func(context.Context, *I) (*O, error)) {
	op.Security = []map[string][]string{{securityScheme: {}}}
	op.Middlewares = append(huma.Middlewares{s.guard(a)}, op.Middlewares...)
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = MaxBodyBytes
	}
	if op.Description != "" {
		op.Description += "\n\n"
	}
	op.Description += "Allowed: " + a.who + "."
	op.Errors = append([]int{http.StatusUnauthorized, http.StatusForbidden}, op.Errors...)
	huma.Register(s.api, op, h)
}

// registerPublic adds an operation that needs no API token: its check
// (which may read the path, never the body) runs first, before huma reads
// or validates the body, so that a caller without the right credential —
// a survey link's token — gets its 404 or 409 whatever it sent. The
// OpenAPI document marks it unauthenticated (an empty security list).
func registerPublic[I, O any](s *server, op huma.Operation, who string, check func(ctx context.Context, hctx huma.Context) error,
	h func(context.Context, *I) (*O, error)) {
	op.Security = []map[string][]string{}
	op.Middlewares = append(op.Middlewares, func(hctx huma.Context, next func(huma.Context)) {
		if err := check(hctx.Context(), hctx); err != nil {
			if model.ErrorCode(err) == model.ERATELIMIT {
				hctx.SetHeader("Retry-After", strconv.Itoa(int(publicRetryAfter.Seconds())))
			}
			_ = huma.WriteErr(s.api, hctx, http.StatusInternalServerError, "", err)
			return
		}
		next(hctx)
	})
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = MaxBodyBytes
	}
	if op.Description != "" {
		op.Description += "\n\n"
	}
	op.Description += "No authentication: " + who + "."
	huma.Register(s.api, op, h)
}

// publicRetryAfter is the Retry-After of a rate-limited public call.
const publicRetryAfter = 2 * time.Second
