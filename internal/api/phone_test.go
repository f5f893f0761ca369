package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
)

// TestPhoneOneFormAPI: the API stores a mobile number typed with +86,
// spaces and dashes as its 11 digits, refuses the number in another form
// for a second customer (409 naming body.phone), and q= finds the
// customer's requests by the number written any way.
func TestPhoneOneFormAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		var cust api.Customer
		f.Run(t, apitest.Scenario{Name: "create with +86", Method: "POST", Path: "/api/v1/customers", Token: f.agent,
			Body:           map[string]any{"name": "Dan", "phone": "+86 138-0013-8000"},
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"phone":"13800138000"`},
		}).JSON(t, &cust)
		for _, p := range []string{"13800138000", "0086 138 0013 8000", "(+86) 138.0013.8000"} {
			f.Run(t, apitest.Scenario{Name: "second customer with " + p, Method: "POST", Path: "/api/v1/customers", Token: f.agent,
				Body:           map[string]any{"name": "Eve", "phone": p},
				ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.phone"`}})
		}
		r := f.newRequest(t, cust.ID, "drum does not turn")
		other := f.newRequest(t, f.aliceID, "drum is loud")
		for _, q := range []string{"13800138000", "+8613800138000", "+86 138 0013 8000", "138-0013-8000"} {
			res := f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests?q="+url.QueryEscape(q), f.agent, nil)
			if body := string(res.Body); !strings.Contains(body, r.Number) || strings.Contains(body, other.Number) {
				t.Errorf("q=%q: %s; want %s alone", q, body, r.Number)
			}
		}
	})
}
