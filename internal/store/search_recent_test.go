package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

var errRollback = errors.New("roll back")

// TestRecentSearchIndex: on PostgreSQL the recent search index covers one
// to two spans of the newest requests — none while the store is smaller
// than two spans, then one at a multiple of the span, replaced (the old
// one dropped) once the newest request is two spans past it — and a
// window inside it is read through it; searches find the same requests
// with it as without it. SQLite has none and nothing to do.
func TestRecentSearchIndex(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetSearchRecentSpan(10)
		c, _ := fixture(t, s)
		// createUpTo creates requests until the newest has id top (ids
		// need not start at 1) and returns how many it created.
		var n int
		createUpTo := func(top int64) int {
			t.Helper()
			made := 0
			for {
				subject := fmt.Sprintf("kettle %d", n)
				if n%3 == 0 {
					subject += " zebra"
				}
				n++
				r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
					Channel: model.ChannelWeb, Subject: subject, CustomerID: c.ID}, agent)
				if err != nil {
					t.Fatal(err)
				}
				made++
				if r.ID >= top {
					if r.ID > top {
						t.Fatalf("request ids passed %d (at %d)", top, r.ID)
					}
					return made
				}
			}
		}
		search := func() []string {
			p, err := s.ListRequests(ctx, model.RequestFilter{Query: "zebra", Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range p.Items {
				out = append(out, r.Number)
			}
			return out
		}
		refresh := func(want int64) {
			t.Helper()
			got, err := s.RefreshRecentSearchIndex(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if s.Dialect() != store.Postgres {
				want = 0
			}
			if now, err := s.RecentSearchThreshold(ctx); got != want || now != want || err != nil {
				t.Fatalf("recent search index from request %d (now %d, %v), want %d", got, now, err, want)
			}
		}
		createUpTo(15)
		refresh(0) // 15 requests: fewer than two spans
		before := search()
		createUpTo(35)
		refresh(20) // the newest is 35: from (35-10)/10*10
		after := search()
		if len(before) == 0 || len(after) <= len(before) || !slices.Equal(after[len(after)-len(before):], before) {
			t.Fatalf("zebra with the index: %v, want more than before (%v), ending with those", after, before)
		}
		createUpTo(39)
		refresh(20) // 39: 20 still covers one to two spans (19 requests)
		createUpTo(40)
		refresh(30) // 40: it would cover 20; the next one, the old one dropped
		if got := search(); len(got) <= len(after) || !slices.Equal(got[len(got)-len(after):], after) {
			t.Fatalf("zebra with the new index: %v, want more than %v, ending with those", got, after)
		}
		if s.Dialect() != store.Postgres {
			return
		}
		var names, plan []string
		if err := s.Tx(ctx, func(q store.Querier) error {
			var err error
			names, err = textColumn(ctx, q, "SELECT indexname FROM pg_indexes WHERE tablename = 'request_search' AND indexname LIKE 'request_search_recent%'")
			if err != nil {
				return err
			}
			// A table this small is read through the request id index
			// alone; without it (dropped in this transaction, which is
			// rolled back) the window is the recent index's.
			if _, err := q.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
				return err
			}
			if _, err := q.Exec(ctx, "DROP INDEX request_search_request"); err != nil {
				return err
			}
			if plan, err = textColumn(ctx, q, "EXPLAIN SELECT doc_id FROM request_search WHERE tsv @@ to_tsquery('simple', 'zebra') AND request_id >= 35"); err != nil {
				return err
			}
			return errRollback
		}); err != errRollback {
			t.Fatal(err)
		}
		if !slices.Equal(names, []string{"request_search_recent_30"}) {
			t.Errorf("recent search indexes %v, want only request_search_recent_30", names)
		}
		if p := strings.Join(plan, "\n"); !strings.Contains(p, "request_search_recent_30") {
			t.Errorf("a window inside the recent index is not read through it (indexes %v):\n%s", names, p)
		}
	})
}

// textColumn returns the one text column of query's rows, in q.
func textColumn(ctx context.Context, q store.Querier, query string) ([]string, error) {
	rows, err := q.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
