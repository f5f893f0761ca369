package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

// InboundMail is one entry of the inbound mail log.
type InboundMail struct {
	ID            int64     `json:"id"`
	ReceivedAt    time.Time `json:"received_at"`
	MessageID     string    `json:"message_id" doc:"Without angle brackets; empty when the mail had none."`
	From          string    `json:"from" doc:"The From address; empty when it had none usable."`
	Subject       string    `json:"subject"`
	Outcome       string    `json:"outcome" enum:"received,created,appended,duplicate,auto_reply,bounce,rejected,failed" doc:"received: stored, being processed. failed: retried automatically while attempts remain; reason says why."`
	RequestNumber string    `json:"request_number,omitempty" doc:"The request the mail created, joined or (bounce) concerns."`
	Reason        string    `json:"reason,omitempty"`
	Source        string    `json:"source" enum:"smtp,imap"`
	Attempts      int       `json:"attempts"`
	Size          int64     `json:"size" doc:"Bytes of the raw message."`
}

func toInboundMail(m *model.InboundMail) InboundMail {
	return InboundMail{ID: m.ID, ReceivedAt: m.ReceivedAt, MessageID: m.MessageID, From: m.From, Subject: m.Subject,
		Outcome: string(m.Outcome), RequestNumber: m.RequestNumber, Reason: m.Reason, Source: m.Source,
		Attempts: m.Attempts, Size: m.RawSize}
}

// InboundMailPage is one page of the inbound mail log.
type InboundMailPage struct {
	Items      []InboundMail `json:"items"`
	NextCursor string        `json:"next_cursor" doc:"Opaque; empty on the last page."`
}

type inboundListInput struct {
	Outcome string `query:"outcome" enum:"received,created,appended,duplicate,auto_reply,bounce,rejected,failed" doc:"Only this outcome."`
	Limit   int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor  string `query:"cursor" doc:"next_cursor of the previous page."`
}

type inboundListOutput struct {
	Body InboundMailPage
}

type inboundIDInput struct {
	ID int64 `path:"id"`
}

type inboundOutput struct {
	Body InboundMail
}

func (s *server) registerMail() {
	register(s, huma.Operation{
		OperationID: "list-inbound-mail", Method: http.MethodGet, Path: "/api/v1/mail/inbound",
		Summary: "Read the inbound mail log, newest first", Tags: []string{"mail"},
		Description: "Every message the SMTP listener accepted or the IMAP poller fetched, stored before it was " +
			"acknowledged, with what became of it: created (a new request), appended (joined its request), duplicate " +
			"(its Message-ID was seen before), auto_reply, bounce, rejected or failed (retried automatically).",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermMailRead), func(ctx context.Context, in *inboundListInput) (*inboundListOutput, error) {
		page, err := s.d.Inbound.List(ctx, principalFrom(ctx), model.InboundFilter{Outcome: model.MailOutcome(in.Outcome),
			Limit: in.Limit, Cursor: in.Cursor})
		if err != nil {
			return nil, at("query", err)
		}
		out := &inboundListOutput{Body: InboundMailPage{Items: make([]InboundMail, len(page.Items)), NextCursor: page.NextCursor}}
		for i := range page.Items {
			out.Body.Items[i] = toInboundMail(&page.Items[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-inbound-mail-raw", Method: http.MethodGet, Path: "/api/v1/mail/inbound/{id}/raw",
		Summary: "Download a logged message as received", Tags: []string{"mail"},
		Description: "The raw message (RFC 5322) exactly as the SMTP listener or the IMAP server handed it over, " +
			"quoted history, signatures and all attachments included.",
		Errors: []int{http.StatusNotFound},
		Responses: map[string]*huma.Response{"200": {Description: "The message.",
			Content: map[string]*huma.MediaType{"message/rfc822": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}},
	}, can(model.PermMailRead), func(ctx context.Context, in *inboundIDInput) (*huma.StreamResponse, error) {
		raw, err := s.d.Inbound.Raw(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			hctx.SetHeader("Content-Type", "message/rfc822")
			hctx.SetHeader("Content-Length", strconv.Itoa(len(raw)))
			hctx.SetHeader("Content-Disposition", `attachment; filename="message-`+strconv.FormatInt(in.ID, 10)+`.eml"`)
			hctx.SetHeader("X-Content-Type-Options", "nosniff")
			hctx.SetHeader("Cache-Control", "private, no-store")
			hctx.SetStatus(http.StatusOK)
			_, _ = hctx.BodyWriter().Write(raw)
		}}, nil
	})

	register(s, huma.Operation{
		OperationID: "retry-inbound-mail", Method: http.MethodPost, Path: "/api/v1/mail/inbound/{id}/retry",
		Summary: "Process a failed message again now", Tags: []string{"mail"},
		Description: "Only a message whose outcome is failed can be retried (409 otherwise). Answers the entry " +
			"with its new outcome (failed again, with the reason, if it still fails).",
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermMailRead), func(ctx context.Context, in *inboundIDInput) (*inboundOutput, error) {
		p := principalFrom(ctx)
		_, retryErr := s.d.Inbound.Retry(ctx, p, in.ID)
		if code := model.ErrorCode(retryErr); code == model.ENOTFOUND || code == model.ECONFLICT {
			return nil, retryErr
		}
		m, err := s.d.Inbound.Get(ctx, p, in.ID)
		if err != nil {
			return nil, err
		}
		return &inboundOutput{Body: toInboundMail(m)}, nil
	})
}
