package store

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

// copier is what a pgx transaction offers for COPY FROM.
type copier interface {
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
}

// pgCopier returns q's COPY interface when q is a PostgreSQL transaction.
func pgCopier(q Querier) (copier, bool) {
	pq, ok := q.(pgQuerier)
	if !ok {
		return nil, false
	}
	c, ok := pq.q.(copier)
	return c, ok
}

// copyRows is bulkInsert on PostgreSQL: one COPY FROM for all n rows,
// which writes a million-request seed several times faster than
// multi-row INSERTs (no statement to parse, binary rows). COPY writes the
// given values into identity columns, as OVERRIDING SYSTEM VALUE does.
func copyRows(ctx context.Context, c copier, table string, cols []string, n int, add func(args []any, i int) []any) error {
	row := make([]any, 0, len(cols))
	i := -1
	src := pgx.CopyFromFunc(func() ([]any, error) {
		i++
		if i >= n {
			return nil, nil
		}
		row = add(row[:0], i)
		if len(row) != len(cols) {
			return nil, fmt.Errorf("%d values for %d columns", len(row), len(cols))
		}
		return row, nil
	})
	if _, err := c.CopyFrom(ctx, pgx.Identifier{table}, cols, src); err != nil {
		return fmt.Errorf("store: copy into %s: %w", table, mapError(err))
	}
	return nil
}

// searchDoc is one search document being bulk-written.
type searchDoc struct {
	docID, requestID int64
	internal         bool
	terms            []string
}

// indexBulkTx writes the search documents of bulk-inserted requests and
// messages in the caller's transaction, exactly as CreateRequest and
// AddMessage write them one by one (indexRequestTx, indexMessageTx), so
// that seeded requests are found like any other.
func (s *Store) indexBulkTx(ctx context.Context, q Querier, reqs []model.Request, msgs []model.Message) error {
	docs := make([]searchDoc, 0, len(reqs)+len(msgs))
	if len(reqs) > 0 {
		lo, hi := reqs[0].ID, reqs[0].ID
		want := make(map[int64]bool, len(reqs))
		for i := range reqs {
			lo, hi = min(lo, reqs[i].ID), max(hi, reqs[i].ID)
			want[reqs[i].ID] = true
		}
		rows, err := q.Query(ctx, `SELECT r.id, r.number, r.subject, r.description, c.name, COALESCE(c.email, ''),
			COALESCE(c.phone, ''), COALESCE(u.serial, '') FROM requests r JOIN customers c ON c.id = r.customer_id
			LEFT JOIN units u ON u.id = r.unit_id WHERE r.id >= $1 AND r.id <= $2`, lo, hi)
		if err != nil {
			return fmt.Errorf("store: index seeded requests: %w", err)
		}
		for rows.Next() {
			var id int64
			var number, subject, desc, name, email, phone, serial string
			if err := rows.Scan(&id, &number, &subject, &desc, &name, &email, &phone, &serial); err != nil {
				rows.Close()
				return fmt.Errorf("store: index seeded requests: %w", err)
			}
			if want[id] {
				docs = append(docs, searchDoc{-id, id, false, requestTerms(number, subject, desc, name, email, phone, serial)})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: index seeded requests: %w", err)
		}
	}
	first := len(docs)
	for i := range msgs {
		m := &msgs[i]
		docs = append(docs, searchDoc{m.ID, m.RequestID, m.Visibility == model.VisibilityInternal, nil})
	}
	// Tokenizing is most of the work of a seeded batch: spread it over
	// the cores.
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(msgs); i += workers {
				docs[first+i].terms = tokenize.SearchTerms(msgs[i].Body)
			}
		})
	}
	wg.Wait()
	// A document without terms is not stored, as putSearchDoc does.
	kept := docs[:0]
	for _, d := range docs {
		if len(d.terms) > 0 {
			kept = append(kept, d)
		}
	}
	return s.insertSearchDocs(ctx, q, kept)
}

// insertSearchDocs bulk-writes new search documents: the GIN-indexed
// tsvector rows on PostgreSQL; on SQLite the kept terms and the
// contentless FTS5 index, as putSearchDoc writes them.
func (s *Store) insertSearchDocs(ctx context.Context, q Querier, docs []searchDoc) error {
	if s.dialect == Postgres {
		// One statement of arrays: PostgreSQL parses the tsvector text
		// itself, as putSearchDoc's $4::tsvector does.
		n := len(docs)
		ids, reqs, internal, tsv := make([]int64, n), make([]int64, n), make([]bool, n), make([]string, n)
		for i := range docs {
			ids[i], reqs[i], internal[i], tsv[i] = docs[i].docID, docs[i].requestID, docs[i].internal, tsvectorText(docs[i].terms)
		}
		_, err := q.Exec(ctx, `INSERT INTO request_search (doc_id, request_id, internal, tsv)
			SELECT d, r, i, t::tsvector FROM unnest($1::bigint[], $2::bigint[], $3::boolean[], $4::text[]) AS u (d, r, i, t)`,
			ids, reqs, internal, tsv)
		if err != nil {
			return fmt.Errorf("store: index seeded requests: %w", err)
		}
		return nil
	}
	texts := make([]string, len(docs))
	for i := range docs {
		texts[i] = strings.Join(docs[i].terms, " ")
	}
	err := s.bulkInsert(ctx, q, "request_search_docs", []string{"doc_id", "request_id", "internal", "terms"}, len(docs),
		func(a []any, i int) []any {
			d := &docs[i]
			return append(a, d.docID, d.requestID, d.internal, texts[i])
		})
	if err != nil {
		return err
	}
	return s.bulkInsert(ctx, q, "request_fts", []string{"rowid", "terms"}, len(docs),
		func(a []any, i int) []any { return append(a, docs[i].docID, texts[i]) })
}

// searchIndexDDL creates PostgreSQL's GIN index over the search
// documents (migration 00017), if it is missing.
const searchIndexDDL = "CREATE INDEX IF NOT EXISTS request_search_tsv ON request_search USING GIN (tsv)"

// BeginBulkLoad prepares an empty store for a large seed. On PostgreSQL it
// drops the GIN index of the search documents: adding a few million
// documents to it one batch at a time cost most of a seed's time (5 s of
// each 1,500-request batch under load), while building it once at the
// end is a single sort. EndBulkLoad builds it again; so does Migrate, at
// the next start, after a seed that was cut short. SQLite needs nothing.
func (s *Store) BeginBulkLoad(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	if _, err := s.pool.Exec(ctx, "DROP INDEX IF EXISTS request_search_tsv"); err != nil {
		return fmt.Errorf("store: begin bulk load: %w", mapError(err))
	}
	return nil
}

// EndBulkLoad ends what BeginBulkLoad began: on PostgreSQL it builds the
// search index and the recent search index and refreshes the planner's
// statistics, so that the
// first queries after a large seed use the indexes a live store would.
func (s *Store) EndBulkLoad(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	if err := s.ensureSearchIndex(ctx); err != nil {
		return err
	}
	if _, err := s.RefreshRecentSearchIndex(ctx); err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("store: end bulk load: analyze: %w", mapError(err))
	}
	s.searchStats.forget()
	return nil
}

// RefreshStatistics has PostgreSQL's planner look at the tables again
// (ANALYZE). A seed calls it once its bulk rows are in and before it
// reads them back request by request (the SLA clocks): until autovacuum
// gets to the freshly filled tables the planner takes them for empty
// and scans, for instance, all five million messages of a
// million-request seed for each request's conversation. SQLite needs
// nothing.
func (s *Store) RefreshStatistics(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	if _, err := s.pool.Exec(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("store: analyze: %w", mapError(err))
	}
	s.searchStats.forget()
	return nil
}

// ensureSearchIndex creates the PostgreSQL search index if it is missing
// (one catalogue lookup when it is there, so start-up takes no lock).
func (s *Store) ensureSearchIndex(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	var missing bool
	if err := s.pool.QueryRow(ctx, "SELECT to_regclass('request_search_tsv') IS NULL").Scan(&missing); err != nil {
		return fmt.Errorf("store: search index: %w", mapError(err))
	}
	if !missing {
		return nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '256MB'"); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, searchIndexDDL)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: search index: %w", mapError(err))
	}
	return nil
}
