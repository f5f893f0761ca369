package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestConcurrentCreatesAreDurableAndDistinct is what a 201 promises under
// load: every acknowledged request has its own number and is readable, as
// soon as CreateRequest returns, from a connection of another handle on
// the same database (so the answer came after the COMMIT, not before).
func TestConcurrentCreatesAreDurableAndDistinct(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			opts := storetest.Options(t, d)
			s := storetest.OpenWith(t, opts)
			other, err := store.Open(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			ctx := context.Background()
			c := &model.Customer{Name: "many"}
			if err := s.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			const workers, each = 64, 50
			var mu sync.Mutex
			seen := map[string]bool{}
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					for i := range each {
						r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
							Channel: model.ChannelAPI, Subject: fmt.Sprintf("w%d-%d", w, i), CustomerID: c.ID}, agent)
						if err != nil {
							t.Errorf("create: %v", err)
							return
						}
						got, err := other.RequestByNumber(ctx, r.Number)
						if err != nil || got.Subject != r.Subject {
							t.Errorf("%s not readable from another handle right after its 201: %v", r.Number, err)
							return
						}
						mu.Lock()
						if seen[r.Number] {
							t.Errorf("number %s given twice", r.Number)
						}
						seen[r.Number] = true
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if len(seen) != workers*each {
				t.Fatalf("got %d distinct numbers, want %d", len(seen), workers*each)
			}
			var n int
			if err := other.Read().QueryRow(ctx, "SELECT count(*) FROM requests").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != workers*each {
				t.Errorf("got %d requests stored, want %d", n, workers*each)
			}
			if d == store.SQLite {
				commits := s.Commits()
				t.Logf("%d creations in %d commits", workers*each, commits)
				if commits >= workers*each {
					t.Errorf("got %d commits for %d concurrent creations, want fewer (group commit)", commits, workers*each)
				}
			}
		})
	}
}

// TestFailingTxLeavesNoRowsAndSparesOthers: in transactions that run
// together, the ones that fail after writing leave nothing and the others
// all commit.
func TestFailingTxLeavesNoRowsAndSparesOthers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const n = 64
		errBoom := errors.New("boom")
		errs := queued(t, s, n, func(i int) error {
			return s.Tx(ctx, func(q store.Querier) error {
				for k := range 3 {
					if _, err := q.Exec(ctx, "INSERT INTO customers (name, created_at) VALUES ($1, $2)",
						fmt.Sprintf("gc-%d-%d", i, k), s.Now()); err != nil {
						return err
					}
				}
				if i%2 == 1 {
					return errBoom
				}
				return nil
			})
		})
		for i, err := range errs {
			if i%2 == 1 && !errors.Is(err, errBoom) {
				t.Errorf("tx %d: got %v, want its own error", i, err)
			}
			if i%2 == 0 && err != nil {
				t.Errorf("tx %d: got %v, want nil", i, err)
			}
		}
		for i := range n {
			var got int
			if err := s.Read().QueryRow(ctx, "SELECT count(*) FROM customers WHERE name LIKE $1",
				fmt.Sprintf("gc-%d-%%", i)).Scan(&got); err != nil {
				t.Fatal(err)
			}
			want := 3
			if i%2 == 1 {
				want = 0
			}
			if got != want {
				t.Errorf("tx %d: got %d rows, want %d", i, got, want)
			}
		}
	})
}

// queued runs fn(0) … fn(n-1) at once while a transaction holds the
// writer, so that they queue together behind it, and returns their errors.
func queued(t *testing.T, s *store.Store, n int, fn func(i int) error) []error {
	t.Helper()
	hold, release := holdWriter(t, s)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	time.Sleep(100 * time.Millisecond) // let them queue behind the held writer
	release()
	wg.Wait()
	<-hold
	return errs
}

// holdWriter starts a transaction that holds the writer (on PostgreSQL,
// only a connection) until release is called; hold is closed when it has
// committed.
func holdWriter(t *testing.T, s *store.Store) (hold chan struct{}, release func()) {
	t.Helper()
	started, gate, hold := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(hold)
		err := s.Tx(context.Background(), func(store.Querier) error {
			close(started)
			<-gate
			return nil
		})
		if err != nil {
			t.Errorf("holding tx: %v", err)
		}
	}()
	<-started
	return hold, sync.OnceFunc(func() { close(gate) })
}

// TestQueuedTxGivesUpWithItsContext: a caller whose context ends while it
// waits for the writer is answered with the context's error and its work
// never runs.
func TestQueuedTxGivesUpWithItsContext(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	hold, release := holdWriter(t, s)
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Bool
	done := make(chan error, 1)
	go func() {
		done <- s.Tx(ctx, func(store.Querier) error {
			ran.Store(true)
			return nil
		})
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled caller still waits for the writer")
	}
	release()
	<-hold
	if err := s.Tx(context.Background(), func(store.Querier) error { return nil }); err != nil {
		t.Fatalf("writer after a cancelled caller: %v", err)
	}
	if ran.Load() {
		t.Error("the cancelled caller's work ran")
	}
}

// TestPanicInTxReachesItsCaller: a panic in one caller's work is raised
// on that caller's goroutine, its writes are undone, and the writer goes
// on serving others.
func TestPanicInTxReachesItsCaller(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	got := func() (p any) {
		defer func() { p = recover() }()
		_ = s.Tx(ctx, func(q store.Querier) error {
			if _, err := q.Exec(ctx, "INSERT INTO customers (name, created_at) VALUES ('panicky', $1)", s.Now()); err != nil {
				return err
			}
			panic("kaboom")
		})
		return nil
	}()
	if got != "kaboom" {
		t.Fatalf("got panic %v, want kaboom", got)
	}
	var n int
	if err := s.Read().QueryRow(ctx, "SELECT count(*) FROM customers WHERE name = 'panicky'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("got %d rows of the panicking tx, want 0", n)
	}
	c := &model.Customer{Name: "after"}
	if err := s.CreateCustomer(ctx, c); err != nil {
		t.Fatalf("write after a panic: %v", err)
	}
}

// TestSavepointJournalInMemory: the write connection keeps the sub-journal
// of the group commit's savepoints in memory (temp_store MEMORY); on a
// file, every caller's savepoint wrote the pages it changed to a
// temporary file, a seventh of the server's CPU per creation.
func TestSavepointJournalInMemory(t *testing.T) {
	s := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	var mode int
	if err := s.Tx(ctx, func(q store.Querier) error {
		return q.QueryRow(ctx, "PRAGMA temp_store").Scan(&mode)
	}); err != nil {
		t.Fatal(err)
	}
	if mode != 2 {
		t.Errorf("write connection's temp_store = %d, want 2 (MEMORY)", mode)
	}
}
