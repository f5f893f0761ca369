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

// TestSeveralStatusesPaged: a view of several statuses (the queue's "open
// or pending", a status asked twice included) lists, in every sort order
// and walked page by page forward and back, exactly the requests of those
// statuses in the order of the whole list — the page is read one status
// at a time and merged, so a merge in the wrong order, a lost row or a
// row twice shows here.
func TestSeveralStatusesPaged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, _ := fixture(t, s)
		statuses := []model.Status{model.StatusOpen, model.StatusNew, model.StatusPending, model.StatusResolved, model.StatusOpen}
		prios := []model.Priority{model.PriorityHigh, model.PriorityLow, model.PriorityHigh}
		due := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
		for i := range 15 {
			r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: prios[i%3],
				Channel: model.ChannelWeb, Subject: fmt.Sprintf("status page %d", i), CustomerID: c.ID}, agent)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Tx(ctx, func(q store.Querier) error {
				var dueAt any
				if i%4 != 0 {
					dueAt = due.Add(time.Duration(i%6) * time.Hour)
				}
				_, err := q.Exec(ctx, "UPDATE requests SET status = $1, sla_due_at = $2, updated_at = $3 WHERE id = $4",
					string(statuses[i%5]), dueAt, due.Add(time.Duration((i*7)%15)*time.Minute), r.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		for _, sort := range []string{"created", "updated", "priority", "due"} {
			for _, prio := range []model.Priority{"", model.PriorityHigh} {
				all, err := s.ListRequests(ctx, model.RequestFilter{Sort: sort, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, r := range all.Items {
					if (r.Status == model.StatusOpen || r.Status == model.StatusPending) && (prio == "" || r.Priority == prio) {
						want = append(want, r.Number)
					}
				}
				f := model.RequestFilter{Sort: sort, Priority: prio, Limit: 2,
					Statuses: []model.Status{model.StatusPending, model.StatusOpen, model.StatusPending}}
				var pages [][]string
				var p model.RequestPage
				for cur := ""; ; cur = p.NextCursor {
					f.Cursor = cur
					if p, err = s.ListRequests(ctx, f); err != nil {
						t.Fatalf("%s %s: %v", sort, prio, err)
					}
					var nums []string
					for _, r := range p.Items {
						nums = append(nums, r.Number)
					}
					pages = append(pages, nums)
					if p.NextCursor == "" {
						break
					}
				}
				if got := slices.Concat(pages...); !slices.Equal(got, want) {
					t.Fatalf("%s %s: pages %v, want %v", sort, prio, pages, want)
				}
				for i := len(pages) - 2; i >= 0; i-- {
					f.Cursor = p.PrevCursor
					if p, err = s.ListRequests(ctx, f); err != nil {
						t.Fatal(err)
					}
					var nums []string
					for _, r := range p.Items {
						nums = append(nums, r.Number)
					}
					if !slices.Equal(nums, pages[i]) {
						t.Fatalf("%s %s: back to page %d: %v, want %v", sort, prio, i+1, nums, pages[i])
					}
				}
			}
		}
	})
}
