package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

func itoa(n int) string { return strconv.Itoa(n) }

// Knowledge-base search. Both stores index the same terms (package
// tokenize: the title's terms twice, so a title word weighs double, then
// the body's) of published articles only, and rank with the same BM25
// (k1 = 1.2, b = 0.75, idf = ln((N − n + 0.5)/(n + 0.5)), at least 1e-6):
// SQLite's FTS5 bm25() computes it, and on PostgreSQL the query below
// does, from the GIN-indexed tsvector (the lexemes' positions give the term
// frequencies). N and n count every published article, whatever its
// visibility or language, as FTS5 does.

// articleTerms are the indexed terms of an article.
func articleTerms(a *model.Article) []string {
	title := tokenize.Terms(a.Title)
	terms := make([]string, 0, 2*len(title)+64)
	terms = append(terms, title...)
	terms = append(terms, title...)
	return append(terms, tokenize.Terms(a.Body)...)
}

// indexArticle writes the search terms of a (none for a draft) in the
// caller's transaction.
func (s *Store) indexArticle(ctx context.Context, q Querier, a *model.Article) error {
	var terms []string
	if a.Status == model.ArticlePublished {
		terms = articleTerms(a)
	}
	if s.dialect == Postgres {
		var tsv *string
		if len(terms) > 0 {
			v := tsvectorText(terms)
			tsv = &v
		}
		_, err := q.Exec(ctx, "UPDATE kb_articles SET tsv = $1::tsvector, doc_len = $2 WHERE id = $3", tsv, len(terms), a.ID)
		return err
	}
	if _, err := q.Exec(ctx, "DELETE FROM kb_fts WHERE rowid = $1", a.ID); err != nil {
		return err
	}
	if _, err := q.Exec(ctx, "UPDATE kb_articles SET doc_len = $1 WHERE id = $2", len(terms), a.ID); err != nil {
		return err
	}
	if len(terms) == 0 {
		return nil
	}
	_, err := q.Exec(ctx, "INSERT INTO kb_fts (rowid, terms) VALUES ($1, $2)", a.ID, strings.Join(terms, " "))
	return err
}

// tsvectorText writes terms as tsvector input: each lexeme quoted, with
// its positions (PostgreSQL keeps at most 256 per lexeme, up to 16383).
func tsvectorText(terms []string) string {
	pos := map[string][]int{}
	var order []string
	for i, t := range terms {
		if _, ok := pos[t]; !ok {
			order = append(order, t)
		}
		if p := pos[t]; len(p) < 256 {
			pos[t] = append(p, min(i+1, 16383))
		}
	}
	var b strings.Builder
	for i, t := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('\'')
		b.WriteString(strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(t))
		b.WriteString("':")
		last := 0
		for j, p := range pos[t] {
			if p == last {
				continue // positions are distinct
			}
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
			last = p
		}
	}
	return b.String()
}

// ArticleSearch is a ranked search of published articles.
type ArticleSearch struct {
	// Terms are the query's terms (tokenize.Query); any of them matches.
	Terms []string
	// Locale, when set, keeps one language.
	Locale string
	// PublicOnly leaves out internal articles (customers, visitors).
	PublicOnly bool
	Limit      int
}

// SearchArticles returns the published articles matching any term, best
// first (BM25, then id).
func (s *Store) SearchArticles(ctx context.Context, f ArticleSearch) ([]model.ArticleHit, error) {
	if len(f.Terms) == 0 {
		return nil, nil
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 10
	}
	vis := "'public', 'internal'"
	if f.PublicOnly {
		vis = "'public'"
	}
	cols := "a." + strings.ReplaceAll(strings.ReplaceAll(articleColumns, "\n\t", " "), ", ", ", a.")
	var query string
	var args []any
	if s.dialect == Postgres {
		quoted := make([]string, len(f.Terms))
		for i, t := range f.Terms {
			quoted[i] = "'" + strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(t) + "'"
		}
		args = []any{f.Terms, strings.Join(quoted, " | "), f.Locale, f.Limit}
		query = `WITH t AS (
				SELECT a.id, u.lexeme, cardinality(u.positions)::float8 AS tf, a.doc_len::float8 AS dl
				FROM kb_articles a, unnest(a.tsv) u
				WHERE a.status = 'published' AND a.tsv @@ $2::tsquery AND u.lexeme = ANY($1::text[])),
			st AS (SELECT count(*)::float8 AS n, coalesce(avg(doc_len), 1)::float8 AS avgdl
				FROM kb_articles WHERE status = 'published'),
			df AS (SELECT lexeme, count(*)::float8 AS n FROM t GROUP BY lexeme),
			sc AS (SELECT t.id, sum(greatest(ln((st.n - df.n + 0.5) / (df.n + 0.5)), 1e-6)
					* t.tf * 2.2 / (t.tf + 1.2 * (0.25 + 0.75 * t.dl / st.avgdl))) AS score
				FROM t JOIN df USING (lexeme) CROSS JOIN st GROUP BY t.id)
			SELECT ` + cols + `, sc.score FROM sc JOIN kb_articles a ON a.id = sc.id
			WHERE a.visibility IN (` + vis + `) AND ($3 = '' OR a.locale = $3)
			ORDER BY sc.score DESC, a.id LIMIT $4`
	} else {
		quoted := make([]string, len(f.Terms))
		for i, t := range f.Terms {
			quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		args = []any{strings.Join(quoted, " OR "), f.Locale, f.Limit}
		query = `SELECT ` + cols + `, -bm25(kb_fts) AS score FROM kb_fts JOIN kb_articles a ON a.id = kb_fts.rowid
			WHERE kb_fts MATCH $1 AND a.status = 'published' AND a.visibility IN (` + vis + `)
			AND ($2 = '' OR a.locale = $2)
			ORDER BY bm25(kb_fts), a.id LIMIT $3`
	}
	rows, err := s.Read().Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.ArticleHit
	for rows.Next() {
		var h model.ArticleHit
		var tags, products string
		a := &h.Article
		if err := rows.Scan(&a.ID, &a.TranslationOf, &a.Locale, &a.Title, &a.Body, &a.Category, &tags, &products,
			&a.Visibility, &a.Status, &a.Version, &a.AuthorID, &a.AuthorName, &a.Views, &a.CreatedAt, &a.UpdatedAt,
			&h.Score); err != nil {
			return nil, err
		}
		a.Tags, a.Products = splitList(tags), splitList(products)
		out = append(out, h)
	}
	return out, rows.Err()
}
