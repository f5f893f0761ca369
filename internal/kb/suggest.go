package kb

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// Suggest records an edit an agent proposes to article id; an admin or
// manager applies or dismisses it.
func (s *Service) Suggest(ctx context.Context, p model.Principal, id int64, title, body, note string) (*model.ArticleSuggestion, error) {
	if !p.Can(model.PermKBSuggest) {
		return nil, forbidden()
	}
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		return nil, model.FieldError("title", "is required")
	case utf8.RuneCountInString(title) > MaxTitle:
		return nil, model.FieldError("title", "must be at most %d characters", MaxTitle)
	case strings.TrimSpace(body) == "":
		return nil, model.FieldError("body", "is required")
	case utf8.RuneCountInString(body) > MaxBody:
		return nil, model.FieldError("body", "must be at most %d characters", MaxBody)
	case utf8.RuneCountInString(note) > MaxChange:
		return nil, model.FieldError("note", "must be at most %d characters", MaxChange)
	case title == a.Title && body == a.Body:
		return nil, model.FieldError("body", "changes nothing")
	}
	g := &model.ArticleSuggestion{ArticleID: id, BaseVersion: a.Version, Title: title, Body: body, Note: note, ByName: p.Name}
	var by *int64
	if p.ID != 0 {
		by = &p.ID
	}
	if err := s.store.CreateSuggestion(ctx, g, by); err != nil {
		return nil, err
	}
	return g, nil
}

// Suggestions lists suggested edits: of one article (0: all) with a
// status (empty: any). Staff only.
func (s *Service) Suggestions(ctx context.Context, p model.Principal, articleID int64, status model.SuggestionStatus) ([]model.ArticleSuggestion, error) {
	if !p.Can(model.PermKBSuggest) && !p.Can(model.PermKBWrite) {
		return nil, forbidden()
	}
	return s.store.Suggestions(ctx, articleID, status)
}

// Suggestion returns one suggested edit (staff who suggest or write).
func (s *Service) Suggestion(ctx context.Context, p model.Principal, id int64) (*model.ArticleSuggestion, error) {
	if !p.Can(model.PermKBSuggest) && !p.Can(model.PermKBWrite) {
		return nil, forbidden()
	}
	return s.store.SuggestionByID(ctx, id)
}

// Apply makes an open suggestion the article's next version.
func (s *Service) Apply(ctx context.Context, p model.Principal, id int64) (*model.Article, error) {
	if !p.Can(model.PermKBWrite) {
		return nil, forbidden()
	}
	return s.store.ApplySuggestion(ctx, id, p.Name, "", func(a *model.Article, g *model.ArticleSuggestion) error {
		a.Title, a.Body = g.Title, g.Body
		author(p, a)
		return nil
	})
}

// Dismiss closes an open suggestion without applying it.
func (s *Service) Dismiss(ctx context.Context, p model.Principal, id int64) error {
	if !p.Can(model.PermKBWrite) {
		return forbidden()
	}
	return s.store.DecideSuggestion(ctx, id, model.SuggestionDismissed, p.Name)
}

// Report is the knowledge base's effect: deflection per article and the
// searches that found nothing.
type Report struct {
	Since      time.Time
	Deflection []model.DeflectionStat
	Gaps       []model.SearchGap
	Searches   int
	Empty      int
}

// Report returns the deflection and gap report for the last days.
func (s *Service) Report(ctx context.Context, p model.Principal, days int) (*Report, error) {
	if !p.Can(model.PermKBReport) {
		return nil, forbidden()
	}
	if days <= 0 || days > 3660 {
		return nil, model.FieldError("days", "must be between 1 and 3660")
	}
	r := &Report{Since: s.store.Now().AddDate(0, 0, -days)}
	var err error
	if r.Deflection, err = s.store.DeflectionStats(ctx, r.Since, DeflectionSettle); err != nil {
		return nil, err
	}
	if r.Gaps, err = s.store.SearchGaps(ctx, r.Since, 100); err != nil {
		return nil, err
	}
	if r.Searches, r.Empty, err = s.store.SearchCounts(ctx, r.Since); err != nil {
		return nil, err
	}
	return r, nil
}

// StartVisit records that a customer opened the new-request form; token
// names the visit in the form and in the article links it shows.
func (s *Service) StartVisit(ctx context.Context, p model.Principal, token string) error {
	if !p.IsCustomer() {
		return nil
	}
	return s.store.StartDeflection(ctx, token, p.ID)
}

// OpenedFromVisit records that the visit's customer opened article id from
// the suggestions.
func (s *Service) OpenedFromVisit(ctx context.Context, p model.Principal, token string, id int64) error {
	if !p.IsCustomer() || token == "" {
		return nil
	}
	return s.store.OpenDeflection(ctx, token, p.ID, id)
}

// SubmittedVisit records that the visit ended in a request.
func (s *Service) SubmittedVisit(ctx context.Context, p model.Principal, token string) error {
	if !p.IsCustomer() || token == "" {
		return nil
	}
	return s.store.SubmitDeflection(ctx, token, p.ID)
}
