package store_test

import (
	"context"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// viewUsers creates n agents for view tests and returns their ids.
func viewUsers(t *testing.T, s *store.Store, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		u := &model.User{Email: "views-" + string(rune('a'+i)) + "@example.com", Name: "V" + string(rune('a'+i)),
			Role: model.RoleAgent, Active: true, Locale: "en"}
		if err := s.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		ids[i] = u.ID
	}
	return ids
}

// TestConcurrentViewNames: many creations at once of one name by one
// owner, or of one shared name by several owners, save exactly one view;
// every other one is the 409 "name taken" at name, never a duplicate and
// never an internal error.
func TestConcurrentViewNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		users := viewUsers(t, s, 8)
		race := func(what string, view func(i int) *model.SavedView) {
			t.Helper()
			errs := make([]error, len(users))
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range users {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = s.CreateView(ctx, view(i))
				}()
			}
			close(start)
			wg.Wait()
			saved := 0
			for i, err := range errs {
				var me *model.Error
				switch {
				case err == nil:
					saved++
				case model.ErrorCode(err) != model.ECONFLICT || !asModelError(err, &me) || me.Field != "name":
					t.Errorf("%s: creation %d: got %v, want saved or a conflict at name", what, i, err)
				}
			}
			if saved != 1 {
				t.Errorf("%s: %d views saved, want exactly 1", what, saved)
			}
		}
		race("one owner, one name", func(i int) *model.SavedView {
			return &model.SavedView{OwnerID: users[0], Name: []string{"Urgent", "URGENT", "urgent"}[i%3]}
		})
		race("shared, one name, many owners", func(i int) *model.SavedView {
			return &model.SavedView{OwnerID: users[i], Name: "Team queue", Shared: true}
		})
		var n int
		if err := s.Read().QueryRow(ctx, "SELECT COUNT(*) FROM saved_views").Scan(&n); err != nil || n != 2 {
			t.Errorf("saved views: %d (%v), want 2", n, err)
		}
	})
}

// TestViewNameMigration: migration 00040 renames the views saved twice
// before it (the oldest keeps the name, the others get " (2)", " (3)";
// one whose new name is taken gets its id) and then refuses duplicates in
// the database itself, for one owner and among shared views.
func TestViewNameMigration(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := viewUsers(t, s, 3)
		up, down := migration(t, s, "00040_saved_view_unique_names.sql")
		exec(t, s, down) // as before 00040: nothing stops a duplicate
		rows := []struct {
			owner  int64
			name   string
			shared bool
			want   string
		}{
			{u[0], "Urgent", false, "Urgent"},
			{u[0], "urgent", false, "urgent (2)"},
			{u[0], "URGENT", true, "URGENT (3)"},
			{u[1], "Urgent", false, "Urgent"}, // another owner's personal view keeps it
			{u[1], "Team", true, "Team"},
			{u[2], "team", true, "team (2)"},
			{u[0], "Team", false, "Team"}, // a personal view may carry a shared name
			{u[2], "Big", false, "Big"},
			{u[2], "Big (2)", false, "Big (2)"},
			{u[2], "big", false, ""}, // " (2)" is taken: the id
		}
		ids := make([]int64, len(rows))
		if err := s.Tx(ctx, func(q store.Querier) error {
			for i, r := range rows {
				if err := q.QueryRow(ctx, `INSERT INTO saved_views (owner_id, name, shared, filters, created_at, version)
					VALUES ($1, $2, $3, '{}', $4, 1) RETURNING id`, r.owner, r.name, r.shared, s.Now()).Scan(&ids[i]); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		exec(t, s, up)
		for i, r := range rows {
			want := r.want
			if want == "" {
				want = r.name + " (view " + strconv.FormatInt(ids[i], 10) + ")"
			}
			v, err := s.ViewByID(ctx, ids[i])
			if err != nil || v.Name != want {
				t.Errorf("%q of user %d: now %+v, %v; want %q", r.name, r.owner, v, err, want)
			}
		}
		for _, dup := range []struct {
			owner  int64
			name   string
			shared bool
		}{{u[1], "URGENT", false}, {u[0], "TEAM (2)", true}} {
			err := s.Tx(ctx, func(q store.Querier) error {
				_, err := q.Exec(ctx, `INSERT INTO saved_views (owner_id, name, shared, filters, created_at, version)
					VALUES ($1, $2, $3, '{}', $4, 1)`, dup.owner, dup.name, dup.shared, s.Now())
				return err
			})
			if err == nil {
				t.Errorf("a duplicate %q (shared %v) went in past the indexes", dup.name, dup.shared)
			}
		}
	})
}

// migration returns the Up and Down statements of a migration file of s's
// dialect.
func migration(t *testing.T, s *store.Store, name string) (up, down string) {
	t.Helper()
	dir, err := store.Migrations(s.Dialect())
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	up, down, _ = strings.Cut(strings.SplitN(string(b), "-- +goose Up", 2)[1], "-- +goose Down")
	return up, down
}

// exec runs SQL statements (each ending in ";\n") in one transaction.
func exec(t *testing.T, s *store.Store, sql string) {
	t.Helper()
	if err := s.Tx(context.Background(), func(q store.Querier) error {
		for stmt := range strings.SplitSeq(sql, ";\n") {
			if strings.TrimSpace(stmt) == "" {
				continue
			}
			if _, err := q.Exec(context.Background(), stmt); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatalf("migration: %v", err)
	}
}
