package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/assistant"
	"github.com/aftercare/aftercare/internal/model"
)

// Suggestion is an edit an agent suggested to an article.
type Suggestion struct {
	ID          int64      `json:"id"`
	ArticleID   int64      `json:"article_id"`
	BaseVersion int        `json:"base_version"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	Note        string     `json:"note"`
	Status      string     `json:"status" enum:"open,applied,dismissed"`
	By          string     `json:"by"`
	CreatedAt   time.Time  `json:"created_at"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	DecidedBy   string     `json:"decided_by,omitempty"`
}

func toSuggestion(g *model.ArticleSuggestion) Suggestion {
	return Suggestion{ID: g.ID, ArticleID: g.ArticleID, BaseVersion: g.BaseVersion, Title: g.Title, Body: g.Body, Note: g.Note,
		Status: string(g.Status), By: g.ByName, CreatedAt: g.CreatedAt, DecidedAt: g.DecidedAt, DecidedBy: g.DecidedBy}
}

type suggestInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Title string `json:"title" maxLength:"200"`
		Body  string `json:"body" maxLength:"100000"`
		Note  string `json:"note,omitempty" maxLength:"500" doc:"Why, for the reviewer."`
	}
}

type suggestionOutput struct {
	Body Suggestion
}

type suggestionListInput struct {
	Status string `query:"status" enum:"open,applied,dismissed," doc:"Only these."`
}

type suggestionListOutput struct {
	Body struct {
		Items []Suggestion `json:"items"`
	}
}

// KBReport is the knowledge base's effect over a period.
type KBReport struct {
	Since      time.Time       `json:"since"`
	Searches   int             `json:"searches"`
	Empty      int             `json:"empty" doc:"Searches that found nothing."`
	Deflection []DeflectionRow `json:"deflection" doc:"Per article opened from the new-request form's suggestions."`
	Gaps       []GapRow        `json:"gaps" doc:"Searches that found nothing, most asked first."`
}

// DeflectionRow is one article's deflection.
type DeflectionRow struct {
	ArticleID int64  `json:"article_id"`
	Title     string `json:"title"`
	Locale    string `json:"locale"`
	Opened    int    `json:"opened"`
	Deflected int    `json:"deflected" doc:"Visits that opened it and left without submitting a request."`
}

// GapRow is a search that found nothing.
type GapRow struct {
	Query  string    `json:"query"`
	Locale string    `json:"locale"`
	Count  int       `json:"count"`
	Last   time.Time `json:"last"`
}

type reportInput struct {
	Days int `query:"days" minimum:"1" maximum:"3660" default:"30"`
}

type reportOutput struct {
	Body KBReport
}

func (s *server) registerKBSuggestions() {
	register(s, huma.Operation{
		OperationID: "suggest-article-edit", Method: http.MethodPost, Path: "/api/v1/kb/articles/{id}/suggestions",
		Summary: "Suggest an edit to an article", Tags: []string{"knowledge base"}, DefaultStatus: http.StatusCreated,
		Description: "The full new title and body; an admin or manager applies or dismisses it.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	}, can(model.PermKBSuggest), func(ctx context.Context, in *suggestInput) (*suggestionOutput, error) {
		g, err := s.d.KB.Suggest(ctx, principalFrom(ctx), in.ID, in.Body.Title, in.Body.Body, in.Body.Note)
		if err != nil {
			return nil, err
		}
		return &suggestionOutput{Body: toSuggestion(g)}, nil
	})
	register(s, huma.Operation{
		OperationID: "list-article-suggestions", Method: http.MethodGet, Path: "/api/v1/kb/suggestions",
		Summary: "Suggested edits, newest first", Tags: []string{"knowledge base"},
	}, can(model.PermKBSuggest), func(ctx context.Context, in *suggestionListInput) (*suggestionListOutput, error) {
		gs, err := s.d.KB.Suggestions(ctx, principalFrom(ctx), 0, model.SuggestionStatus(in.Status))
		if err != nil {
			return nil, err
		}
		out := &suggestionListOutput{}
		out.Body.Items = make([]Suggestion, len(gs))
		for i := range gs {
			out.Body.Items[i] = toSuggestion(&gs[i])
		}
		return out, nil
	})
	register(s, huma.Operation{
		OperationID: "apply-article-suggestion", Method: http.MethodPost, Path: "/api/v1/kb/suggestions/{id}/apply",
		Summary: "Apply a suggested edit (a new version)", Tags: []string{"knowledge base"},
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermKBWrite), func(ctx context.Context, in *articleIDInput) (*articleOutput, error) {
		a, err := s.d.KB.Apply(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &articleOutput{Body: toArticle(a)}, nil
	})
	register(s, huma.Operation{
		OperationID: "dismiss-article-suggestion", Method: http.MethodPost, Path: "/api/v1/kb/suggestions/{id}/dismiss",
		Summary: "Dismiss a suggested edit", Tags: []string{"knowledge base"}, DefaultStatus: http.StatusNoContent,
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermKBWrite), func(ctx context.Context, in *articleIDInput) (*struct{}, error) {
		p := principalFrom(ctx)
		if _, err := s.d.KB.Suggestion(ctx, p, in.ID); err != nil {
			return nil, err
		}
		return nil, s.d.KB.Dismiss(ctx, p, in.ID)
	})
	register(s, huma.Operation{
		OperationID: "kb-report", Method: http.MethodGet, Path: "/api/v1/kb/report",
		Summary: "Deflection and search gaps", Tags: []string{"knowledge base"},
		Description: "Per article: how often customers opened it from the new-request form's suggestions, and how many of " +
			"those left without submitting a request (counted 30 minutes after the visit began). Gaps: searches (help " +
			"centre, assistant, new-request form) that found nothing.",
	}, can(model.PermKBReport), func(ctx context.Context, in *reportInput) (*reportOutput, error) {
		r, err := s.d.KB.Report(ctx, principalFrom(ctx), in.Days)
		if err != nil {
			return nil, err
		}
		out := &reportOutput{Body: KBReport{Since: r.Since, Searches: r.Searches, Empty: r.Empty,
			Deflection: []DeflectionRow{}, Gaps: []GapRow{}}}
		for _, d := range r.Deflection {
			out.Body.Deflection = append(out.Body.Deflection, DeflectionRow(d))
		}
		for _, g := range r.Gaps {
			out.Body.Gaps = append(out.Body.Gaps, GapRow(g))
		}
		return out, nil
	})
}

// AnswerSource is an article an answer relies on.
type AnswerSource struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

type askInput struct {
	Body struct {
		Question string `json:"question" maxLength:"1000"`
		Locale   string `json:"locale,omitempty" enum:"zh-CN,en," doc:"Default: the question's language."`
	}
}

type askOutput struct {
	Body struct {
		Answer    string         `json:"answer"`
		Confident bool           `json:"confident" doc:"False: the assistant is not sure and offers a person (handoff)."`
		Locale    string         `json:"locale"`
		Sources   []AnswerSource `json:"sources"`
	}
}

// ConversationTurn is one message of a conversation with the assistant.
type ConversationTurn struct {
	Role string `json:"role" enum:"customer,user,assistant"`
	Text string `json:"text" maxLength:"4000"`
}

type handoffInput struct {
	Body struct {
		Conversation []ConversationTurn `json:"conversation" minItems:"1" maxItems:"50"`
	}
}

type handoffOutput struct {
	Body struct {
		Number string `json:"number"`
	}
}

func (s *server) registerAssistant() {
	registerOpen(s, huma.Operation{
		OperationID: "assistant-ask", Method: http.MethodPost, Path: "/api/v1/assistant/ask",
		Summary: "Ask the self-service assistant", Tags: []string{"assistant"},
		Description: "Answers from published public articles only (never internal ones, whoever asks), quoting the " +
			"passage it relies on with a link, in the question's language when an article in it exists. When it is " +
			"not confident, confident is false and the answer says so and offers a person (handoff).",
		Errors: []int{http.StatusUnprocessableEntity},
	}, "anyone: a customer's token, or none (the portal's visitors, rate-limited per client)",
		func(ctx context.Context, in *askInput) (*askOutput, error) {
			a, err := s.d.Assistant.Ask(ctx, principalFrom(ctx), in.Body.Question, in.Body.Locale)
			if err != nil {
				return nil, err
			}
			out := &askOutput{}
			out.Body.Answer, out.Body.Confident, out.Body.Locale = a.Text, a.Confident, a.Locale
			out.Body.Sources = []AnswerSource{}
			for _, src := range a.Sources {
				out.Body.Sources = append(out.Body.Sources, AnswerSource(src))
			}
			return out, nil
		})
	register(s, huma.Operation{
		OperationID: "assistant-handoff", Method: http.MethodPost, Path: "/api/v1/assistant/handoff",
		Summary: "Hand the conversation over to a person", Tags: []string{"assistant"}, DefaultStatus: http.StatusCreated,
		Description: "Opens an inquiry for the customer with the conversation as its description; staff pick it up in the queue.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, customersOnly(), func(ctx context.Context, in *handoffInput) (*handoffOutput, error) {
		turns := make([]assistant.Turn, len(in.Body.Conversation))
		for i, t := range in.Body.Conversation {
			turns[i] = assistant.Turn{Role: t.Role, Text: t.Text}
		}
		r, err := s.d.Assistant.Handoff(ctx, principalFrom(ctx), turns)
		if err != nil {
			return nil, err
		}
		out := &handoffOutput{}
		out.Body.Number = r.Number
		return out, nil
	})
}

// customersOnly lets in customers (acting for themselves).
func customersOnly() access {
	return access{who: "customers", check: func(_ context.Context, _ huma.Context, p model.Principal) error {
		if !p.IsCustomer() {
			return forbidden()
		}
		return nil
	}}
}
