package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/survey"
)

// TestSurveyRoundTrip: with --survey-delay 0 a resolved request's survey
// is sent by River at once, its link answers once (JSON), bad values are
// 422 at the field, and staff see the answer with its sentiment.
func TestSurveyRoundTrip(t *testing.T) {
	eachFeedbackDB(t, nil, func(t *testing.T, f *feedbackApp) {
		r := f.openRequest(t, f.aliceID, "repair", "Drum noise")
		f.mustStatus(t, http.StatusNotFound, "GET", "/api/v1/requests/"+r.Number+"/survey", f.agent, nil)
		f.setStatus(t, r.Number, "resolved", http.StatusOK)
		s := f.waitSurvey(t, r.Number, "sent")
		if !strings.HasPrefix(s.URL, f.Config.BaseURL+"/s/") {
			t.Fatalf("url: got %q, want %s/s/{token}", s.URL, f.Config.BaseURL)
		}
		token := tokenOf(t, s.URL)
		if got := f.mail.kinds(); len(got) != 1 || got[0] != "invitation "+r.Number {
			t.Errorf("mail: got %v, want one invitation for %s", got, r.Number)
		}
		path := "/api/v1/surveys/" + token + "/response"
		f.Run(t, apitest.Scenario{Name: "read the survey", Method: "GET", Path: "/api/v1/surveys/" + token,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"request_number":"` + r.Number + `"`, `"field":"dimensions.price"`, `"max":10`}})
		for _, c := range []struct {
			name     string
			body     map[string]any
			location string
		}{
			{"price out of range", map[string]any{"csat": 4, "dimensions": map[string]any{"price": 9}}, "body.dimensions.price"},
			{"csat out of range", map[string]any{"csat": 0}, "body.csat"},
			{"nps out of range", map[string]any{"csat": 4, "nps": 11}, "body.nps"},
			{"ces out of range", map[string]any{"csat": 4, "ces": 8}, "body.ces"},
			{"csat missing", map[string]any{"nps": 9}, "body.csat"},
		} {
			f.Run(t, apitest.Scenario{Name: c.name, Method: "POST", Path: path, Body: c.body,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"` + c.location + `"`}})
		}
		f.Run(t, apitest.Scenario{Name: "answer", Method: "POST", Path: path, Body: map[string]any{"csat": 2, "nps": 3, "ces": 2,
			"dimensions": map[string]any{"technical": 4, "efficiency": 1, "convenience": 3, "process": 2, "price": 2},
			"comment":    "维修太慢了，等了两个星期，价格也贵"},
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"request_number":"` + r.Number + `"`}})
		f.Run(t, apitest.Scenario{Name: "second answer", Method: "POST", Path: path, Body: map[string]any{"csat": 5},
			ExpectedStatus: http.StatusConflict})
		f.Run(t, apitest.Scenario{Name: "unknown link", Method: "POST", Path: "/api/v1/surveys/sv_nosuchtoken/response",
			Body: map[string]any{"csat": 5}, ExpectedStatus: http.StatusNotFound})

		s = f.survey(t, r.Number)
		if s.Status != "answered" || s.URL != "" || len(s.Responses) != 1 {
			t.Fatalf("after answering: got status %q, url %q, %d responses; want answered, no url, 1", s.Status, s.URL, len(s.Responses))
		}
		resp := s.Responses[0]
		if resp.Channel != "api" || resp.CSAT != 2 || *resp.Dimensions.Efficiency != 1 || resp.Sentiment == nil || resp.Sentiment.Label != "negative" {
			t.Errorf("response: got %+v, want channel api, csat 2, efficiency 1, a negative comment", resp)
		}
		if resp.Sentiment != nil && !hasAspect(resp.Sentiment, "speed", -1) {
			t.Errorf("sentiment aspects: got %+v, want speed negative", resp.Sentiment.Aspects)
		}
	})
}

func hasAspect(s *api.Sentiment, name string, polarity int) bool {
	for _, a := range s.Aspects {
		if a.Name == name && a.Polarity == polarity {
			return true
		}
	}
	return false
}

// TestSurveyDelayCooldownExpiryReminder drives the jobs' work with the
// app's clock: the invitation waits for --survey-delay, a second request
// of the customer within the cool-down is suppressed, the one reminder
// goes out after three days, and the link is 404 after 14 days.
func TestSurveyDelayCooldownExpiryReminder(t *testing.T) {
	eachFeedbackDB(t, func(c *config.Config) { c.SurveyDelay, c.SurveyCooldownDays = 2*time.Hour, 30 }, func(t *testing.T, f *feedbackApp) {
		ctx := context.Background()
		first := f.openRequest(t, f.aliceID, "repair", "Door seal")
		second := f.openRequest(t, f.aliceID, "support", "App pairing")
		resolvedAt := f.clock.Now()
		f.setStatus(t, first.Number, "resolved", http.StatusOK)
		f.setStatus(t, second.Number, "resolved", http.StatusOK)

		s := f.survey(t, first.Number)
		if s.Status != "scheduled" || s.URL != "" || !s.ScheduledAt.Equal(resolvedAt.Add(2*time.Hour)) {
			t.Fatalf("first: got %q at %v (url %q), want scheduled at %v without url", s.Status, s.ScheduledAt, s.URL, resolvedAt.Add(2*time.Hour))
		}
		if s2 := f.survey(t, second.Number); s2.Status != "suppressed" || s2.Reason != "cooldown" {
			t.Errorf("second within the cool-down: got %q (%q), want suppressed (cooldown)", s2.Status, s2.Reason)
		}
		// River holds the send job for the delay.
		var at time.Time
		if err := f.Store.Read().QueryRow(ctx, "SELECT scheduled_at FROM river_job WHERE kind = 'survey_send'").Scan(&at); err != nil {
			t.Fatalf("send job: %v", err)
		}
		if d := at.Sub(resolvedAt.Add(2 * time.Hour)); d < -time.Second || d > time.Second {
			t.Errorf("send job scheduled at %v, want %v", at, resolvedAt.Add(2*time.Hour))
		}
		id := f.invitationID(t, first.Number)
		if wait, err := f.Feedback.Send(ctx, id); err != nil || wait <= 0 {
			t.Fatalf("send before the delay: got wait %v, err %v; want a wait", wait, err)
		}
		if got := f.survey(t, first.Number).Status; got != "scheduled" {
			t.Fatalf("before the delay: got %q, want scheduled", got)
		}
		f.clock.Add(2 * time.Hour)
		if _, err := f.Feedback.Send(ctx, id); err != nil {
			t.Fatal(err)
		}
		s = f.survey(t, first.Number)
		if s.Status != "sent" || s.ExpiresAt == nil || !s.ExpiresAt.Equal(s.SentAt.Add(14*24*time.Hour)) {
			t.Fatalf("after the delay: got %q, expires %v; want sent, expiring 14 days after %v", s.Status, s.ExpiresAt, s.SentAt)
		}
		token := tokenOf(t, s.URL)
		// Sending scheduled the reminder (3 days) and the expiry (14 days).
		for kind, after := range map[string]time.Duration{"survey_remind": 3 * 24 * time.Hour, "survey_expire": 14 * 24 * time.Hour} {
			var at time.Time
			if err := f.Store.Read().QueryRow(ctx, "SELECT scheduled_at FROM river_job WHERE kind = $1", kind).Scan(&at); err != nil {
				t.Fatalf("%s job: %v", kind, err)
			}
			if d := at.Sub(s.SentAt.Add(after)); d < -time.Second || d > time.Second {
				t.Errorf("%s job at %v, want %v", kind, at, s.SentAt.Add(after))
			}
		}

		// One reminder, after three days.
		if wait, _ := f.Feedback.Remind(ctx, id); wait <= 0 {
			t.Errorf("reminder before three days: got wait %v, want one", wait)
		}
		f.clock.Add(3 * 24 * time.Hour)
		for range 2 {
			if _, err := f.Feedback.Remind(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		if got := f.mail.kinds(); strings.Join(got, ",") != "invitation "+first.Number+",reminder "+first.Number {
			t.Errorf("mail: got %v, want the invitation and one reminder", got)
		}
		if s := f.survey(t, first.Number); s.RemindedAt == nil || s.URL == "" {
			t.Errorf("after the reminder: reminded_at %v, url %q; want both", s.RemindedAt, s.URL)
		}

		// The link ends 14 days after sending.
		f.clock.Add(11*24*time.Hour - time.Second)
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/surveys/"+token, "", nil)
		f.clock.Add(time.Second)
		f.mustStatus(t, http.StatusNotFound, "POST", "/api/v1/surveys/"+token+"/response", "", map[string]any{"csat": 5})
		if s := f.survey(t, first.Number); s.Status != "expired" || s.URL != "" {
			t.Errorf("after 14 days: got %q, url %q; want expired without url", s.Status, s.URL)
		}
		if _, err := f.Feedback.Expire(ctx, id); err != nil {
			t.Fatal(err)
		}
		var stored string
		var secret *string
		if err := f.Store.Read().QueryRow(ctx, "SELECT status, token FROM survey_invitations WHERE id = $1", id).Scan(&stored, &secret); err != nil {
			t.Fatal(err)
		}
		if stored != "expired" || secret != nil {
			t.Errorf("expired invitation row: status %q, token kept %v; want expired and the secret forgotten", stored, secret != nil)
		}

		// After the cool-down the customer is asked again.
		f.clock.Add(30 * 24 * time.Hour)
		third := f.openRequest(t, f.aliceID, "repair", "Drain pump")
		f.setStatus(t, third.Number, "resolved", http.StatusOK)
		if got := f.survey(t, third.Number).Status; got != "scheduled" {
			t.Errorf("after the cool-down: got %q, want scheduled", got)
		}
	})
}

// TestSurveyNoCooldown: --survey-cooldown-days 0 lets every resolved
// request ask, and a request resolved twice asks once.
func TestSurveyNoCooldown(t *testing.T) {
	eachFeedbackDB(t, nil, func(t *testing.T, f *feedbackApp) {
		a := f.openRequest(t, f.bobID, "repair", "One")
		b := f.openRequest(t, f.bobID, "repair", "Two")
		for _, n := range []string{a.Number, b.Number} {
			f.setStatus(t, n, "resolved", http.StatusOK)
			f.waitSurvey(t, n, "sent")
		}
		f.setStatus(t, a.Number, "open", http.StatusOK)
		f.setStatus(t, a.Number, "resolved", http.StatusOK)
		if n := f.count(t, "survey_invitations"); n != 2 {
			t.Errorf("invitations: got %d, want 2 (one per request)", n)
		}
		if fu := f.survey(t, a.Number).Followup; fu != nil {
			t.Errorf("--followup-share 0: got a follow-up call for a repair: %+v", fu)
		}
	})
}

// TestFollowupShare: a complaint always gets a follow-up call; other
// requests exactly when survey.FollowupSampled says so.
func TestFollowupShare(t *testing.T) {
	eachFeedbackDB(t, func(c *config.Config) { c.FollowupShare, c.FollowupDays = 0.5, 3 }, func(t *testing.T, f *feedbackApp) {
		sampled, skipped := 0, 0
		for i := range 8 {
			r := f.openRequest(t, f.aliceID, "inquiry", "Question "+itoa(int64(i)))
			f.setStatus(t, r.Number, "resolved", http.StatusOK)
			s := f.survey(t, r.Number)
			want := survey.FollowupSampled(r.Number, 0.5)
			if got := s.Followup != nil; got != want {
				t.Errorf("%s: follow-up %v, want %v", r.Number, got, want)
			}
			if want {
				sampled++
			} else {
				skipped++
			}
		}
		if sampled == 0 || skipped == 0 {
			t.Logf("all 8 requests on one side of the sample (%d in); the share is not exercised", sampled)
		}
		c := f.openRequest(t, f.aliceID, "complaint", "Rude technician")
		resolvedAt := f.clock.Now()
		f.setStatus(t, c.Number, "resolved", http.StatusOK)
		fu := f.survey(t, c.Number).Followup
		if fu == nil || fu.Reason != "complaint" || !fu.DueAt.Equal(resolvedAt.Add(3*24*time.Hour)) {
			t.Fatalf("complaint follow-up: got %+v, want reason complaint due 3 days after resolving", fu)
		}
		// Due in three days: not in today's queue, in the full one.
		var page api.FollowupPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/followups", f.agent, nil).JSON(t, &page)
		for _, it := range page.Items {
			if it.ID == fu.ID {
				t.Errorf("the queue lists a call due in three days")
			}
		}
		f.clock.Add(3 * 24 * time.Hour)
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/followups", f.agent, nil).JSON(t, &page)
		found := false
		for _, it := range page.Items {
			found = found || it.ID == fu.ID
		}
		if !found {
			t.Errorf("the queue lacks the complaint's call once due")
		}
	})
}

// TestPublicSurveyRateLimitAndDocument: the public survey needs no token
// (the OpenAPI document says so: an empty security list) and is limited
// per client: a burst, then 429 with Retry-After.
func TestPublicSurveyRateLimitAndDocument(t *testing.T) {
	a := apitest.Start(t, "")
	var doc struct {
		Paths map[string]map[string]struct {
			Security *[]map[string][]string `json:"security"`
		} `json:"paths"`
	}
	a.Do(t, "GET", "/api/openapi.json", "", nil).JSON(t, &doc)
	for path, m := range map[string]string{"/api/v1/surveys/{token}": "get", "/api/v1/surveys/{token}/response": "post"} {
		if s := doc.Paths[path][m].Security; s == nil || len(*s) != 0 {
			t.Errorf("%s %s: security %v, want an empty list (no authentication)", m, path, s)
		}
	}
	if s := doc.Paths["/api/v1/requests/{number}/survey"]["get"].Security; s == nil || len(*s) != 1 {
		t.Errorf("staff survey status: security %v, want the bearer scheme", s)
	}
	limited := false
	for i := range 40 {
		res := a.Do(t, "POST", "/api/v1/surveys/sv_nosuchtoken/response", "", map[string]any{"csat": 5})
		if res.Status == http.StatusTooManyRequests {
			if res.Header.Get("Retry-After") == "" || i < 20 {
				t.Errorf("429 after %d calls with Retry-After %q; want a burst first, and Retry-After", i, res.Header.Get("Retry-After"))
			}
			limited = true
			break
		}
		if res.Status != http.StatusNotFound {
			t.Fatalf("call %d: got %d, want 404", i, res.Status)
		}
	}
	if !limited {
		t.Errorf("40 calls from one client in a row: never rate-limited")
	}
}
