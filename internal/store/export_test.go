package store

import "context"

// Commits returns how many write transactions a SQLite store committed
// (one per batch of Tx calls: group commit); 0 on PostgreSQL.
func (s *Store) Commits() int64 {
	if s.w == nil {
		return 0
	}
	return s.w.commits.Load()
}

// StatementCacheHits returns how many statements a SQLite store ran from
// a connection's statement cache; 0 on PostgreSQL.
func (s *Store) StatementCacheHits() int64 { return s.stmtHits.Load() }

// SetSearchBlock sets how many request ids make one recency block of a
// PostgreSQL search, so that tests can cross blocks with few requests.
func (s *Store) SetSearchBlock(n int64) { s.searchBlock = n }

// SetSearchRecentSpan sets the span of the recent search index.
func (s *Store) SetSearchRecentSpan(n int64) { s.searchRecentSpan = n }

// SearchTermShares returns what a PostgreSQL search plans with: the
// documents of the search table and each term's share of them, as this
// store keeps them.
func (s *Store) SearchTermShares(ctx context.Context, terms []string) (float64, []float64, error) {
	docs, shares, _, err := s.termStats(ctx, terms)
	return docs, shares, err
}

// RequestSearchDoc returns the stored search document of a request: its
// terms on SQLite, its tsvector as text on PostgreSQL.
func (s *Store) RequestSearchDoc(ctx context.Context, requestID int64) (string, error) {
	query := "SELECT terms FROM request_search_docs WHERE doc_id = $1"
	if s.dialect == Postgres {
		query = "SELECT tsv::text FROM request_search WHERE doc_id = $1"
	}
	var doc string
	err := s.Read().QueryRow(ctx, query, -requestID).Scan(&doc)
	return doc, err
}

// ReindexRequest writes a request's search document again, read from the
// database as the search backfill does.
func (s *Store) ReindexRequest(ctx context.Context, requestID int64) error {
	return s.Tx(ctx, func(q Querier) error { return s.indexRequestTx(ctx, q, requestID) })
}
