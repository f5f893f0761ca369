package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

// Notice is one of the caller's in-app notifications.
type Notice struct {
	ID             int64      `json:"id"`
	Kind           string     `json:"kind" enum:"mentioned" doc:"mentioned: someone named you with @ in an internal note."`
	RequestNumber  string     `json:"request_number" example:"SR-2026-000123"`
	RequestSubject string     `json:"request_subject"`
	ActorName      string     `json:"actor_name" doc:"Who mentioned you."`
	Excerpt        string     `json:"excerpt" doc:"The start of the note, on one line."`
	CreatedAt      time.Time  `json:"created_at"`
	ReadAt         *time.Time `json:"read_at" doc:"null while unread."`
}

type noticesOutput struct {
	Body struct {
		Items  []Notice `json:"items" doc:"Newest first, at most 100."`
		Unread int      `json:"unread" doc:"How many of all your notifications are unread."`
	}
}

type markNoticesInput struct {
	Body *struct {
		IDs []int64 `json:"ids,omitempty" maxItems:"1000" doc:"The notifications to mark read; none: all of yours. Ids that are not yours change nothing."`
	}
}

type markNoticesOutput struct {
	Body struct {
		Marked int64 `json:"marked" doc:"How many changed from unread to read."`
		Unread int   `json:"unread"`
	}
}

func (s *server) registerNotices() {
	tags := []string{"notifications"}
	register(s, huma.Operation{
		OperationID: "list-notifications", Method: http.MethodGet, Path: "/api/v1/notifications",
		Summary: "List my in-app notifications", Tags: tags,
		Description: "The caller's own notifications, newest first: a mention in an internal note leaves one, with or " +
			"without an SMTP relay.",
	}, staffCan(model.PermRequestRead), func(ctx context.Context, _ *struct{}) (*noticesOutput, error) {
		ns, unread, err := s.d.Inbox.List(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &noticesOutput{}
		out.Body.Unread = unread
		out.Body.Items = make([]Notice, len(ns))
		for i, n := range ns {
			out.Body.Items[i] = Notice{ID: n.ID, Kind: string(n.Kind), RequestNumber: n.RequestNumber,
				RequestSubject: n.RequestSubject, ActorName: n.ActorName, Excerpt: n.Excerpt, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
		}
		return out, nil
	})
	register(s, huma.Operation{
		OperationID: "mark-notifications-read", Method: http.MethodPost, Path: "/api/v1/notifications/read",
		Summary: "Mark my notifications read", Tags: tags, Errors: []int{http.StatusUnprocessableEntity},
		Description: "Marks the given notifications of the caller read, or all of them without ids (or without a body).",
	}, staffCan(model.PermRequestRead), func(ctx context.Context, in *markNoticesInput) (*markNoticesOutput, error) {
		p := principalFrom(ctx)
		var ids []int64
		if in.Body != nil {
			ids = in.Body.IDs
		}
		n, err := s.d.Inbox.MarkRead(ctx, p, ids)
		if err != nil {
			return nil, err
		}
		out := &markNoticesOutput{}
		out.Body.Marked = n
		out.Body.Unread, err = s.d.Inbox.Unread(ctx, p)
		return out, err
	})
}
