package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// Macro is a canned reply with optional field changes.
type Macro struct {
	ID        int64          `json:"id"`
	Name      string         `json:"name"`
	Shared    bool           `json:"shared"`
	OwnerID   int64          `json:"owner_id"`
	OwnerName string         `json:"owner_name"`
	BodyEN    string         `json:"body_en"`
	BodyZH    string         `json:"body_zh"`
	Status    model.Status   `json:"status,omitempty" doc:"Status set with the reply."`
	Priority  model.Priority `json:"priority,omitempty" doc:"Priority set with the reply."`
	AddTags   []string       `json:"add_tags"`
	Version   int64          `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

func toMacro(m *model.Macro) Macro {
	tags := m.AddTags
	if tags == nil {
		tags = []string{}
	}
	return Macro{ID: m.ID, Name: m.Name, Shared: m.Shared, OwnerID: m.OwnerID, OwnerName: m.OwnerName, BodyEN: m.BodyEN,
		BodyZH: m.BodyZH, Status: m.Status, Priority: m.Priority, AddTags: tags, Version: m.Version,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
}

// macroBody is a macro as written.
type macroBody struct {
	Name     string         `json:"name" maxLength:"80" example:"Ask for the receipt"`
	Shared   bool           `json:"shared,omitempty" doc:"Share with all staff (needs view.share)."`
	BodyEN   string         `json:"body_en,omitempty" maxLength:"20000" example:"Dear {{customer.name}}, please send the receipt for {{request.number}}. — {{agent.name}}"`
	BodyZH   string         `json:"body_zh,omitempty" maxLength:"20000" example:"{{customer.name}}您好，请发送服务单 {{request.number}} 的购买凭证。——{{agent.name}}"`
	Status   model.Status   `json:"status,omitempty" enum:"new,open,pending,on_hold,resolved,closed,cancelled"`
	Priority model.Priority `json:"priority,omitempty" enum:"low,normal,high,urgent"`
	AddTags  []string       `json:"add_tags,omitempty" maxItems:"20"`
	Version  int64          `json:"version,omitempty" doc:"PATCH: the version you read (409 when it changed meanwhile); ignored on POST."`
}

func (b macroBody) input(version int64) request.MacroInput {
	return request.MacroInput{Name: b.Name, Shared: b.Shared, BodyEN: b.BodyEN, BodyZH: b.BodyZH, Status: b.Status,
		Priority: b.Priority, AddTags: b.AddTags, Version: version}
}

type createMacroInput struct {
	Body macroBody
}

type updateMacroInput struct {
	ID   int64 `path:"id"`
	Body macroBody
}

type macroIDInput struct {
	ID int64 `path:"id"`
}

type renderMacroInput struct {
	ID     int64  `path:"id"`
	Number string `query:"number" required:"true" example:"SR-2026-000123"`
	Lang   string `query:"lang" enum:"en,zh-CN" doc:"Default: the customer's language."`
}

type macroOutput struct {
	Body Macro
}

type macrosOutput struct {
	Body struct {
		Items []Macro `json:"items"`
	}
}

type renderedMacroOutput struct {
	Body struct {
		Body string `json:"body" doc:"The macro's text with its placeholders filled in."`
	}
}

const macroDoc = "Placeholders: {{customer.name}}, {{customer.email}}, {{request.number}}, {{request.subject}}, " +
	"{{agent.name}}, {{product.name}}, {{unit.serial}}; any other is 422 naming the body. Apply a macro by sending " +
	"its id as macro_id with POST /api/v1/requests/{number}/messages: its status, priority and tags change with the " +
	"message in one transaction."

func (s *server) registerMacros() {
	tags := []string{"macros"}
	register(s, huma.Operation{
		OperationID: "list-macros", Method: http.MethodGet, Path: "/api/v1/macros",
		Summary: "List the caller's and the shared macros", Tags: tags, Description: macroDoc,
	}, staffCan(model.PermRequestReply), func(ctx context.Context, _ *struct{}) (*macrosOutput, error) {
		ms, err := s.d.Requests.Macros(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &macrosOutput{}
		out.Body.Items = make([]Macro, len(ms))
		for i := range ms {
			out.Body.Items[i] = toMacro(&ms[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "create-macro", Method: http.MethodPost, Path: "/api/v1/macros",
		Summary: "Save a macro (canned reply)", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: macroDoc + " shared: true without view.share is 422 at body.shared; no text in either language is " +
			"422 at body.body_en.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestReply), func(ctx context.Context, in *createMacroInput) (*macroOutput, error) {
		m, err := s.d.Requests.CreateMacro(ctx, principalFrom(ctx), in.Body.input(0))
		if err != nil {
			return nil, err
		}
		return &macroOutput{Body: toMacro(m)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-macro", Method: http.MethodPatch, Path: "/api/v1/macros/{id}",
		Summary: "Change a macro", Tags: tags,
		Description: "Replaces the macro as sent; its owner or an admin only (403 for a shared macro of someone else; " +
			"404 for a personal one).",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestReply), func(ctx context.Context, in *updateMacroInput) (*macroOutput, error) {
		m, err := s.d.Requests.UpdateMacro(ctx, principalFrom(ctx), in.ID, in.Body.input(in.Body.Version))
		if err != nil {
			return nil, err
		}
		return &macroOutput{Body: toMacro(m)}, nil
	})

	register(s, huma.Operation{
		OperationID: "delete-macro", Method: http.MethodDelete, Path: "/api/v1/macros/{id}",
		Summary: "Delete a macro", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "Its owner or an admin only.", Errors: []int{http.StatusNotFound},
	}, staffCan(model.PermRequestReply), func(ctx context.Context, in *macroIDInput) (*struct{}, error) {
		return nil, s.d.Requests.DeleteMacro(ctx, principalFrom(ctx), in.ID)
	})

	register(s, huma.Operation{
		OperationID: "render-macro", Method: http.MethodGet, Path: "/api/v1/macros/{id}/render",
		Summary: "A macro's text filled in for a request", Tags: tags,
		Description: "What inserting the macro into a reply to the request gives, in the customer's language unless lang says otherwise.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestReply), func(ctx context.Context, in *renderMacroInput) (*renderedMacroOutput, error) {
		body, err := s.d.Requests.RenderMacro(ctx, principalFrom(ctx), in.ID, in.Number, in.Lang)
		if err != nil {
			return nil, err
		}
		out := &renderedMacroOutput{}
		out.Body.Body = body
		return out, nil
	})
}
