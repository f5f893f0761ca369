package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/jobs"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestAutoCloseRunsOnRiver starts River on each database and checks that
// the periodic auto-close job closes a request resolved long enough ago
// and leaves a recently resolved one alone.
func TestAutoCloseRunsOnRiver(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			var offset atomic.Int64 // the store clock runs ahead by this much
			opts := storetest.Options(t, d)
			opts.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
			st := storetest.OpenWith(t, opts)
			if err := jobs.Migrate(ctx, st); err != nil {
				t.Fatal(err)
			}
			c := &model.Customer{Name: "c"}
			if err := st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			sys := store.Actor{Kind: model.AuthorSystem, Name: "test", Channel: model.ChannelAPI}
			resolve := func() string {
				r, err := st.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
					Channel: model.ChannelAPI, Subject: "x", CustomerID: c.ID}, sys)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := st.ChangeStatus(ctx, r.Number, model.StatusResolved, sys, nil); err != nil {
					t.Fatal(err)
				}
				return r.Number
			}
			old := resolve()
			offset.Store(int64(8 * 24 * time.Hour))
			recent := resolve()

			runner, err := jobs.New(st, jobs.Options{AutoCloseAfter: 7 * 24 * time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			if err := runner.Start(runCtx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				cancel()
				stop, c2 := context.WithTimeout(context.Background(), 10*time.Second)
				defer c2()
				runner.Stop(stop)
			})
			deadline := time.Now().Add(60 * time.Second)
			for {
				r, err := st.RequestByNumber(ctx, old)
				if err != nil {
					t.Fatal(err)
				}
				if r.Status == model.StatusClosed {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("auto-close did not run within a minute (status %s)", r.Status)
				}
				time.Sleep(200 * time.Millisecond)
			}
			if r, _ := st.RequestByNumber(ctx, recent); r.Status != model.StatusResolved {
				t.Fatalf("recently resolved request: %s", r.Status)
			}
			ev, _ := st.Events(ctx, mustID(t, st, old), true)
			if last := ev[len(ev)-1]; last.ActorKind != model.AuthorSystem || last.NewValue != "closed" {
				t.Fatalf("last event: %+v", last)
			}
		})
	}
}

func mustID(t *testing.T, st *store.Store, number string) int64 {
	t.Helper()
	r, err := st.RequestByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}
