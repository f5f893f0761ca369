package store

import (
	"context"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

const articleColumns = `id, translation_of, locale, title, body, category, tags, products, visibility, status, version,
	author_id, author_name, views, created_at, updated_at`

func scanArticle(r Row, a *model.Article) error {
	var tags, products string
	if err := r.Scan(&a.ID, &a.TranslationOf, &a.Locale, &a.Title, &a.Body, &a.Category, &tags, &products, &a.Visibility,
		&a.Status, &a.Version, &a.AuthorID, &a.AuthorName, &a.Views, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return err
	}
	a.Tags, a.Products = splitList(tags), splitList(products)
	return nil
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func joinList(l []string) string { return strings.Join(l, ",") }

// CreateArticle inserts a new article at version 1, its first version
// row and, when published, its search terms, in one transaction. The
// article it translates must exist.
func (s *Store) CreateArticle(ctx context.Context, a *model.Article, change string) error {
	now := s.Now()
	a.CreatedAt, a.UpdatedAt, a.Version = now, now, 1
	return s.Tx(ctx, func(q Querier) error {
		if a.TranslationOf != nil {
			var one int
			if err := q.QueryRow(ctx, "SELECT 1 FROM kb_articles WHERE id = $1", *a.TranslationOf).Scan(&one); err != nil {
				if e := notFound(err, "article"); model.ErrorCode(e) == model.ENOTFOUND {
					return model.FieldError("translation_of", "no such article")
				}
				return err
			}
		}
		err := q.QueryRow(ctx, `INSERT INTO kb_articles (translation_of, locale, title, body, category, tags, products,
			visibility, status, version, author_id, author_name, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12, $12) RETURNING id`,
			a.TranslationOf, a.Locale, a.Title, a.Body, a.Category, joinList(a.Tags), joinList(a.Products),
			string(a.Visibility), string(a.Status), a.AuthorID, a.AuthorName, now).Scan(&a.ID)
		if err != nil {
			return err
		}
		if err := s.insertArticleVersion(ctx, q, a, change); err != nil {
			return err
		}
		return s.indexArticle(ctx, q, a)
	})
}

func (s *Store) insertArticleVersion(ctx context.Context, q Querier, a *model.Article, change string) error {
	_, err := q.Exec(ctx, `INSERT INTO kb_article_versions (article_id, version, title, body, locale, category, tags,
		products, visibility, status, change_note, author_id, author_name, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		a.ID, a.Version, a.Title, a.Body, a.Locale, a.Category, joinList(a.Tags), joinList(a.Products),
		string(a.Visibility), string(a.Status), change, a.AuthorID, a.AuthorName, a.UpdatedAt)
	return err
}

// UpdateArticle saves a new version of article a.ID: it locks the row,
// checks that it is still at version (else ECONFLICT), lets edit change
// the current article, then writes the article, the version row and the
// search terms in one transaction.
func (s *Store) UpdateArticle(ctx context.Context, id int64, version int, change string, edit func(a *model.Article) error) (*model.Article, error) {
	var a *model.Article
	err := s.Tx(ctx, func(q Querier) error {
		var err error
		a, err = s.updateArticle(ctx, q, id, version, change, edit)
		return err
	})
	return a, err
}

func (s *Store) updateArticle(ctx context.Context, q Querier, id int64, version int, change string, edit func(a *model.Article) error) (*model.Article, error) {
	var a model.Article
	if err := scanArticle(q.QueryRow(ctx, "SELECT "+articleColumns+" FROM kb_articles WHERE id = $1"+s.forUpdate(), id), &a); err != nil {
		return nil, notFound(err, "article")
	}
	if version != 0 && a.Version != version {
		return nil, &model.Error{Code: model.ECONFLICT, Field: "version",
			Message: "the article was changed by someone else; reload it", Format: "the article was changed by someone else; reload it"}
	}
	if err := edit(&a); err != nil {
		return nil, err
	}
	a.Version++
	a.UpdatedAt = s.Now()
	n, err := q.Exec(ctx, `UPDATE kb_articles SET locale = $1, title = $2, body = $3, category = $4, tags = $5,
		products = $6, visibility = $7, status = $8, version = $9, author_id = $10, author_name = $11, updated_at = $12
		WHERE id = $13 AND version = $14`,
		a.Locale, a.Title, a.Body, a.Category, joinList(a.Tags), joinList(a.Products), string(a.Visibility),
		string(a.Status), a.Version, a.AuthorID, a.AuthorName, a.UpdatedAt, a.ID, a.Version-1)
	if err != nil {
		return nil, err
	}
	if n != 1 {
		return nil, model.Errorf(model.ECONFLICT, "the article was changed by someone else; reload it")
	}
	if err := s.insertArticleVersion(ctx, q, &a, change); err != nil {
		return nil, err
	}
	return &a, s.indexArticle(ctx, q, &a)
}

// ArticleByID returns an article at its current version.
func (s *Store) ArticleByID(ctx context.Context, id int64) (*model.Article, error) {
	var a model.Article
	if err := scanArticle(s.Read().QueryRow(ctx, "SELECT "+articleColumns+" FROM kb_articles WHERE id = $1", id), &a); err != nil {
		return nil, notFound(err, "article")
	}
	return &a, nil
}

// ArticleFilter selects articles for a list.
type ArticleFilter struct {
	Locale string
	// PublicOnly leaves out internal articles and drafts.
	PublicOnly bool
	Category   string
	// Limit is the page size (default DefaultPageSize, at most
	// MaxPageSize); Cursor is the previous page's NextCursor.
	Limit  int
	Cursor string
}

// ArticlePage is one page of articles; NextCursor is empty on the last.
type ArticlePage struct {
	Items      []model.Article
	NextCursor string
}

// ListArticles returns one page of articles, most recently updated
// first, by keyset (updated_at, id): every page is a range of the
// kb_articles_list index, however many articles there are.
func (s *Store) ListArticles(ctx context.Context, f ArticleFilter) (ArticlePage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	if f.Limit > MaxPageSize {
		return ArticlePage{}, model.FieldError("limit", "must be at most %d", MaxPageSize)
	}
	where, args := []string{"1 = 1"}, []any{}
	if f.Locale != "" {
		args = append(args, f.Locale)
		where = append(where, "locale = $"+itoa(len(args)))
	}
	if f.Category != "" {
		args = append(args, f.Category)
		where = append(where, "category = $"+itoa(len(args)))
	}
	if f.PublicOnly {
		where = append(where, "visibility = 'public' AND status = 'published'")
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, "kb")
		if err != nil {
			return ArticlePage{}, err
		}
		args = append(args, c.At, c.ID)
		where = append(where, "(updated_at, id) < ($"+itoa(len(args)-1)+", $"+itoa(len(args))+")")
	}
	args = append(args, f.Limit+1)
	rows, err := s.Read().Query(ctx, "SELECT "+articleColumns+" FROM kb_articles WHERE "+strings.Join(where, " AND ")+
		" ORDER BY updated_at DESC, id DESC LIMIT $"+itoa(len(args)), args...)
	if err != nil {
		return ArticlePage{}, err
	}
	defer rows.Close()
	var page ArticlePage
	for rows.Next() {
		var a model.Article
		if err := scanArticle(rows, &a); err != nil {
			return ArticlePage{}, err
		}
		page.Items = append(page.Items, a)
	}
	if err := rows.Err(); err != nil {
		return ArticlePage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[f.Limit-1]
		page.NextCursor = cursor{Sort: "kb", At: last.UpdatedAt, ID: last.ID}.encode()
	}
	return page, nil
}

// Translations returns the articles linked to id as translations: those
// that translate it and the one it translates.
func (s *Store) Translations(ctx context.Context, a *model.Article) ([]model.Article, error) {
	root := a.ID
	if a.TranslationOf != nil {
		root = *a.TranslationOf
	}
	rows, err := s.Read().Query(ctx, "SELECT "+articleColumns+` FROM kb_articles
		WHERE (id = $1 OR translation_of = $1) AND id <> $2 ORDER BY id`, root, a.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Article
	for rows.Next() {
		var t model.Article
		if err := scanArticle(rows, &t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ArticleVersions returns every version of an article, newest first.
func (s *Store) ArticleVersions(ctx context.Context, id int64) ([]model.ArticleVersion, error) {
	rows, err := s.Read().Query(ctx, `SELECT article_id, version, title, body, locale, category, tags, products, visibility,
		status, change_note, author_name, created_at FROM kb_article_versions WHERE article_id = $1 ORDER BY version DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.ArticleVersion
	for rows.Next() {
		var v model.ArticleVersion
		var tags, products string
		if err := rows.Scan(&v.ArticleID, &v.Version, &v.Title, &v.Body, &v.Locale, &v.Category, &tags, &products,
			&v.Visibility, &v.Status, &v.Change, &v.AuthorName, &v.CreatedAt); err != nil {
			return nil, err
		}
		v.Tags, v.Products = splitList(tags), splitList(products)
		out = append(out, v)
	}
	return out, rows.Err()
}

// CountArticleView adds one to an article's views.
func (s *Store) CountArticleView(ctx context.Context, id int64) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "UPDATE kb_articles SET views = views + 1 WHERE id = $1", id)
		return err
	})
}
