package web_test

import (
	"net/http"
	"net/url"
	"testing"
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
	expect(t, "tag removed", c.get("/requests/"+a), http.StatusOK, []string{"#vip"}, []string{"#screen-crack"})
}
