// Package kb is the knowledge base (issue 12, product.md capability 8):
// articles in zh-CN and en with linked translations, categories, tags,
// products, public or internal visibility, drafts and versions; ranked
// search in the database (package tokenize for the terms, store for
// BM25); agents' suggested edits; and the counts behind the deflection
// and gap reports.
//
// Who sees what: staff read every article, drafts included; customers and
// anonymous visitors (the zero Principal) read published public articles
// only, and any other id is "not found" to them. Admins and managers
// write (kb.write); agents suggest edits (kb.suggest).
package kb

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

// Limits of an article's fields, in characters.
const (
	MaxTitle    = 200
	MaxBody     = 100_000
	MaxCategory = 80
	MaxTag      = 40
	MaxTags     = 20
	MaxChange   = 500
	MaxQuery    = 500
)

// DeflectionSettle is how long after opening the new-request form a visit
// that opened an article and submitted nothing counts as deflected.
const DeflectionSettle = 30 * time.Minute

// Service runs the knowledge base.
type Service struct {
	store *store.Store
	// hist is the learnt history behind the agent panel (history.go).
	hist *historyCache
}

// NewService returns the knowledge base over st.
func NewService(st *store.Store) *Service { return &Service{store: st, hist: &historyCache{}} }

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

func notFound() error { return model.Errorf(model.ENOTFOUND, "article not found") }

// Input is an article as written: every field of a new article, or, for
// an update, the fields to change (nil: unchanged).
type Input struct {
	Title         *string
	Body          *string
	Locale        *string
	Category      *string
	Tags          *[]string
	Products      *[]string
	Visibility    *model.Visibility
	Status        *model.ArticleStatus
	TranslationOf *int64
	// Change says what this version changed (shown in the history).
	Change string
}

// apply validates in and writes it onto a.
func (in Input) apply(a *model.Article) error {
	if in.Title != nil {
		a.Title = strings.TrimSpace(*in.Title)
	}
	if in.Body != nil {
		a.Body = *in.Body
	}
	if in.Locale != nil {
		a.Locale = *in.Locale
	}
	if in.Category != nil {
		a.Category = strings.TrimSpace(*in.Category)
	}
	if in.Tags != nil {
		a.Tags = cleanList(*in.Tags)
	}
	if in.Products != nil {
		a.Products = cleanList(*in.Products)
	}
	if in.Visibility != nil {
		a.Visibility = *in.Visibility
	}
	if in.Status != nil {
		a.Status = *in.Status
	}
	switch {
	case a.Title == "":
		return model.FieldError("title", "is required")
	case utf8.RuneCountInString(a.Title) > MaxTitle:
		return model.FieldError("title", "must be at most %d characters", MaxTitle)
	case strings.TrimSpace(a.Body) == "":
		return model.FieldError("body", "is required")
	case utf8.RuneCountInString(a.Body) > MaxBody:
		return model.FieldError("body", "must be at most %d characters", MaxBody)
	case a.Locale != "zh-CN" && a.Locale != "en":
		return model.FieldError("locale", "must be zh-CN or en")
	case utf8.RuneCountInString(a.Category) > MaxCategory:
		return model.FieldError("category", "must be at most %d characters", MaxCategory)
	case len(a.Tags) > MaxTags:
		return model.FieldError("tags", "at most %d tags", MaxTags)
	case len(a.Products) > MaxTags:
		return model.FieldError("products", "at most %d products", MaxTags)
	case !a.Visibility.Valid():
		return model.FieldError("visibility", "must be public or internal")
	case !a.Status.Valid():
		return model.FieldError("status", "must be draft or published")
	case utf8.RuneCountInString(in.Change) > MaxChange:
		return model.FieldError("change", "must be at most %d characters", MaxChange)
	}
	for _, t := range append(append([]string{}, a.Tags...), a.Products...) {
		if utf8.RuneCountInString(t) > MaxTag {
			return model.FieldError("tags", "a tag or product must be at most %d characters", MaxTag)
		}
	}
	return nil
}

// cleanList trims the items, drops empty ones and duplicates, and takes
// commas out (lists are stored comma-separated).
func cleanList(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(strings.ReplaceAll(s, ",", " "))
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func author(p model.Principal, a *model.Article) {
	a.AuthorName = p.Name
	a.AuthorID = nil
	if p.IsStaff() && p.ID != 0 {
		id := p.ID
		a.AuthorID = &id
	}
}

// Create stores a new article (version 1).
func (s *Service) Create(ctx context.Context, p model.Principal, in Input) (*model.Article, error) {
	if !p.Can(model.PermKBWrite) {
		return nil, forbidden()
	}
	a := &model.Article{Visibility: model.VisibilityPublic, Status: model.ArticlePublished, TranslationOf: in.TranslationOf}
	if in.Title == nil {
		return nil, model.FieldError("title", "is required")
	}
	if in.Body == nil {
		return nil, model.FieldError("body", "is required")
	}
	if in.Locale == nil {
		return nil, model.FieldError("locale", "must be zh-CN or en")
	}
	if err := in.apply(a); err != nil {
		return nil, err
	}
	author(p, a)
	if err := s.store.CreateArticle(ctx, a, in.Change); err != nil {
		return nil, err
	}
	return a, nil
}

// Update saves a new version of article id. version is the version the
// writer started from (0: the current one); a stale one is ECONFLICT.
func (s *Service) Update(ctx context.Context, p model.Principal, id int64, version int, in Input) (*model.Article, error) {
	if !p.Can(model.PermKBWrite) {
		return nil, forbidden()
	}
	if in.TranslationOf != nil {
		return nil, model.FieldError("translation_of", "is set when the translation is created")
	}
	return s.store.UpdateArticle(ctx, id, version, in.Change, func(a *model.Article) error {
		if err := in.apply(a); err != nil {
			return err
		}
		author(p, a)
		return nil
	})
}

// visible reports whether p may read a.
func visible(p model.Principal, a *model.Article) bool {
	return p.IsStaff() || (a.Visibility == model.VisibilityPublic && a.Status == model.ArticlePublished)
}

// Get returns article id if p may read it.
func (s *Service) Get(ctx context.Context, p model.Principal, id int64) (*model.Article, error) {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !visible(p, a) {
		return nil, notFound()
	}
	return a, nil
}

// Translations returns the other-language versions of a that p may read.
func (s *Service) Translations(ctx context.Context, p model.Principal, a *model.Article) ([]model.Article, error) {
	ts, err := s.store.Translations(ctx, a)
	if err != nil {
		return nil, err
	}
	out := ts[:0]
	for _, t := range ts {
		if visible(p, &t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// View counts one reading of an article by a customer or visitor.
func (s *Service) View(ctx context.Context, id int64) error { return s.store.CountArticleView(ctx, id) }

// List returns one page of the articles p may read, last updated first
// (f.PublicOnly is forced for everyone but staff).
func (s *Service) List(ctx context.Context, p model.Principal, f store.ArticleFilter) (store.ArticlePage, error) {
	f.PublicOnly = f.PublicOnly || !p.IsStaff()
	return s.store.ListArticles(ctx, f)
}

// Versions returns an article's history (staff only).
func (s *Service) Versions(ctx context.Context, p model.Principal, id int64) ([]model.ArticleVersion, error) {
	if !p.IsStaff() {
		return nil, notFound()
	}
	if _, err := s.store.ArticleByID(ctx, id); err != nil {
		return nil, err
	}
	return s.store.ArticleVersions(ctx, id)
}

// Hit is a search result with its snippet.
type Hit struct {
	model.ArticleHit
	// Snippet is the best passage of the body, plain text.
	Snippet string
	// Marks are the byte ranges of Snippet that matched the query, for
	// highlighting.
	Marks [][2]int
}

// Query is a search.
type Query struct {
	Text   string
	Locale string
	Limit  int
	// Source is where the search came from (logged for the gap report);
	// empty: not logged.
	Source model.SearchSource
	// PublicOnly keeps staff to public articles too (the assistant).
	PublicOnly bool
}

// Search returns the published articles p may read that match q, best
// first, with snippets.
func (s *Service) Search(ctx context.Context, p model.Principal, q Query) ([]Hit, error) {
	q.Text = strings.TrimSpace(q.Text)
	if utf8.RuneCountInString(q.Text) > MaxQuery {
		return nil, model.FieldError("q", "must be at most %d characters", MaxQuery)
	}
	if q.Locale != "" && q.Locale != "zh-CN" && q.Locale != "en" {
		return nil, model.FieldError("locale", "must be zh-CN or en")
	}
	if q.Limit <= 0 {
		q.Limit = 10
	}
	if q.Limit > 50 {
		return nil, model.FieldError("limit", "must be at most 50")
	}
	terms, _ := tokenize.Query(q.Text)
	hits, err := s.store.SearchArticles(ctx, store.ArticleSearch{Terms: terms, Locale: q.Locale,
		PublicOnly: q.PublicOnly || !p.IsStaff(), Limit: q.Limit})
	if err != nil {
		return nil, err
	}
	if q.Source != "" && q.Text != "" {
		if err := s.store.LogSearch(ctx, q.Text, q.Locale, q.Source, len(hits)); err != nil {
			return nil, err
		}
	}
	out := make([]Hit, len(hits))
	for i, h := range hits {
		out[i] = Hit{ArticleHit: h}
		out[i].Snippet, out[i].Marks = Snippet(h.Body, terms, 160)
	}
	return out, nil
}

// LogSearch records a search made on behalf of someone (the assistant)
// for the gap report.
func (s *Service) LogSearch(ctx context.Context, query, locale string, src model.SearchSource, results int) error {
	return s.store.LogSearch(ctx, query, locale, src, results)
}
