package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestRequestTags edits a request's tags on its page: the list is
// normalised and shown in the queue, where the tag filters; a bad tag
// comes back with the list as typed, the error, and the reply kept.
func TestRequestTags(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	a, b := f.aliceReq.Number, f.bobReq.Number
	res := c.post("/requests/"+a+"/tags", url.Values{"tags": {"Screen Crack， VIP"}, "body": {"half-typed reply"}})
	if res.status != http.StatusSeeOther || res.location != "/requests/"+a {
		t.Fatalf("save tags: got %d → %q, want 303 → /requests/%s\n%.2000s", res.status, res.location, a, res.body)
	}
	expect(t, "request page", c.get("/requests/"+a), http.StatusOK,
		[]string{"#screen-crack", "#vip", `value="screen-crack, vip"`, "half-typed reply"}, nil)
	expect(t, "queue shows tags", c.get("/queue"), http.StatusOK, []string{"#screen-crack", `<option value="vip">`}, nil)
	expect(t, "queue by tag", c.get("/queue?tag=VIP"), http.StatusOK, []string{a}, []string{b})
	res = c.post("/requests/"+a+"/tags", url.Values{"tags": {"vip, a/b"}, "body": {"still typing"}})
	expect(t, "bad tag", res, http.StatusUnprocessableEntity,
		[]string{`value="vip, a/b"`, "a tag may hold letters, digits", "still typing"}, nil)
	res = c.post("/requests/"+a+"/tags", url.Values{"tags": {"vip"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("remove a tag: got %d", res.status)
	}
	expect(t, "tag removed", c.get("/requests/"+a), http.StatusOK, []string{"#vip", "set the tags to screen-crack, vip",
		"set the tags to vip"}, []string{"#screen-crack", "changed tags"})
	if res := c.post("/requests/"+a+"/tags", url.Values{"tags": {""}}); res.status != http.StatusSeeOther {
		t.Fatalf("remove every tag: got %d", res.status)
	}
	zh := newClient(t, f.m, "zh-CN")
	zh.loginStaff()
	expect(t, "the timeline in Chinese", zh.get("/requests/"+a), http.StatusOK, []string{"将标签改为：vip", "移除了全部标签"},
		[]string{"修改了 tags"})
}

// TestQueueViews shows the built-in views with counts, saves the current
// filter as a view (which then opens with its count), and brings a
// refused name back with the filter kept.
func TestQueueViews(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	a, b := f.aliceReq.Number, f.bobReq.Number
	expect(t, "tabs with counts", c.get("/queue"), http.StatusOK,
		[]string{`Open work <span class="count">2</span>`, `Assigned to me <span class="count">0</span>`, `Unassigned <span class="count">2</span>`}, nil)
	res := c.post("/queue/views", url.Values{"name": {"Returns"}, "query": {"type=return&view=work"}})
	if res.status != http.StatusSeeOther || res.location != "/queue?type=return&view=work" {
		t.Fatalf("save view: got %d → %q\n%.2000s", res.status, res.location, res.body)
	}
	expect(t, "saved view", c.get(res.location), http.StatusOK,
		[]string{"The view is saved", `aria-current="page">Returns <span class="count">1</span>`, b}, []string{a})
	res = c.post("/queue/views", url.Values{"name": {"  "}, "query": {"type=return"}})
	expect(t, "no name", res, http.StatusUnprocessableEntity, []string{`id="view-name-error"`, "Give the view a name.", b}, []string{a})
	res = c.post("/queue/views", url.Values{"name": {"Everything shared"}, "shared": {"1"}, "query": {"view=all"}})
	expect(t, "agent shares", res, http.StatusUnprocessableEntity, []string{"may not share views", `value="Everything shared"`}, nil)
}

// TestQueueBulk assigns ticked requests from the queue's bulk bar: the
// queue then lists each request's outcome; a refused action keeps the
// ticks.
func TestQueueBulk(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	a, b := f.aliceReq.Number, f.bobReq.Number
	expect(t, "bulk bar", c.get("/queue"), http.StatusOK, []string{`id="bulk-form"`, `name="n" value="` + a + `"`}, nil)
	res := c.post("/queue/bulk", url.Values{"n": {a, b, "SR-1999-000009"}, "assignee": {itoa(f.agent.ID)}, "back": {"view=work"}})
	if res.status != http.StatusSeeOther || res.location != "/queue?view=work" {
		t.Fatalf("bulk: got %d → %q\n%.2000s", res.status, res.location, res.body)
	}
	expect(t, "results", c.get(res.location), http.StatusOK,
		[]string{"2 of 3 requests changed.", "SR-1999-000009</a> ✗ request not found", `Assigned to me <span class="count">2</span>`}, nil)
	expect(t, "results shown once", c.get("/queue"), http.StatusOK, nil, []string{"requests changed."})
	res = c.post("/queue/bulk", url.Values{"n": {a}, "back": {"view=work"}})
	expect(t, "no change chosen", res, http.StatusUnprocessableEntity,
		[]string{"choose at least one change", `value="` + a + `" form="bulk-form" aria-label="Select ` + a + `" checked`}, nil)

	// Cancelling in bulk asks first, with the form as sent; only "yes" cancels.
	zh := newClient(t, f.m, "zh-CN")
	zh.loginStaff()
	for _, c := range []struct {
		c               *client
		question, label string
	}{{c, "Cancel these 2 requests?", "Select "}, {zh, "确定取消这 2 张服务单吗？", "选择 "}} {
		res = c.c.post("/queue/bulk", url.Values{"n": {a, b}, "status": {"cancelled"}, "add_tag": {"dup"}, "back": {"sort=updated&view=work"}})
		expect(t, "bulk cancel asks first", res, http.StatusOK,
			[]string{c.question, `name="confirm" value="yes"`, `class="btn" href="/queue?sort=updated&amp;view=work"`, `<option value="cancelled" selected>`, `value="dup"`,
				`aria-label="` + c.label + a + `" checked`, `aria-label="` + c.label + b + `" checked`}, nil)
		for _, n := range []string{a, b} {
			if r, _ := f.m.Store.RequestByNumber(context.Background(), n); r.Status == model.StatusCancelled {
				t.Fatalf("%s cancelled in bulk without confirmation", n)
			}
		}
	}
	res = c.post("/queue/bulk", url.Values{"n": {a, b}, "status": {"cancelled"}, "confirm": {"yes"}, "back": {"view=work"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("confirmed bulk cancel: got %d", res.status)
	}
	for _, n := range []string{a, b} {
		if r, _ := f.m.Store.RequestByNumber(context.Background(), n); r.Status != model.StatusCancelled {
			t.Errorf("%s after the confirmed bulk cancel: %s, want cancelled", n, r.Status)
		}
	}
}
