package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

// OutboundMail is one entry of the outbound mail log.
type OutboundMail struct {
	ID            int64      `json:"id"`
	CreatedAt     time.Time  `json:"created_at"`
	Kind          string     `json:"kind" enum:"reply,request_created,status_changed,password_reset,survey_invitation,survey_reminder,sla_warning,assigned,mentioned,new_reply"`
	Automatic     bool       `json:"automatic" doc:"Sent with Auto-Submitted: auto-generated (everything but an agent's reply)."`
	To            string     `json:"to"`
	Locale        string     `json:"locale" enum:"zh-CN,en" doc:"The recipient's language, which chose the template."`
	Subject       string     `json:"subject"`
	Body          string     `json:"body,omitempty" doc:"The text sent; absent from lists, and never shown for a password-reset mail (its link is the key to an account)."`
	MessageID     string     `json:"message_id" doc:"Without angle brackets; recorded for the request, so that answers to the mail thread into it."`
	InReplyTo     string     `json:"in_reply_to,omitempty" doc:"Filled when sent: the customer's last mail on the request."`
	RequestNumber string     `json:"request_number,omitempty"`
	Status        string     `json:"status" enum:"queued,sent,failed,suppressed" doc:"queued: waiting for the send job (retried after 1, 5, 15, 30 min, 1, 2, 4, 8 h). failed: given up, or refused by the relay (5xx). suppressed: not sent because the address bounced mail before."`
	Attempts      int        `json:"attempts"`
	Error         string     `json:"error,omitempty" doc:"Why the last attempt failed, or why it was not sent."`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	ResendOf      *int64     `json:"resend_of,omitempty" doc:"The entry this one resends."`
}

func toOutboundMail(m *model.OutboundMail, withBody bool) OutboundMail {
	o := OutboundMail{ID: m.ID, CreatedAt: m.CreatedAt, Kind: string(m.Kind), Automatic: m.Auto, To: m.To, Locale: m.Locale,
		Subject: m.Subject, MessageID: m.MessageID, InReplyTo: m.InReplyTo, RequestNumber: m.RequestNumber,
		Status: string(m.Status), Attempts: m.Attempts, Error: m.LastError, SentAt: m.SentAt, ResendOf: m.ResendOf}
	if withBody {
		o.Body = m.Body
	}
	return o
}

// OutboundMailPage is one page of the outbound mail log.
type OutboundMailPage struct {
	Items      []OutboundMail `json:"items"`
	NextCursor string         `json:"next_cursor" doc:"Opaque; empty on the last page."`
}

type outboundListInput struct {
	Status  string `query:"status" enum:"queued,sent,failed,suppressed" doc:"Only this status."`
	Request string `query:"request" doc:"Only mail about this request (its number)."`
	Limit   int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor  string `query:"cursor" doc:"next_cursor of the previous page."`
}

type outboundIDInput struct {
	ID int64 `path:"id"`
}

type outboundOutput struct{ Body OutboundMail }

func (s *server) registerMailOut() {
	tags := []string{"mail"}
	register(s, huma.Operation{
		OperationID: "list-outbound-mail", Method: http.MethodGet, Path: "/api/v1/mail/outbound",
		Summary: "Read the outbound mail log, newest first", Tags: tags,
		Description: "Every e-mail queued for the SMTP relay (--smtp-relay): agents' replies, acknowledgements, status " +
			"changes, password-reset links, survey invitations and staff notifications, with its status. Without a relay " +
			"nothing is queued, so the log stays empty.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermMailRead), func(ctx context.Context, in *outboundListInput) (*struct{ Body OutboundMailPage }, error) {
		f := model.OutboundFilter{Status: model.OutboundStatus(in.Status), Limit: in.Limit, Cursor: in.Cursor}
		if in.Request != "" {
			id, err := s.d.Store.RequestIDByNumber(ctx, in.Request)
			if err != nil {
				return nil, err
			}
			if id == 0 {
				return nil, at("query", model.FieldError("request", "no request %q", in.Request))
			}
			f.RequestID = id
		}
		page, err := s.d.Mail.List(ctx, principalFrom(ctx), f)
		if err != nil {
			return nil, at("query", err)
		}
		out := &struct{ Body OutboundMailPage }{Body: OutboundMailPage{Items: make([]OutboundMail, len(page.Items)), NextCursor: page.NextCursor}}
		for i := range page.Items {
			out.Body.Items[i] = toOutboundMail(&page.Items[i], false)
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-outbound-mail", Method: http.MethodGet, Path: "/api/v1/mail/outbound/{id}",
		Summary: "Read one outbound mail with its text", Tags: tags,
		Errors: []int{http.StatusNotFound},
	}, can(model.PermMailRead), func(ctx context.Context, in *outboundIDInput) (*outboundOutput, error) {
		m, err := s.d.Mail.Get(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &outboundOutput{Body: toOutboundMail(m, true)}, nil
	})

	register(s, huma.Operation{
		OperationID: "resend-outbound-mail", Method: http.MethodPost, Path: "/api/v1/mail/outbound/{id}/resend",
		Summary: "Send a logged mail again", Tags: tags, DefaultStatus: http.StatusAccepted,
		Description: "Queues a copy (same recipient, subject and text, a new Message-ID, threaded like the original) and " +
			"answers it. 409 for mail still queued, for a password-reset mail (the customer asks for a new link) and when " +
			"no relay is configured.",
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermMailRead), func(ctx context.Context, in *outboundIDInput) (*outboundOutput, error) {
		m, err := s.d.Mail.Resend(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &outboundOutput{Body: toOutboundMail(m, false)}, nil
	})
}
