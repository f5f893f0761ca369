package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorKind  string    `json:"actor_kind" enum:"staff,customer,operator" doc:"operator: someone at the server's command line."`
	ActorID    *int64    `json:"actor_id" nullable:"true"`
	ActorName  string    `json:"actor_name"`
	Action     string    `json:"action" doc:"user.created, user.updated, token.created, token.revoked, customer.invite_issued, customer.reset_issued, customer.reset_requested, customer.password_set, export.downloaded, calendar.created, calendar.updated, team.calendar_set, webhook.created, webhook.updated, webhook.deleted, centre.created, centre.updated, part.created, part.updated, plan.created, survey.template_changed, compensation.recorded, compensation.approved, compensation.rejected"`
	Target     string    `json:"target"`
	Detail     string    `json:"detail"`
	ClientAddr string    `json:"client_addr" doc:"The client's IP address (behind trusted proxies), or empty for the command line."`
}

// AuditPage is one page of the audit log.
type AuditPage struct {
	Items      []AuditEntry `json:"items"`
	NextCursor string       `json:"next_cursor" doc:"Opaque; empty on the last page."`
}

type auditInput struct {
	Action string `query:"action" doc:"Only this action."`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page."`
}

type auditOutput struct {
	Body AuditPage
}

func (s *server) registerAudit() {
	register(s, huma.Operation{
		OperationID: "list-audit", Method: http.MethodGet, Path: "/api/v1/audit",
		Summary: "Read the audit log, newest first", Tags: []string{"people"},
		Description: "Who created or changed staff users and roles, issued or revoked API tokens, issued portal " +
			"invites and password-reset links, set a password through one, changed a calendar, webhook, service centre, " +
			"part or warranty plan, changed the survey, recorded or decided compensation, or downloaded an export; " +
			"when and from where.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermAuditRead), func(ctx context.Context, in *auditInput) (*auditOutput, error) {
		page, err := s.d.Store.ListAudit(ctx, model.AuditFilter{Action: in.Action, Limit: in.Limit, Cursor: in.Cursor})
		if err != nil {
			return nil, at("query", err)
		}
		out := &auditOutput{Body: AuditPage{Items: make([]AuditEntry, len(page.Items)), NextCursor: page.NextCursor}}
		for i, e := range page.Items {
			out.Body.Items[i] = AuditEntry{ID: e.ID, At: e.At, ActorKind: string(e.ActorKind), ActorID: e.ActorID,
				ActorName: e.ActorName, Action: e.Action, Target: e.Target, Detail: e.Detail, ClientAddr: e.ClientAddr}
		}
		return out, nil
	})
}
