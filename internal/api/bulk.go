package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

type bulkInput struct {
	Body struct {
		Numbers []string `json:"numbers" minItems:"1" maxItems:"100" example:"[\"SR-2026-000123\",\"SR-2026-000124\"]"`
		Set     struct {
			Status     model.Status    `json:"status,omitempty" enum:"new,open,pending,on_hold,resolved,closed,cancelled"`
			Priority   *model.Priority `json:"priority,omitempty" enum:"low,normal,high,urgent"`
			AssigneeID *int64          `json:"assignee_id,omitempty" minimum:"0" doc:"0 clears."`
			TeamID     *int64          `json:"team_id,omitempty" minimum:"0" doc:"0 clears."`
			AddTags    []string        `json:"add_tags,omitempty" maxItems:"20"`
			MergeInto  string          `json:"merge_into,omitempty" doc:"Merge each request into this one (as POST /api/v1/requests/{number}/merge); combines with no other change (422 at body.set.merge_into)." example:"SR-2026-000123"`
		} `json:"set"`
		Channel model.Channel `json:"channel,omitempty" enum:"web,email,phone,api,device"`
	}
}

// BulkResult is the outcome for one request of a bulk action.
type BulkResult struct {
	Number string `json:"number"`
	OK     bool   `json:"ok"`
	Error  string `json:"error,omitempty" doc:"Why this request was left unchanged, in the reader's language."`
	Code   string `json:"code,omitempty" doc:"not_found, conflict, invalid, forbidden or internal."`
}

type bulkOutput struct {
	Body struct {
		Results []BulkResult `json:"results"`
	}
}

func (s *server) registerBulk() {
	register(s, huma.Operation{
		OperationID: "bulk-update-requests", Method: http.MethodPost, Path: "/api/v1/requests/bulk",
		Summary: "Change many requests at once", Tags: []string{"requests"},
		Description: "Each request is changed in its own transaction and succeeds or fails on its own: the answer is 200 " +
			"with one result per number, in order (repeats once). Every change is on each request's timeline. " +
			"The role is checked once for the whole action (403): status needs request.status, assignee_id request.assign, " +
			"priority, team_id and add_tags request.classify. Bad values are 422 naming body.set.<field>; no change at all " +
			"is 422 at body.set. A request already at the status is left as it is (ok).",
		Errors: []int{http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestRead), func(ctx context.Context, in *bulkInput) (*bulkOutput, error) {
		b := in.Body
		res, err := s.d.Requests.Bulk(ctx, principalFrom(ctx), b.Numbers, request.BulkSet{Status: b.Set.Status,
			Priority: b.Set.Priority, AssigneeID: b.Set.AssigneeID, TeamID: b.Set.TeamID, AddTags: b.Set.AddTags, MergeInto: b.Set.MergeInto}, b.Channel)
		if err != nil {
			return nil, err
		}
		out := &bulkOutput{}
		out.Body.Results = make([]BulkResult, len(res))
		env := envFrom(ctx)
		for i, r := range res {
			out.Body.Results[i] = BulkResult{Number: r.Number, OK: r.Err == nil}
			if r.Err == nil {
				continue
			}
			var me *model.Error
			if !errors.As(r.Err, &me) || me.Code == model.EINTERNAL {
				env.logger().ErrorContext(ctx, "bulk update", "number", r.Number, "err", r.Err)
				me = &model.Error{Code: model.EINTERNAL, Message: "internal error"}
			}
			out.Body.Results[i].Code = string(me.Code)
			out.Body.Results[i].Error = env.modelText(me)
		}
		return out, nil
	})
}
