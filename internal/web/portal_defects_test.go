package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// TestPortalCancelAsksFirst: cancelling asks for confirmation, for the
// customer and for staff, and keeps the text being written; only the
// confirmed cancel cancels. Staff can take a cancel back; the customer
// cannot.
func TestPortalCancelAsksFirst(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	own := "/portal/requests/" + f.aliceReq.Number
	expect(t, "first click", alice.post(own+"/status", url.Values{"action": {"cancel"}, "body": {"half a thought"}}), http.StatusOK,
		[]string{"Cancel this request?", "Yes, cancel it", `name="confirm" value="yes"`, "half a thought"}, nil)
	if r, _ := f.m.Store.RequestByNumber(ctx, f.aliceReq.Number); r.Status == model.StatusCancelled {
		t.Fatal("cancelled without confirmation")
	}
	if res := alice.post(own+"/status", url.Values{"action": {"cancel"}, "confirm": {"yes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("confirmed cancel: got %d", res.status)
	}
	if r, _ := f.m.Store.RequestByNumber(ctx, f.aliceReq.Number); r.Status != model.StatusCancelled {
		t.Fatalf("after the confirmed cancel: %s, want cancelled", r.Status)
	}
	expect(t, "customer cannot reopen a cancelled request", alice.post(own+"/status", url.Values{"action": {"reopen"}}),
		http.StatusForbidden, nil, nil)

	staff := newClient(t, f.m, "zh-CN")
	staff.loginStaff()
	staffURL := "/requests/" + f.bobReq.Number
	expect(t, "staff first click", staff.post(staffURL+"/status", url.Values{"status": {"cancelled"}, "body": {"草稿"}}), http.StatusOK,
		[]string{"确定取消这张服务单吗？", "草稿"}, nil)
	if r, _ := f.m.Store.RequestByNumber(ctx, f.bobReq.Number); r.Status == model.StatusCancelled {
		t.Fatal("staff: cancelled without confirmation")
	}
	if res := staff.post("/requests/"+f.aliceReq.Number+"/status", url.Values{"status": {"open"}}); res.status != http.StatusSeeOther {
		t.Fatalf("staff reopen of the cancelled request: got %d %.2000s", res.status, res.body)
	}
	if r, _ := f.m.Store.RequestByNumber(ctx, f.aliceReq.Number); r.Status != model.StatusOpen {
		t.Errorf("after staff reopened it: %s, want open", r.Status)
	}
}

// TestPortalReplyToClosedRequest: a customer's reply to a closed request
// reopens it within the reopen period; past it, the page has no reply box
// and no Reopen button but a new-request form, and text sent meanwhile is
// carried over into it.
func TestPortalReplyToClosedRequest(t *testing.T) {
	f := newFixtureWith(t, apptest.Options{Configure: func(c *config.Config) { c.ReopenDays = 30 }})
	ctx := context.Background()
	close := func(number string) {
		t.Helper()
		for _, to := range []model.Status{model.StatusOpen, model.StatusResolved, model.StatusClosed} {
			if r, _ := f.m.Store.RequestByNumber(ctx, number); r.Status == to {
				continue
			}
			if _, err := f.m.Requests.ChangeStatus(ctx, f.agent, number, to, model.ChannelWeb); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(f.aliceReq.Number)
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	own := "/portal/requests/" + f.aliceReq.Number
	expect(t, "closed, within the period", alice.get(own), http.StatusOK, []string{"Your message reopens this request."}, []string{"follow-up-form"})
	if res := alice.post(own+"/reply", url.Values{"body": {"It broke again."}}); res.status != http.StatusSeeOther {
		t.Fatalf("reply: got %d", res.status)
	}
	if r, _ := f.m.Store.RequestByNumber(ctx, f.aliceReq.Number); r.Status != model.StatusOpen {
		t.Errorf("after the reply: %s, want open (reopened)", r.Status)
	}

	close(f.aliceReq.Number)
	page := alice.get(own) // the page as the customer left it open
	// A month passes (moved in the data: sessions follow the real clock).
	if err := f.m.Store.Tx(ctx, func(q store.Querier) error {
		_, err := q.Exec(ctx, "UPDATE requests SET closed_at = $1 WHERE number = $2", time.Now().Add(-31*24*time.Hour).UTC(), f.aliceReq.Number)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	expect(t, "closed long ago", alice.get(own), http.StatusOK,
		[]string{"follow-up-form", "Follow-up to " + f.aliceReq.Number}, []string{`id="reply-form"`, `value="reopen"`})
	if !strings.Contains(page.body, `id="reply-form"`) {
		t.Fatal("the page before the period ended had no reply form")
	}
	res := alice.post(own+"/reply", url.Values{"body": {"Still broken, a month later."}})
	expect(t, "late reply", res, http.StatusConflict, []string{"follow-up-form", "Still broken, a month later."}, nil)
	if r, _ := f.m.Store.RequestByNumber(ctx, f.aliceReq.Number); r.Status != model.StatusClosed {
		t.Errorf("after the late reply: %s, want still closed", r.Status)
	}
	v, err := f.m.Requests.Get(ctx, f.agent, f.aliceReq.Number)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range v.Messages {
		if strings.Contains(m.Body, "a month later") {
			t.Error("the late reply was stored on the closed request")
		}
	}
	res = alice.post("/portal/requests/new", url.Values{"type": {string(f.aliceReq.Type)},
		"subject": {"Follow-up to " + f.aliceReq.Number + ": " + f.aliceReq.Subject}, "description": {"Still broken, a month later."}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/portal/requests/SR-") {
		t.Fatalf("follow-up request: %d → %q", res.status, res.location)
	}
}

// TestRootLeadsCustomersToThePortal: the bare address takes a visitor to
// the portal's login, a signed-in customer to the portal, staff to the
// queue.
func TestRootLeadsCustomersToThePortal(t *testing.T) {
	f := newFixture(t)
	visitor := newClient(t, f.m, "en")
	if res := visitor.get("/"); res.status != http.StatusSeeOther || res.location != "/portal/login" {
		t.Errorf("visitor: %d → %q, want /portal/login", res.status, res.location)
	}
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	if res := alice.get("/"); res.location != "/portal" {
		t.Errorf("customer: → %q, want /portal", res.location)
	}
	staff := newClient(t, f.m, "en")
	staff.loginStaff()
	if res := staff.get("/"); res.location != "/queue" {
		t.Errorf("staff: → %q, want /queue", res.location)
	}
}
