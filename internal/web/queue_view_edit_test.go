package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// eachStore runs test on a fixture over SQLite and over PostgreSQL.
func eachStore(t *testing.T, test func(t *testing.T, f *fixture)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { test(t, newFixture(t)) })
	t.Run("postgres", func(t *testing.T) {
		test(t, newFixtureWith(t, apptest.Options{DatabaseURL: storetest.PostgresURL(t)}))
	})
}

// TestQueueRenameDeleteView: on the queue, an agent renames and deletes
// the saved views of their own (a deletion asks first, as bulk cancelling
// does); a taken name, an empty name and a view someone changed meanwhile
// come back as a sentence next to the field with the name as typed, and
// change nothing; another agent can neither rename nor delete someone's
// personal view (404) nor a shared one (403), and is offered no form for
// them; an admin renames a shared view. In both languages.
func TestQueueRenameDeleteView(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		b := bundle(t)
		manager := f.staff(t, "manager@example.com", model.RoleManager)
		f.staff(t, "other@example.com", model.RoleAgent)
		f.staff(t, "admin@example.com", model.RoleAdmin)
		view := func(p model.Principal, name string, shared bool) *model.SavedView {
			v, err := f.m.Requests.CreateView(ctx, p, request.ViewInput{Name: name, Shared: shared,
				Filters: model.ViewFilters{Type: model.TypeReturn}})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		returns, repairs := view(f.agent, "My returns", false), view(f.agent, "Repairs", false)
		team := view(manager, "Team returns", true)
		name := func(id int64) string {
			t.Helper()
			v, err := f.m.Store.ViewByID(ctx, id)
			if err != nil {
				return "(" + model.ErrorCode(err) + ")"
			}
			return v.Name
		}
		login := func(lang, email string) *client {
			c := newClient(t, f.m, lang)
			if res := c.post("/login", url.Values{"login": {email}, "password": {password}}); res.status != http.StatusSeeOther {
				t.Fatalf("login %s: %d", email, res.status)
			}
			return c
		}
		rename := func(v *model.SavedView) string { return "/queue/views/" + itoa(v.ID) + "/rename" }
		del := func(v *model.SavedView) string { return "/queue/views/" + itoa(v.ID) + "/delete" }
		back := url.Values{"query": {"view=all"}}
		with := func(kv ...string) url.Values {
			out := url.Values{"query": back["query"]}
			for i := 0; i+1 < len(kv); i += 2 {
				out.Set(kv[i], kv[i+1])
			}
			return out
		}

		owner := login("en", "agent@example.com")
		expect(t, "owner's queue", owner.get("/queue?view=all"), http.StatusOK,
			[]string{`action="` + rename(returns) + `"`, `action="` + del(repairs) + `"`, htmlEscape(b.T("en", "views.rename_label", "My returns"))},
			[]string{`action="` + rename(team) + `"`, `action="` + del(team) + `"`})

		// Rename: back to the queue, which says so and shows the new name.
		res := owner.post(rename(returns), with("name", "Returns", "version", "1"))
		if res.status != http.StatusSeeOther || res.location != "/queue?view=all" {
			t.Fatalf("rename: got %d → %q, want 303 → /queue?view=all\n%.1500s", res.status, res.location, res.body)
		}
		expect(t, "after rename", owner.get(res.location), http.StatusOK,
			[]string{htmlEscape(b.T("en", "flash.view_renamed")), ">Returns"}, []string{"My returns"})
		if got := name(returns.ID); got != "Returns" {
			t.Errorf("renamed view is %q, want Returns", got)
		}

		for _, lang := range []string{"en", i18n.ZhCN} {
			c := login(lang, "agent@example.com")
			taken := b.Error(lang, model.Conflict("name", "you already have a view named “%s”; choose another name", "Returns"))
			stale := b.Error(lang, model.Conflict("version", "the view was changed meanwhile; reload and try again"))
			for _, tc := range []struct {
				what, typed, version string
				view                 *model.SavedView
				status               int
				sentence             string
			}{
				{"a taken name", "Returns", "1", repairs, http.StatusConflict, taken},
				{"an empty name", "  ", "1", repairs, http.StatusUnprocessableEntity, b.T(lang, "views.name_required")},
				{"a stale version", "Old returns", "1", returns, http.StatusConflict, stale},
			} {
				before := name(tc.view.ID)
				field := `id="view-rename-` + itoa(tc.view.ID) + `" value="` + tc.typed + `"`
				expect(t, lang+": "+tc.what, c.post(rename(tc.view), with("name", tc.typed, "version", tc.version)), tc.status,
					[]string{htmlEscape(tc.sentence), field, `aria-describedby="view-rename-` + itoa(tc.view.ID) + `-error"`}, nil)
				if got := name(tc.view.ID); got != before {
					t.Errorf("%s %s: view renamed to %q", lang, tc.what, got)
				}
			}
		}

		// Another agent: no forms for the owner's views, and refusals.
		other := login("en", "other@example.com")
		expect(t, "other's queue", other.get("/queue?view=all"), http.StatusOK, nil,
			[]string{`action="` + rename(team) + `"`, `action="` + rename(returns) + `"`, `action="` + del(team) + `"`})
		for link, status := range map[string]int{rename(returns): http.StatusNotFound, del(returns): http.StatusNotFound,
			rename(team): http.StatusForbidden, del(team): http.StatusForbidden} {
			for _, confirm := range []string{"", "yes"} {
				if res := other.post(link, with("name", "Mine now", "version", "2", "confirm", confirm)); res.status != status {
					t.Errorf("another agent: %s (confirm %q): got %d, want %d", link, confirm, res.status, status)
				}
			}
		}
		if name(returns.ID) != "Returns" || name(team.ID) != "Team returns" {
			t.Errorf("after another agent's tries: %q and %q", name(returns.ID), name(team.ID))
		}

		// An admin renames a shared view, as the API allows.
		admin := login("en", "admin@example.com")
		if res := admin.post(rename(team), with("name", "Shared returns", "version", "1")); res.status != http.StatusSeeOther ||
			name(team.ID) != "Shared returns" {
			t.Errorf("admin rename of a shared view: %d, name %q", res.status, name(team.ID))
		}

		// Delete asks first, then deletes.
		for _, lang := range []string{"en", i18n.ZhCN} {
			c := login(lang, "agent@example.com")
			expect(t, lang+": delete asks", c.post(del(repairs), with("version", "1")), http.StatusOK,
				[]string{htmlEscape(b.T(lang, "views.delete_confirm", "Repairs")), `id="view-delete-yes"`, `name="confirm" value="yes"`}, nil)
		}
		if name(repairs.ID) != "Repairs" {
			t.Fatalf("the view went before the confirmation")
		}
		res = owner.post(del(repairs), with("confirm", "yes", "version", "1"))
		if res.status != http.StatusSeeOther || res.location != "/queue?view=all" {
			t.Fatalf("delete: got %d → %q\n%.1500s", res.status, res.location, res.body)
		}
		expect(t, "after delete", owner.get(res.location), http.StatusOK,
			[]string{htmlEscape(b.T("en", "flash.view_deleted")), `action="` + rename(returns) + `"`}, []string{`action="` + rename(repairs) + `"`, "Repairs <span"})
		if got := name(repairs.ID); got != "("+model.ENOTFOUND+")" {
			t.Errorf("deleted view: %q", got)
		}
	})
}

// TestQueueViewGoneOrChanged: renaming or deleting a saved view that
// someone deleted meanwhile re-renders the queue with a sentence saying
// so (404), not a bare error page; the delete form carries the version
// the agent saw, and a view renamed since is not deleted: the queue says
// it changed (409) and shows it as it is now, and deleting it then works.
// In both languages.
func TestQueueViewGoneOrChanged(t *testing.T) {
	eachStore(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		b := bundle(t)
		view := func(name string) *model.SavedView {
			v, err := f.m.Requests.CreateView(ctx, f.agent, request.ViewInput{Name: name, Filters: model.ViewFilters{Type: model.TypeRepair}})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		gone, changing := view("Soon gone"), view("Changing")
		path := func(v *model.SavedView, action string) string { return "/queue/views/" + itoa(v.ID) + "/" + action }
		with := func(kv ...string) url.Values {
			out := url.Values{"query": {"view=all"}}
			for i := 0; i+1 < len(kv); i += 2 {
				out.Set(kv[i], kv[i+1])
			}
			return out
		}
		for _, lang := range []string{"en", i18n.ZhCN} {
			c := newClient(t, f.m, lang)
			if res := c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
				t.Fatalf("login: %d", res.status)
			}
			expect(t, lang+": delete form carries the version", c.get("/queue?view=all"), http.StatusOK,
				[]string{`action="` + path(changing, "delete") + `" class="inline-form">
        <input type="hidden" name="query" value="view=all">
        <input type="hidden" name="version" value="1">`}, nil)
		}
		if err := f.m.Requests.DeleteView(ctx, f.agent, gone.ID, 0); err != nil { // in another tab
			t.Fatal(err)
		}
		newName := "Changed elsewhere"
		if _, err := f.m.Requests.UpdateView(ctx, f.agent, changing.ID, request.ViewPatch{Name: &newName, Version: 1}); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"en", i18n.ZhCN} {
			c := newClient(t, f.m, lang)
			if res := c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {password}}); res.status != http.StatusSeeOther {
				t.Fatalf("login: %d", res.status)
			}
			goneText := htmlEscape(b.T(lang, "views.gone"))
			for what, form := range map[string]url.Values{
				"rename":             with("name", "New name", "version", "1"),
				"delete (ask)":       with("version", "1"),
				"delete (confirmed)": with("version", "1", "confirm", "yes"),
			} {
				action := "rename"
				if what != "rename" {
					action = "delete"
				}
				expect(t, lang+": "+what+" of a deleted view", c.post(path(gone, action), form), http.StatusNotFound,
					[]string{goneText, `id="queue-results"`, ">" + newName}, nil)
			}
			stale := htmlEscape(b.T(lang, "views.delete_stale"))
			for _, confirm := range []string{"", "yes"} {
				expect(t, lang+": stale delete, confirm "+confirm, c.post(path(changing, "delete"), with("version", "1", "confirm", confirm)),
					http.StatusConflict, []string{stale, `value="` + newName + `"`, `name="version" value="2"`}, []string{`id="view-delete-yes"`})
				if _, err := f.m.Store.ViewByID(ctx, changing.ID); err != nil {
					t.Fatalf("%s: a stale delete removed the view: %v", lang, err)
				}
			}
		}
		c := newClient(t, f.m, "en")
		c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {password}})
		if res := c.post(path(changing, "delete"), with("version", "2", "confirm", "yes")); res.status != http.StatusSeeOther {
			t.Errorf("delete at the version shown: got %d, want 303", res.status)
		}
		if _, err := f.m.Store.ViewByID(ctx, changing.ID); !model.IsNotFound(err) {
			t.Errorf("after the delete at the version shown: %v", err)
		}
	})
}
