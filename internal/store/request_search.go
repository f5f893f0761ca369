package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/phone"
	"github.com/aftercare/aftercare/internal/text/tokenize"
)

// Request search: every request has a search document (its number,
// subject, description, customer's name, e-mail and phone, serial) and
// every message one of its own, all made of tokenize.SearchTerms (Chinese
// as overlapping character bigrams, so a two-character word is found
// exactly). SQLite indexes them with a contentless FTS5 table (request_fts,
// ranked by bm25 without length normalisation; request_search_docs keeps
// each document's terms, request and visibility),
// PostgreSQL with a GIN-indexed 'simple' tsvector (request_search, ranked
// by ts_rank). Documents are written in the transaction that writes what
// they index, so search is never behind. A request matches when one of its
// documents holds every query term; its rank is its best document's.

// isRequestNumber reports whether q is a whole request number
// (SR-2026-000123, any case), which is looked up exactly instead of
// searched.
func isRequestNumber(q string) bool {
	parts := strings.Split(q, "-")
	digits := func(s string, n int) bool { return len(s) == n && strings.Trim(s, "0123456789") == "" }
	return len(parts) == 3 && strings.EqualFold(parts[0], "SR") && digits(parts[1], 4) && digits(parts[2], 6)
}

// searchQuery returns the distinct terms of a search query. A query that
// is a whole phone number, in any form people write one ("+86 138 0013
// 8000", 138-0013-8000, 0086…), searches for the number's canonical
// form, which is what the documents hold (a customer's number is stored
// canonical, and requestTerms adds it without +86 for older rows).
func searchQuery(q string) []string {
	if phone.Looks(q) {
		q = phone.Normalize(q)
	}
	terms := tokenize.SearchTerms(q)
	slices.Sort(terms)
	return slices.Compact(terms)
}

// phoneVariants are the digits of a phone number, also without a
// leading +86, so that "13800138000" finds "+86 138-0013-8000".
func phoneVariants(phone string) string {
	d := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, phone)
	if strings.HasPrefix(d, "86") && len(d) == 13 {
		return d + " " + d[2:]
	}
	return d
}

// indexRequestTx writes the search document of request id in the
// caller's transaction.
func (s *Store) indexRequestTx(ctx context.Context, q Querier, id int64) error {
	var number, subject, desc, name, email, phone, serial string
	err := q.QueryRow(ctx, `SELECT r.number, r.subject, r.description, c.name, COALESCE(c.email, ''), COALESCE(c.phone, ''),
		COALESCE(u.serial, '') FROM requests r JOIN customers c ON c.id = r.customer_id LEFT JOIN units u ON u.id = r.unit_id
		WHERE r.id = $1`, id).Scan(&number, &subject, &desc, &name, &email, &phone, &serial)
	if err != nil {
		return fmt.Errorf("index request %d: %w", id, err)
	}
	return s.putSearchDoc(ctx, q, -id, id, false, requestTerms(number, subject, desc, name, email, phone, serial))
}

// indexMessageTx writes the search document of message m in the caller's
// transaction.
func (s *Store) indexMessageTx(ctx context.Context, q Querier, m *model.Message) error {
	return s.putSearchDoc(ctx, q, m.ID, m.RequestID, m.Visibility == model.VisibilityInternal, tokenize.SearchTerms(m.Body))
}

// putSearchDoc replaces search document docID (-request id for a
// request, the message id for a message).
func (s *Store) putSearchDoc(ctx context.Context, q Querier, docID, requestID int64, internal bool, terms []string) error {
	if s.dialect == Postgres {
		_, err := q.Exec(ctx, `INSERT INTO request_search (doc_id, request_id, internal, tsv) VALUES ($1, $2, $3, $4::tsvector)
			ON CONFLICT (doc_id) DO UPDATE SET request_id = excluded.request_id, internal = excluded.internal, tsv = excluded.tsv`,
			docID, requestID, internal, tsvectorText(terms))
		return err
	}
	// The index is contentless: deleting a document takes its old terms,
	// which request_search_docs keeps.
	var old string
	err := q.QueryRow(ctx, "SELECT terms FROM request_search_docs WHERE doc_id = $1", docID).Scan(&old)
	switch {
	case err == nil:
		if err := execFTS(ctx, q, "INSERT INTO request_fts (request_fts, rowid, terms) VALUES ('delete', $1, $2)", docID, old); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, "DELETE FROM request_search_docs WHERE doc_id = $1", docID); err != nil {
			return err
		}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if len(terms) == 0 {
		return nil
	}
	text := strings.Join(terms, " ")
	if _, err := q.Exec(ctx, "INSERT INTO request_search_docs (doc_id, request_id, internal, terms) VALUES ($1, $2, $3, $4)",
		docID, requestID, internal, text); err != nil {
		return err
	}
	return execFTS(ctx, q, "INSERT INTO request_fts (rowid, terms) VALUES ($1, $2)", docID, text)
}

// searchCTE is the WITH clause listing the requests that match terms,
// as m(rid), for counting them on SQLite; it adds its argument to args.
func (s *Store) searchCTE(terms []string, publicOnly bool, args *[]any) string {
	*args = append(*args, s.matchArg(terms))
	cond := ""
	if publicOnly {
		cond = " AND d.internal = 0"
	}
	return fmt.Sprintf(`WITH m AS (SELECT DISTINCT d.request_id AS rid FROM request_fts f
		JOIN request_search_docs d ON d.doc_id = f.rowid WHERE request_fts MATCH $%d%s) `, len(*args), cond)
}

// matchArg is the full-text query of terms: every term, as a phrase.
func (s *Store) matchArg(terms []string) string {
	quoted := make([]string, len(terms))
	if s.dialect == Postgres {
		for i, t := range terms {
			quoted[i] = "'" + t + "'"
		}
		return strings.Join(quoted, " & ")
	}
	for i, t := range terms {
		quoted[i] = `"` + t + `"`
	}
	return strings.Join(quoted, " ")
}

// searchHit is one matching document: its id (-request id for a
// request's own document, the message id for a message), its request,
// whether it is an internal note, and its rank (lower is better).
type searchHit struct {
	doc, rid int64
	internal bool
	rank     float64
}

// compareHits orders hits best first: by rank, then the newer document
// (the larger id; a request's own document is -its id).
func compareHits(a, b searchHit) int {
	if c := cmp.Compare(a.rank, b.rank); c != 0 {
		return c
	}
	if c := cmp.Compare(absID(b.doc), absID(a.doc)); c != 0 {
		return c
	}
	return cmp.Compare(b.doc, a.doc)
}

func absID(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// searchWindow is the part of the matches a PostgreSQL search ranks:
// the requests with an id of at least from (all when from is 0), the
// customer's requests only when customer is set, and the best limit
// documents of those (all when limit is 0); scan reads the window's
// documents through the request id index and tests each, instead of
// asking the GIN index.
type searchWindow struct {
	from, customer int64
	limit          int
	scan           bool
}

// searchRanked returns the ids of the requests that match terms in w, in
// search order (a request ranks as its best document), and whether it
// saw every match in w. PostgreSQL orders by recency block, then rank
// (ts_rank), and cuts in the query. SQLite ignores w.from and w.customer:
// it lists every match with its bm25 rank straight from the index,
// which costs less than having it sort them, sorts them here and reads
// the request of only the w.limit documents kept.
func (s *Store) searchRanked(ctx context.Context, terms []string, publicOnly bool, w searchWindow) ([]int64, bool, error) {
	var hits []searchHit
	var err error
	if s.dialect == Postgres {
		hits, err = s.searchHitsPostgres(ctx, terms, w)
	} else {
		hits, err = s.searchHitsSQLite(ctx, terms, w.limit)
	}
	if err != nil {
		return nil, false, fmt.Errorf("search requests: %w", err)
	}
	all := w.limit == 0 || len(hits) <= w.limit
	if !all {
		hits = hits[:w.limit]
	}
	var ids []int64
	seen := make(map[int64]bool, len(hits))
	for _, h := range hits {
		if (publicOnly && h.internal) || seen[h.rid] {
			continue
		}
		seen[h.rid] = true
		ids = append(ids, h.rid)
	}
	return ids, all, nil
}

// searchHitsSQLite returns every match, best first, with the request and
// visibility of the best limit (all when limit is 0) filled in.
func (s *Store) searchHitsSQLite(ctx context.Context, terms []string, limit int) ([]searchHit, error) {
	rows, err := s.Read().Query(ctx, "SELECT rowid, rank FROM request_fts WHERE request_fts MATCH $1", s.matchArg(terms))
	if err != nil {
		return nil, err
	}
	var hits []searchHit
	for rows.Next() {
		var h searchHit
		if err := rows.Scan(&h.doc, &h.rank); err != nil {
			rows.Close()
			return nil, err
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(hits, compareHits)
	keep := hits
	if limit > 0 && len(keep) > limit {
		keep = keep[:limit]
	}
	for from := 0; from < len(keep); from += 500 {
		chunk := keep[from:min(len(keep), from+500)]
		list := make([]string, len(chunk))
		at := make(map[int64]int, len(chunk))
		for i, h := range chunk {
			list[i] = strconv.FormatInt(h.doc, 10)
			at[h.doc] = from + i
		}
		rows, err := s.Read().Query(ctx, "SELECT doc_id, request_id, internal FROM request_search_docs WHERE doc_id IN ("+
			strings.Join(list, ", ")+")")
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var doc, rid int64
			var internal bool
			if err := rows.Scan(&doc, &rid, &internal); err != nil {
				rows.Close()
				return nil, err
			}
			keep[at[doc]].rid, keep[at[doc]].internal = rid, internal
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return hits, nil
}

// searchTopDocs is how many of the best documents a search page looks at
// first, per request it needs; it looks at four times as many each time
// that leaves it short (the filters keep few of them).
const searchTopDocs = 8

// searchRequests is ListRequests for a search query, in search order,
// paged by position (a search's ranking is not a keyset).
func (s *Store) searchRequests(ctx context.Context, f model.RequestFilter, terms []string) (model.RequestPage, error) {
	page := model.RequestPage{Items: []model.Request{}}
	if len(terms) == 0 {
		return page, nil // nothing searchable (punctuation, stop words)
	}
	offset := 0
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, "rank")
		if err != nil {
			return page, err
		}
		offset = c.Rank
	}
	need := offset + f.Limit + 1
	w := searchWindow{limit: max(200, searchTopDocs*need)}
	var plan searchPlan // PostgreSQL: where the matches are and what reading them costs
	var blocks int64    // PostgreSQL: how many of the newest recency blocks w covers
	switch {
	case f.CustomerID != 0:
		// A customer's requests are few among the matches: rank them all.
		w.limit, w.customer = 0, f.CustomerID
	case s.dialect == Postgres:
		var err error
		if plan, err = s.planSearch(ctx, terms); err != nil {
			return page, fmt.Errorf("search requests: %w", err)
		}
		blocks = plan.firstBlocks(need)
		w.from, w.scan = plan.window(blocks)
	}
	var items []model.Request
	for {
		ids, all, err := s.searchRanked(ctx, terms, f.SearchPublic, w)
		if err != nil {
			return page, err
		}
		if items, err = s.filterRanked(ctx, f, ids, need); err != nil {
			return page, err
		}
		if len(items) >= need || (all && w.from == 0) {
			break
		}
		if !all { // the window holds more matches than were ranked
			w.limit *= 4
			if w.limit > 1<<20 {
				w.limit = 0
			}
			continue
		}
		// Every match of the window was seen: take older blocks too. The
		// order puts newer blocks first, so what was found stays first.
		blocks *= searchGrow(len(items), need)
		w.from, w.scan = plan.window(blocks)
	}
	items = items[min(offset, len(items)):]
	if err := fillTags(ctx, s.Read(), items); err != nil {
		return page, err
	}
	page.Items = items
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		page.NextCursor = cursor{Sort: "rank", Rank: offset + f.Limit, ID: page.Items[f.Limit-1].ID}.encode()
	}
	if offset > 0 && len(page.Items) > 0 {
		page.PrevCursor = cursor{Sort: "rank", Rank: max(0, offset-f.Limit), ID: page.Items[0].ID}.encode()
	}
	return page, nil
}

// filterRanked reads the requests ids (in rank order) that pass f's
// filters, in that order, until it has need of them.
func (s *Store) filterRanked(ctx context.Context, f model.RequestFilter, ids []int64, need int) ([]model.Request, error) {
	where, args := requestWhere(f)
	var out []model.Request
	for len(ids) > 0 && len(out) < need {
		// Without filters every id is a request to show, so read just as
		// many as are still needed; with them, more, as some will not pass.
		size := need - len(out)
		if len(where) > 0 {
			size = max(2*size, 64)
		}
		chunk := ids[:min(len(ids), size)]
		ids = ids[len(chunk):]
		pos := make(map[int64]int, len(chunk))
		for i, id := range chunk {
			pos[id] = i
		}
		// The ids are one array parameter on PostgreSQL, so that the
		// statement is the same for every search and its plan is kept;
		// SQLite gets them written inline.
		var cond string
		qargs := args
		if s.dialect == Postgres {
			qargs = append(slices.Clip(args), chunk)
			cond = "r.id = ANY($" + strconv.Itoa(len(qargs)) + ")"
		} else {
			list := make([]string, len(chunk))
			for i, id := range chunk {
				list[i] = strconv.FormatInt(id, 10)
			}
			cond = "r.id IN (" + strings.Join(list, ", ") + ")"
		}
		query := requestSelect + "WHERE " + cond
		if len(where) > 0 {
			query += " AND " + strings.Join(where, " AND ")
		}
		rows, err := s.Read().Query(ctx, query, qargs...)
		if err != nil {
			return nil, fmt.Errorf("search requests: %w", err)
		}
		got := make([]model.Request, 0, len(chunk))
		for rows.Next() {
			var r model.Request
			if err := scanRequest(rows, &r); err != nil {
				rows.Close()
				return nil, err
			}
			got = append(got, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("search requests: %w", err)
		}
		slices.SortFunc(got, func(a, b model.Request) int { return pos[a.ID] - pos[b.ID] })
		out = append(out, got...)
	}
	return out[:min(len(out), need)], nil
}

// BackfillSearch indexes the requests and messages that existed before
// the search index did (recorded by its migration), in batches, and then
// forgets them; it costs one query when there is nothing to do.
func (s *Store) BackfillSearch(ctx context.Context) error {
	var lastReq, lastMsg int64
	err := s.Read().QueryRow(ctx, "SELECT last_request_id, last_message_id FROM search_backfill").Scan(&lastReq, &lastMsg)
	if model.IsNotFound(notFound(err, "backfill")) {
		return nil
	} else if err != nil {
		return fmt.Errorf("search backfill: %w", err)
	}
	const batch = 500
	for from := int64(0); from < lastReq; from += batch {
		err := s.Tx(ctx, func(q Querier) error {
			ids, err := idsBetween(ctx, q, "requests", from, min(from+batch, lastReq))
			for _, id := range ids {
				if err == nil {
					err = s.indexRequestTx(ctx, q, id)
				}
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("search backfill: %w", err)
		}
	}
	for from := int64(0); from < lastMsg; from += batch {
		err := s.Tx(ctx, func(q Querier) error {
			rows, err := q.Query(ctx, `SELECT id, request_id, visibility, body FROM messages WHERE id > $1 AND id <= $2`, from, min(from+batch, lastMsg))
			if err != nil {
				return err
			}
			var msgs []model.Message
			for rows.Next() {
				var m model.Message
				if err := rows.Scan(&m.ID, &m.RequestID, &m.Visibility, &m.Body); err != nil {
					rows.Close()
					return err
				}
				msgs = append(msgs, m)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for i := range msgs {
				if err := s.indexMessageTx(ctx, q, &msgs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("search backfill: %w", err)
		}
	}
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "DELETE FROM search_backfill")
		return err
	})
}

// idsBetween returns the ids of table in (from, to].
func idsBetween(ctx context.Context, q Querier, table string, from, to int64) ([]int64, error) {
	rows, err := q.Query(ctx, "SELECT id FROM "+table+" WHERE id > $1 AND id <= $2 ORDER BY id", from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
