package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
)

// Category is a node of the request category tree.
type Category struct {
	ID       int64  `json:"id"`
	ParentID *int64 `json:"parent_id" nullable:"true"`
	NameZh   string `json:"name_zh"`
	NameEn   string `json:"name_en"`
}

type createCategoryInput struct {
	Body struct {
		ParentID *int64 `json:"parent_id,omitempty" doc:"Omit for a top-level category."`
		NameZh   string `json:"name_zh" maxLength:"100"`
		NameEn   string `json:"name_en" maxLength:"100"`
	}
}

type categoryOutput struct {
	Body Category
}

type categoryListOutput struct {
	Body struct {
		Items []Category `json:"items" doc:"The whole tree, parents before children."`
	}
}

func (s *server) registerCategories() {
	register(s, huma.Operation{
		OperationID: "list-categories", Method: http.MethodGet, Path: "/api/v1/categories",
		Summary: "List the request category tree", Tags: []string{"catalog"},
	}, can(model.PermCategoryRead), func(ctx context.Context, _ *struct{}) (*categoryListOutput, error) {
		cs, err := s.d.Store.ListCategories(ctx)
		if err != nil {
			return nil, err
		}
		out := &categoryListOutput{}
		out.Body.Items = make([]Category, len(cs))
		for i, c := range cs {
			out.Body.Items[i] = Category{ID: c.ID, ParentID: c.ParentID, NameZh: c.NameZh, NameEn: c.NameEn}
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "create-category", Method: http.MethodPost, Path: "/api/v1/categories",
		Summary: "Add a category", Tags: []string{"catalog"}, DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermCategoryManage), func(ctx context.Context, in *createCategoryInput) (*categoryOutput, error) {
		c := &model.Category{ParentID: in.Body.ParentID, NameZh: strings.TrimSpace(in.Body.NameZh), NameEn: strings.TrimSpace(in.Body.NameEn)}
		switch {
		case c.NameZh == "":
			return nil, model.FieldError("name_zh", "is required")
		case c.NameEn == "":
			return nil, model.FieldError("name_en", "is required")
		}
		if err := s.d.Store.CreateCategory(ctx, c); err != nil {
			return nil, err
		}
		return &categoryOutput{Body: Category{ID: c.ID, ParentID: c.ParentID, NameZh: c.NameZh, NameEn: c.NameEn}}, nil
	})
}
