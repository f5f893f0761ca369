package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
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
