package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

type mergeInput struct {
	Number string `path:"number" example:"SR-2026-000124"`
	Body   struct {
		Into    string        `json:"into" minLength:"1" example:"SR-2026-000123" doc:"The request to merge into."`
		Channel model.Channel `json:"channel,omitempty" enum:"web,email,phone,api,device"`
	}
}

type mergeOutput struct {
	Body Request
}

func (s *server) registerMerge() {
	register(s, huma.Operation{
		OperationID: "merge-request", Method: http.MethodPost, Path: "/api/v1/requests/{number}/merge",
		Summary: "Merge a duplicate into another request", Tags: []string{"requests"},
		Description: "In one transaction the request is closed with merged_into set to the target, whose timeline " +
			"shows its messages and files from then on (the customer follows one conversation); both timelines get an " +
			"event (merged, merged_from). Answers the target. Refused: merging into itself or into another customer's " +
			"request (422 at body.into), a target that is closed, cancelled or merged (409 at body.into), a source that " +
			"is (409 at path.number).",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestStatus), func(ctx context.Context, in *mergeInput) (*mergeOutput, error) {
		r, err := s.d.Requests.Merge(ctx, principalFrom(ctx), in.Number, in.Body.Into, in.Body.Channel)
		if err != nil {
			var me *model.Error
			if errors.As(err, &me) && me.Field == "number" {
				return nil, at("path", err)
			}
			return nil, err
		}
		return &mergeOutput{Body: toRequest(r)}, nil
	})
}
