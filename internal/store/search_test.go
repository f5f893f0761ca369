package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestSearchBeyondTheFirstDocuments: a search page asks the index for
// only the best few hundred documents; when filters keep none of them,
// or pages go deeper, it must still find exactly the matching requests,
// each once, in one order.
func TestSearchBeyondTheFirstDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, _ := fixture(t, s)
		other := &model.Customer{Name: "other"}
		if err := s.CreateCustomer(ctx, other); err != nil {
			t.Fatal(err)
		}
		const n = 260 // more than the 208 documents a first page of 25 asks for
		var numbers []string
		for i := range n {
			cust := other.ID
			if i < 3 {
				cust = c.ID // the oldest three, which rank last
			}
			r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
				Channel: model.ChannelWeb, Subject: fmt.Sprintf("alpha number %d", i), CustomerID: cust}, agent)
			if err != nil {
				t.Fatal(err)
			}
			numbers = append(numbers, r.Number)
		}
		if err := s.Tx(ctx, func(q store.Querier) error {
			_, err := q.Exec(ctx, "UPDATE requests SET status = 'resolved' WHERE number IN ($1, $2)", numbers[0], numbers[1])
			return err
		}); err != nil {
			t.Fatal(err)
		}
		list := func(f model.RequestFilter) []string {
			t.Helper()
			var got []string
			for {
				page, err := s.ListRequests(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range page.Items {
					got = append(got, r.Number)
				}
				if page.NextCursor == "" {
					return got
				}
				f.Cursor = page.NextCursor
			}
		}
		all := list(model.RequestFilter{Query: "alpha"})
		if sorted := slices.Sorted(slices.Values(all)); !slices.Equal(sorted, slices.Sorted(slices.Values(numbers))) {
			t.Fatalf("q=alpha, every page: %d requests %v, want the %d", len(all), all, n)
		}
		// Equal ranks: the newer request first.
		if all[0] != numbers[n-1] || all[n-1] != numbers[0] {
			t.Errorf("q=alpha: first %s and last %s, want %s and %s", all[0], all[n-1], numbers[n-1], numbers[0])
		}
		if got := list(model.RequestFilter{Query: "alpha", Statuses: []model.Status{model.StatusResolved}}); !slices.Equal(got, []string{numbers[1], numbers[0]}) {
			t.Errorf("q=alpha&status=resolved: %v, want %v", got, []string{numbers[1], numbers[0]})
		}
		if got := list(model.RequestFilter{Query: "alpha", CustomerID: c.ID, SearchPublic: true}); !slices.Equal(got, []string{numbers[2], numbers[1], numbers[0]}) {
			t.Errorf("q=alpha, the customer's: %v, want %v", got, []string{numbers[2], numbers[1], numbers[0]})
		}
		if got := list(model.RequestFilter{Query: "alpha", Limit: 7}); !slices.Equal(got, all) {
			t.Errorf("q=alpha in pages of 7: %v, want %v", got, all)
		}
	})
}

// TestSearchAcrossRecencyBlocks: PostgreSQL ranks a search's matches
// block by block of request ids, newest block first, and ranks older
// blocks only when a page needs them. With blocks of 8 requests, every
// page must still hold exactly the requests containing the words, each
// once, for staff (internal notes too), for a customer (their own, never
// internal notes) and with a filter, in one order however it is paged.
func TestSearchAcrossRecencyBlocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		s.SetSearchBlock(8)
		c, _ := fixture(t, s)
		other := &model.Customer{Name: "other"}
		if err := s.CreateCustomer(ctx, other); err != nil {
			t.Fatal(err)
		}
		const n = 100
		want := map[string][]string{} // query → matching numbers, staff
		var mine, resolved []string
		for i := range n {
			cust := other.ID
			if i%10 < 3 {
				cust = c.ID
			}
			subject := "其他 nothing"
			if i%4 == 0 {
				subject = "屏幕坏了 screen"
			}
			if i == 1 {
				subject = "zebra crossing" // one old request: a rare word
			}
			r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
				Channel: model.ChannelWeb, Subject: subject, CustomerID: cust}, agent)
			if err != nil {
				t.Fatal(err)
			}
			body, vis := "", model.VisibilityPublic
			switch i % 4 {
			case 1:
				body = "我的屏幕 broken screen"
			case 2:
				body, vis = "屏幕 note", model.VisibilityInternal
			}
			if body != "" {
				m := &model.Message{AuthorKind: model.AuthorStaff, Visibility: vis, Channel: model.ChannelWeb, Body: body}
				if err := s.AddMessage(ctx, r.Number, m, nil, nil, agent, store.UploadLimits{}); err != nil {
					t.Fatal(err)
				}
			}
			if i%4 != 3 {
				want["屏幕"] = append(want["屏幕"], r.Number)
			}
			if i%4 <= 1 {
				want["screen"] = append(want["screen"], r.Number)
				want["屏幕 screen"] = append(want["屏幕 screen"], r.Number)
				if cust == c.ID {
					mine = append(mine, r.Number)
				}
			}
			if i == 1 {
				want["zebra"] = []string{r.Number}
			}
			if i < 12 && i%4 == 0 {
				resolved = append(resolved, r.Number)
			}
		}
		if err := s.Tx(ctx, func(q store.Querier) error {
			for _, num := range resolved {
				if _, err := q.Exec(ctx, "UPDATE requests SET status = 'resolved' WHERE number = $1", num); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() == store.Postgres {
			// The statistics a search plans with: with them, pages read
			// windows of the newest blocks (without, every match).
			if err := s.Tx(ctx, func(q store.Querier) error {
				_, err := q.Exec(ctx, "ANALYZE request_search")
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		list := func(f model.RequestFilter) []model.Request {
			t.Helper()
			var got []model.Request
			for {
				page, err := s.ListRequests(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page.Items...)
				if page.NextCursor == "" {
					return got
				}
				f.Cursor = page.NextCursor
			}
		}
		numbers := func(rs []model.Request) []string {
			out := make([]string, len(rs))
			for i, r := range rs {
				out[i] = r.Number
			}
			return out
		}
		sameSet := func(what string, got, want []string) {
			t.Helper()
			if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
				t.Errorf("%s: %d requests %v, want the %d %v", what, len(got), got, len(want), want)
			}
		}
		for q, w := range want {
			pages := list(model.RequestFilter{Query: q})
			sameSet("q="+q, numbers(pages), w)
			if by7 := list(model.RequestFilter{Query: q, Limit: 7}); !slices.Equal(numbers(by7), numbers(pages)) {
				t.Errorf("q=%s in pages of 7: %v, want %v", q, numbers(by7), numbers(pages))
			}
			if s.Dialect() == store.Postgres {
				for i := 1; i < len(pages); i++ {
					if pages[i].ID/8 > pages[i-1].ID/8 {
						t.Errorf("q=%s: %s (block %d) after %s (block %d): newer blocks come first",
							q, pages[i].Number, pages[i].ID/8, pages[i-1].Number, pages[i-1].ID/8)
					}
				}
			}
		}
		// Counts (the queue's), exact up to the limit, whichever blocks hold the matches.
		counts := []struct {
			f    model.RequestFilter
			upTo int
			n    int
			more bool
		}{
			{model.RequestFilter{Query: "屏幕"}, 1000, len(want["屏幕"]), false},
			{model.RequestFilter{Query: "屏幕"}, 10, 10, true},
			{model.RequestFilter{Query: "zebra"}, 10, 1, false},
			{model.RequestFilter{Query: "屏幕", CustomerID: c.ID, SearchPublic: true}, 1000, len(mine), false},
			{model.RequestFilter{Query: "屏幕", Statuses: []model.Status{model.StatusResolved}}, 1000, len(resolved), false},
		}
		for _, tc := range counts {
			if n, more, err := s.CountRequests(ctx, tc.f, tc.upTo); err != nil || n != tc.n || more != tc.more {
				t.Errorf("count %+v up to %d: %d, more %v, %v; want %d, %v", tc.f, tc.upTo, n, more, err, tc.n, tc.more)
			}
		}
		sameSet("q=screen, the customer's", numbers(list(model.RequestFilter{Query: "screen", CustomerID: c.ID, SearchPublic: true})), mine)
		sameSet("q=屏幕, the customer's (no internal notes)", numbers(list(model.RequestFilter{Query: "屏幕", CustomerID: c.ID, SearchPublic: true, Limit: 3})), mine)
		sameSet("q=屏幕&status=resolved", numbers(list(model.RequestFilter{Query: "屏幕", Statuses: []model.Status{model.StatusResolved}, Limit: 2})), resolved)
	})
}
