package api_test

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// TestMacros checks that macros are personal or shared, render their
// placeholders for a request in the customer's language, and that a
// reply with a macro makes its field changes in the reply's transaction:
// all on the timeline, or nothing when one change is refused.
func TestMacros(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		var shared, personal api.Macro
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/macros", f.manager, map[string]any{
			"name": "Waiting for receipt", "shared": true,
			"body_en": "Dear {{customer.name}}, please send the receipt for {{request.number}} ({{request.subject}}). — {{agent.name}}",
			"body_zh": "{{customer.name}}您好，请发送服务单 {{request.number}} 的购买凭证。——{{agent.name}}",
			"status":  "pending", "priority": "high", "add_tags": []string{"Needs Receipt"},
		}).JSON(t, &shared)
		if !slices.Equal(shared.AddTags, []string{"needs-receipt"}) {
			t.Errorf("tags: got %v, want [needs-receipt]", shared.AddTags)
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/macros", f.manager, map[string]any{
			"name": "Manager's own", "body_en": "Hello"}).JSON(t, &personal)

		var list struct{ Items []api.Macro }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/macros", f.agent, nil).JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != shared.ID {
			t.Errorf("agent's macros: got %+v, want only the shared one", list.Items)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/macros", f.manager, nil).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("manager's macros: got %d, want 2", len(list.Items))
		}

		req := f.newRequest(t, f.aliceID, "Door seal")
		id := strconv.FormatInt(shared.ID, 10)
		var rendered struct{ Body string }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/macros/"+id+"/render?number="+req.Number+"&lang=en", f.agent, nil).JSON(t, &rendered)
		var me struct{ Name string }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/me", f.agent, nil).JSON(t, &me)
		want := "Dear Alice, please send the receipt for " + req.Number + " (Door seal). — " + me.Name
		if rendered.Body != want {
			t.Errorf("rendered: got %q, want %q", rendered.Body, want)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/macros/"+id+"/render?number="+req.Number+"&lang=zh-CN", f.agent, nil).JSON(t, &rendered)
		if want := "Alice您好，请发送服务单 " + req.Number + " 的购买凭证。——" + me.Name; rendered.Body != want {
			t.Errorf("rendered zh-CN: got %q, want %q", rendered.Body, want)
		}

		// A reply with the macro and no body: the macro's text, and its
		// changes, on the timeline.
		var msg api.Message
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+req.Number+"/messages", f.agent,
			map[string]any{"macro_id": shared.ID}).JSON(t, &msg)
		d := f.getRequest(t, f.agent, req.Number)
		if msg.Body == "" || d.Status != "pending" || d.Priority != "high" || !slices.Equal(d.Tags, []string{"needs-receipt"}) {
			t.Errorf("after the macro reply: body %q, status %s, priority %s, tags %v; want text, pending, high, [needs-receipt]",
				msg.Body, d.Status, d.Priority, d.Tags)
		}
		kinds := map[string]bool{}
		for _, e := range d.Timeline {
			kinds[e.Kind] = true
		}
		for _, k := range []string{"message", "status", "priority", "tags"} {
			if !kinds[k] {
				t.Errorf("timeline lacks a %s event: %v", k, kinds)
			}
		}

		// A macro whose status the workflow refuses stores nothing: not
		// the message either.
		var closer api.Macro
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/macros", f.agent, map[string]any{
			"name": "Close", "body_en": "Closing.", "status": "closed", "priority": "low"}).JSON(t, &closer)
		req2 := f.newRequest(t, f.bobID, "Pump")
		before := f.count(t, "messages")
		f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/requests/"+req2.Number+"/messages", f.agent,
			map[string]any{"body": "typed", "macro_id": closer.ID})
		if got := f.count(t, "messages"); got != before {
			t.Errorf("messages after a refused macro reply: got %d, want %d", got, before)
		}
		if d := f.getRequest(t, f.agent, req2.Number); d.Priority != "normal" {
			t.Errorf("priority after a refused macro reply: got %s, want normal", d.Priority)
		}

		mid := strconv.FormatInt(personal.ID, 10)
		for _, s := range []apitest.Scenario{
			{Name: "unknown placeholder", Method: "POST", Path: "/api/v1/macros", Token: f.agent,
				Body: `{"name":"x","body_en":"Hi {{customer.nmae}}"}`, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"body.body_en"`, "customer.nmae"}},
			{Name: "no text", Method: "POST", Path: "/api/v1/macros", Token: f.agent,
				Body: `{"name":"x"}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.body_en"`}},
			{Name: "agent may not share", Method: "POST", Path: "/api/v1/macros", Token: f.agent,
				Body: `{"name":"x","body_en":"y","shared":true}`, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"body.shared"`}},
			{Name: "customer", Method: "GET", Path: "/api/v1/macros", Token: f.alice, ExpectedStatus: http.StatusForbidden},
			{Name: "customer sends a macro", Method: "POST", Path: "/api/v1/requests/" + req.Number + "/messages", Token: f.alice,
				Body: `{"macro_id":` + id + `}`, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"body.macro_id"`}},
			{Name: "another's personal macro", Method: "POST", Path: "/api/v1/requests/" + req.Number + "/messages", Token: f.agent,
				Body: `{"macro_id":` + mid + `}`, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"body.macro_id"`}},
			{Name: "technician applies classify changes", Method: "POST", Path: "/api/v1/requests/" + req.Number + "/messages",
				Token: f.tech, Body: `{"macro_id":` + id + `}`, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"body.macro_id"`}},
			{Name: "agent edits the manager's shared macro", Method: "PATCH", Path: "/api/v1/macros/" + id, Token: f.agent,
				Body: `{"name":"x","body_en":"y","version":1}`, ExpectedStatus: http.StatusForbidden},
			{Name: "agent deletes another's personal macro", Method: "DELETE", Path: "/api/v1/macros/" + mid, Token: f.agent,
				ExpectedStatus: http.StatusNotFound},
			{Name: "stale version", Method: "PATCH", Path: "/api/v1/macros/" + mid, Token: f.manager,
				Body: `{"name":"x","body_en":"y","version":7}`, ExpectedStatus: http.StatusConflict},
		} {
			f.Run(t, s)
		}
		var edited api.Macro
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/macros/"+id, f.admin, map[string]any{
			"name": "Receipt", "shared": true, "body_en": "Receipt please, {{customer.name}}.", "version": shared.Version}).JSON(t, &edited)
		if edited.Name != "Receipt" || edited.Version != shared.Version+1 || edited.Status != "" || edited.OwnerID != shared.OwnerID {
			t.Errorf("after the admin's edit: %+v", edited)
		}
		f.mustStatus(t, http.StatusNoContent, "DELETE", "/api/v1/macros/"+mid, f.manager, nil)
		f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/macros/"+mid+"/render?number="+req.Number, f.manager, nil)
	})
}
