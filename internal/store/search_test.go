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
