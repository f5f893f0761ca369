package store

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
