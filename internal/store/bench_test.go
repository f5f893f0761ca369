package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// BenchmarkCreateRequest measures request creation with 16 concurrent
// writers (b.SetParallelism scales with GOMAXPROCS).
func BenchmarkCreateRequest(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			s := storetest.Open(b, d)
			ctx := context.Background()
			c := &model.Customer{Name: "bench"}
			if err := s.CreateCustomer(ctx, c); err != nil {
				b.Fatal(err)
			}
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					_, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
						Channel: model.ChannelAPI, Subject: "bench", CustomerID: c.ID}, agent)
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkFirstQueuePage measures the first page of the unfiltered queue
// and of a status filter over 100,000 requests.
func BenchmarkFirstQueuePage(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			s := storetest.Open(b, d)
			ctx := context.Background()
			c := &model.Customer{Name: "bench"}
			if err := s.CreateCustomer(ctx, c); err != nil {
				b.Fatal(err)
			}
			const n = 100_000
			if err := s.Tx(ctx, func(q store.Querier) error {
				for i := range n {
					st := model.Statuses[i%len(model.Statuses)]
					if _, err := q.Exec(ctx, `INSERT INTO requests (number, type, status, priority, priority_rank, channel, subject,
						customer_id, created_at, updated_at) VALUES ($1, 'repair', $2, 'normal', 1, 'web', 'x', $3, $4, $4)`,
						fmt.Sprintf("B-%07d", i), st, c.ID, s.Now()); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			if d == store.Postgres {
				s.Pool().Exec(ctx, "ANALYZE")
			} else {
				s.WriteDB().Exec("ANALYZE")
			}
			for _, f := range []model.RequestFilter{{}, {Statuses: []model.Status{model.StatusOpen}}, {Statuses: []model.Status{model.StatusNew, model.StatusOpen, model.StatusPending}}} {
				b.Run(fmt.Sprint(f.Statuses), func(b *testing.B) {
					for b.Loop() {
						p, err := s.ListRequests(ctx, f)
						if err != nil || len(p.Items) != 25 {
							b.Fatal(err, len(p.Items))
						}
					}
				})
			}
		})
	}
}
