package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/live"
	"github.com/aftercare/aftercare/internal/model"
)

type typingInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
}

func (s *server) registerLive() {
	register(s, huma.Operation{
		OperationID: "event-stream", Method: http.MethodGet, Path: "/api/v1/events/stream",
		Summary: "Live updates (server-sent events)", Tags: []string{"live"},
		Description: "A text/event-stream that stays open: first `event: ready`, then `event: request.updated` with " +
			"`data: {\"number\", \"at\"}` (staff also get `by_kind`, `by_id`, `by`) whenever a request the caller may see " +
			"changes (fields, status, messages, tags, a merge; customers: only their own requests and never internal " +
			"notes), for staff `event: request.typing` when someone is writing a reply, and `event: inbox.changed` with " +
			"`data: {\"unread\", \"at\"}` to the one staff user whose notifications changed (a mention, or read " +
			"elsewhere). A comment line every 15 s " +
			"keeps proxies from closing it. The browser's pages use the same path with their session.",
		Responses: map[string]*huma.Response{"200": {Description: "The event stream.",
			Content: map[string]*huma.MediaType{"text/event-stream": {Schema: &huma.Schema{Type: "string"}}}}},
	}, can(model.PermRequestRead), func(ctx context.Context, _ *struct{}) (*huma.StreamResponse, error) {
		p := principalFrom(ctx)
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			r, w := humago.Unwrap(hctx)
			live.Serve(w, r.WithContext(hctx.Context()), s.d.Live, p, s.d.LiveHeartbeat)
		}}, nil
	})

	register(s, huma.Operation{
		OperationID: "request-typing", Method: http.MethodPost, Path: "/api/v1/requests/{number}/typing",
		Summary: "Say that you are writing a reply", Tags: []string{"live"}, DefaultStatus: http.StatusNoContent,
		Description: "Other staff viewing the request get `event: request.typing` with your name on the event stream, " +
			"so that two people do not answer at once. Send it at most every few seconds while typing: " +
			"beyond 3 pings at once, then one per 2 seconds per user (counted across all nodes), a ping is answered 204 and not passed on.",
		Errors: []int{http.StatusNotFound},
	}, staffCan(model.PermRequestReply), func(ctx context.Context, in *typingInput) (*struct{}, error) {
		p := principalFrom(ctx)
		r, err := s.d.Requests.Find(ctx, p, in.Number)
		if err != nil {
			return nil, err
		}
		if ok, err := typingAllowed(ctx, s.d.Typing, p); !ok || err != nil {
			return nil, err // too many pings: this one is dropped
		}
		return nil, s.d.Live.Publish(ctx, model.LiveEvent{Type: model.LiveRequestTyping, Number: r.Number, RequestID: r.ID,
			CustomerID: r.CustomerID, ByKind: model.AuthorStaff, ByID: p.ID, ByName: p.Name, At: s.d.Store.Now()})
	})
}

// typingAllowed takes one typing ping of p from limiter (nil: no limit).
func typingAllowed(ctx context.Context, limiter auth.RateLimiter, p model.Principal) (bool, error) {
	if limiter == nil {
		return true, nil
	}
	ok, _, err := limiter.Take(ctx, strconv.FormatInt(p.ID, 10))
	return ok, err
}
