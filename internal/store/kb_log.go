package store

import (
	"context"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// LogSearch records a knowledge-base search and how many results it
// found (the gap report lists those with none).
func (s *Store) LogSearch(ctx context.Context, query, locale string, src model.SearchSource, results int) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO kb_searches (query, locale, source, results, created_at)
			VALUES ($1, $2, $3, $4, $5)`, query, locale, string(src), results, s.Now())
		return err
	})
}

// SearchGaps returns the queries since then that found nothing, most
// asked first.
func (s *Store) SearchGaps(ctx context.Context, since time.Time, limit int) ([]model.SearchGap, error) {
	rows, err := s.Read().Query(ctx, `SELECT lower(query), locale, count(*), max(created_at) FROM kb_searches
		WHERE created_at >= $1 AND results = 0 GROUP BY lower(query), locale
		ORDER BY count(*) DESC, max(created_at) DESC LIMIT $2`, since, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.SearchGap
	for rows.Next() {
		var g model.SearchGap
		var last any
		if err := rows.Scan(&g.Query, &g.Locale, &g.Count, &last); err != nil {
			return nil, err
		}
		g.Last = anyTime(last)
		out = append(out, g)
	}
	return out, rows.Err()
}

// SearchCounts returns how many searches there were since then and how
// many found nothing.
func (s *Store) SearchCounts(ctx context.Context, since time.Time) (total, empty int, err error) {
	err = s.Read().QueryRow(ctx, `SELECT count(*), coalesce(sum(CASE WHEN results = 0 THEN 1 ELSE 0 END), 0)
		FROM kb_searches WHERE created_at >= $1`, since).Scan(&total, &empty)
	return total, empty, err
}

// StartDeflection records that a customer opened the new-request form
// (token identifies the visit).
func (s *Store) StartDeflection(ctx context.Context, token string, customerID int64) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO kb_deflections (token, customer_id, started_at) VALUES ($1, $2, $3)`,
			token, customerID, s.Now())
		return conflict(err, "token", "visit already started")
	})
}

// OpenDeflection records that the visit's customer opened an article from
// the suggestions (the first one counts). An unknown visit or one of
// another customer changes nothing.
func (s *Store) OpenDeflection(ctx context.Context, token string, customerID, articleID int64) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `UPDATE kb_deflections SET article_id = $1, opened_at = $2
			WHERE token = $3 AND customer_id = $4 AND article_id IS NULL AND submitted_at IS NULL`,
			articleID, s.Now(), token, customerID)
		return err
	})
}

// SubmitDeflection records that the visit ended in a submitted request:
// not deflected.
func (s *Store) SubmitDeflection(ctx context.Context, token string, customerID int64) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `UPDATE kb_deflections SET submitted_at = $1
			WHERE token = $2 AND customer_id = $3 AND submitted_at IS NULL`, s.Now(), token, customerID)
		return err
	})
}

// DeflectionStats counts, per article, the visits since then that opened
// it and, of those older than settle, the ones that never submitted a
// request: deflected. Most opened first.
func (s *Store) DeflectionStats(ctx context.Context, since time.Time, settle time.Duration) ([]model.DeflectionStat, error) {
	cut := s.Now().Add(-settle)
	rows, err := s.Read().Query(ctx, `SELECT a.id, a.title, a.locale, count(*),
			coalesce(sum(CASE WHEN d.submitted_at IS NULL AND d.started_at < $2 THEN 1 ELSE 0 END), 0)
		FROM kb_deflections d JOIN kb_articles a ON a.id = d.article_id
		WHERE d.started_at >= $1 GROUP BY a.id, a.title, a.locale ORDER BY count(*) DESC, a.id`, since, cut)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.DeflectionStat
	for rows.Next() {
		var d model.DeflectionStat
		if err := rows.Scan(&d.ArticleID, &d.Title, &d.Locale, &d.Opened, &d.Deflected); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// anyTime reads an aggregate of a time column: PostgreSQL gives a time,
// SQLite the stored text.
func anyTime(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case string:
		p, _ := time.Parse(timeLayout, t)
		return p
	}
	return time.Time{}
}

// SearchLog is one logged search, for bulk inserts (demo data).
type SearchLog struct {
	Query, Locale string
	Source        model.SearchSource
	Results       int
	At            time.Time
}

// DeflectionVisit is one visit to the new-request form, for bulk inserts
// (demo data).
type DeflectionVisit struct {
	Token       string
	CustomerID  int64
	ArticleID   int64
	StartedAt   time.Time
	OpenedAt    time.Time
	SubmittedAt *time.Time
}

// InsertKBActivity writes logged searches and deflection visits in one
// transaction.
func (s *Store) InsertKBActivity(ctx context.Context, logs []SearchLog, visits []DeflectionVisit) error {
	return s.Tx(ctx, func(q Querier) error {
		for _, l := range logs {
			if _, err := q.Exec(ctx, `INSERT INTO kb_searches (query, locale, source, results, created_at)
				VALUES ($1, $2, $3, $4, $5)`, l.Query, l.Locale, string(l.Source), l.Results, l.At); err != nil {
				return err
			}
		}
		for _, v := range visits {
			if _, err := q.Exec(ctx, `INSERT INTO kb_deflections (token, customer_id, article_id, started_at, opened_at, submitted_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, v.Token, v.CustomerID, v.ArticleID, v.StartedAt, v.OpenedAt, v.SubmittedAt); err != nil {
				return err
			}
		}
		return nil
	})
}
