package api_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
	"github.com/aftercare/aftercare/internal/survey"
)

// testClock is the app's clock, moved by hand: the store, the services
// and the jobs' checks read it (River itself keeps real time).
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// mailRecorder stands in for outbound mail behind the survey.Mailer seam.
type mailRecorder struct {
	mu   sync.Mutex
	msgs []survey.Message
}

func (m *mailRecorder) QueueSurveyMail(_ context.Context, _ store.Querier, msg survey.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return nil
}

func (m *mailRecorder) kinds() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, x := range m.msgs {
		out = append(out, string(x.Kind)+" "+x.RequestNumber)
	}
	return out
}

// feedbackApp is a fixture with a hand-moved clock and a recording mailer.
type feedbackApp struct {
	*fixture
	clock *testClock
	mail  *mailRecorder
}

// eachFeedbackDB runs fn on SQLite and PostgreSQL with the feedback
// settings set by configure (on top of: survey delay 0, no cool-down, no
// follow-up sample).
func eachFeedbackDB(t *testing.T, configure func(*config.Config), fn func(t *testing.T, f *feedbackApp)) {
	t.Helper()
	run := func(t *testing.T, url string) {
		clk, mail := newTestClock(), &mailRecorder{}
		f := newFixtureWith(t, apptest.Options{DatabaseURL: url, Now: clk.Now,
			Prepare: func(m *app.Main) { m.SurveyMailer = mail },
			Configure: func(c *config.Config) {
				c.SurveyDelay, c.SurveyCooldownDays, c.FollowupShare = 0, 0, 0
				if configure != nil {
					configure(c)
				}
			}})
		fn(t, &feedbackApp{fixture: f, clock: clk, mail: mail})
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "") })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresURL(t)) })
}

// openRequest opens a request of type typ for customerID as the agent.
func (f *feedbackApp) openRequest(t *testing.T, customerID int64, typ, subject string) api.Request {
	t.Helper()
	var r api.Request
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": typ,
		"subject": subject, "customer_id": customerID, "channel": "phone", "priority": "normal"}).JSON(t, &r)
	return r
}

// setStatus moves a request as the agent and fails unless it answers want.
func (f *feedbackApp) setStatus(t *testing.T, number, status string, want int) *apitest.Response {
	t.Helper()
	return f.mustStatus(t, want, "POST", "/api/v1/requests/"+number+"/status", f.agent, map[string]any{"status": status})
}

// survey reads a request's survey as the agent.
func (f *feedbackApp) survey(t *testing.T, number string) api.SurveyStatus {
	t.Helper()
	var s api.SurveyStatus
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+number+"/survey", f.agent, nil).JSON(t, &s)
	return s
}

// waitSurvey polls a request's survey until it has status want (River
// sends invitations in the background), failing after a deadline.
func (f *feedbackApp) waitSurvey(t *testing.T, number, want string) api.SurveyStatus {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		s := f.survey(t, number)
		if string(s.Status) == want {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("survey of %s: status %q after 30 s, want %q", number, s.Status, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tokenOf is the token of a survey URL (…/s/{token}).
func tokenOf(t *testing.T, url string) string {
	t.Helper()
	i := strings.LastIndex(url, "/s/")
	if i < 0 || url[i+3:] == "" {
		t.Fatalf("survey url %q does not end with /s/{token}", url)
	}
	return url[i+3:]
}

// invitationID is the id of a request's invitation, from the store.
func (f *feedbackApp) invitationID(t *testing.T, number string) int64 {
	t.Helper()
	r, err := f.Store.RequestByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := f.Store.InvitationOfRequest(context.Background(), r.ID)
	if err != nil {
		t.Fatalf("invitation of %s: %v", number, err)
	}
	return inv.ID
}
