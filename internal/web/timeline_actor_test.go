package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// TestTimelineNamesTheSystemInWords: changes the system makes itself
// (closing a resolved request, an automation rule) read as words in the
// reader's language, never as the code's name ("auto-close"); customers
// see neither a rule's name nor the channel a change came through.
func TestTimelineNamesTheSystemInWords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	num := f.aliceReq.Number
	change := func(to model.Status, by store.Actor) {
		t.Helper()
		if _, err := f.m.Store.ChangeStatus(ctx, num, to, by, nil); err != nil {
			t.Fatal(err)
		}
	}
	change(model.StatusPending, store.Actor{Kind: model.AuthorSystem, Name: "Hold for parts rule", Channel: model.ChannelAPI})
	change(model.StatusResolved, store.Actor{Kind: model.AuthorStaff, ID: &f.agent.ID, Name: f.agent.Name, Channel: model.ChannelWeb})
	change(model.StatusClosed, store.Actor{Kind: model.AuthorSystem, Name: "auto-close", Channel: model.ChannelAPI})

	for _, c := range []struct {
		lang, closed, system, api string
	}{
		{"zh-CN", "自动关闭 将状态从「已解决」改为「已关闭」", "系统 将状态从", "API"},
		{"en", "Automatic closing changed the status from Resolved to Closed", "System changed the status from", "API"},
	} {
		alice := newClient(t, f.m, c.lang)
		alice.loginCustomer("alice@example.com")
		expect(t, c.lang+" portal", alice.get("/portal/requests/"+num), http.StatusOK,
			[]string{c.closed, c.system, f.agent.Name}, []string{"auto-close", "Hold for parts rule", c.api + " ·", "channel."})
		staff := newClient(t, f.m, c.lang)
		staff.loginStaff()
		expect(t, c.lang+" staff", staff.get("/requests/"+num), http.StatusOK,
			[]string{c.closed, "Hold for parts rule"}, []string{"auto-close "})
	}
}
