package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestTakeToken: a bucket allows burst attempts, then refuses with the
// time to wait, refills at one per interval, keeps keys and limiters
// apart, and concurrent attempts never pass the burst together.
func TestTakeToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		take := func(name, key string, at time.Time) (bool, time.Duration) {
			t.Helper()
			ok, after, err := s.TakeToken(ctx, name, key, 3, 10*time.Second, at)
			if err != nil {
				t.Fatal(err)
			}
			return ok, after
		}
		for i := range 3 {
			if ok, _ := take("login", "ann", now); !ok {
				t.Fatalf("attempt %d of a burst of 3: refused", i+1)
			}
		}
		if ok, after := take("login", "ann", now); ok || after != 10*time.Second {
			t.Fatalf("fourth attempt: got %v, retry after %s; want refused, 10s", ok, after)
		}
		if ok, _ := take("login", "ben", now); !ok {
			t.Error("another key: refused, want its own bucket")
		}
		if ok, _ := take("survey", "ann", now); !ok {
			t.Error("another limiter: refused, want its own bucket")
		}
		if ok, after := take("login", "ann", now.Add(4*time.Second)); ok || after != 6*time.Second {
			t.Errorf("after 4s: got %v, retry after %s; want refused, 6s", ok, after)
		}
		if ok, _ := take("login", "ann", now.Add(10*time.Second)); !ok {
			t.Error("after 10s: refused, want one attempt refilled")
		}
		if ok, _ := take("login", "ann", now.Add(10*time.Second)); ok {
			t.Error("second attempt after 10s: allowed, want only one refilled")
		}

		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, _, err := s.TakeToken(ctx, "login", "race", 3, time.Hour, now)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if allowed != 3 {
			t.Errorf("12 concurrent attempts on a burst of 3: %d allowed, want 3", allowed)
		}
		if n, err := s.PruneRateLimits(ctx, now.Add(time.Second)); err != nil || n != 3 {
			t.Errorf("prune: got %d, %v; want the 3 buckets last used at the start (not ann's, used 10s later)", n, err)
		}
	})
}

// BenchmarkTakeToken measures one shared rate-limit check (one UPSERT).
func BenchmarkTakeToken(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			s := storetest.Open(b, d)
			ctx := context.Background()
			now := time.Now()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if _, _, err := s.TakeToken(ctx, "login", "client", 1000, time.Millisecond, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
