package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/webhook"
)

// Webhook is an outgoing webhook as the API shows it: never its secret.
type Webhook struct {
	ID          int64             `json:"id"`
	URL         string            `json:"url"`
	Events      []model.EventType `json:"events"`
	Description string            `json:"description"`
	Active      bool              `json:"active" doc:"A paused webhook gets no new deliveries."`
	CreatedAt   time.Time         `json:"created_at"`
	UpdatedAt   time.Time         `json:"updated_at"`
	LastStatus  string            `json:"last_status" doc:"Status of the newest delivery (pending, delivered, failed), empty before the first."`
}

func toWebhook(w *model.Webhook) Webhook {
	events := w.Events
	if events == nil {
		events = []model.EventType{}
	}
	return Webhook{ID: w.ID, URL: w.URL, Events: events, Description: w.Description, Active: w.Active,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, LastStatus: string(w.LastStatus)}
}

// CreatedWebhook is a new webhook, with the secret when the server made it.
type CreatedWebhook struct {
	Webhook
	Secret string `json:"secret,omitempty" doc:"Only when you sent none and the server generated it: the one time it is shown."`
}

// WebhookPage is one page of webhooks, oldest first.
type WebhookPage struct {
	Items      []Webhook `json:"items"`
	NextCursor string    `json:"next_cursor" doc:"Opaque; empty on the last page."`
}

// DeliveryAttempt is one attempt at delivering an event to a webhook.
type DeliveryAttempt struct {
	ID         int64           `json:"id" doc:"The delivery's id (X-Aftercare-Delivery), shared by its retries and redeliveries; pass it to redeliver."`
	Event      model.EventType `json:"event"`
	Attempt    int             `json:"attempt" doc:"1 for the first attempt at the delivery, then 2, 3 … for its retries and redeliveries."`
	Manual     bool            `json:"manual" doc:"A redelivery asked for by hand."`
	StatusCode *int            `json:"status_code" nullable:"true" doc:"The receiver's HTTP status; null when no answer came."`
	ErrorKind  string          `json:"error_kind,omitempty" enum:"status,timeout,refused,connect,paused" doc:"Why the attempt failed; absent when it succeeded."`
	Error      string          `json:"error,omitempty" doc:"What went wrong; absent when the answer was 2xx."`
	At         time.Time       `json:"at"`
	DurationMS int64           `json:"duration_ms"`
}

// DeliveryPage is one page of a webhook's delivery attempts, newest first.
type DeliveryPage struct {
	Items      []DeliveryAttempt `json:"items"`
	NextCursor string            `json:"next_cursor" doc:"Opaque; empty on the last page."`
}

type webhookIDInput struct {
	ID int64 `path:"id"`
}

type webhookOutput struct{ Body Webhook }

type createWebhookInput struct {
	Body struct {
		URL         string   `json:"url" maxLength:"2048" doc:"http:// or https://; not a loopback, private or link-local address unless the server runs with --webhook-allow-private."`
		Events      []string `json:"events" minItems:"1" enum:"request.created,request.updated,request.status_changed,message.created,sla.warning,sla.breached,repair.stage_changed,survey.answered"`
		Secret      string   `json:"secret,omitempty" maxLength:"256" doc:"Signs every delivery (X-Aftercare-Signature). Omit it to have one generated and returned once."`
		Description string   `json:"description,omitempty" maxLength:"200"`
		Active      *bool    `json:"active,omitempty" doc:"Default true."`
	}
}

type updateWebhookInput struct {
	ID   int64 `path:"id"`
	Body struct {
		URL         *string  `json:"url,omitempty" maxLength:"2048"`
		Events      []string `json:"events,omitempty" minItems:"1" enum:"request.created,request.updated,request.status_changed,message.created,sla.warning,sla.breached,repair.stage_changed,survey.answered"`
		Secret      *string  `json:"secret,omitempty" maxLength:"256" doc:"A new secret; never shown again."`
		Description *string  `json:"description,omitempty" maxLength:"200"`
		Active      *bool    `json:"active,omitempty"`
	}
}

type listWebhooksInput struct {
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page."`
}

type deliveriesInput struct {
	ID         int64  `path:"id"`
	DeliveryID int64  `query:"delivery_id" doc:"Only the attempts at this delivery."`
	Limit      int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor     string `query:"cursor" doc:"next_cursor of the previous page."`
}

type redeliverInput struct {
	ID         int64 `path:"id"`
	DeliveryID int64 `path:"delivery_id"`
}

// Redelivery says that a redelivery is queued.
type Redelivery struct {
	DeliveryID int64  `json:"delivery_id"`
	Status     string `json:"status" enum:"queued"`
}

func (s *server) registerWebhooks() {
	tags := []string{"webhooks"}
	perm := can(model.PermWebhookManage)
	register(s, huma.Operation{
		OperationID: "create-webhook", Method: http.MethodPost, Path: "/api/v1/webhooks",
		Summary: "Subscribe a URL to events", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "Each event is POSTed as {id, event, occurred_at, data} with the headers X-Aftercare-Event, " +
			"X-Aftercare-Delivery, X-Aftercare-Timestamp and X-Aftercare-Signature (sha256=<hex HMAC-SHA256 with the secret " +
			"over timestamp + \".\" + body>). A URL that is or resolves to a loopback, private or link-local address is " +
			"422 at body.url unless the server runs with --webhook-allow-private. Recorded in the audit log.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, perm, func(ctx context.Context, in *createWebhookInput) (*struct{ Body CreatedWebhook }, error) {
		b := in.Body
		w, secret, err := s.d.Webhooks.Create(ctx, principalFrom(ctx), webhook.Input{URL: b.URL, Events: b.Events,
			Secret: b.Secret, Description: b.Description, Active: b.Active})
		if err != nil {
			return nil, err
		}
		return &struct{ Body CreatedWebhook }{CreatedWebhook{Webhook: toWebhook(w), Secret: secret}}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-webhooks", Method: http.MethodGet, Path: "/api/v1/webhooks",
		Summary: "List webhooks", Tags: tags, Errors: []int{http.StatusUnprocessableEntity},
	}, perm, func(ctx context.Context, in *listWebhooksInput) (*struct{ Body WebhookPage }, error) {
		page, err := s.d.Webhooks.List(ctx, principalFrom(ctx), in.Limit, in.Cursor)
		if err != nil {
			return nil, at("query", err)
		}
		out := &struct{ Body WebhookPage }{WebhookPage{Items: make([]Webhook, len(page.Items)), NextCursor: page.NextCursor}}
		for i := range page.Items {
			out.Body.Items[i] = toWebhook(&page.Items[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-webhook", Method: http.MethodGet, Path: "/api/v1/webhooks/{id}",
		Summary: "Get a webhook (never its secret)", Tags: tags, Errors: []int{http.StatusNotFound},
	}, perm, func(ctx context.Context, in *webhookIDInput) (*webhookOutput, error) {
		w, err := s.d.Webhooks.Get(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &webhookOutput{toWebhook(w)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-webhook", Method: http.MethodPatch, Path: "/api/v1/webhooks/{id}",
		Summary: "Change a webhook's URL, events, secret, description or pause it", Tags: tags,
		Description: "A new URL is checked like a new webhook's. Recorded in the audit log (a new secret is mentioned, never shown).",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, perm, func(ctx context.Context, in *updateWebhookInput) (*webhookOutput, error) {
		b := in.Body
		w, err := s.d.Webhooks.Update(ctx, principalFrom(ctx), in.ID, webhook.PatchInput{URL: b.URL, Events: b.Events,
			Secret: b.Secret, Description: b.Description, Active: b.Active})
		if err != nil {
			return nil, err
		}
		return &webhookOutput{toWebhook(w)}, nil
	})

	register(s, huma.Operation{
		OperationID: "delete-webhook", Method: http.MethodDelete, Path: "/api/v1/webhooks/{id}",
		Summary: "Delete a webhook with its delivery log", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "Retries still queued are dropped. Recorded in the audit log.",
		Errors:      []int{http.StatusNotFound},
	}, perm, func(ctx context.Context, in *webhookIDInput) (*struct{}, error) {
		return nil, s.d.Webhooks.Delete(ctx, principalFrom(ctx), in.ID)
	})

	register(s, huma.Operation{
		OperationID: "list-webhook-deliveries", Method: http.MethodGet, Path: "/api/v1/webhooks/{id}/deliveries",
		Summary: "Every delivery attempt of a webhook, newest first", Tags: tags,
		Description: "One item per attempt: a delivery retried twice shows three items with the same id and attempts 1, 2 " +
			"and 3. A failed attempt is retried after about 5 s, 30 s, 2 min, 10 min, 1 h, 6 h and 24 h.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, perm, func(ctx context.Context, in *deliveriesInput) (*struct{ Body DeliveryPage }, error) {
		page, err := s.d.Webhooks.Attempts(ctx, principalFrom(ctx), model.AttemptFilter{WebhookID: in.ID,
			DeliveryID: in.DeliveryID, Limit: in.Limit, Cursor: in.Cursor})
		if err != nil {
			return nil, at("query", err)
		}
		out := &struct{ Body DeliveryPage }{DeliveryPage{Items: make([]DeliveryAttempt, len(page.Items)), NextCursor: page.NextCursor}}
		for i, a := range page.Items {
			out.Body.Items[i] = DeliveryAttempt{ID: a.DeliveryID, Event: a.Event, Attempt: a.Attempt, Manual: a.Manual,
				StatusCode: a.StatusCode, ErrorKind: string(a.ErrorKind), Error: a.Error, At: a.At,
				DurationMS: a.Duration.Milliseconds()}
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "redeliver-webhook-delivery", Method: http.MethodPost,
		Path:    "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
		Summary: "Send a delivery again", Tags: tags, DefaultStatus: http.StatusAccepted,
		Description: "Queues one more attempt, whatever the delivery's status; it carries the same X-Aftercare-Delivery " +
			"and body, with a new timestamp and signature, and shows in the deliveries as the next attempt.",
		Errors: []int{http.StatusNotFound},
	}, perm, func(ctx context.Context, in *redeliverInput) (*struct{ Body Redelivery }, error) {
		if err := s.d.Webhooks.Redeliver(ctx, principalFrom(ctx), in.ID, in.DeliveryID); err != nil {
			return nil, err
		}
		return &struct{ Body Redelivery }{Redelivery{DeliveryID: in.DeliveryID, Status: "queued"}}, nil
	})
}
