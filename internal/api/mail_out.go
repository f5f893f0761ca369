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
	Status        string     `json:"status" enum:"queued,sent,failed,suppressed,bounced" doc:"queued: waiting for the send job (retried after 1, 5, 15, 30 min, 1, 2, 4, 8 h). failed: given up, or refused by the relay (5xx). suppressed: not sent because the address bounced mail before. bounced: sent, then a delivery-status notification naming it came back (bounced_at, bounce_reason)."`
	Attempts      int        `json:"attempts"`
	Error         string     `json:"error,omitempty" doc:"Why the last attempt failed, or why it was not sent."`
	SentAt        *time.Time `json:"sent_at,omitempty"`
	ResendOf      *int64     `json:"resend_of,omitempty" doc:"The entry this one resends."`
	BouncedAt     *time.Time `json:"bounced_at,omitempty" doc:"When a bounce of this mail arrived."`
	BounceReason  string     `json:"bounce_reason,omitempty" doc:"The bounce's diagnostic."`
}

func toOutboundMail(m *model.OutboundMail, withBody bool) OutboundMail {
	o := OutboundMail{ID: m.ID, CreatedAt: m.CreatedAt, Kind: string(m.Kind), Automatic: m.Auto, To: m.To, Locale: m.Locale,
		Subject: m.Subject, MessageID: m.MessageID, InReplyTo: m.InReplyTo, RequestNumber: m.RequestNumber,
		Status: string(m.State()), Attempts: m.Attempts, Error: m.LastError, SentAt: m.SentAt, ResendOf: m.ResendOf,
		BouncedAt: m.BouncedAt, BounceReason: m.BounceReason}
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
	Status  string `query:"status" enum:"queued,sent,failed,suppressed,bounced" doc:"Only this status (sent: sent and not bounced)."`
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
				return nil, at("query", model.FieldError("request", "There is no request with the number “%s”; check the number.", in.Request))
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

// MailTemplate is what one kind of mail says in one language.
type MailTemplate struct {
	Kind      string     `json:"kind" enum:"reply,request_created,status_changed,password_reset,survey_invitation,survey_reminder,sla_warning,assigned,mentioned,new_reply"`
	Locale    string     `json:"locale" enum:"zh-CN,en"`
	Subject   string     `json:"subject" doc:"A Go text/template; [SR-…] is put in front automatically."`
	Body      string     `json:"body" doc:"A Go text/template over .RecipientName, .RequestNumber, .RequestSubject, .Message, .AuthorName, .Status, .PreviousStatus, .Link, .ExpiresAt, .DueAt; plain text."`
	Custom    bool       `json:"custom" doc:"false: the built-in text."`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

func toMailTemplate(t model.MailTemplate) MailTemplate {
	return MailTemplate{Kind: string(t.Kind), Locale: t.Locale, Subject: t.Subject, Body: t.Body, Custom: t.Custom,
		UpdatedAt: t.UpdatedAt}
}

type mailTemplateKey struct {
	Kind   string `path:"kind"`
	Locale string `path:"locale"`
}

type mailTemplatePut struct {
	Kind   string `path:"kind"`
	Locale string `path:"locale"`
	Body   struct {
		Subject string `json:"subject" maxLength:"300"`
		Body    string `json:"body" maxLength:"65536"`
	}
}

// NotificationPrefs are a staff user's e-mail notifications, each on or
// off.
type NotificationPrefs struct {
	Assigned   bool `json:"assigned" doc:"A request is assigned to me (not by myself)."`
	Mentioned  bool `json:"mentioned" doc:"Someone mentions me."`
	SLAWarning bool `json:"sla_warning" doc:"A request of mine is close to its deadline."`
	NewReply   bool `json:"new_reply" doc:"The customer replies on a request of mine."`
}

func toPrefs(m map[model.MailKind]bool) NotificationPrefs {
	return NotificationPrefs{Assigned: m[model.MailAssigned], Mentioned: m[model.MailMentioned],
		SLAWarning: m[model.MailSLAWarning], NewReply: m[model.MailNewReply]}
}

type prefsPatch struct {
	Body struct {
		Assigned   *bool `json:"assigned,omitempty"`
		Mentioned  *bool `json:"mentioned,omitempty"`
		SLAWarning *bool `json:"sla_warning,omitempty"`
		NewReply   *bool `json:"new_reply,omitempty"`
	}
}

func (s *server) registerMailTemplates() {
	tags := []string{"mail"}
	register(s, huma.Operation{
		OperationID: "list-mail-templates", Method: http.MethodGet, Path: "/api/v1/mail/templates",
		Summary: "List the e-mail templates", Tags: tags,
		Description: "Every kind of mail in zh-CN and en: the admins' text where there is one, else the built-in one.",
	}, can(model.PermMailTemplate), func(ctx context.Context, _ *struct{}) (*struct{ Body []MailTemplate }, error) {
		all, err := s.d.Mail.Templates(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &struct{ Body []MailTemplate }{Body: make([]MailTemplate, len(all))}
		for i, t := range all {
			out.Body[i] = toMailTemplate(t)
		}
		return out, nil
	})
	register(s, huma.Operation{
		OperationID: "get-mail-template", Method: http.MethodGet, Path: "/api/v1/mail/templates/{kind}/{locale}",
		Summary: "Read one e-mail template", Tags: tags, Errors: []int{http.StatusNotFound},
	}, can(model.PermMailTemplate), func(ctx context.Context, in *mailTemplateKey) (*struct{ Body MailTemplate }, error) {
		t, err := s.d.Mail.Template(ctx, principalFrom(ctx), model.MailKind(in.Kind), in.Locale)
		if err != nil {
			return nil, err
		}
		return &struct{ Body MailTemplate }{Body: toMailTemplate(t)}, nil
	})
	register(s, huma.Operation{
		OperationID: "put-mail-template", Method: http.MethodPut, Path: "/api/v1/mail/templates/{kind}/{locale}",
		Summary: "Change one e-mail template", Tags: tags,
		Description: "The subject and body must parse and render with sample data (an unknown placeholder is 422 at " +
			"body.subject or body.body); password-reset and survey mail must keep {{.Link}}. Recorded in the audit log.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermMailTemplate), func(ctx context.Context, in *mailTemplatePut) (*struct{ Body MailTemplate }, error) {
		t, err := s.d.Mail.SaveTemplate(ctx, principalFrom(ctx), model.MailTemplate{Kind: model.MailKind(in.Kind),
			Locale: in.Locale, Subject: in.Body.Subject, Body: in.Body.Body})
		if err != nil {
			return nil, at("body", err)
		}
		return &struct{ Body MailTemplate }{Body: toMailTemplate(t)}, nil
	})
	register(s, huma.Operation{
		OperationID: "reset-mail-template", Method: http.MethodDelete, Path: "/api/v1/mail/templates/{kind}/{locale}",
		Summary: "Go back to the built-in text", Tags: tags, Errors: []int{http.StatusNotFound},
		Description: "Answers the built-in template. Recorded in the audit log.",
	}, can(model.PermMailTemplate), func(ctx context.Context, in *mailTemplateKey) (*struct{ Body MailTemplate }, error) {
		t, err := s.d.Mail.ResetTemplate(ctx, principalFrom(ctx), model.MailKind(in.Kind), in.Locale)
		if err != nil {
			return nil, err
		}
		return &struct{ Body MailTemplate }{Body: toMailTemplate(t)}, nil
	})
	register(s, huma.Operation{
		OperationID: "get-my-notifications", Method: http.MethodGet, Path: "/api/v1/me/notifications",
		Summary: "Read my e-mail notification choices", Tags: tags,
		Description: "Staff only. Every notification is on until turned off; without an SMTP relay none is sent.",
	}, can(model.PermNotifyPrefs), func(ctx context.Context, _ *struct{}) (*struct{ Body NotificationPrefs }, error) {
		m, err := s.d.Mail.Preferences(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		return &struct{ Body NotificationPrefs }{Body: toPrefs(m)}, nil
	})
	register(s, huma.Operation{
		OperationID: "patch-my-notifications", Method: http.MethodPatch, Path: "/api/v1/me/notifications",
		Summary: "Change my e-mail notification choices", Tags: tags,
		Description: "Fields left out stay as they are. Answers all choices.",
	}, can(model.PermNotifyPrefs), func(ctx context.Context, in *prefsPatch) (*struct{ Body NotificationPrefs }, error) {
		set := map[model.MailKind]bool{}
		for k, v := range map[model.MailKind]*bool{model.MailAssigned: in.Body.Assigned, model.MailMentioned: in.Body.Mentioned,
			model.MailSLAWarning: in.Body.SLAWarning, model.MailNewReply: in.Body.NewReply} {
			if v != nil {
				set[k] = *v
			}
		}
		m, err := s.d.Mail.SetPreferences(ctx, principalFrom(ctx), set)
		if err != nil {
			return nil, at("body", err)
		}
		return &struct{ Body NotificationPrefs }{Body: toPrefs(m)}, nil
	})
}
