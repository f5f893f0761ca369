package cli

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/model"
)

// TestSurveyFlags runs "serve --survey-delay 0 --survey-cooldown-days 0
// --followup-share 1" and checks through the API that each flag reaches
// its rule: two requests of one customer resolved in a row both get their
// survey sent at once (no cool-down, no delay), and both a follow-up call.
// With the defaults the second is suppressed and the first waits.
func TestSurveyFlags(t *testing.T) {
	eachStore(t, func(t *testing.T, dataDir, dbURL string) {
		cfg := serveConfig(t, dataDir, dbURL, "--survey-delay", "0", "--survey-cooldown-days", "0", "--followup-share", "1")
		clock := &testClock{}
		var w wiringActors
		prepare(t, cfg, clock, func(m *app.Main) { w = newActors(t, m) })
		a := serve(t, cfg, clock)
		var numbers []string
		for range 2 {
			var r api.Request
			res := a.Do(t, "POST", "/api/v1/requests", w.agent, map[string]any{"type": "repair", "subject": "Warm fridge",
				"customer_id": w.customerID, "channel": "phone", "priority": "normal"})
			res.JSON(t, &r)
			setStatus(t, a, w.agent, r.Number, model.StatusResolved, http.StatusOK)
			numbers = append(numbers, r.Number)
		}
		for _, n := range numbers {
			s := waitSurveyStatus(t, a, w.agent, n, "sent")
			if !strings.Contains(s.URL, "/s/") || s.Followup == nil {
				t.Errorf("%s: url %q, follow-up %v; want a link and a call", n, s.URL, s.Followup)
			}
		}
	})
}

// TestSurveyDefaults: with the default flags the survey waits two hours
// and a second request of the customer within 30 days asks nothing.
func TestSurveyDefaults(t *testing.T) {
	cfg := serveConfig(t, t.TempDir(), "")
	clock := &testClock{}
	var w wiringActors
	var first, second string
	prepare(t, cfg, clock, func(m *app.Main) { w = newActors(t, m) })
	a := serve(t, cfg, clock)
	for _, n := range []*string{&first, &second} {
		var r api.Request
		a.Do(t, "POST", "/api/v1/requests", w.agent, map[string]any{"type": "repair", "subject": "Warm fridge",
			"customer_id": w.customerID, "channel": "phone", "priority": "normal"}).JSON(t, &r)
		setStatus(t, a, w.agent, r.Number, model.StatusResolved, http.StatusOK)
		*n = r.Number
	}
	s := surveyOf(t, a, w.agent, first)
	if s.Status != "scheduled" || s.ScheduledAt.Sub(clock.now()) < 119*time.Minute {
		t.Errorf("first: %s at %v, want scheduled two hours on", s.Status, s.ScheduledAt)
	}
	if s := surveyOf(t, a, w.agent, second); s.Status != "suppressed" {
		t.Errorf("second within 30 days: %s, want suppressed", s.Status)
	}
}

func surveyOf(t *testing.T, a *apitest.App, token, number string) api.SurveyStatus {
	t.Helper()
	res := a.Do(t, "GET", "/api/v1/requests/"+number+"/survey", token, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("survey of %s: %d %s", number, res.Status, res.Body)
	}
	var s api.SurveyStatus
	res.JSON(t, &s)
	return s
}

func waitSurveyStatus(t *testing.T, a *apitest.App, token, number, want string) api.SurveyStatus {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		s := surveyOf(t, a, token, number)
		if string(s.Status) == want {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("survey of %s: %s after 60 s, want %s", number, s.Status, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
