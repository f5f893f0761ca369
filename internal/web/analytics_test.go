package web_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestAnalyticsPage: a survey answered on the public page shows on the
// managers' dashboard (n, CSAT greyed out as a small sample), in both
// languages; every table downloads as CSV with the page's figures; a bad
// parameter is reported on the page; agents may not see it.
func TestAnalyticsPage(t *testing.T) {
	f := feedbackFixture(t)
	path := resolveAndWait(t, f, f.aliceReq.Number)
	visitor := newClient(t, f.m, "en")
	res := visitor.post(path, url.Values{"csat": {"2"}, "nps": {"3"}, "dimensions.efficiency": {"1"}, "comment": {"太慢了"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("answer: %d", res.status)
	}

	mgr := staffClient(t, f, model.RoleManager, "manager@example.com", "en", nil)
	res = mgr.get("/analytics?group_by=channel")
	expect(t, "dashboard", res, http.StatusOK, []string{"Satisfaction analytics", `id="table-satisfaction"`,
		`<tr class="unreliable" title="fewer than 30 answers"><td>Overall</td><td>1</td><td>0.0%</td>`, "<td>Web</td>",
		`vendor/echarts.min.js`, `analytics.js`, `data-chart="{`, "/analytics/export?", "Staff scorecards"}, nil)
	// The work indicators: the resolved request counts, with SLA
	// compliance and QA first pass; every indicator's data has landed, so
	// none is listed as not measured.
	expect(t, "work indicators", res, http.StatusOK, []string{`id="table-work"`, "First-contact resolution", "Reopen rate",
		"<th>SLA compliance</th>", "<th>QA first pass</th>"}, []string{`id="work-absent"`})
	// Too few answers for drivers and an index: each section says why.
	expect(t, "drivers need more answers", res, http.StatusOK, []string{"driver analysis needs at least 7"}, nil)

	// The comment, scored, under its aspect; the filter by aspect and
	// polarity finds it, or not.
	expect(t, "comments", mgr.get("/analytics?aspect=speed&polarity=negative"), http.StatusOK,
		[]string{`id="comments"`, "太慢了", `<option value="speed" selected>`, "1 comments match"}, nil)
	expect(t, "comments filtered out", mgr.get("/analytics?aspect=price&polarity=positive"), http.StatusOK,
		[]string{"0 comments match"}, []string{"<div class=\"response-comment\">太慢了"})

	zh := staffClient(t, f, model.RoleManager, "manager2@example.com", "zh-CN", nil)
	expect(t, "dashboard in Chinese", zh.get("/analytics"), http.StatusOK, []string{"满意度分析", "总体", "答卷少于 30 份",
		`id="table-faults"`, "按产品型号的故障代码突增"}, nil)

	res = mgr.get("/analytics/export?table=satisfaction&format=csv&group_by=channel")
	if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Disposition"), "aftercare-satisfaction-") {
		t.Fatalf("export: %d %q", res.status, res.header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix([]byte(res.body), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[0][0] != "Channel" || recs[1][0] != "Overall" || recs[1][1] != "1" || recs[1][2] != "0" ||
		recs[2][0] != "Web" || recs[1][9] != "1" {
		t.Errorf("export rows: %q", recs)
	}
	for _, table := range []string{"trend", "scorecards", "aspects", "evidence", "work", "faults"} {
		if res := mgr.get("/analytics/export?format=xlsx&table=" + table); res.status != http.StatusOK {
			t.Errorf("export %s: %d", table, res.status)
		}
	}
	expect(t, "unknown table", mgr.get("/analytics/export?format=csv&table=secrets"), http.StatusNotFound, nil, nil)
	expect(t, "bad date", mgr.get("/analytics?from=2026-02-30"), http.StatusUnprocessableEntity,
		[]string{`role="alert"`, "The start date (from) must be a date such as 2026-03-01."}, nil)

	expect(t, "bad AHP matrix", mgr.get("/analytics?"+url.Values{"ahp": {"1,2;1/2,1"}}.Encode()), http.StatusUnprocessableEntity,
		[]string{"give a 6×6 matrix", `id="ahp-form"`, "1,2;1/2,1"}, nil)

	agent := newClient(t, f.m, "en")
	agent.loginStaff()
	if res := agent.get("/analytics"); res.status != http.StatusForbidden {
		t.Errorf("agent: got %d, want 403", res.status)
	}
}

// TestAnalyticsExpertWeightsForm: an admin stores the index's expert
// weights on the dashboard; an inconsistent matrix is refused with its CR
// in the admin's language, the form keeping what was typed; a manager
// sees the stored weights, who entered them and the link to entropy
// weights, but not the form.
func TestAnalyticsExpertWeightsForm(t *testing.T) {
	f := feedbackFixture(t)
	admin := staffClient(t, f, model.RoleAdmin, "weights-admin@example.com", "zh-CN", nil)
	bad := "1,9,1/9,1,1,1; 1/9,1,9,1,1,1; 9,1/9,1,1,1,1; 1,1,1,1,1,1; 1,1,1,1,1,1; 1,1,1,1,1,1"
	res := admin.post("/analytics/expert-weights", url.Values{"matrix": {bad}, "level": {"team"}})
	expect(t, "inconsistent", res, http.StatusUnprocessableEntity, []string{`id="weights-error"`, "判断不一致", bad}, nil)
	good := "1,1/3,1,1,1,1; 3,1,3,3,3,3; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1"
	if res := admin.post("/analytics/expert-weights", url.Values{"matrix": {good}, "level": {"team"}}); res.status != http.StatusSeeOther {
		t.Fatalf("store: %d", res.status)
	}
	expect(t, "admin sees the stored matrix", admin.get("/analytics"), http.StatusOK, []string{`id="weights-form"`, good,
		"/analytics/expert-weights/clear"}, nil)
	mgr := staffClient(t, f, model.RoleManager, "weights-manager@example.com", "en", nil)
	expect(t, "manager", mgr.get("/analytics"), http.StatusOK, nil, []string{`id="weights-form"`})
	if res := mgr.post("/analytics/expert-weights", url.Values{"matrix": {good}}); res.status != http.StatusForbidden {
		t.Errorf("manager stores weights: %d, want 403", res.status)
	}
	if res := admin.post("/analytics/expert-weights/clear", url.Values{}); res.status != http.StatusSeeOther {
		t.Errorf("clear: %d", res.status)
	}
	expect(t, "cleared", admin.get("/analytics"), http.StatusOK, nil, []string{"/analytics/expert-weights/clear"})
}
