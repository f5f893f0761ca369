package api_test

import (
	"net/http"
	"testing"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// TestAnalyticsAPI: a response answered through the public survey shows
// in the satisfaction analytics of the period (overall and in its
// channel's group), with n and its small-sample flag; bad parameters are
// 422 naming the query field; too few answers for drivers or an index say
// so at from.
func TestAnalyticsAPI(t *testing.T) {
	eachFeedbackDB(t, nil, func(t *testing.T, f *feedbackApp) {
		r := f.openRequest(t, f.aliceID, "repair", "Lens stuck")
		f.setStatus(t, r.Number, "resolved", http.StatusOK)
		token := tokenOf(t, f.waitSurvey(t, r.Number, "sent").URL)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/surveys/"+token+"/response", "", map[string]any{"csat": 5, "nps": 9,
			"ces": 6, "dimensions": map[string]any{"technical": 5, "efficiency": 4, "convenience": 4, "process": 5, "price": 3}})

		var sat analytics.Satisfaction
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/analytics/satisfaction?group_by=channel", f.manager, nil).JSON(t, &sat)
		o := sat.Overall
		if o.N != 1 || o.CSAT.N != 1 || o.CSAT.Value == nil || *o.CSAT.Value != 1 || !o.CSAT.Unreliable || !o.CSAT.SmallSample ||
			o.NPS.Value == nil || *o.NPS.Value != 100 || o.Dimensions["price"].Mean == nil || *o.Dimensions["price"].Mean != 3 {
			t.Errorf("overall: got %+v; want n 1, CSAT 1 flagged small, NPS 100, price 3", o)
		}
		if len(sat.Groups) != 1 || sat.Groups[0].Key != "api" || sat.Groups[0].N != 1 {
			t.Errorf("groups: got %+v, want one group api of 1", sat.Groups)
		}
		for _, c := range []struct{ name, path, location string }{
			{"group_by", "/api/v1/analytics/satisfaction?group_by=colour", "query.group_by"},
			{"from", "/api/v1/analytics/satisfaction?from=2026-13-01", "query.from"},
			{"from after to", "/api/v1/analytics/satisfaction?from=2026-03-02&to=2026-03-01", "query.from"},
			{"drivers of one answer", "/api/v1/analytics/drivers", "query.from"},
			{"index level", "/api/v1/analytics/index?level=planet", "query.level"},
			{"index of one answer", "/api/v1/analytics/index?level=month", "query.from"},
			{"index with a 2×2 AHP matrix", "/api/v1/analytics/index?ahp=1,2;1/2,1", "query.ahp"},
			{"indicators level", "/api/v1/analytics/indicators?level=planet", "query.level"},
			{"comments polarity", "/api/v1/analytics/comments?polarity=sideways", "query.polarity"},
			{"fault-codes interval", "/api/v1/analytics/fault-codes?interval=day", "query.interval"},
			{"fault-codes from", "/api/v1/analytics/fault-codes?from=2026-02-30", "query.from"},
		} {
			f.Run(t, apitest.Scenario{Name: c.name, Method: "GET", Path: c.path, Token: f.manager,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"` + c.location + `"`}})
		}
		f.Run(t, apitest.Scenario{Name: "agent", Method: "GET", Path: "/api/v1/analytics/satisfaction", Token: f.agent,
			ExpectedStatus: http.StatusForbidden})
		bad := "1,9,1/9,1,1,1; 1/9,1,9,1,1,1; 9,1/9,1,1,1,1; 1,1,1,1,1,1; 1,1,1,1,1,1; 1,1,1,1,1,1"
		f.Run(t, apitest.Scenario{Name: "inconsistent expert weights", Method: "PUT", Path: "/api/v1/analytics/expert-weights",
			Token: f.admin, Body: map[string]any{"matrix": bad}, ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{`"location":"body.matrix"`, "CR 0.840"}})
		good := "1,1/3,1,1,1,1; 3,1,3,3,3,3; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1; 1,1/3,1,1,1,1"
		f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/analytics/expert-weights", f.admin, map[string]any{"matrix": good})
		var ew analytics.ExpertWeights
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/analytics/expert-weights", f.manager, nil).JSON(t, &ew)
		if !ew.Stored || ew.Matrix != good || len(ew.Weights) != 6 || ew.Weights[1] < 0.37 || ew.Weights[1] > 0.38 {
			t.Errorf("stored weights: %+v, want the matrix with efficiency 3/8", ew)
		}
		f.mustStatus(t, http.StatusNoContent, "DELETE", "/api/v1/analytics/expert-weights", f.admin, nil)
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/analytics/expert-weights", f.manager, nil).JSON(t, &ew)
		if ew.Stored {
			t.Errorf("after DELETE: %+v, want none stored", ew)
		}
		f.Run(t, apitest.Scenario{Name: "fault codes without repairs", Method: "GET", Path: "/api/v1/analytics/fault-codes?interval=month",
			Token: f.manager, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"interval":"month"`, `"min_count":3`, `"repairs":0`, `"series":[]`, `"spikes":0`}})
	})
}
