package kb

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestHistoryCached: the agent panel learns from the history once, not
// per page view; a newly resolved request is learnt after HistoryMinAge,
// an unchanged history is relearnt after HistoryMaxAge; the viewed
// request, when it is in the history, is neither similar to itself nor
// learnt from; concurrent page views build it once.
func TestHistoryCached(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			if d == store.Postgres {
				storetest.PostgresURL(t) // skips without PostgreSQL
			}
			ctx := context.Background()
			now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
			var mu sync.Mutex
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			advance := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
			opts := storetest.Options(t, d)
			opts.Now = clock
			st := storetest.OpenWith(t, opts)
			svc := NewService(st)
			cust := &model.Customer{Name: "Li", Phone: "13800000000"}
			if err := st.CreateCustomer(ctx, cust); err != nil {
				t.Fatal(err)
			}
			by := store.Actor{Kind: model.AuthorStaff, Name: "agent", Channel: model.ChannelWeb}
			resolve := func(subject string, typ model.RequestType) *model.Request {
				t.Helper()
				r, err := st.CreateRequest(ctx, store.NewRequest{Type: typ, Priority: model.PriorityNormal, Channel: model.ChannelPhone,
					Subject: subject, Description: subject, CustomerID: cust.ID}, by)
				if err != nil {
					t.Fatal(err)
				}
				if r, err = st.ChangeStatus(ctx, r.Number, model.StatusResolved, by, nil); err != nil {
					t.Fatal(err)
				}
				return r
			}
			for i := range minHistory {
				resolve(fmt.Sprintf("Opening hours %d", i), model.TypeInquiry)
			}
			staff := model.Principal{Kind: model.KindStaff, ID: 1, Role: model.RoleAgent}
			open := &model.Request{ID: 1 << 40, Subject: "Washer does not drain", Description: "water stays"}
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					if _, err := svc.Assist(ctx, staff, open); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			builds := func() int { svc.hist.mu.Lock(); defer svc.hist.mu.Unlock(); return svc.hist.builds }
			if b := builds(); b != 1 {
				t.Fatalf("4 concurrent page views built the history %d times, want 1", b)
			}
			a, _ := svc.Assist(ctx, staff, open)
			if builds() != 1 || a.Learnt != minHistory {
				t.Errorf("second view: %d builds, learnt %d; want 1 build, %d", builds(), a.Learnt, minHistory)
			}

			washer := resolve("Washer does not drain water", model.TypeRepair)
			if a, _ := svc.Assist(ctx, staff, open); builds() != 1 || len(a.Similar) != 0 {
				t.Errorf("within HistoryMinAge: %d builds, %d similar; want the old history", builds(), len(a.Similar))
			}
			advance(HistoryMinAge)
			a, _ = svc.Assist(ctx, staff, open)
			if builds() != 2 || len(a.Similar) != 1 || a.Similar[0].Number != washer.Number || a.Learnt != minHistory+1 {
				t.Errorf("after a resolution and HistoryMinAge: %d builds, similar %+v, learnt %d", builds(), a.Similar, a.Learnt)
			}
			if own, _ := svc.Assist(ctx, staff, washer); len(own.Similar) != 0 || own.Learnt != minHistory {
				t.Errorf("the viewed request is in the history: similar %+v, learnt %d; want none, %d", own.Similar, own.Learnt, minHistory)
			} else if own.Type == nil || own.Type.Value != string(model.TypeInquiry) {
				t.Errorf("the viewed request learnt from itself: type %+v, want inquiry (the only other type)", own.Type)
			}
			advance(HistoryMaxAge - time.Second)
			if svc.Assist(ctx, staff, open); builds() != 2 {
				t.Errorf("unchanged history rebuilt before HistoryMaxAge: %d builds", builds())
			}
			advance(time.Second)
			if svc.Assist(ctx, staff, open); builds() != 3 {
				t.Errorf("history older than HistoryMaxAge not rebuilt: %d builds", builds())
			}
		})
	}
}
