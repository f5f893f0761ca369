package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestPreviousPageAndCount: in every sort order (and a search), walking
// back with each page's PrevCursor from the last page gives the same
// pages as walking forward, ending on the first page, which has none;
// the count stops at CountUpTo and says there are more.
func TestPreviousPageAndCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, _ := fixture(t, s)
		prios := []model.Priority{model.PriorityLow, model.PriorityHigh, model.PriorityNormal, model.PriorityUrgent}
		due := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
		for i := range 8 {
			r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: prios[i%4],
				Channel: model.ChannelWeb, Subject: fmt.Sprintf("alpha page %d", i), CustomerID: c.ID}, agent)
			if err != nil {
				t.Fatal(err)
			}
			if i%3 != 0 { // some with an SLA due time, some without
				if err := s.Tx(ctx, func(q store.Querier) error {
					_, err := q.Exec(ctx, "UPDATE requests SET sla_due_at = $1 WHERE id = $2", due.Add(time.Duration(i%5)*time.Hour), r.ID)
					return err
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
		numbers := func(p model.RequestPage) []string {
			var out []string
			for _, r := range p.Items {
				out = append(out, r.Number)
			}
			return out
		}
		for _, f := range []model.RequestFilter{{Sort: "created"}, {Sort: "updated"}, {Sort: "priority"}, {Sort: "due"}, {Query: "alpha"}} {
			name := f.Sort + f.Query
			f.Limit = 3
			var forward [][]string
			var last model.RequestPage
			for cur := ""; ; {
				f.Cursor = cur
				p, err := s.ListRequests(ctx, f)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if (cur == "") != (p.PrevCursor == "") {
					t.Fatalf("%s: page %d has prev cursor %q", name, len(forward)+1, p.PrevCursor)
				}
				forward, last = append(forward, numbers(p)), p
				if p.NextCursor == "" {
					break
				}
				cur = p.NextCursor
			}
			if got := slices.Concat(forward...); len(got) != 8 {
				t.Fatalf("%s: forward pages %v, want the 8 requests", name, forward)
			}
			p := last
			for i := len(forward) - 2; i >= 0; i-- {
				f.Cursor = p.PrevCursor
				var err error
				if p, err = s.ListRequests(ctx, f); err != nil {
					t.Fatalf("%s: back to page %d: %v", name, i+1, err)
				}
				if got := numbers(p); !slices.Equal(got, forward[i]) {
					t.Fatalf("%s: back to page %d: %v, want %v", name, i+1, got, forward[i])
				}
				if p.NextCursor == "" {
					t.Fatalf("%s: page %d, reached going back, has no next page", name, i+1)
				}
			}
			if p.PrevCursor != "" {
				t.Errorf("%s: the first page, reached going back, has a previous page", name)
			}
		}
		for _, c := range []struct {
			upTo, want int
			more       bool
		}{{5, 5, true}, {8, 8, false}, {1000, 8, false}} {
			p, err := s.ListRequests(ctx, model.RequestFilter{Limit: 2, CountUpTo: c.upTo})
			if err != nil || p.Count != c.want || p.CountMore != c.more {
				t.Errorf("count up to %d: %d (more %v) %v, want %d (more %v)", c.upTo, p.Count, p.CountMore, err, c.want, c.more)
			}
			// A view's count (the queue's tabs) stops at the same cap.
			n, more, err := s.CountRequests(ctx, model.RequestFilter{}, c.upTo)
			if err != nil || n != c.want || more != c.more {
				t.Errorf("view count up to %d: %d (more %v) %v, want %d (more %v)", c.upTo, n, more, err, c.want, c.more)
			}
		}
		if p, err := s.ListRequests(ctx, model.RequestFilter{Query: "alpha", Limit: 2, CountUpTo: 5}); err != nil || p.Count != 5 || !p.CountMore {
			t.Errorf("search count: %d (more %v) %v, want 5 and more", p.Count, p.CountMore, err)
		}
	})
}
