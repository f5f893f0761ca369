package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestQueueSavedViewByID: /queue?view=ID opens a saved view as
// GET /api/v1/requests?view=ID selects it — one's own personal view, a
// shared one, a built-in one — with the link's other filters laid over
// it; another agent's personal view, a view that does not exist and a
// view name the queue does not know are a sentence in the reader's
// language above the open work, never a raw "unknown status".
func TestQueueSavedViewByID(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	b := bundle(t)
	manager := f.staff(t, "manager@example.com", model.RoleManager)
	f.staff(t, "other@example.com", model.RoleAgent)
	returns, err := f.m.Requests.CreateView(ctx, f.agent, request.ViewInput{Name: "My returns",
		Filters: model.ViewFilters{Type: model.TypeReturn}})
	if err != nil {
		t.Fatal(err)
	}
	repairs, err := f.m.Requests.CreateView(ctx, manager, request.ViewInput{Name: "Repairs", Shared: true,
		Filters: model.ViewFilters{Type: model.TypeRepair}})
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := f.aliceReq.Number, f.bobReq.Number // a repair and a return

	owner := newClient(t, f.m, "en")
	owner.loginStaff()
	open := func(c *client, link, want string) {
		t.Helper()
		res := c.get(link)
		if res.status != http.StatusSeeOther || res.location != want {
			t.Fatalf("%s: got %d → %q, want 303 → %q\n%.1500s", link, res.status, res.location, want, res.body)
		}
	}
	open(owner, "/queue?view="+itoa(returns.ID), "/queue?type=return&view=all")
	// Exporting a saved view's link downloads what the view shows.
	if res := owner.get("/queue/export?format=csv&view=" + itoa(returns.ID)); res.status != http.StatusOK ||
		!strings.Contains(res.body, bob) || strings.Contains(res.body, alice) {
		t.Errorf("export of the saved view: %d, want the return %s and not the repair %s:\n%.800s", res.status, bob, alice, res.body)
	}
	expect(t, "own personal view", owner.get("/queue?type=return&view=all"), http.StatusOK,
		[]string{`aria-current="page">My returns`, bob}, []string{alice})
	open(owner, "/queue?view="+itoa(repairs.ID), "/queue?type=repair&view=all")
	open(owner, "/queue?view="+itoa(repairs.ID)+"&q=lens", "/queue?q=lens&type=repair&view=all")
	open(owner, "/queue?view="+itoa(request.ViewUnassigned), "/queue?unassigned=1&view=work")

	for _, lang := range []string{"en", i18n.ZhCN} {
		other := newClient(t, f.m, lang)
		res := other.post("/login", url.Values{"login": {"other@example.com"}, "password": {password}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("login: %d", res.status)
		}
		open(other, "/queue?view="+itoa(repairs.ID), "/queue?type=repair&view=all")
		sentence := htmlEscape(b.T(lang, "queue.view.unknown"))
		for link, status := range map[string]int{"/queue?view=" + itoa(returns.ID): http.StatusNotFound,
			"/queue?view=999999": http.StatusNotFound, "/queue?view=no-such-view": http.StatusUnprocessableEntity} {
			expect(t, lang+" "+link, other.get(link), status, []string{sentence, alice, bob},
				[]string{"My returns", "未知的状态", "unknown status"})
		}
	}
}
