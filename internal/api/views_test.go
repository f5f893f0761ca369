package api_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// TestViewEdits renames, shares, refilters and deletes saved views: the
// POST and PATCH answers count as GET does, only the owner or an admin
// changes a view, another agent's personal view is 404, duplicate names
// are 409 at body.name in both languages, and a stale version is 409 (a
// delete's If-Match too; a delete without one deletes, as it always did).
func TestViewEdits(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.newRequest(t, f.aliceID, "Screen cracked")
		f.newRequest(t, f.bobID, "Screen flickers")

		var mine, shared api.View
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/views", f.agent, map[string]any{"name": "Audit urgent",
			"filters": map[string]any{"status": []string{"new"}}}).JSON(t, &mine)
		if mine.Count != 2 || mine.Version != 1 {
			t.Errorf("POST answer: count %d version %d, want 2 (as GET counts) and 1", mine.Count, mine.Version)
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/views", f.manager, map[string]any{"name": "Team queue", "shared": true,
			"filters": map[string]any{}}).JSON(t, &shared)
		viewPath := func(v api.View) string { return "/api/v1/views/" + itoa(v.ID) }

		for _, s := range []apitest.Scenario{
			{Name: "duplicate name, other case", Method: "POST", Path: "/api/v1/views", Token: f.agent, Body: `{"name":" audit URGENT ","filters":{}}`,
				ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.name"`, "您已有名为“audit URGENT”的视图"}},
			{Name: "duplicate name in English", Method: "POST", Path: "/api/v1/views", Token: f.agent, Body: `{"name":"Audit urgent","filters":{}}`,
				Headers:        []string{"Accept-Language: en"},
				ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.name"`, "You already have a view named “Audit urgent”"}},
			{Name: "duplicate shared name", Method: "POST", Path: "/api/v1/views", Token: f.admin, Body: `{"name":"team queue","shared":true,"filters":{}}`,
				ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.name"`}},
			{Name: "rename onto own name", Method: "PATCH", Path: viewPath(shared), Token: f.manager, Body: `{"name":"Team queue","version":1}`,
				ExpectedStatus: http.StatusOK},
			{Name: "other agent's personal view", Method: "PATCH", Path: viewPath(mine), Token: f.manager, Body: `{"name":"x","version":1}`,
				ExpectedStatus: http.StatusNotFound},
			{Name: "other agent deletes personal view", Method: "DELETE", Path: viewPath(mine), Token: f.manager, ExpectedStatus: http.StatusNotFound},
			{Name: "agent renames a shared view", Method: "PATCH", Path: viewPath(shared), Token: f.agent, Body: `{"name":"x","version":2}`,
				ExpectedStatus: http.StatusForbidden},
			{Name: "agent deletes a shared view", Method: "DELETE", Path: viewPath(shared), Token: f.agent, ExpectedStatus: http.StatusForbidden},
			{Name: "built-in view", Method: "DELETE", Path: "/api/v1/views/-2", Token: f.admin, ExpectedStatus: http.StatusForbidden},
			{Name: "agent shares", Method: "PATCH", Path: viewPath(mine), Token: f.agent, Body: `{"shared":true,"version":1}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.shared"`}},
			{Name: "empty name", Method: "PATCH", Path: viewPath(mine), Token: f.agent, Body: `{"name":"  ","version":1}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.name"`}},
			{Name: "bad filter", Method: "PATCH", Path: viewPath(mine), Token: f.agent, Body: `{"filters":{"status":["done"]},"version":1}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.filters.status`}},
			{Name: "unknown view", Method: "DELETE", Path: "/api/v1/views/999999", Token: f.admin, ExpectedStatus: http.StatusNotFound},
			{Name: "customer", Method: "DELETE", Path: viewPath(shared), Token: f.alice, ExpectedStatus: http.StatusForbidden},
		} {
			f.Run(t, s)
		}

		// The owner renames and refilters: the answer counts the new filter.
		var got api.View
		f.mustStatus(t, http.StatusOK, "PATCH", viewPath(mine), f.agent, map[string]any{"name": "Audit all", "version": 1,
			"filters": map[string]any{}}).JSON(t, &got)
		if got.Name != "Audit all" || got.Version != 2 || got.Count != 2 || got.Shared {
			t.Errorf("after rename: got %+v, want Audit all, version 2, count 2, personal", got)
		}
		// A second edit from the old copy is refused without version
		// numbers in its sentence, with the current version for clients.
		res := f.mustStatus(t, http.StatusConflict, "PATCH", viewPath(mine), f.agent, map[string]any{"name": "Stale", "version": 1})
		if !strings.Contains(string(res.Body), `"location":"body.version"`) {
			t.Errorf("stale edit: %s, want body.version", res.Body)
		}
		// A delete under If-Match keeps a view changed since, 409 where the
		// version came from; a bad If-Match is 422 there.
		f.Run(t, apitest.Scenario{Name: "stale If-Match delete", Method: "DELETE", Path: viewPath(mine), Token: f.agent,
			Headers: []string{`If-Match: "1"`}, ExpectedStatus: http.StatusConflict,
			ExpectedContent: []string{`"location":"header.If-Match"`, `"current_version":2`}})
		f.Run(t, apitest.Scenario{Name: "bad If-Match delete", Method: "DELETE", Path: viewPath(mine), Token: f.agent,
			Headers: []string{`If-Match: "abc"`}, ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{`"location":"header.If-Match"`}})
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?view="+itoa(mine.ID), f.agent, nil)
		// An admin takes back a shared view made by mistake: it is its
		// owner's own again (and so 404 to the admin), whom alone it shows.
		f.mustStatus(t, http.StatusOK, "PATCH", viewPath(shared), f.admin, map[string]any{"shared": false, "version": 2}).JSON(t, &got)
		if got.Shared || got.OwnerName == "" {
			t.Errorf("admin unshares: got %+v", got)
		}
		f.mustStatus(t, http.StatusNotFound, "DELETE", viewPath(shared), f.admin, nil)
		f.mustStatus(t, http.StatusNoContent, "DELETE", viewPath(shared), f.manager, nil)
		// An admin deletes someone else's shared view outright.
		var oops api.View
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/views", f.manager, map[string]any{"name": "Oops", "shared": true,
			"filters": map[string]any{}}).JSON(t, &oops)
		f.Run(t, apitest.Scenario{Name: "If-Match delete", Method: "DELETE", Path: viewPath(oops), Token: f.admin,
			Headers: []string{`If-Match: W/"1"`}, ExpectedStatus: http.StatusNoContent})
		f.mustStatus(t, http.StatusNoContent, "DELETE", viewPath(mine), f.agent, nil)
		var views struct{ Items []api.View }
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/views", f.agent, nil).JSON(t, &views)
		for _, v := range views.Items {
			if !v.Builtin {
				t.Errorf("after deleting both views the agent still has %+v", v)
			}
		}
		f.mustStatus(t, http.StatusUnprocessableEntity, "GET", "/api/v1/requests?view="+itoa(mine.ID), f.agent, nil)
		// The name is free again once its view is gone.
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/views", f.agent, map[string]any{"name": "Audit urgent", "filters": map[string]any{}})
	})
}

// TestStaleEditProblem checks that a request edited from an outdated copy
// is 409 with a sentence in the reader's language that shows no version
// numbers, and the current version as the current_version member.
func TestStaleEditProblem(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		r := f.newRequest(t, f.aliceID, "Noisy")
		path := "/api/v1/requests/" + r.Number
		f.mustStatus(t, http.StatusOK, "PATCH", path, f.agent, map[string]any{"priority": "high", "version": r.Version})
		f.mustStatus(t, http.StatusOK, "PATCH", path, f.agent, map[string]any{"priority": "urgent", "version": r.Version + 1})
		digits := regexp.MustCompile(`[0-9]`)
		for lang, want := range map[string]string{"zh-CN": "您编辑期间有人修改了这张服务单", "en": "This request was changed meanwhile by someone else"} {
			res := f.Do(t, "PATCH", path, f.agent, map[string]any{"priority": "low", "version": r.Version}, "Accept-Language: "+lang)
			var p struct {
				Status         int    `json:"status"`
				Detail         string `json:"detail"`
				CurrentVersion int64  `json:"current_version"`
			}
			if err := json.Unmarshal(res.Body, &p); err != nil {
				t.Fatal(err)
			}
			if res.Status != http.StatusConflict || !strings.Contains(p.Detail, want) || digits.MatchString(p.Detail) ||
				p.CurrentVersion != r.Version+2 {
				t.Errorf("%s: got %d %q current_version %d; want 409, %q without digits, current_version %d",
					lang, res.Status, p.Detail, p.CurrentVersion, want, r.Version+2)
			}
		}
	})
}
