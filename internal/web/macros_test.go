package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestMacroPages writes a macro on the macros page (a bad placeholder
// comes back as typed with the message), finds it in the request page's
// reply box rendered for the request, and sends a reply with it: the
// text is the macro's and its status, priority and tag are set with it.
func TestMacroPages(t *testing.T) {
	f := newFixture(t)
	c := newClient(t, f.m, "en")
	c.loginStaff()
	res := c.post("/macros", url.Values{"name": {"Receipt"}, "body_en": {"Dear {{customer.nmae}}"}, "status": {"pending"}})
	expect(t, "bad placeholder", res, http.StatusUnprocessableEntity,
		[]string{"unknown placeholder {{customer.nmae}}", `value="Receipt"`, `<option value="pending" selected>`}, nil)
	res = c.post("/macros", url.Values{"name": {"Receipt"}, "body_en": {"Dear {{customer.name}}, please send the receipt for {{request.number}}."},
		"body_zh": {"{{customer.name}}您好，请发送购买凭证。"}, "status": {"pending"}, "priority": {"high"}, "add_tags": {"Needs Receipt"}})
	if res.status != http.StatusSeeOther || res.location != "/macros" {
		t.Fatalf("save macro: got %d → %q\n%.2000s", res.status, res.location, res.body)
	}
	expect(t, "macro list", c.get("/macros"), http.StatusOK, []string{"The macro is saved", "Receipt", "#needs-receipt"}, nil)

	num := f.aliceReq.Number
	want := "Dear Alice Chen, please send the receipt for " + num + "."
	expect(t, "request page picker", c.get("/requests/"+num), http.StatusOK,
		[]string{`id="macro-select"`, `data-text="` + want + `"`, ">Receipt</option>"}, nil)
	page := c.get("/requests/" + num)
	i := strings.Index(page.body, `data-text="`+want)
	id := page.body[strings.LastIndex(page.body[:i], `value="`)+len(`value="`):]
	id = id[:strings.IndexByte(id, '"')]
	res = c.post("/requests/"+num+"/reply", url.Values{"body": {""}, "macro_id": {id}, "visibility": {"public"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("reply with macro: got %d\n%.2000s", res.status, res.body)
	}
	r, err := f.m.Store.RequestByNumber(context.Background(), num)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "pending" || r.Priority != "high" || len(r.Tags) != 1 || r.Tags[0] != "needs-receipt" {
		t.Errorf("after the macro reply: status %s, priority %s, tags %v; want pending, high, [needs-receipt]", r.Status, r.Priority, r.Tags)
	}
	expect(t, "reply on the page", c.get("/requests/"+num), http.StatusOK, []string{want + "</div>"}, nil)

	zh := newClient(t, f.m, "zh-CN")
	zh.loginStaff()
	expect(t, "macros page in Chinese", zh.get("/macros"), http.StatusOK, []string{"快捷回复", "随回复一起更改"}, []string{"macros."})
}
