package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// TestMergePages merges a duplicate from its request page: a refusal
// comes back with the number as typed, the reason and the reply being
// written; a merge opens the target, whose conversation shows the
// duplicate's message; the duplicate's page says where it went, and the
// customer's portal page of the duplicate leads to the target.
func TestMergePages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dup := f.aliceReq
	target, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeRepair, Subject: "Lens error again"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Requests.Reply(ctx, f.alice, dup.Number, request.ReplyInput{Body: "It still shows E18", Via: model.ChannelWeb}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, "en")
	c.loginStaff()
	res := c.post("/requests/"+dup.Number+"/merge", url.Values{"into": {f.bobReq.Number}, "body": {"half a reply"}})
	expect(t, "other customer", res, http.StatusUnprocessableEntity,
		[]string{"belongs to another customer", `value="` + f.bobReq.Number + `"`, "half a reply"}, nil)
	res = c.post("/requests/"+dup.Number+"/merge", url.Values{"into": {target.Number}})
	if res.status != http.StatusSeeOther || res.location != "/requests/"+target.Number {
		t.Fatalf("merge: got %d → %q, want 303 → the target\n%.2000s", res.status, res.location, res.body)
	}
	expect(t, "target", c.get(res.location), http.StatusOK, []string{"It still shows E18", "merged request " + dup.Number + " into this one"}, nil)
	expect(t, "duplicate", c.get("/requests/"+dup.Number), http.StatusOK,
		[]string{`id="merged-banner"`, `href="/requests/` + target.Number + `"`}, []string{`id="merge-submit"`})

	third, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeRepair, Subject: "Lens error, third time"})
	if err != nil {
		t.Fatal(err)
	}
	if res := c.post("/queue/bulk", url.Values{"n": {third.Number}, "merge_into": {target.Number}}); res.status != http.StatusSeeOther {
		t.Fatalf("bulk merge: got %d\n%.2000s", res.status, res.body)
	}
	if got, err := f.m.Store.RequestByNumber(ctx, third.Number); err != nil || got.MergedInto != target.Number {
		t.Errorf("bulk merge from the queue: merged into %q (%v), want %s", got.MergedInto, err, target.Number)
	}

	cust := newClient(t, f.m, "zh-CN")
	cust.loginCustomer("alice@example.com")
	res = cust.get("/portal/requests/" + dup.Number)
	if res.status != http.StatusSeeOther || res.location != "/portal/requests/"+target.Number {
		t.Fatalf("portal page of the duplicate: got %d → %q, want 303 → %s", res.status, res.location, target.Number)
	}
	expect(t, "portal target", cust.get(res.location), http.StatusOK, []string{"It still shows E18", "合并到了本服务单"}, nil)
}
