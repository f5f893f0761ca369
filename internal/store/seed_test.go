package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// Bulk inserts split rows over several statements (sizes that are not a
// multiple of the batch included), keep the given ids, and leave the id
// sequences so that ordinary inserts go on after them.
func TestBulkInserts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		has, err := s.HasData(ctx)
		if err != nil || has {
			t.Fatalf("HasData on a fresh store: got %v, %v; want false", has, err)
		}
		now := s.Now()
		if err := s.InsertTeams(ctx, []model.Team{{ID: 5, Name: "深圳南山服务中心", CreatedAt: now}}); err != nil {
			t.Fatal(err)
		}
		if has, err := s.HasData(ctx); err != nil || !has {
			t.Fatalf("HasData after a team: got %v, %v; want true", has, err)
		}
		var cats []model.Category
		for i := range 1001 {
			c := model.Category{ID: int64(i + 1), NameZh: fmt.Sprintf("类别%d", i), NameEn: fmt.Sprintf("cat %d", i)}
			if i > 0 {
				parent := int64(1)
				c.ParentID = &parent
			}
			cats = append(cats, c)
		}
		if err := s.InsertCategories(ctx, cats); err != nil {
			t.Fatalf("InsertCategories: %v", err)
		}
		got, err := s.ListCategories(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(cats) || got[1000].NameEn != "cat 1000" || got[1000].ParentID == nil || *got[1000].ParentID != 1 {
			t.Fatalf("after InsertCategories: got %d categories, want %d with ids and parents kept", len(got), len(cats))
		}
		next := &model.Category{NameZh: "新", NameEn: "new"}
		if err := s.CreateCategory(ctx, next); err != nil {
			t.Fatalf("CreateCategory after a bulk insert: %v", err)
		}
		if next.ID != 1002 {
			t.Errorf("CreateCategory after a bulk insert: got id %d, want 1002", next.ID)
		}
		team := &model.Team{Name: "next"}
		if err := s.CreateTeam(ctx, team); err != nil || team.ID != 6 {
			t.Errorf("CreateTeam after a bulk insert: got id %d, %v; want 6", team.ID, err)
		}

		if err := s.InsertCustomers(ctx, []model.Customer{{ID: 1, Name: "刘洋", Email: "A@Example.com", CreatedAt: now},
			{ID: 2, Name: "No Mail", Phone: "13800000000", CreatedAt: now}, {ID: 3, Name: "Nobody", CreatedAt: now}}); err != nil {
			t.Fatalf("InsertCustomers: %v", err)
		}
		if c, err := s.CustomerByLogin(ctx, "a@example.com"); err != nil || c.ID != 1 {
			t.Errorf("customer by lower-cased e-mail: got %+v, %v", c, err)
		}
		// Empty e-mails and phones are NULL, so they do not collide.
		var nulls int
		if err := s.Read().QueryRow(ctx, "SELECT COUNT(*) FROM customers WHERE email IS NULL").Scan(&nulls); err != nil || nulls != 2 {
			t.Errorf("customers without e-mail stored as NULL: got %d, %v; want 2", nulls, err)
		}
		if err := s.InsertCustomers(ctx, []model.Customer{{ID: 1, Name: "dup", CreatedAt: now}}); err == nil {
			t.Error("InsertCustomers with a taken id: got no error")
		}

		year := s.Now().In(s.Location()).Year()
		if err := s.SetRequestCounters(ctx, map[int]int64{year: 41}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetRequestCounters(ctx, map[int]int64{year: 7}); err != nil { // never lowers
			t.Fatal(err)
		}
		r, err := s.CreateRequest(ctx, store.NewRequest{Type: model.TypeInquiry, Priority: model.PriorityLow,
			Channel: model.ChannelWeb, Subject: "x", CustomerID: 1}, store.Actor{Kind: model.AuthorSystem, Channel: model.ChannelAPI})
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("SR-%d-000042", year); r.Number != want {
			t.Errorf("after SetRequestCounters(%d: 41): got %s, want %s", year, r.Number, want)
		}
	})
}

// A large seed reads its requests back (the SLA clocks) before it ends:
// RefreshStatistics must have PostgreSQL's planner see the rows bulk
// inserted before it, which it takes for an empty table until then.
func TestRefreshStatistics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var cats []model.Category
		for i := range 1000 {
			cats = append(cats, model.Category{ID: int64(i + 1), NameZh: fmt.Sprintf("类别%d", i), NameEn: fmt.Sprintf("cat %d", i)})
		}
		if err := s.InsertCategories(ctx, cats); err != nil {
			t.Fatal(err)
		}
		if err := s.RefreshStatistics(ctx); err != nil {
			t.Fatal(err)
		}
		if s.Dialect() != store.Postgres {
			return // SQLite plans without statistics here
		}
		var tuples float64
		if err := s.Read().QueryRow(ctx, "SELECT reltuples FROM pg_class WHERE relname = 'categories'").Scan(&tuples); err != nil {
			t.Fatal(err)
		}
		if tuples < 1000 {
			t.Errorf("the planner counts %v categories after RefreshStatistics, want the 1,000 inserted", tuples)
		}
	})
}
