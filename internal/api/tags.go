package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

// staffCan lets in staff users holding perm; customers get 403 even where
// the permission extends to their own things.
func staffCan(perm model.Permission) access {
	return access{who: whoHolds(perm) + " (staff only)", check: func(_ context.Context, _ huma.Context, p model.Principal) error {
		if !p.IsStaff() || !p.Can(perm) {
			return forbidden()
		}
		return nil
	}}
}

type tagsInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
	Body   struct {
		Add     []string      `json:"add,omitempty" maxItems:"20" doc:"Tags to add (free text, normalised: lower case, spaces as '-')." example:"[\"screen\",\"vip\"]"`
		Remove  []string      `json:"remove,omitempty" maxItems:"20" doc:"Tags to remove."`
		Channel model.Channel `json:"channel,omitempty" enum:"web,email,phone,api,device"`
	}
}

// TagCount is a tag and how many requests carry it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

type tagSuggestInput struct {
	Prefix string `query:"prefix" doc:"The first letters of the tag (normalised as tags are)."`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

type tagSuggestOutput struct {
	Body struct {
		Items []TagCount `json:"items" doc:"Most used first."`
	}
}

func (s *server) registerTags() {
	register(s, huma.Operation{
		OperationID: "change-request-tags", Method: http.MethodPost, Path: "/api/v1/requests/{number}/tags",
		Summary: "Add and remove tags of a request", Tags: []string{"requests"},
		Description: "Tags are sets: no version is needed and the version does not change. A tag that is empty, " +
			"too long (over 40 characters) or holds other characters than letters, digits, '-', '_' and '.' is 422 " +
			"naming add or remove; more than 20 tags on a request is 422 at tags. The change goes on the timeline (kind tags).",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestClassify), func(ctx context.Context, in *tagsInput) (*requestOutput, error) {
		r, err := s.d.Requests.ChangeTags(ctx, principalFrom(ctx), in.Number, in.Body.Add, in.Body.Remove, in.Body.Channel)
		if err != nil {
			return nil, err
		}
		return requestOut(r), nil
	})

	register(s, huma.Operation{
		OperationID: "suggest-tags", Method: http.MethodGet, Path: "/api/v1/tags",
		Summary: "Suggest tags: the most used ones beginning with a prefix", Tags: []string{"requests"},
		Errors: []int{http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestRead), func(ctx context.Context, in *tagSuggestInput) (*tagSuggestOutput, error) {
		tags, err := s.d.Requests.TagSuggestions(ctx, principalFrom(ctx), in.Prefix, in.Limit)
		if err != nil {
			return nil, at("query", err)
		}
		out := &tagSuggestOutput{}
		out.Body.Items = make([]TagCount, len(tags))
		for i, t := range tags {
			out.Body.Items[i] = TagCount{Tag: t.Tag, Count: t.Count}
		}
		return out, nil
	})
}
