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

// SearchTermShares returns what a PostgreSQL search plans with: the
// documents of the search table and each term's share of them, as this
// store keeps them.
func (s *Store) SearchTermShares(ctx context.Context, terms []string) (float64, []float64, error) {
	return s.termStats(ctx, terms)
}
