package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// TestRequestTasks shows a request's follow-up tasks (a rule's
// create_task) on its page, in both languages, the overdue one marked;
// ticking one off moves it to the done list, keeps the reply draft and
// puts it on the timeline; the customer's portal shows none of it.
func TestRequestTasks(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	past := f.m.Store.Now().Add(-time.Hour)
	call := &model.RequestTask{RequestID: f.aliceReq.ID, Title: "Call the customer back", DueAt: &past, CreatedBy: "Call back"}
	parts := &model.RequestTask{RequestID: f.aliceReq.ID, Title: "Order the pump", CreatedBy: "Parts"}
	for _, task := range []*model.RequestTask{call, parts} {
		if err := f.m.Store.Tx(ctx, func(q store.Querier) error { return f.m.Store.CreateTaskIn(ctx, q, task) }); err != nil {
			t.Fatal(err)
		}
	}
	a := f.aliceReq.Number
	zh := newClient(t, f.m, "zh-CN")
	zh.loginStaff()
	expect(t, "tasks in Chinese", zh.get("/requests/"+a), http.StatusOK, []string{"跟进任务", "Call the customer back", "已于", "标记完成"}, nil)

	c := newClient(t, f.m, "en")
	c.loginStaff()
	done := "/requests/" + a + "/tasks/" + itoa(call.ID) + "/done"
	expect(t, "tasks", c.get("/requests/"+a), http.StatusOK,
		[]string{`id="tasks"`, "Call the customer back", "overdue since", "Order the pump", `by rule “Parts”`, `formaction="` + done + `"`},
		[]string{"Done ("})
	res := c.post(done, url.Values{"done": {"1"}, "body": {"half-typed reply"}})
	if res.status != http.StatusSeeOther || res.location != "/requests/"+a+"#tasks" {
		t.Fatalf("mark done: got %d → %q\n%.2000s", res.status, res.location, res.body)
	}
	page := c.get("/requests/" + a)
	expect(t, "after done", page, http.StatusOK,
		[]string{"Done (1)", "<s>Call the customer back</s>", "marked the task “Call the customer back” done", "half-typed reply"},
		[]string{"overdue since"})
	// Another request's task is not found through this one.
	other := &model.RequestTask{RequestID: f.bobReq.ID, Title: "Elsewhere", CreatedBy: "x"}
	if err := f.m.Store.Tx(ctx, func(q store.Querier) error { return f.m.Store.CreateTaskIn(ctx, q, other) }); err != nil {
		t.Fatal(err)
	}
	if res := c.post("/requests/"+a+"/tasks/"+itoa(other.ID)+"/done", url.Values{"done": {"1"}}); res.status != http.StatusNotFound {
		t.Errorf("another request's task: got %d, want 404", res.status)
	}

	cust := newClient(t, f.m, "en")
	cust.loginCustomer("alice@example.com")
	expect(t, "portal", cust.get("/portal/requests/"+a), http.StatusOK, nil, []string{"Call the customer back", "Follow-up tasks"})
}
