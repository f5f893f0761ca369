package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// The recent search index. A word neither common nor rare costs a search
// on PostgreSQL the most: its window of recency blocks is wide (17,402
// documents for "noise" at a million requests) and each document is
// tested (11–19 ms), while the GIN index over the whole table holds every
// one of its matches (24,682). So the store keeps a second GIN index, over
// the documents of the newest requests only, partial on request_id >= a
// threshold: a window inside it is read as that index's bitmap ANDed with
// the window's — 2,245 matches for "noise", 1.2 ms. The threshold is a
// multiple of the span (searchRecentSpan requests) between one and two
// spans below the newest request; RefreshRecentSearchIndex, run hourly
// and at the end of a bulk load, builds the next one (CONCURRENTLY: no
// lock on writes) once the newest request is two spans past it, then
// drops the old. Results never depend on it: a search that planned with
// a threshold whose index is gone reads the same rows another way.

// searchRecentSpan is how many of the newest requests the recent search
// index covers at least (and at most twice as many).
const searchRecentSpan = 100_000

// recentIndexPrefix begins the name of the recent search index; its
// threshold follows.
const recentIndexPrefix = "request_search_recent_"

// searchRecentSpanSize is searchRecentSpan, or what a test set instead.
func (s *Store) searchRecentSpanSize() int64 {
	if s.searchRecentSpan > 0 {
		return s.searchRecentSpan
	}
	return searchRecentSpan
}

// recentSearchIndexes returns the recent search indexes by threshold,
// with whether each is valid (a CONCURRENTLY build cut short leaves an
// invalid one).
func (s *Store) recentSearchIndexes(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.relname, i.indisvalid FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = 'request_search'::regclass AND c.relname LIKE '`+recentIndexPrefix+`%'`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var name string
		var valid bool
		if err := rows.Scan(&name, &valid); err != nil {
			return nil, err
		}
		if t, err := strconv.ParseInt(strings.TrimPrefix(name, recentIndexPrefix), 10, 64); err == nil {
			out[t] = valid
		}
	}
	return out, rows.Err()
}

// RecentSearchThreshold returns the threshold of the valid recent search
// index (0: none). SQLite has none.
func (s *Store) RecentSearchThreshold(ctx context.Context) (int64, error) {
	if s.dialect != Postgres {
		return 0, nil
	}
	idx, err := s.recentSearchIndexes(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: recent search index: %w", mapError(err))
	}
	var best int64
	for t, valid := range idx {
		if valid && t > best {
			best = t
		}
	}
	return best, nil
}

// RefreshRecentSearchIndex makes the recent search index cover between
// one and two spans of the newest requests: when the store has fewer than
// two spans of requests there is none (the whole index is small), and
// when the newest request is two spans past the current threshold the
// next one is built and the others dropped. It returns the threshold in
// use afterwards. It takes no lock that stops writes (CREATE and DROP
// INDEX CONCURRENTLY), so it runs beside the live store; two nodes
// running it at once build the same index (IF NOT EXISTS). SQLite has
// nothing to do.
func (s *Store) RefreshRecentSearchIndex(ctx context.Context) (int64, error) {
	if s.dialect != Postgres {
		return 0, nil
	}
	fail := func(err error) (int64, error) {
		return 0, fmt.Errorf("store: recent search index: %w", mapError(err))
	}
	span := s.searchRecentSpanSize()
	var top int64
	if err := s.pool.QueryRow(ctx, "SELECT COALESCE(max(id), 0) FROM requests").Scan(&top); err != nil {
		return fail(err)
	}
	idx, err := s.recentSearchIndexes(ctx)
	if err != nil {
		return fail(err)
	}
	// The multiple of the span between one and two spans below the newest
	// request: the index in use while it stays the same.
	var want int64
	if top >= 2*span {
		want = (top - span) / span * span
	}
	if want > 0 && !idx[want] {
		name := recentIndexPrefix + strconv.FormatInt(want, 10)
		if _, ok := idx[want]; ok { // invalid: a build cut short
			if _, err := s.pool.Exec(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+name); err != nil {
				return fail(err)
			}
		}
		if _, err := s.pool.Exec(ctx, "CREATE INDEX CONCURRENTLY IF NOT EXISTS "+name+
			" ON request_search USING GIN (tsv) WHERE request_id >= "+strconv.FormatInt(want, 10)); err != nil {
			return fail(err)
		}
	}
	for t := range idx {
		if t != want {
			if _, err := s.pool.Exec(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+recentIndexPrefix+strconv.FormatInt(t, 10)); err != nil {
				return fail(err)
			}
		}
	}
	s.searchStats.forget()
	return want, nil
}
