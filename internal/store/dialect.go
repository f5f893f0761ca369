package store

// The few places where SQL differs between SQLite and PostgreSQL.

// forUpdate locks the selected rows until the transaction ends. SQLite
// needs no row lock: its write transactions are serialised (BEGIN
// IMMEDIATE on the single write connection).
func (s *Store) forUpdate() string {
	if s.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}
