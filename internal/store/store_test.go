package store_test

import (
	"context"
	"io/fs"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

func TestMigrationVersionsMatch(t *testing.T) {
	names := func(d store.Dialect) []string {
		dir, err := store.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := fs.ReadDir(dir, ".")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	sq, pg := names(store.SQLite), names(store.Postgres)
	if len(sq) == 0 || !slices.Equal(sq, pg) {
		t.Fatalf("migrations differ: sqlite %v, postgres %v", sq, pg)
	}
}

// fixture creates a customer, a product and a unit.
func fixture(t *testing.T, s *store.Store) (*model.Customer, *model.Unit) {
	t.Helper()
	ctx := context.Background()
	c := &model.Customer{Name: "王芳", Email: "Fang@Example.com", Phone: "13800000001", Locale: "zh-CN"}
	if err := s.CreateCustomer(ctx, c); err != nil {
		t.Fatalf("create customer: %v", err)
	}
	p := &model.Product{SKU: "CAM-100", Name: "Camera 100", Brand: "Lumix", Category: "camera", WarrantyMonths: 12}
	if err := s.CreateProduct(ctx, p, nil); err != nil {
		t.Fatalf("create product: %v", err)
	}
	u := &model.Unit{Serial: "SN0001", SKU: "CAM-100", CustomerID: c.ID, PurchasedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Channel: "online"}
	if err := s.CreateUnit(ctx, u); err != nil {
		t.Fatalf("create unit: %v", err)
	}
	return c, u
}

var agent = store.Actor{Kind: model.AuthorStaff, Name: "agent", Channel: model.ChannelWeb}

// eachAt is storetest.Each on stores whose clock stands still at now.
func eachAt(t *testing.T, now time.Time, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			opts := storetest.Options(t, d)
			opts.Now = func() time.Time { return now }
			fn(t, storetest.OpenWith(t, opts))
		})
	}
}

// TestRequestLifecycle runs at 2031-12-31 23:30 UTC, which is already 2032
// in the store's zone (Asia/Shanghai): a request number takes its year
// from the store's clock, in the store's zone.
func TestRequestLifecycle(t *testing.T) {
	eachAt(t, time.Date(2031, 12, 31, 23, 30, 0, 0, time.UTC), func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, _ := fixture(t, s)
		dup := &model.Customer{Name: "x", Email: "fang@example.com"}
		if err := s.CreateCustomer(ctx, dup); model.ErrorCode(err) != model.ECONFLICT {
			t.Fatalf("duplicate e-mail: got %v, want conflict", err)
		}
		got, err := s.CustomerByLogin(ctx, "13800000001")
		if err != nil || got.ID != c.ID {
			t.Fatalf("login by phone: got %v %v", got, err)
		}
		r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityHigh,
			Channel: model.ChannelWeb, Subject: "镜头无法对焦", CustomerID: c.ID, Serial: "SN0001"}, agent)
		if err != nil {
			t.Fatalf("create request: %v", err)
		}
		if want := "SR-2032-000001"; r.Number != want {
			t.Errorf("number: got %s, want %s", r.Number, want)
		}
		r2, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeInquiry, Priority: model.PriorityLow,
			Channel: model.ChannelAPI, Subject: "second", CustomerID: c.ID}, agent)
		if err != nil || r2.Number[len(r2.Number)-1] != '2' {
			t.Fatalf("second request: %v %v", r2, err)
		}
		if _, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityLow,
			Channel: model.ChannelAPI, Subject: "bad", CustomerID: c.ID, Serial: "nope"}, agent); model.ErrorCode(err) != model.EINVALID {
			t.Fatalf("unknown serial: got %v", err)
		}
		if _, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityLow,
			Channel: model.ChannelAPI, Subject: "bad", CustomerID: 9999}, agent); model.ErrorCode(err) != model.EINVALID {
			t.Fatalf("unknown customer: got %v", err)
		}
		if page, _ := s.ListRequests(ctx, model.RequestFilter{}); len(page.Items) != 2 {
			t.Fatalf("failed creations left rows: %d requests", len(page.Items))
		}
		// Workflow.
		if _, err := s.ChangeStatus(ctx, r.Number, model.StatusClosed, agent, nil); model.ErrorCode(err) != model.ECONFLICT {
			t.Fatalf("new→closed: got %v, want conflict", err)
		}
		got2, err := s.ChangeStatus(ctx, r.Number, model.StatusOpen, agent, nil)
		if err != nil || got2.Status != model.StatusOpen || got2.Version != 2 {
			t.Fatalf("new→open: %+v %v", got2, err)
		}
		// Optimistic locking.
		hi := model.PriorityUrgent
		if _, err := s.PatchRequest(ctx, r.Number, model.RequestPatch{Priority: &hi, Version: 1}, agent); model.ErrorCode(err) != model.ECONFLICT {
			t.Fatalf("stale patch: got %v", err)
		}
		p, err := s.PatchRequest(ctx, r.Number, model.RequestPatch{Priority: &hi, Version: 2}, agent)
		if err != nil || p.Priority != hi || p.Version != 3 {
			t.Fatalf("patch: %+v %v", p, err)
		}
		// Messages.
		m := &model.Message{AuthorKind: model.AuthorStaff, Visibility: model.VisibilityInternal, Channel: model.ChannelWeb, Body: "note"}
		if err := s.AddMessage(ctx, r.Number, m, nil, nil, agent, store.UploadLimits{}); err != nil {
			t.Fatal(err)
		}
		pub := &model.Message{AuthorKind: model.AuthorCustomer, Visibility: model.VisibilityPublic, Channel: model.ChannelWeb, Body: "hello"}
		if err := s.AddMessage(ctx, r.Number, pub, nil, nil, agent, store.UploadLimits{}); err != nil {
			t.Fatal(err)
		}
		all, _ := s.Messages(ctx, r.ID, true)
		public, _ := s.Messages(ctx, r.ID, false)
		if len(all) != 2 || len(public) != 1 || public[0].Body != "hello" {
			t.Fatalf("messages: all %d public %d", len(all), len(public))
		}
		ev, _ := s.Events(ctx, r.ID, true)
		if len(ev) != 5 {
			t.Errorf("events: got %d, want 5: %+v", len(ev), ev)
		}
		// List with keyset pagination.
		page, err := s.ListRequests(ctx, model.RequestFilter{Limit: 1})
		if err != nil || len(page.Items) != 1 || page.Items[0].Number != r2.Number || page.NextCursor == "" {
			t.Fatalf("page 1: %+v %v", page, err)
		}
		page2, err := s.ListRequests(ctx, model.RequestFilter{Limit: 1, Cursor: page.NextCursor})
		if err != nil || len(page2.Items) != 1 || page2.Items[0].Number != r.Number || page2.NextCursor != "" {
			t.Fatalf("page 2: %+v %v", page2, err)
		}
		open, _ := s.ListRequests(ctx, model.RequestFilter{Statuses: []model.Status{model.StatusOpen}})
		if len(open.Items) != 1 || open.Items[0].Serial != "SN0001" || open.Items[0].CustomerName != "王芳" {
			t.Fatalf("status filter: %+v", open.Items)
		}
		q, _ := s.ListRequests(ctx, model.RequestFilter{Query: "对焦"})
		if len(q.Items) != 1 {
			t.Fatalf("query: %+v", q.Items)
		}
	})
}

func TestConcurrentStatusChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c, _ := fixture(t, s)
		r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeRepair, Priority: model.PriorityNormal,
			Channel: model.ChannelWeb, Subject: "x", CustomerID: c.ID}, agent)
		if err != nil {
			t.Fatal(err)
		}
		// Eight racers try new→resolved; exactly one moves it, the rest
		// find it resolved already: a success that writes nothing (never
		// "cannot change status from resolved to resolved").
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				_, err := s.ChangeStatus(ctx, r.Number, model.StatusResolved, agent, nil)
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("a racer: %v, want success", err)
			}
		}
		got, _ := s.RequestByNumber(ctx, r.Number)
		if got.Version != 2 || got.Status != model.StatusResolved {
			t.Fatalf("after the race: version %d, status %s; want 2, resolved (one write)", got.Version, got.Status)
		}
		evs, err := s.Events(ctx, r.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		moves := 0
		for _, e := range evs {
			if e.Kind == "status" {
				moves++
			}
		}
		if moves != 1 {
			t.Errorf("status events: %d, want 1", moves)
		}
	})
}
