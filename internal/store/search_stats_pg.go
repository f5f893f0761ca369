package store

import (
	"context"
	"sync"
	"time"
)

// searchStatsTTL is how long a node plans searches with the term
// frequencies it read from pg_stats before it reads them again. ANALYZE
// (autovacuum's, a seed's or another node's) changes them; a plan from
// older figures only reads a window of a different size, never other
// results, so each node keeps its own copy and nothing is invalidated
// across nodes.
const searchStatsTTL = time.Minute

// searchStats is what planSearch needs from the planner's statistics of
// request_search.tsv, kept between searches: reading them takes pg_stats'
// 10,000 most common elements apart (about 6.6 ms of database CPU at a
// million requests), which a search should not pay every time.
type searchStats struct {
	mu     sync.Mutex
	loaded time.Time // zero: read them on the next search
	docs   float64   // rows of request_search (pg_class.reltuples)
	freq   map[string]float64
	least  float64 // frequency of the least common element kept
	recent int64   // threshold of the recent search index, 0: none
}

// forget drops the kept figures, so that the next search reads them.
func (st *searchStats) forget() {
	st.mu.Lock()
	st.loaded = time.Time{}
	st.mu.Unlock()
}

// termStats returns the documents of request_search, the threshold of
// the recent search index (0: none) and, for each of terms, the share of documents that hold it (as the planner guesses:
// a term not among the most common elements is taken to be in half as
// many documents as the least common of them; before the first ANALYZE
// every term is rare, share 0). It reads pg_stats when the kept figures
// are older than searchStatsTTL by the store's clock.
func (s *Store) termStats(ctx context.Context, terms []string) (docs float64, shares []float64, recent int64, err error) {
	st := &s.searchStats
	st.mu.Lock()
	defer st.mu.Unlock()
	if now := s.now(); st.loaded.IsZero() || now.Sub(st.loaded) >= searchStatsTTL || now.Before(st.loaded) {
		if err := s.loadSearchStats(ctx, st); err != nil {
			return 0, nil, 0, err
		}
		st.loaded = now
	}
	shares = make([]float64, len(terms))
	for i, t := range terms {
		f, ok := st.freq[t]
		if !ok {
			f = st.least / 2
		}
		shares[i] = f
	}
	return st.docs, shares, st.recent, nil
}

// loadSearchStats reads request_search's row count and its tsv column's
// most common elements with their frequencies into st.
func (s *Store) loadSearchStats(ctx context.Context, st *searchStats) error {
	var elems []string
	var freqs []float64
	var least float64
	err := s.Read().QueryRow(ctx, `WITH st AS (SELECT most_common_elems::text::text[] AS e, most_common_elem_freqs AS f
			FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'request_search' AND attname = 'tsv' LIMIT 1)
		SELECT COALESCE((SELECT reltuples FROM pg_class WHERE oid = 'request_search'::regclass), 0)::float8,
			COALESCE((SELECT e FROM st), '{}'), COALESCE((SELECT f[1:array_length(e, 1)] FROM st), '{}'),
			COALESCE((SELECT f[array_length(e, 1) + 1] FROM st), 0)::float8`).Scan(&st.docs, &elems, &freqs, &least)
	if err != nil {
		return err
	}
	st.freq = make(map[string]float64, len(elems))
	for i, e := range elems {
		if i < len(freqs) {
			st.freq[e] = freqs[i]
		}
	}
	st.least = least
	st.recent, err = s.RecentSearchThreshold(ctx)
	return err
}
