package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestSearchStatisticsKept: a PostgreSQL search plans with the planner's
// term frequencies, which each node reads once and keeps for a minute
// (reading them costs milliseconds at a million requests). An ANALYZE
// by someone else (autovacuum, another node) reaches the plans within
// that minute; this node's own RefreshStatistics at once.
func TestSearchStatisticsKept(t *testing.T) {
	ctx := context.Background()
	var clock atomic.Int64
	clock.Store(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).UnixNano())
	open := func() *store.Store {
		opts := storetest.Options(t, store.Postgres)
		opts.Now = func() time.Time { return time.Unix(0, clock.Load()) }
		s := storetest.OpenWith(t, opts)
		c := &model.Customer{Name: "stats"}
		if err := s.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		for i := range 40 {
			if _, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
				Channel: model.ChannelWeb, Subject: fmt.Sprintf("zebra crossing %d", i), CustomerID: c.ID}, agent); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	share := func(s *store.Store, what string) float64 {
		t.Helper()
		_, shares, err := s.SearchTermShares(ctx, []string{"zebra"})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return shares[0]
	}

	s := open()
	if got := share(s, "before any ANALYZE"); got != 0 {
		t.Fatalf("before any ANALYZE: zebra's share %v, want 0 (every word is rare)", got)
	}
	if _, err := s.Pool().Exec(ctx, "ANALYZE request_search"); err != nil {
		t.Fatal(err)
	}
	if got := share(s, "just after another node's ANALYZE"); got != 0 {
		t.Errorf("just after another node's ANALYZE: zebra's share %v, want the kept 0", got)
	}
	clock.Add(int64(59 * time.Second))
	if got := share(s, "59 s later"); got != 0 {
		t.Errorf("59 s later: zebra's share %v, want the kept 0", got)
	}
	clock.Add(int64(time.Second))
	if got := share(s, "a minute later"); got < 0.5 {
		t.Errorf("a minute later: zebra's share %v, want the new statistics' (every document holds it)", got)
	}

	// This node's own ANALYZE is seen at once.
	s = open()
	if got := share(s, "before any ANALYZE"); got != 0 {
		t.Fatalf("before any ANALYZE: zebra's share %v, want 0", got)
	}
	if err := s.RefreshStatistics(ctx); err != nil {
		t.Fatal(err)
	}
	if got := share(s, "after RefreshStatistics"); got < 0.5 {
		t.Errorf("after RefreshStatistics: zebra's share %v, want the new statistics'", got)
	}
}
