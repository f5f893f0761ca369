package store_test

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestViewNamesAndEdits: a view's name is its owner's once (in any case)
// and a shared one's once among shared views; an update applies under
// optimistic locking, and so does a delete that names a version (a stale
// one deletes nothing; none deletes whatever the view is now); a deleted
// view is gone and its name free again.
func TestViewNamesAndEdits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		var users []*model.User
		for _, e := range []string{"view-a@example.com", "view-b@example.com"} {
			u := &model.User{Email: e, Name: e, Role: model.RoleAgent, Active: true, Locale: "en"}
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		a, b := users[0].ID, users[1].ID
		mustCreate := func(owner int64, name string, shared bool) *model.SavedView {
			t.Helper()
			v := &model.SavedView{OwnerID: owner, Name: name, Shared: shared}
			if err := s.CreateView(ctx, v); err != nil {
				t.Fatalf("create %q: %v", name, err)
			}
			return v
		}
		refused := func(what string, err error, field string) {
			t.Helper()
			var me *model.Error
			if model.ErrorCode(err) != model.ECONFLICT || !asModelError(err, &me) || me.Field != field {
				t.Errorf("%s: got %v, want a conflict at %s", what, err, field)
			}
		}
		mine := mustCreate(a, "Audit urgent", false)
		refused("same owner, other case", s.CreateView(ctx, &model.SavedView{OwnerID: a, Name: "AUDIT URGENT"}), "name")
		mustCreate(b, "Audit urgent", false) // another owner's personal view may share the name
		team := mustCreate(b, "Team", true)
		refused("shared name among shared", s.CreateView(ctx, &model.SavedView{OwnerID: a, Name: "team", Shared: true}), "name")
		mustCreate(a, "Team", false) // a personal view may carry a shared one's name

		mine.Name = "Team"
		refused("rename onto own name", s.UpdateView(ctx, mine), "name")
		mine.Name, mine.Filters = "Audit all", model.ViewFilters{Tag: "vip"}
		if err := s.UpdateView(ctx, mine); err != nil || mine.Version != 2 {
			t.Fatalf("rename: %v, version %d (want 2)", err, mine.Version)
		}
		got, err := s.ViewByID(ctx, mine.ID)
		if err != nil || got.Name != "Audit all" || got.Filters.Tag != "vip" || got.Version != 2 {
			t.Errorf("after rename: %+v %v", got, err)
		}
		stale := *got
		stale.Version = 1
		refused("stale version", s.UpdateView(ctx, &stale), "version")

		refused("stale delete", s.DeleteView(ctx, mine.ID, 1), "version")
		if _, err := s.ViewByID(ctx, mine.ID); err != nil {
			t.Errorf("a stale delete removed the view: %v", err)
		}
		if err := s.DeleteView(ctx, mine.ID, 2); err != nil {
			t.Errorf("delete at the current version: %v", err)
		}
		if err := s.DeleteView(ctx, team.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ViewByID(ctx, team.ID); !model.IsNotFound(err) {
			t.Errorf("deleted view read back: %v", err)
		}
		if err := s.DeleteView(ctx, team.ID, 1); !model.IsNotFound(err) {
			t.Errorf("second delete: %v, want not found", err)
		}
		mustCreate(b, "team", true) // the shared name is free again
	})
}
