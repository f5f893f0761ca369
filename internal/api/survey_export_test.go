package api_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/survey"
)

// TestSurveyResponsesExport: one row per response of the period with
// the documented columns, in CSV (with BOM) and XLSX, managers and admins
// only, audited; responses outside the period are left out.
func TestSurveyResponsesExport(t *testing.T) {
	eachFeedbackDB(t, nil, func(t *testing.T, f *feedbackApp) {
		var cat struct{ ID int64 }
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/categories", f.manager, map[string]any{"name_zh": "漏水", "name_en": "Leak"}).JSON(t, &cat)
		var r api.Request
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": "repair", "subject": "Leak",
			"customer_id": f.aliceID, "serial": f.serial, "channel": "phone", "priority": "normal", "category_id": cat.ID}).JSON(t, &r)
		var team api.Team
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/teams", f.admin, map[string]any{"name": "Beijing"}).JSON(t, &team)
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/requests/"+r.Number, f.agent,
			map[string]any{"team_id": team.ID, "assignee_id": f.agentID, "version": r.Version})
		f.setStatus(t, r.Number, "resolved", http.StatusOK)
		token := tokenOf(t, f.waitSurvey(t, r.Number, "sent").URL)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/surveys/"+token+"/response", "", map[string]any{"csat": 4, "nps": 10,
			"dimensions": map[string]any{"price": 2}, "comment": "=cmd fast, but the price was too high"})
		answered := f.clock.Now().In(f.Store.Location())

		res := f.mustStatus(t, http.StatusOK, "GET", "/api/v1/survey-responses/export?format=csv", f.manager, nil, "Accept-Language: en")
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("content type: got %q, want text/csv", ct)
		}
		if !bytes.HasPrefix(res.Body, []byte("\ufeff")) {
			t.Errorf("CSV lacks its byte-order mark")
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(rows[0], ","), strings.Join(survey.ExportColumns(), ","); got != want {
			t.Fatalf("header: got %s, want %s", got, want)
		}
		want := []string{r.Number, answered.Format("2006-01-02 15:04:05"), "api", "Beijing", "agent", "Washer 100", "Leak",
			"4", "10", "", "", "", "", "", "2", "'=cmd fast, but the price was too high", "negative", "negative"}
		if len(rows) != 2 || strings.Join(rows[1], "|") != strings.Join(want, "|") {
			t.Fatalf("rows: got %q, want one row %q", rows[1:], want)
		}

		res = f.mustStatus(t, http.StatusOK, "GET", "/api/v1/survey-responses/export?format=xlsx", f.admin, nil)
		x, err := excelize.OpenReader(bytes.NewReader(res.Body))
		if err != nil {
			t.Fatalf("xlsx: %v", err)
		}
		xrows, err := x.GetRows("responses")
		if err != nil || len(xrows) != 2 || xrows[0][0] != "request_number" || xrows[1][0] != r.Number || xrows[1][7] != "4" {
			t.Errorf("xlsx rows: got %q (err %v), want the header and one row", xrows, err)
		}

		day := func(d time.Time) string { return d.Format("2006-01-02") }
		today := f.clock.Now().In(f.Store.Location())
		for _, c := range []struct {
			query string
			rows  int
		}{
			{"from=" + day(today) + "&to=" + day(today), 1},
			{"from=" + day(today.AddDate(0, 0, -10)) + "&to=" + day(today.AddDate(0, 0, -1)), 0},
			{"from=" + day(today.AddDate(0, 0, 1)), 0}, // from after to (today) is refused below
		} {
			res := f.Do(t, "GET", "/api/v1/survey-responses/export?format=csv&"+c.query, f.manager, nil)
			if strings.Contains(c.query, day(today.AddDate(0, 0, 1))) {
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"location":"query.from"`) {
					t.Errorf("%s: got %d %s, want 422 at query.from", c.query, res.Status, res.Body)
				}
				continue
			}
			rows, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\ufeff")))).ReadAll()
			if len(rows)-1 != c.rows {
				t.Errorf("%s: got %d rows, want %d", c.query, len(rows)-1, c.rows)
			}
		}
		f.Run(t, apitest.Scenario{Name: "bad date", Method: "GET", Path: "/api/v1/survey-responses/export?from=2026-13-01", Token: f.manager,
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.from"`}})
		f.mustStatus(t, http.StatusForbidden, "GET", "/api/v1/survey-responses/export", f.agent, nil)

		var audit api.AuditPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/audit?action=export.downloaded", f.admin, nil).JSON(t, &audit)
		if len(audit.Items) < 2 || !strings.HasPrefix(audit.Items[len(audit.Items)-1].Target, "survey responses ") {
			t.Errorf("audit: got %+v, want the exports recorded", audit.Items)
		}

		var page api.ResponsePage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/survey-responses?limit=1", f.manager, nil).JSON(t, &page)
		if len(page.Items) != 1 || page.Items[0].RequestNumber != r.Number || page.Items[0].Team != "Beijing" {
			t.Errorf("responses: got %+v, want the one response", page.Items)
		}
	})
}
