package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// TestTransitions checks that a transition the workflow forbids is 409
// and leaves the request as it was.
func TestTransitions(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		r := f.newRequest(t, f.aliceID, "Noisy")
		path := "/api/v1/requests/" + r.Number
		for _, s := range []apitest.Scenario{
			{Name: "new to closed", Method: "POST", Path: path + "/status", Token: f.agent, Body: `{"status":"closed"}`,
				ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.status"`}},
			{Name: "new to on_hold", Method: "POST", Path: path + "/status", Token: f.agent, Body: `{"status":"on_hold"}`,
				ExpectedStatus: http.StatusConflict},
			{Name: "unknown status", Method: "POST", Path: path + "/status", Token: f.agent, Body: `{"status":"done"}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.status"`}},
		} {
			f.Run(t, s)
		}
		d := f.getRequest(t, f.agent, r.Number)
		if d.Status != "new" || d.Version != 1 || len(d.Timeline) != 1 {
			t.Errorf("after refused transitions: got status %s version %d, %d events; want new, 1, 1", d.Status, d.Version, len(d.Timeline))
		}
		f.mustStatus(t, http.StatusOK, "POST", path+"/status", f.alice, `{"status":"cancelled"}`)
		for _, s := range []apitest.Scenario{
			{Name: "cancelled to pending", Method: "POST", Path: path + "/status", Token: f.agent, Body: `{"status":"pending"}`,
				ExpectedStatus: http.StatusConflict},
			{Name: "customer reopens cancelled", Method: "POST", Path: path + "/status", Token: f.alice, Body: `{"status":"open"}`,
				ExpectedStatus: http.StatusForbidden},
			{Name: "customer replies to cancelled", Method: "POST", Path: path + "/messages", Token: f.alice, Body: `{"body":"hello?"}`,
				ExpectedStatus: http.StatusConflict},
		} {
			f.Run(t, s)
		}
		if d := f.getRequest(t, f.agent, r.Number); d.Status != "cancelled" || d.Version != 2 || len(d.NextStatuses) != 1 || d.NextStatuses[0] != "open" {
			t.Errorf("cancelled request: got %s v%d next %v; want v2, next only open (staff take it back)", d.Status, d.Version, d.NextStatuses)
		}
		// Staff take a mistaken cancel back.
		f.mustStatus(t, http.StatusOK, "POST", path+"/status", f.agent, `{"status":"open"}`)
		if d := f.getRequest(t, f.alice, r.Number); d.Status != "open" {
			t.Errorf("after staff reopened the cancelled request: got %s, want open", d.Status)
		}
	})
}

// TestConcurrentPatch sends two PATCHes with the same version at once:
// exactly one wins, the other is 409.
func TestConcurrentPatch(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		for round := range 5 {
			r := f.newRequest(t, f.aliceID, fmt.Sprintf("Race %d", round))
			var wg sync.WaitGroup
			statuses := make([]int, 2)
			errs := make([]error, 2)
			for i, prio := range []string{"high", "low"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := f.Try("PATCH", "/api/v1/requests/"+r.Number, f.agent, `{"priority":"`+prio+`"}`, `If-Match: "1"`)
					if err != nil {
						errs[i] = err
						return
					}
					statuses[i] = res.Status
				}()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			ok, conflict := 0, 0
			for _, s := range statuses {
				switch s {
				case http.StatusOK:
					ok++
				case http.StatusConflict:
					conflict++
				}
			}
			if ok != 1 || conflict != 1 {
				t.Errorf("round %d: got statuses %v, want one 200 and one 409", round, statuses)
			}
			if d := f.getRequest(t, f.agent, r.Number); d.Version != 2 {
				t.Errorf("round %d: version %d, want 2", round, d.Version)
			}
		}
	})
}

// TestPagination pages through 30 requests 10 at a time.
func TestPagination(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		want := map[string]bool{}
		for i := range 30 {
			want[f.newRequest(t, f.bobID, fmt.Sprintf("Request %02d", i)).Number] = true
		}
		f.newRequest(t, f.aliceID, "Not Bob's")
		for _, sort := range []string{"created", "updated", "priority"} {
			t.Run(sort, func(t *testing.T) {
				seen := map[string]bool{}
				cursor, pages := "", 0
				for {
					q := url.Values{"customer_id": {fmt.Sprint(f.bobID)}, "limit": {"10"}, "sort": {sort}}
					if cursor != "" {
						q.Set("cursor", cursor)
					}
					var page api.RequestPage
					f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?"+q.Encode(), f.agent, nil).JSON(t, &page)
					pages++
					for _, r := range page.Items {
						if seen[r.Number] {
							t.Errorf("page %d: %s seen twice", pages, r.Number)
						}
						if !want[r.Number] {
							t.Errorf("page %d: unexpected %s (%s)", pages, r.Number, r.Subject)
						}
						seen[r.Number] = true
					}
					if page.NextCursor == "" {
						break
					}
					if page.NextCursor != url.QueryEscape(page.NextCursor) {
						t.Errorf("cursor %q is not URL-safe", page.NextCursor)
					}
					if len(page.Items) != 10 || pages > 4 {
						t.Fatalf("page %d: %d items with a next cursor", pages, len(page.Items))
					}
					cursor = page.NextCursor
				}
				if len(seen) != 30 || pages > 4 {
					t.Errorf("got %d requests in %d pages, want 30 in 3 (or 4 with an empty last page)", len(seen), pages)
				}
			})
		}
		var page api.RequestPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests", f.agent, nil).JSON(t, &page)
		if len(page.Items) != 25 || page.NextCursor == "" || page.PrevCursor != "" {
			t.Errorf("default page: got %d items, cursor %q, prev %q; want 25, a cursor and no prev", len(page.Items), page.NextCursor, page.PrevCursor)
		}
		// The second page leads back to the first.
		var second, back api.RequestPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?cursor="+url.QueryEscape(page.NextCursor), f.agent, nil).JSON(t, &second)
		if second.PrevCursor == "" {
			t.Fatalf("the second page has no prev_cursor")
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?cursor="+url.QueryEscape(second.PrevCursor), f.agent, nil).JSON(t, &back)
		if len(back.Items) != 25 || back.Items[0].Number != page.Items[0].Number || back.PrevCursor != "" {
			t.Errorf("back from the second page: %d items from %s (prev %q), want the first page", len(back.Items), back.Items[0].Number, back.PrevCursor)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?limit=100", f.agent, nil).JSON(t, &page)
		if len(page.Items) != 31 || page.NextCursor != "" {
			t.Errorf("limit 100: got %d items, cursor %q; want 31 and none", len(page.Items), page.NextCursor)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?limit=100", f.alice, nil).JSON(t, &page)
		if len(page.Items) != 1 {
			t.Errorf("alice sees %d requests, want 1", len(page.Items))
		}
		f.Run(t, apitest.Scenario{Name: "limit 101", Method: "GET", Path: "/api/v1/requests?limit=101", Token: f.agent,
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.limit"`}})
	})
}
