package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// formValues reads the update form's hidden fields from a request page.
func formValues(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" form="reply-form" name="([a-z_]+)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	if v.Get("version") == "" || v.Get("loaded_at") == "" {
		t.Fatalf("no update form values in the page:\n%.2000s", body)
	}
	return v
}

// TestStaleEditSendsOnlyWhatChanged: two people have the same request
// page open. Li Lei raises the priority. Wang Fang, from the page loaded
// before, assigns the request to herself: her assignment is saved and Li
// Lei's priority stands (the form sends only what she changed). Had she
// changed the priority too, the page comes back saying, in her language,
// who changed what since she opened it, with her choice still selected;
// saving the values the request already has says nothing changed.
func TestStaleEditSendsOnlyWhatChanged(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	lead := &model.User{Email: "lead@example.com", Name: "Li Lei", Role: model.RoleManager, Active: true}
	if err := f.m.Store.CreateUser(ctx, lead); err != nil {
		t.Fatal(err)
	}
	leadP := model.Principal{Kind: model.KindStaff, ID: lead.ID, Name: lead.Name, Role: lead.Role}
	num := f.aliceReq.Number
	page := "/requests/" + num
	b := bundle(t)
	for _, lang := range []string{i18n.En, i18n.ZhCN} {
		c := newClient(t, f.m, lang)
		c.loginStaff()
		res := c.get(page)
		if res.status != http.StatusOK {
			t.Fatalf("%s: page: %d", lang, res.status)
		}
		form := formValues(t, res.body)
		// Li Lei changes the priority meanwhile.
		cur, err := f.m.Store.RequestByNumber(ctx, num)
		if err != nil {
			t.Fatal(err)
		}
		next := map[string]model.Priority{i18n.En: model.PriorityHigh, i18n.ZhCN: model.PriorityLow}[lang]
		if _, err := f.m.Requests.Update(ctx, leadP, num, model.RequestPatch{Priority: &next, Version: cur.Version}, model.ChannelWeb); err != nil {
			t.Fatal(err)
		}
		// Wang Fang changes the priority as well: refused, and told why.
		mine := url.Values{"priority": {"urgent"}, "assignee": {form.Get("was_assignee")}, "team": {""}, "category": {""}}
		for k, v := range form {
			mine[k] = v
		}
		res = c.post(page+"/update", mine)
		changedBy := b.T(lang, "event.priority", "Li Lei", b.T(lang, "priority."+string(cur.Priority)), b.T(lang, "priority."+string(next)))
		expect(t, lang+": conflict", res, http.StatusConflict, []string{
			html.EscapeString(b.T(lang, "request.changed_meanwhile")), html.EscapeString(changedBy),
			html.EscapeString(b.Error(lang, model.Conflict("priority", "someone else changed this request while you were editing it"))),
			`<option value="urgent" selected>`, `name="was_priority" value="` + string(next) + `"`,
		}, []string{"version %d", "you sent"})
		// From the same old page she only assigns: saved, Li Lei's priority stands.
		assign := url.Values{"priority": {form.Get("was_priority")}, "assignee": {itoa(f.agent.ID)}, "team": {""}, "category": {""}}
		for k, v := range form {
			assign[k] = v
		}
		if res := c.post(page+"/update", assign); res.status != http.StatusSeeOther {
			t.Fatalf("%s: assign from the old page: got %d\n%.3000s", lang, res.status, res.body)
		}
		got, err := f.m.Store.RequestByNumber(ctx, num)
		if err != nil {
			t.Fatal(err)
		}
		if got.Priority != next || got.AssigneeID == nil || *got.AssigneeID != f.agent.ID {
			t.Fatalf("%s: after the assignment: priority %s, assignee %v; want %s and Wang Fang", lang, got.Priority, got.AssigneeID, next)
		}
		expect(t, lang+": saved", c.get(page), http.StatusOK, []string{html.EscapeString(b.T(lang, "flash.saved"))}, nil)
		// The same again, values the request already has: nothing changed, nothing written.
		if res := c.post(page+"/update", assign); res.status != http.StatusSeeOther {
			t.Fatalf("%s: no-op save: got %d", lang, res.status)
		}
		expect(t, lang+": no-op", c.get(page), http.StatusOK, []string{html.EscapeString(b.T(lang, "flash.nothing_changed"))}, nil)
		if again, _ := f.m.Store.RequestByNumber(ctx, num); again.Version != got.Version {
			t.Errorf("%s: a no-op save wrote: version %d → %d", lang, got.Version, again.Version)
		}
		// Back to nobody for the next language.
		none := int64(0)
		if _, err := f.m.Requests.Update(ctx, leadP, num, model.RequestPatch{AssigneeID: &none, Version: got.Version}, model.ChannelWeb); err != nil {
			t.Fatal(err)
		}
	}
}
