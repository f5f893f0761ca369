package store

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
)

const suggestionColumns = `id, article_id, base_version, title, body, note, status, by_name, created_at, decided_at, decided_by`

func scanSuggestion(r Row, g *model.ArticleSuggestion) error {
	return r.Scan(&g.ID, &g.ArticleID, &g.BaseVersion, &g.Title, &g.Body, &g.Note, &g.Status, &g.ByName, &g.CreatedAt,
		&g.DecidedAt, &g.DecidedBy)
}

// CreateSuggestion stores an edit suggested to an article.
func (s *Store) CreateSuggestion(ctx context.Context, g *model.ArticleSuggestion, byID *int64) error {
	g.CreatedAt, g.Status = s.Now(), model.SuggestionOpen
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO kb_suggestions (article_id, base_version, title, body, note, status, by_id,
			by_name, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8) RETURNING id`,
			g.ArticleID, g.BaseVersion, g.Title, g.Body, g.Note, byID, g.ByName, g.CreatedAt).Scan(&g.ID)
		if isForeignKey(err) {
			return model.Errorf(model.ENOTFOUND, "article not found")
		}
		return err
	})
}

// Suggestions returns the suggestions of an article (articleID 0: of
// every article) with status (empty: any), newest first.
func (s *Store) Suggestions(ctx context.Context, articleID int64, status model.SuggestionStatus) ([]model.ArticleSuggestion, error) {
	rows, err := s.Read().Query(ctx, "SELECT "+suggestionColumns+` FROM kb_suggestions
		WHERE ($1 = 0 OR article_id = $1) AND ($2 = '' OR status = $2) ORDER BY created_at DESC, id DESC LIMIT 500`,
		articleID, string(status))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.ArticleSuggestion
	for rows.Next() {
		var g model.ArticleSuggestion
		if err := scanSuggestion(rows, &g); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// SuggestionByID returns one suggestion.
func (s *Store) SuggestionByID(ctx context.Context, id int64) (*model.ArticleSuggestion, error) {
	var g model.ArticleSuggestion
	if err := scanSuggestion(s.Read().QueryRow(ctx, "SELECT "+suggestionColumns+" FROM kb_suggestions WHERE id = $1", id), &g); err != nil {
		return nil, notFound(err, "suggestion")
	}
	return &g, nil
}

// DecideSuggestion closes an open suggestion as applied or dismissed; one
// already decided is ECONFLICT.
func (s *Store) DecideSuggestion(ctx context.Context, id int64, to model.SuggestionStatus, by string) error {
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `UPDATE kb_suggestions SET status = $1, decided_at = $2, decided_by = $3
			WHERE id = $4 AND status = 'open'`, string(to), s.Now(), by, id)
		if err != nil {
			return err
		}
		if n != 1 {
			return model.Errorf(model.ECONFLICT, "the suggestion was already decided")
		}
		return nil
	})
}

// ApplySuggestion writes an open suggestion's title and body as a new
// version of its article (edit may change more) and marks it applied, in
// one transaction.
func (s *Store) ApplySuggestion(ctx context.Context, id int64, by, change string, edit func(a *model.Article, g *model.ArticleSuggestion) error) (*model.Article, error) {
	var a *model.Article
	err := s.Tx(ctx, func(q Querier) error {
		var g model.ArticleSuggestion
		if err := scanSuggestion(q.QueryRow(ctx, "SELECT "+suggestionColumns+" FROM kb_suggestions WHERE id = $1"+s.forUpdate(), id), &g); err != nil {
			return notFound(err, "suggestion")
		}
		if g.Status != model.SuggestionOpen {
			return model.Errorf(model.ECONFLICT, "the suggestion was already decided")
		}
		var err error
		if a, err = s.updateArticle(ctx, q, g.ArticleID, 0, change, func(a *model.Article) error { return edit(a, &g) }); err != nil {
			return err
		}
		_, err = q.Exec(ctx, `UPDATE kb_suggestions SET status = 'applied', decided_at = $1, decided_by = $2 WHERE id = $3`,
			s.Now(), by, id)
		return err
	})
	return a, err
}
