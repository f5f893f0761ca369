package api_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// TestMerge merges a customer's duplicate request into another: the
// duplicate is closed and links to the target, whose timeline shows the
// duplicate's message and file to staff and to the customer, with an
// event on each side; the refusals name the field.
func TestMerge(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		dup := f.newRequest(t, f.aliceID, "Screen flickers")
		target := f.newRequest(t, f.aliceID, "Screen flickers again")
		bobs := f.newRequest(t, f.bobID, "Bob's pump")
		att := uploadOK(t, f, f.alice, dup.Number, "photo.png")
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+dup.Number+"/messages", f.alice,
			map[string]any{"body": "Here is a photo of the screen", "attachment_ids": []int64{att.ID}})

		var got api.Request
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+dup.Number+"/merge", f.agent,
			map[string]any{"into": target.Number}).JSON(t, &got)
		if got.Number != target.Number {
			t.Errorf("merge answers %s, want the target %s", got.Number, target.Number)
		}
		src := f.getRequest(t, f.agent, dup.Number)
		if src.Status != "closed" || src.MergedInto != target.Number || len(src.NextStatuses) != 0 {
			t.Errorf("merged request: status %s, merged_into %q, next %v; want closed, %s, none", src.Status, src.MergedInto, src.NextStatuses, target.Number)
		}
		if !hasEvent(src.Timeline, "merged", target.Number) {
			t.Errorf("the merged request's timeline lacks merged → %s: %+v", target.Number, src.Timeline)
		}
		for _, token := range []string{f.agent, f.alice} {
			d := f.getRequest(t, token, target.Number)
			found := false
			for _, m := range d.Messages {
				if m.Body == "Here is a photo of the screen" && len(m.Attachments) == 1 && m.Attachments[0].ID == att.ID {
					found = true
				}
			}
			if !found {
				t.Errorf("the target's conversation lacks the merged message with its file: %+v", d.Messages)
			}
			if token == f.agent && !hasEvent(d.Timeline, "merged_from", dup.Number) {
				t.Errorf("the target's timeline lacks merged_from %s", dup.Number)
			}
		}

		other := f.newRequest(t, f.aliceID, "Third")
		for _, s := range []apitest.Scenario{
			{Name: "into itself", Method: "POST", Path: "/api/v1/requests/" + target.Number + "/merge", Token: f.agent,
				Body: `{"into":"` + target.Number + `"}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.into"`}},
			{Name: "across customers", Method: "POST", Path: "/api/v1/requests/" + bobs.Number + "/merge", Token: f.agent,
				Body: `{"into":"` + target.Number + `"}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.into"`}},
			{Name: "into a merged request", Method: "POST", Path: "/api/v1/requests/" + other.Number + "/merge", Token: f.agent,
				Body: `{"into":"` + dup.Number + `"}`, ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.into"`}},
			{Name: "a merged request again", Method: "POST", Path: "/api/v1/requests/" + dup.Number + "/merge", Token: f.agent,
				Body: `{"into":"` + other.Number + `"}`, ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"path.number"`}},
			{Name: "unknown target", Method: "POST", Path: "/api/v1/requests/" + other.Number + "/merge", Token: f.agent,
				Body: `{"into":"SR-1999-000001"}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.into"`}},
			{Name: "reopen a merged request", Method: "POST", Path: "/api/v1/requests/" + dup.Number + "/status", Token: f.agent,
				Body: `{"status":"open"}`, ExpectedStatus: http.StatusConflict},
			{Name: "customer", Method: "POST", Path: "/api/v1/requests/" + other.Number + "/merge", Token: f.alice,
				Body: `{"into":"` + target.Number + `"}`, ExpectedStatus: http.StatusForbidden},
		} {
			f.Run(t, s)
		}

		// Bulk: each merged on its own; another customer's request fails alone.
		a2, a3 := f.newRequest(t, f.aliceID, "Dup 2"), f.newRequest(t, f.aliceID, "Dup 3")
		var bulk struct{ Results []api.BulkResult }
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/bulk", f.agent, map[string]any{
			"numbers": []string{a2.Number, bobs.Number, a3.Number}, "set": map[string]any{"merge_into": target.Number}}).JSON(t, &bulk)
		if len(bulk.Results) != 3 || !bulk.Results[0].OK || bulk.Results[1].OK || bulk.Results[1].Code != "invalid" || !bulk.Results[2].OK {
			t.Errorf("bulk merge results: %+v; want ok, invalid, ok", bulk.Results)
		}
		if d := f.getRequest(t, f.agent, a3.Number); d.MergedInto != target.Number {
			t.Errorf("bulk-merged %s: merged_into %q, want %s", a3.Number, d.MergedInto, target.Number)
		}
		f.mustStatus(t, http.StatusUnprocessableEntity, "POST", "/api/v1/requests/bulk", f.agent, map[string]any{
			"numbers": []string{other.Number}, "set": map[string]any{"merge_into": target.Number, "status": "open"}})

		// Two agents merge a pair into each other at once: one wins.
		x, y := f.newRequest(t, f.aliceID, "X"), f.newRequest(t, f.aliceID, "Y")
		var wg sync.WaitGroup
		codes := make([]int, 2)
		for i, pair := range [][2]string{{x.Number, y.Number}, {y.Number, x.Number}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = f.Do(t, "POST", "/api/v1/requests/"+pair[0]+"/merge", f.agent, map[string]any{"into": pair[1]}).Status
			}()
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
			t.Errorf("crossed merges: got %v, want one 200 and one 409", codes)
		}
	})
}

func hasEvent(evs []api.Event, kind, newValue string) bool {
	for _, e := range evs {
		if e.Kind == kind && e.NewValue == newValue {
			return true
		}
	}
	return false
}
