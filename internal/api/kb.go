package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/kb"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Article is a knowledge-base article at its current version.
type Article struct {
	ID            int64     `json:"id"`
	Version       int       `json:"version"`
	Title         string    `json:"title"`
	Body          string    `json:"body" doc:"Markdown; raw HTML in it is never rendered."`
	Locale        string    `json:"locale" enum:"zh-CN,en"`
	TranslationOf *int64    `json:"translation_of,omitempty" doc:"The article this one translates."`
	Category      string    `json:"category"`
	Tags          []string  `json:"tags"`
	Products      []string  `json:"products" doc:"Product SKUs it applies to."`
	Visibility    string    `json:"visibility" enum:"public,internal"`
	Status        string    `json:"status" enum:"draft,published"`
	Author        string    `json:"author"`
	Views         int       `json:"views"`
	URL           string    `json:"url" doc:"The article's page (public articles: the help centre)."`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func toArticle(a *model.Article) Article {
	out := Article{ID: a.ID, Version: a.Version, Title: a.Title, Body: a.Body, Locale: a.Locale, TranslationOf: a.TranslationOf,
		Category: a.Category, Tags: a.Tags, Products: a.Products, Visibility: string(a.Visibility), Status: string(a.Status),
		Author: a.AuthorName, Views: a.Views, URL: "/help/" + strconv.FormatInt(a.ID, 10), CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if out.Products == nil {
		out.Products = []string{}
	}
	return out
}

type articleBody struct {
	Title         *string   `json:"title,omitempty" maxLength:"200"`
	Body          *string   `json:"body,omitempty" maxLength:"100000"`
	Locale        *string   `json:"locale,omitempty" doc:"zh-CN or en."`
	Category      *string   `json:"category,omitempty" maxLength:"80"`
	Tags          *[]string `json:"tags,omitempty" maxItems:"20"`
	Products      *[]string `json:"products,omitempty" maxItems:"20"`
	Visibility    *string   `json:"visibility,omitempty" doc:"public (default) or internal."`
	Status        *string   `json:"status,omitempty" doc:"draft or published (default)."`
	TranslationOf *int64    `json:"translation_of,omitempty" doc:"Create only: the article this one translates."`
	Change        string    `json:"change,omitempty" maxLength:"500" doc:"What this version changes (the history shows it)."`
}

func (b *articleBody) input() kb.Input {
	in := kb.Input{Title: b.Title, Body: b.Body, Locale: b.Locale, Category: b.Category, Tags: b.Tags, Products: b.Products,
		TranslationOf: b.TranslationOf, Change: b.Change}
	if b.Visibility != nil {
		v := model.Visibility(*b.Visibility)
		in.Visibility = &v
	}
	if b.Status != nil {
		st := model.ArticleStatus(*b.Status)
		in.Status = &st
	}
	return in
}

type createArticleInput struct {
	Body articleBody
}

type patchArticleInput struct {
	ID      int64  `path:"id"`
	IfMatch string `header:"If-Match" doc:"The version the edit starts from (or body.version)."`
	Body    struct {
		Title      *string   `json:"title,omitempty" maxLength:"200"`
		Body       *string   `json:"body,omitempty" maxLength:"100000"`
		Locale     *string   `json:"locale,omitempty" doc:"zh-CN or en."`
		Category   *string   `json:"category,omitempty" maxLength:"80"`
		Tags       *[]string `json:"tags,omitempty" maxItems:"20"`
		Products   *[]string `json:"products,omitempty" maxItems:"20"`
		Visibility *string   `json:"visibility,omitempty" doc:"public or internal."`
		Status     *string   `json:"status,omitempty" doc:"draft or published."`
		Change     string    `json:"change,omitempty" maxLength:"500" doc:"What this version changes (the history shows it)."`
		Version    int       `json:"version,omitempty" doc:"The version the edit starts from; a stale one is 409."`
	}
}

type articleOutput struct {
	Body Article
}

type articleIDInput struct {
	ID int64 `path:"id"`
}

type articleListInput struct {
	Locale   string `query:"locale" enum:"zh-CN,en," doc:"One language only."`
	Category string `query:"category"`
	Limit    int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor   string `query:"cursor" doc:"next_cursor of the previous page."`
}

type articleListOutput struct {
	Body struct {
		Items      []Article `json:"items"`
		NextCursor string    `json:"next_cursor" doc:"Opaque (keyset on the last update); empty on the last page."`
	}
}

// ArticleVersion is one saved version of an article.
type ArticleVersion struct {
	Version    int       `json:"version"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	Locale     string    `json:"locale"`
	Visibility string    `json:"visibility"`
	Status     string    `json:"status"`
	Change     string    `json:"change"`
	Author     string    `json:"author"`
	CreatedAt  time.Time `json:"created_at"`
}

type versionsOutput struct {
	Body struct {
		Items []ArticleVersion `json:"items"`
	}
}

// SearchHit is one search result.
type SearchHit struct {
	ID      int64  `json:"id"`
	Title   string `json:"title"`
	Locale  string `json:"locale"`
	Snippet string `json:"snippet" doc:"The passage that matches best, plain text."`
	// Highlights are byte ranges [start, end) of snippet that match the
	// query.
	Highlights [][2]int `json:"highlights"`
	Score      float64  `json:"score" doc:"BM25; higher is better."`
	URL        string   `json:"url"`
}

type searchInput struct {
	Q      string `query:"q" maxLength:"500" doc:"Chinese or English words, a model number (KFR-35GW)."`
	Locale string `query:"locale" enum:"zh-CN,en," doc:"One language only."`
	Limit  int    `query:"limit" minimum:"1" maximum:"50" default:"10"`
}

type searchOutput struct {
	Body struct {
		Items []SearchHit `json:"items"`
	}
}

func (s *server) registerKB() {
	register(s, huma.Operation{
		OperationID: "create-article", Method: http.MethodPost, Path: "/api/v1/kb/articles",
		Summary: "Write a knowledge-base article", Tags: []string{"knowledge base"}, DefaultStatus: http.StatusCreated,
		Description: "Version 1 of a new article. title, body and locale are required; visibility defaults to public " +
			"and status to published. Set translation_of to link it to the article it translates.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermKBWrite), func(ctx context.Context, in *createArticleInput) (*articleOutput, error) {
		a, err := s.d.KB.Create(ctx, principalFrom(ctx), in.Body.input())
		if err != nil {
			return nil, err
		}
		return &articleOutput{Body: toArticle(a)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-article", Method: http.MethodPatch, Path: "/api/v1/kb/articles/{id}",
		Summary: "Save a new version of an article", Tags: []string{"knowledge base"},
		Description: "The fields sent replace the current ones; the rest stay. Each save is a new version with its " +
			"author and change note. A stale version (body.version or If-Match) is 409.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermKBWrite), func(ctx context.Context, in *patchArticleInput) (*articleOutput, error) {
		version := in.Body.Version
		if version == 0 && in.IfMatch != "" {
			v, err := parseETag(in.IfMatch)
			if err != nil {
				return nil, at("header", err)
			}
			version = int(v)
		}
		b := in.Body
		body := articleBody{Title: b.Title, Body: b.Body, Locale: b.Locale, Category: b.Category, Tags: b.Tags,
			Products: b.Products, Visibility: b.Visibility, Status: b.Status, Change: b.Change}
		a, err := s.d.KB.Update(ctx, principalFrom(ctx), in.ID, version, body.input())
		if err != nil {
			return nil, err
		}
		return &articleOutput{Body: toArticle(a)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-article-versions", Method: http.MethodGet, Path: "/api/v1/kb/articles/{id}/versions",
		Summary: "An article's versions, newest first", Tags: []string{"knowledge base"},
		Errors: []int{http.StatusNotFound},
	}, can(model.PermKBRead), func(ctx context.Context, in *articleIDInput) (*versionsOutput, error) {
		vs, err := s.d.KB.Versions(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		out := &versionsOutput{}
		out.Body.Items = make([]ArticleVersion, len(vs))
		for i, v := range vs {
			out.Body.Items[i] = ArticleVersion{Version: v.Version, Title: v.Title, Body: v.Body, Locale: v.Locale,
				Visibility: string(v.Visibility), Status: string(v.Status), Change: v.Change, Author: v.AuthorName, CreatedAt: v.CreatedAt}
		}
		return out, nil
	})

	const who = "anyone; without a token (rate-limited per client) or as a customer only published public articles"
	registerOpen(s, huma.Operation{
		OperationID: "get-article", Method: http.MethodGet, Path: "/api/v1/kb/articles/{id}",
		Summary: "Read an article", Tags: []string{"knowledge base"},
		Description: "Staff read every article; others get 404 for drafts and internal articles.",
		Errors:      []int{http.StatusNotFound},
	}, who, func(ctx context.Context, in *articleIDInput) (*articleOutput, error) {
		a, err := s.d.KB.Get(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &articleOutput{Body: toArticle(a)}, nil
	})

	registerOpen(s, huma.Operation{
		OperationID: "list-articles", Method: http.MethodGet, Path: "/api/v1/kb/articles",
		Summary: "List articles, last updated first", Tags: []string{"knowledge base"},
		Description: "Keyset-paginated: pass next_cursor as cursor for the next page, however many articles there are.",
	}, who, func(ctx context.Context, in *articleListInput) (*articleListOutput, error) {
		page, err := s.d.KB.List(ctx, principalFrom(ctx), store.ArticleFilter{Locale: in.Locale, Category: in.Category,
			Limit: in.Limit, Cursor: in.Cursor})
		if err != nil {
			return nil, err
		}
		out := &articleListOutput{}
		out.Body.Items = make([]Article, len(page.Items))
		for i := range page.Items {
			out.Body.Items[i] = toArticle(&page.Items[i])
		}
		out.Body.NextCursor = page.NextCursor
		return out, nil
	})

	registerOpen(s, huma.Operation{
		OperationID: "search-articles", Method: http.MethodGet, Path: "/api/v1/kb/search",
		Summary: "Search the knowledge base", Tags: []string{"knowledge base"},
		Description: "Published articles matching any of the query's terms, best first (BM25 in the database: FTS5 on " +
			"SQLite, a GIN-indexed tsvector on PostgreSQL). Chinese is segmented (dictionary words and character bigrams), " +
			"English stemmed, model numbers kept whole; after-sales synonyms widen the query. Staff find internal " +
			"articles too. Searches that find nothing are kept for the gap report.",
	}, who, func(ctx context.Context, in *searchInput) (*searchOutput, error) {
		hits, err := s.d.KB.Search(ctx, principalFrom(ctx), kb.Query{Text: in.Q, Locale: in.Locale, Limit: in.Limit,
			Source: model.SearchFromSearch})
		if err != nil {
			return nil, err
		}
		out := &searchOutput{}
		out.Body.Items = make([]SearchHit, len(hits))
		for i, h := range hits {
			marks := h.Marks
			if marks == nil {
				marks = [][2]int{}
			}
			out.Body.Items[i] = SearchHit{ID: h.ID, Title: h.Title, Locale: h.Locale, Snippet: h.Snippet, Highlights: marks,
				Score: h.Score, URL: "/help/" + strconv.FormatInt(h.ID, 10)}
		}
		return out, nil
	})
	s.registerKBSuggestions()
}

// registerOpen adds an operation anyone may call: with a bearer token the
// caller is that principal (a bad token is 401), without one an anonymous
// visitor (the zero Principal), rate-limited per client address.
func registerOpen[I, O any](s *server, op huma.Operation, who string, h func(context.Context, *I) (*O, error)) {
	op.Security = []map[string][]string{{}, {securityScheme: {}}}
	op.Middlewares = append(op.Middlewares, func(hctx huma.Context, next func(huma.Context)) {
		ctx := hctx.Context()
		var p model.Principal
		var err error
		if hctx.Header("Authorization") != "" {
			p, err = s.authenticate(ctx, hctx.Header("Authorization"))
		} else {
			err = s.d.Assistant.Allow(ctx)
		}
		if err != nil {
			switch model.ErrorCode(err) {
			case model.EUNAUTHORIZED:
				hctx.SetHeader("WWW-Authenticate", `Bearer realm="aftercare"`)
			case model.ERATELIMIT:
				hctx.SetHeader("Retry-After", strconv.Itoa(int(publicRetryAfter.Seconds())))
			}
			_ = huma.WriteErr(s.api, hctx, http.StatusInternalServerError, "", err)
			return
		}
		next(huma.WithContext(hctx, context.WithValue(ctx, principalKey{}, p)))
	})
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = MaxBodyBytes
	}
	if op.Description != "" {
		op.Description += "\n\n"
	}
	op.Description += "Allowed: " + who + "."
	op.Errors = append([]int{http.StatusUnauthorized, http.StatusTooManyRequests}, op.Errors...)
	huma.Register(s.api, op, h)
}
