package api_test

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/store"
)

// listNumbers lists requests with query as token and returns their numbers.
func (f *fixture) listNumbers(t *testing.T, token, query string) []string {
	t.Helper()
	var page api.RequestPage
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?"+query, token, nil).JSON(t, &page)
	out := make([]string, len(page.Items))
	for i, r := range page.Items {
		out[i] = r.Number
	}
	slices.Sort(out)
	return out
}

// TestTags checks that staff tag requests with normalised free text,
// filter by a tag, get suggestions by use, see the change on the
// timeline, and that customers neither see nor use tags.
func TestTags(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		a := f.newRequest(t, f.aliceID, "Screen cracked")
		b := f.newRequest(t, f.bobID, "Screen flickers")
		c := f.newRequest(t, f.bobID, "Noisy pump")
		var got api.Request
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+a.Number+"/tags", f.agent,
			map[string]any{"add": []string{" Screen  Crack ", "VIP", "vip"}}).JSON(t, &got)
		if want := []string{"screen-crack", "vip"}; !slices.Equal(got.Tags, want) {
			t.Errorf("tags after add: got %v, want %v", got.Tags, want)
		}
		if got.Version != a.Version {
			t.Errorf("version after tagging: got %d, want %d (tags are sets, no lost update)", got.Version, a.Version)
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+b.Number+"/tags", f.manager, map[string]any{"add": []string{"screen-crack"}})
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+c.Number+"/tags", f.manager, map[string]any{"add": []string{"pump", "vip"}})
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+c.Number+"/tags", f.manager, map[string]any{"remove": []string{"VIP"}})

		want := []string{a.Number, b.Number}
		slices.Sort(want)
		if got := f.listNumbers(t, f.agent, "tag=Screen-Crack"); !slices.Equal(got, want) {
			t.Errorf("?tag=Screen-Crack: got %v, want %v", got, want)
		}
		if got := f.listNumbers(t, f.agent, "tag=vip"); !slices.Equal(got, []string{a.Number}) {
			t.Errorf("?tag=vip after removing it from %s: got %v, want [%s]", c.Number, got, a.Number)
		}
		var sug struct{ Items []api.TagCount }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/tags?prefix=s", f.agent, nil).JSON(t, &sug)
		if len(sug.Items) != 1 || sug.Items[0] != (api.TagCount{Tag: "screen-crack", Count: 2}) {
			t.Errorf("suggestions for s: got %+v, want screen-crack ×2", sug.Items)
		}
		d := f.getRequest(t, f.agent, c.Number)
		var kinds []string
		for _, e := range d.Timeline {
			if e.Kind == "tags" {
				kinds = append(kinds, e.OldValue+"→"+e.NewValue)
			}
		}
		if want := []string{"→pump,vip", "pump,vip→pump"}; !slices.Equal(kinds, want) {
			t.Errorf("tag events: got %v, want %v", kinds, want)
		}
		for _, s := range []apitest.Scenario{
			{Name: "bad character", Method: "POST", Path: "/api/v1/requests/" + a.Number + "/tags", Token: f.agent,
				Body: `{"add":["a,b"]}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.add"`}},
			{Name: "empty", Method: "POST", Path: "/api/v1/requests/" + a.Number + "/tags", Token: f.agent,
				Body: `{"remove":["  "]}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.remove"`}},
			{Name: "technician", Method: "POST", Path: "/api/v1/requests/" + a.Number + "/tags", Token: f.tech,
				Body: `{"add":["x"]}`, ExpectedStatus: http.StatusForbidden},
			{Name: "customer filters by tag", Method: "GET", Path: "/api/v1/requests?tag=vip", Token: f.alice,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.tag"`}},
		} {
			f.Run(t, s)
		}
		if d := f.getRequest(t, f.alice, a.Number); len(d.Tags) != 0 {
			t.Errorf("customer sees tags %v on its request, want none", d.Tags)
		}
	})
}

// TestViews saves personal and shared views, opens them with ?view=,
// and checks the built-in views' counts and who sees which view.
func TestViews(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		a := f.newRequest(t, f.aliceID, "Screen cracked")
		b := f.newRequest(t, f.bobID, "Screen flickers")
		c := f.newRequest(t, f.bobID, "Noisy pump")
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/requests/"+a.Number, f.agent, map[string]any{"assignee_id": f.agentID, "version": a.Version})
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+b.Number+"/tags", f.agent, map[string]any{"add": []string{"vip"}})
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+c.Number+"/status", f.agent, map[string]any{"status": "resolved"})

		var personal, shared api.View
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/views", f.agent, map[string]any{"name": "My VIPs",
			"filters": map[string]any{"tag": "VIP", "status": []string{"new", "open"}}}).JSON(t, &personal)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/views", f.manager, map[string]any{"name": "Resolved", "shared": true,
			"filters": map[string]any{"status": []string{"resolved"}, "sort": "updated"}}).JSON(t, &shared)
		if personal.ID <= 0 || personal.Filters.Tag != "vip" {
			t.Errorf("created view: got %+v, want an id and the tag normalised", personal)
		}
		if got := f.listNumbers(t, f.agent, "view="+itoa(personal.ID)); !slices.Equal(got, []string{b.Number}) {
			t.Errorf("personal view: got %v, want [%s]", got, b.Number)
		}
		if got := f.listNumbers(t, f.tech, "view="+itoa(shared.ID)); !slices.Equal(got, []string{c.Number}) {
			t.Errorf("shared view as the technician: got %v, want [%s]", got, c.Number)
		}
		if got := f.listNumbers(t, f.agent, "view=-2"); !slices.Equal(got, []string{a.Number}) {
			t.Errorf("built-in mine: got %v, want [%s]", got, a.Number)
		}
		// A filter given with the view is laid over it.
		if got := f.listNumbers(t, f.agent, "view="+itoa(shared.ID)+"&status=new"); len(got) != 2 {
			t.Errorf("shared view with status=new: got %v, want the two new requests", got)
		}

		var views struct{ Items []api.View }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/views", f.agent, nil).JSON(t, &views)
		counts := map[string]int{}
		for _, v := range views.Items {
			counts[v.Name] = v.Count
		}
		want := map[string]int{"all_open": 2, "mine": 1, "my_team": 0, "unassigned": 1, "due_soon": 0, "My VIPs": 1, "Resolved": 1}
		if !maps.Equal(counts, want) {
			t.Errorf("agent's views and counts: got %v, want %v", counts, want)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/views", f.manager, nil).JSON(t, &views)
		for _, v := range views.Items {
			if v.Name == "My VIPs" {
				t.Errorf("the manager sees the agent's personal view")
			}
		}
		for _, s := range []apitest.Scenario{
			{Name: "another's personal view", Method: "GET", Path: "/api/v1/requests?view=" + itoa(personal.ID), Token: f.manager,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.view"`}},
			{Name: "agent shares", Method: "POST", Path: "/api/v1/views", Token: f.agent, Body: `{"name":"x","shared":true,"filters":{}}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.shared"`}},
			{Name: "no name", Method: "POST", Path: "/api/v1/views", Token: f.agent, Body: `{"name":" ","filters":{}}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.name"`}},
			{Name: "bad status", Method: "POST", Path: "/api/v1/views", Token: f.agent, Body: `{"name":"x","filters":{"status":["done"]}}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.filters.status`}},
			{Name: "customer", Method: "GET", Path: "/api/v1/views", Token: f.alice, ExpectedStatus: http.StatusForbidden},
		} {
			f.Run(t, s)
		}
	})
}

// TestBulk assigns, re-prioritises, tags and resolves several requests at
// once: each succeeds or fails on its own with the reason, and every
// change is on each request's timeline.
func TestBulk(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		a := f.newRequest(t, f.aliceID, "Screen cracked")
		b := f.newRequest(t, f.bobID, "Screen flickers")
		c := f.newRequest(t, f.bobID, "Noisy pump")
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+c.Number+"/status", f.agent, map[string]any{"status": "cancelled"})
		var out struct{ Results []api.BulkResult }
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/bulk", f.agent, map[string]any{
			"numbers": []string{a.Number, b.Number, c.Number, "SR-1999-000001", a.Number},
			"set":     map[string]any{"status": "open", "priority": "high", "assignee_id": f.agentID, "add_tags": []string{"Batch"}},
		}).JSON(t, &out)
		got := map[string]api.BulkResult{}
		for _, r := range out.Results {
			got[r.Number] = r
		}
		if len(out.Results) != 4 || !got[a.Number].OK || !got[b.Number].OK {
			t.Fatalf("results: got %+v, want 4 (the repeat once), %s and %s ok", out.Results, a.Number, b.Number)
		}
		if r := got[c.Number]; r.OK || r.Code != "conflict" || !strings.Contains(r.Error, "“已取消”") {
			t.Errorf("cancelled request: got %+v, want a conflict naming the status in words (已取消)", r)
		}
		if r := got["SR-1999-000001"]; r.OK || r.Code != "not_found" {
			t.Errorf("unknown number: got %+v, want not_found", r)
		}
		for _, n := range []string{a.Number, b.Number} {
			d := f.getRequest(t, f.agent, n)
			if d.Status != "open" || d.Priority != "high" || d.AssigneeID == nil || *d.AssigneeID != f.agentID || !slices.Equal(d.Tags, []string{"batch"}) {
				t.Errorf("%s after bulk: got %s %s %v %v", n, d.Status, d.Priority, d.AssigneeID, d.Tags)
			}
			var kinds []string
			for _, e := range d.Timeline {
				kinds = append(kinds, e.Kind)
			}
			for _, k := range []string{"priority", "assignee", "status", "tags"} {
				if !slices.Contains(kinds, k) {
					t.Errorf("%s timeline %v lacks %s", n, kinds, k)
				}
			}
		}
		if d := f.getRequest(t, f.agent, c.Number); d.Status != "cancelled" || d.Priority != "normal" || len(d.Tags) != 0 {
			t.Errorf("refused request changed anyway: %s %s %v", d.Status, d.Priority, d.Tags)
		}
		for _, s := range []apitest.Scenario{
			{Name: "no change", Method: "POST", Path: "/api/v1/requests/bulk", Token: f.agent, Body: `{"numbers":["` + a.Number + `"],"set":{}}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.set"`}},
			{Name: "bad tag", Method: "POST", Path: "/api/v1/requests/bulk", Token: f.agent, Body: `{"numbers":["` + a.Number + `"],"set":{"add_tags":["a b/c"]}}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.set.add_tags"`}},
			{Name: "technician sets priority", Method: "POST", Path: "/api/v1/requests/bulk", Token: f.tech, Body: `{"numbers":["` + a.Number + `"],"set":{"priority":"low"}}`,
				ExpectedStatus: http.StatusForbidden},
			{Name: "customer", Method: "POST", Path: "/api/v1/requests/bulk", Token: f.alice, Body: `{"numbers":["` + a.Number + `"],"set":{"status":"cancelled"}}`,
				ExpectedStatus: http.StatusForbidden},
		} {
			f.Run(t, s)
		}
	})
}

// TestSearch checks that ?q= finds exactly the requests containing a
// two-character Chinese word or an English word — in the subject, a
// message or the customer's record — ranked, and that customers never
// find a request by its internal notes.
func TestSearch(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		a := f.newRequest(t, f.aliceID, "手机屏幕碎了")
		b := f.newRequest(t, f.bobID, "Refund please")
		c := f.newRequest(t, f.bobID, "换屏幕以后无法开机") // 屏幕 after 换: a dictionary segmenter might take 换屏
		d := f.newRequest(t, f.aliceID, "Noisy pump")
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+b.Number+"/messages", f.bob, map[string]any{"body": "我要申请退款，谢谢"})
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+d.Number+"/messages", f.agent,
			map[string]any{"body": "Replaced the part; the compressor was leaking.", "visibility": "internal"})
		sorted := func(ns ...string) []string { slices.Sort(ns); return ns }
		for _, tc := range []struct {
			token, q string
			want     []string
		}{
			{f.agent, "屏幕", sorted(a.Number, c.Number)},
			{f.agent, "退款", []string{b.Number}},
			{f.agent, "碎了", []string{a.Number}},
			{f.agent, "幕碎", []string{a.Number}},
			{f.agent, "refund", []string{b.Number}},
			{f.agent, "REFUNDS", []string{b.Number}},
			{f.agent, "compressor", []string{d.Number}},
			{f.agent, "replacing", []string{d.Number}},
			{f.agent, "bob@example.com", sorted(b.Number, c.Number)},
			{f.agent, "Alice", sorted(a.Number, d.Number)},
			{f.agent, strings.ToLower(c.Number), []string{c.Number}},
			{f.agent, "nothing-like-this", []string{}},
			{f.agent, "屏", []string{}},
			{f.alice, "compressor", []string{}}, // an internal note
			{f.alice, "屏幕", []string{a.Number}},
			{f.bob, "屏幕", []string{c.Number}},
		} {
			if got := f.listNumbers(t, tc.token, "q="+url.QueryEscape(tc.q)); !slices.Equal(got, tc.want) {
				t.Errorf("q=%s: got %v, want %v", tc.q, got, tc.want)
			}
		}
		// Ranked: the request whose subject says "pump" twice comes first.
		e := f.newRequest(t, f.bobID, "Pump: pump noise")
		var page api.RequestPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?q=pump&limit=1", f.agent, nil).JSON(t, &page)
		if len(page.Items) != 1 || page.Items[0].Number != e.Number || page.NextCursor == "" {
			t.Fatalf("q=pump page 1: got %+v, want %s first and a next page", page, e.Number)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?q=pump&limit=1&cursor="+page.NextCursor, f.agent, nil).JSON(t, &page)
		if len(page.Items) != 1 || page.Items[0].Number != d.Number || page.NextCursor != "" {
			t.Errorf("q=pump page 2: got %+v, want %s and no more", page, d.Number)
		}
		if got := f.listNumbers(t, f.agent, "q=pump&status=resolved"); len(got) != 0 {
			t.Errorf("q=pump&status=resolved: got %v, want none (filters still apply)", got)
		}

		// A store upgraded from before the index: its migration records
		// what existed, and the backfill indexes it.
		ctx := context.Background()
		empty := []string{"INSERT INTO request_fts (request_fts) VALUES ('delete-all')", "DELETE FROM request_search_docs"}
		if f.Store.Dialect() == store.Postgres {
			empty = []string{"DELETE FROM request_search"}
		}
		for _, q := range append(empty, "INSERT INTO search_backfill VALUES (1000, 1000)") {
			if err := f.Store.Tx(ctx, func(tx store.Querier) error { _, err := tx.Exec(ctx, q); return err }); err != nil {
				t.Fatal(err)
			}
		}
		if got := f.listNumbers(t, f.agent, "q=退款"); len(got) != 0 {
			t.Fatalf("q=退款 with the index emptied: got %v", got)
		}
		if err := f.Store.BackfillSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if got := f.listNumbers(t, f.agent, "q=退款"); !slices.Equal(got, []string{b.Number}) {
			t.Errorf("q=退款 after the backfill: got %v, want [%s]", got, b.Number)
		}
		if n := f.count(t, "search_backfill"); n != 0 {
			t.Errorf("search_backfill keeps %d rows after the backfill, want 0", n)
		}
	})
}
