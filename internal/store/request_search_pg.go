package store

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// Search on PostgreSQL at a million requests. ts_rank must read the
// tsvector of every document it ranks, and a GIN bitmap costs about
// 0.6 µs of CPU for each match in the whole table (30 ms for a word in
// 4 % of 1.2 million texts), so ranking every match before the LIMIT takes
// seconds for a common word. A search therefore ranks by recency blocks
// of request ids (id / searchBlock): the newer block first, by ts_rank
// within a block. A page needs only the newest blocks that hold enough
// matches: a window of them is read through request_search_request and
// each document tested (about 0.5 µs), whatever the size of the store. A
// word too rare for that (planSearch guesses from the planner's
// statistics) is looked up in the GIN index over the whole table, and a
// window of a word neither common nor rare in the recent search index
// over the newest requests (search_recent_pg.go).

// searchBlock is how many consecutive request ids make one recency block.
const searchBlock = 1000

// searchBlockSize is searchBlock, or what a test set instead.
func (s *Store) searchBlockSize() int64 {
	if s.searchBlock > 0 {
		return s.searchBlock
	}
	return searchBlock
}

// searchFirstBlocks is the fewest of the newest recency blocks a window
// covers (the newest is partly filled).
const searchFirstBlocks = 2

// searchGrow is by how much a search widens its window of recency blocks
// when it found found of the need requests it wants: enough for twice
// as many at the density seen, at least 2 and at most 16 times.
func searchGrow(found, need int) int64 {
	if found == 0 {
		return 16
	}
	return int64(min(16, max(2, (2*need+found-1)/found)))
}

// Relative costs, measured on a 200,000-request store: testing one
// document of a window read through the request id index (the newest
// rows, which stay cached: 0.5 µs of CPU), and finding, reading and
// ranking one match of the whole table through the GIN index (its row
// is on a page of its own, often not in shared buffers: 0.6 µs of CPU
// for the bitmap alone, and a word in 0.7 % of 1.2 million documents
// took 1.1 s to rank from a cold cache).
//
// A window inside the recent search index (search_recent_pg.go) is read
// as that index's bitmap ANDed with the window's from the request id
// index, so that only the window's matches are read and ranked: about
// 0.13 µs for each match in the recent index and 0.03 µs for each
// document of the window (measured at a million requests, all cached).
// The newest blocks, which a common word's window covers, are cheaper
// to scan than the average (屏幕: 2 blocks in 1 ms, where the recent
// index holds about 24,000 of its matches, 3 ms), so a match in the
// recent index is weighed at 0.3.
const (
	searchScanCost   = 0.5
	searchMatchCost  = 5
	searchRecentCost = 0.3
	searchRangeCost  = 0.03
)

// searchPlan is what a PostgreSQL search knows before it reads: the
// newest recency block, the documents in a block, and how many documents
// of the whole table match (a guess from the planner's statistics).
type searchPlan struct {
	size, top    int64
	docsPerBlock float64
	matches      float64
	recent       int64 // threshold of the recent search index, 0: none
}

// planSearch reads the newest request id and takes the size of the
// search table and the share of its documents that hold each term from
// the planner's statistics (pg_stats' most common elements of tsv, which
// ANALYZE keeps; migration 00034 has it keep 10,000), as this node last
// read them (termStats): a term not among them is taken to be in half as
// many documents as the least common of them, and every term is rare
// before the first ANALYZE.
func (s *Store) planSearch(ctx context.Context, terms []string) (searchPlan, error) {
	p := searchPlan{size: s.searchBlockSize()}
	docs, shares, recent, err := s.termStats(ctx, terms)
	if err != nil {
		return p, err
	}
	if err := s.Read().QueryRow(ctx, "SELECT COALESCE(max(id), 0) FROM requests").Scan(&p.top); err != nil {
		return p, err
	}
	p.recent = recent
	p.docsPerBlock = max(docs, 0) / float64(p.top/p.size+1)
	p.top /= p.size
	share := 1.0
	for _, f := range shares {
		share = min(share, f)
	}
	p.matches = share * max(docs, 0)
	return p, nil
}

// firstBlocks is how many of the newest blocks are likely to hold six
// matching documents for each of the need requests (a request often
// has several) at the share of matches guessed, and one more for the
// newest, partly filled block.
func (p searchPlan) firstBlocks(need int) int64 {
	if p.matches <= 0 {
		return math.MaxInt32 // rare: the whole table, through the GIN index
	}
	perBlock := p.matches / float64(p.top+1)
	return max(searchFirstBlocks, 1+int64(math.Ceil(6*float64(need)/perBlock)))
}

// window is the window of the newest blocks: the lowest request id in
// it (0: all) and whether to scan it document by document. It does when
// that costs less than finding every match of the table in the GIN
// index, and, for a window inside the recent search index, less than
// that index's matches (from > 0, scan false: @@ with the window's bound,
// which PostgreSQL serves with a BitmapAnd of the two indexes).
func (p searchPlan) window(blocks int64) (from int64, scan bool) {
	if blocks > p.top {
		return 0, false
	}
	docs := float64(blocks) * p.docsPerBlock
	scanCost := docs * searchScanCost
	from = (p.top - blocks + 1) * p.size
	if p.recent > 0 && from >= p.recent {
		// The recent index holds the matches of its share of the blocks.
		share := float64(p.top+1-p.recent/p.size) / float64(p.top+1)
		if p.matches*share*searchRecentCost+docs*searchRangeCost < min(scanCost, p.matches*searchMatchCost) {
			return from, false
		}
	}
	if scanCost > p.matches*searchMatchCost {
		return 0, false
	}
	return from, true
}

// searchHitsPostgres returns the best w.limit+1 matches in w (all when
// w.limit is 0), in search order: the newer recency block of requests
// first, then by ts_rank, then the newer document. The window's bound
// is a literal, so that each window has its own plan; a scan tests each
// document with ts_match_vq, the function of @@, which the GIN index
// cannot serve, so PostgreSQL reads the window through the request id
// index (its estimates make a bitmap of the GIN index look cheaper than
// it is for a common word).
func (s *Store) searchHitsPostgres(ctx context.Context, terms []string, w searchWindow) ([]searchHit, error) {
	block := strconv.FormatInt(s.searchBlockSize(), 10)
	match := "d.tsv @@ sq"
	if w.scan {
		match = "ts_match_vq(d.tsv, sq)"
	}
	if w.from > 0 {
		match += " AND d.request_id >= " + strconv.FormatInt(w.from, 10)
	}
	if w.customer != 0 {
		match += " AND d.request_id IN (SELECT r.id FROM requests r WHERE r.customer_id = " + strconv.FormatInt(w.customer, 10) + ")"
	}
	cut := ""
	if w.limit > 0 {
		cut = " LIMIT " + strconv.Itoa(w.limit+1)
	}
	rows, err := s.Read().Query(ctx, `SELECT d.doc_id, d.request_id, d.internal, ts_rank(d.tsv, sq)
		FROM request_search d, to_tsquery('simple', $1) sq WHERE `+match+`
		ORDER BY d.request_id / `+block+` DESC, ts_rank(d.tsv, sq) DESC, abs(d.doc_id) DESC, d.doc_id DESC`+cut, s.matchArg(terms))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []searchHit
	for rows.Next() {
		var h searchHit
		var rank float32
		if err := rows.Scan(&h.doc, &h.rid, &h.internal, &rank); err != nil {
			return nil, err
		}
		h.rank = -float64(rank)
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// countSearchPostgres counts the requests that match terms and f up to
// upTo+1, as countRequestsUpTo, over windows of the newest recency
// blocks as searchRequests reads them: when a window alone holds more
// than upTo, that is the answer, and older blocks are never read.
func (s *Store) countSearchPostgres(ctx context.Context, f model.RequestFilter, terms []string, upTo int) (int, error) {
	plan, err := s.planSearch(ctx, terms)
	if err != nil {
		return 0, fmt.Errorf("count requests: %w", err)
	}
	where, args := requestWhere(f)
	args = append(args, s.matchArg(terms))
	q := fmt.Sprintf("to_tsquery('simple', $%d)", len(args))
	public := ""
	if f.SearchPublic {
		public = " AND NOT d.internal"
	}
	for blocks := plan.firstBlocks(upTo + 1); ; {
		from, scan := plan.window(blocks)
		cond := "d.tsv @@ " + q
		if scan {
			cond = "ts_match_vq(d.tsv, " + q + ")"
		}
		if from > 0 {
			cond += " AND d.request_id >= " + strconv.FormatInt(from, 10)
		}
		inner := "SELECT 1 FROM requests r WHERE r.id IN (SELECT d.request_id FROM request_search d WHERE " + cond + public + ")"
		if len(where) > 0 {
			inner += " AND " + strings.Join(where, " AND ")
		}
		var n int
		if err := s.Read().QueryRow(ctx, "SELECT count(*) FROM ("+inner+" LIMIT "+strconv.Itoa(upTo+1)+") x", args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("count requests: %w", err)
		}
		if n > upTo || from == 0 {
			return n, nil
		}
		blocks *= searchGrow(n, upTo+1)
	}
}
