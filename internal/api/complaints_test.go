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
)

// TestFollowupCallAnswersArePhoneResponses: a call that reaches the
// customer records the survey's answers as a response from the phone
// channel; a call without answer leaves the task open until the third.
func TestFollowupCallAnswersArePhoneResponses(t *testing.T) {
	eachFeedbackDB(t, func(c *config.Config) { c.FollowupShare = 1 }, func(t *testing.T, f *feedbackApp) {
		r := f.openRequest(t, f.aliceID, "repair", "Fridge not cooling")
		f.setStatus(t, r.Number, "resolved", http.StatusOK)
		fu := f.survey(t, r.Number).Followup
		if fu == nil {
			t.Fatal("no follow-up call with --followup-share 1")
		}
		calls := "/api/v1/followups/" + itoa(fu.ID) + "/calls"
		f.Run(t, apitest.Scenario{Name: "answers without reaching", Method: "POST", Path: calls, Token: f.agent,
			Body:           map[string]any{"reachability": "no_answer", "answers": map[string]any{"csat": 5}},
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.reachability"`}})
		f.Run(t, apitest.Scenario{Name: "answer out of range", Method: "POST", Path: calls, Token: f.agent,
			Body:           map[string]any{"reachability": "reached", "answers": map[string]any{"csat": 4, "dimensions": map[string]any{"process": 6}}},
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.answers.dimensions.process"`}})
		var after api.Followup
		f.mustStatus(t, http.StatusCreated, "POST", calls, f.agent, map[string]any{"reachability": "no_answer", "note": "voicemail"}).JSON(t, &after)
		if after.Status != "open" || len(after.Attempts) != 1 {
			t.Fatalf("after no answer: got %s with %d attempts, want open with 1", after.Status, len(after.Attempts))
		}
		f.mustStatus(t, http.StatusCreated, "POST", calls, f.agent, map[string]any{"reachability": "reached", "note": "happy",
			"answers": map[string]any{"csat": 5, "nps": 9, "dimensions": map[string]any{"technical": 5}, "comment": "师傅很专业，修得很好"}}).JSON(t, &after)
		if after.Status != "done" || after.Outcome != "reached" || after.ResponseID == nil || after.DoneBy != "agent" {
			t.Fatalf("after reaching: got %+v, want done by agent, reached, with a response", after)
		}
		f.Run(t, apitest.Scenario{Name: "call on a done follow-up", Method: "POST", Path: calls, Token: f.agent,
			Body: map[string]any{"reachability": "reached"}, ExpectedStatus: http.StatusConflict})
		s := f.survey(t, r.Number)
		var phone *api.SurveyResponse
		for i := range s.Responses {
			if s.Responses[i].Channel == "phone" {
				phone = &s.Responses[i]
			}
		}
		if phone == nil || phone.CSAT != 5 || *phone.NPS != 9 || phone.Sentiment == nil || phone.Sentiment.Label != "positive" {
			t.Fatalf("phone response: got %+v in %+v, want csat 5, nps 9, positive", phone, s.Responses)
		}
		var stats api.SurveyStats
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/survey-stats", f.manager, nil).JSON(t, &stats)
		if stats.PhoneResponses != 1 {
			t.Errorf("stats: got %d phone responses, want 1", stats.PhoneResponses)
		}

		// Three unanswered calls end a follow-up.
		r2 := f.openRequest(t, f.bobID, "repair", "Oven")
		f.setStatus(t, r2.Number, "resolved", http.StatusOK)
		calls2 := "/api/v1/followups/" + itoa(f.survey(t, r2.Number).Followup.ID) + "/calls"
		for i := 1; i <= 3; i++ {
			f.mustStatus(t, http.StatusCreated, "POST", calls2, f.agent, map[string]any{"reachability": "no_answer"}).JSON(t, &after)
			if want := map[bool]string{true: "done", false: "open"}[i == 3]; string(after.Status) != want {
				t.Errorf("after %d unanswered calls: got %s, want %s", i, after.Status, want)
			}
		}
	})
}

// TestComplaintCannotCloseBeforeFollowup: closing a complaint whose
// follow-up call is not done is 409 with a clear message (also straight
// from resolved, and by auto-close); after the call it closes.
func TestComplaintCannotCloseBeforeFollowup(t *testing.T) {
	eachFeedbackDB(t, nil, func(t *testing.T, f *feedbackApp) {
		c := f.openRequest(t, f.aliceID, "complaint", "Technician two hours late")
		f.setStatus(t, c.Number, "resolved", http.StatusOK)
		for lang, want := range map[string]string{"en": "before its follow-up call is done", "zh-CN": "完成回访"} {
			res := f.mustStatus(t, http.StatusConflict, "POST", "/api/v1/requests/"+c.Number+"/status", f.agent,
				map[string]any{"status": "closed"}, "Accept-Language: "+lang)
			if !strings.Contains(string(res.Body), want) {
				t.Errorf("409 in %s: got %s, want it to say %q", lang, res.Body, want)
			}
		}
		if got := f.getRequest(t, f.agent, c.Number).Status; got != "resolved" {
			t.Fatalf("after the refused close: status %s, want resolved", got)
		}
		// Auto-close leaves it too.
		if n, err := f.Store.AutoClose(context.Background(), f.clock.Now().Add(time.Hour), 100); err != nil || n != 0 {
			t.Errorf("auto-close: closed %d (err %v), want 0", n, err)
		}
		fu := f.survey(t, c.Number).Followup
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/followups/"+itoa(fu.ID)+"/calls", f.agent,
			map[string]any{"reachability": "reached", "answers": map[string]any{"csat": 3}})
		f.setStatus(t, c.Number, "closed", http.StatusOK)

		// Other types close without a call.
		r := f.openRequest(t, f.aliceID, "repair", "Leak")
		f.setStatus(t, r.Number, "resolved", http.StatusOK)
		f.setStatus(t, r.Number, "closed", http.StatusOK)
	})
}

// TestCompensationApproval: above the threshold an agent's compensation
// waits for a manager, who may approve; managers' own are approved at
// once; agents cannot decide; every step is audited.
func TestCompensationApproval(t *testing.T) {
	eachFeedbackDB(t, func(c *config.Config) { c.CompensationApprovalThreshold = 20000 }, func(t *testing.T, f *feedbackApp) {
		c := f.openRequest(t, f.aliceID, "complaint", "Overcharged for a repair")
		path := "/api/v1/requests/" + c.Number + "/compensations"
		var small, big, mgr api.Compensation
		f.mustStatus(t, http.StatusCreated, "POST", path, f.agent, map[string]any{"kind": "voucher", "amount": 20000}).JSON(t, &small)
		f.mustStatus(t, http.StatusCreated, "POST", path, f.agent, map[string]any{"kind": "refund", "amount": 20001, "note": "full refund"}).JSON(t, &big)
		f.mustStatus(t, http.StatusCreated, "POST", path, f.manager, map[string]any{"kind": "gift", "amount": 90000, "currency": "usd"}).JSON(t, &mgr)
		for _, x := range []struct {
			name   string
			got    api.Compensation
			status string
		}{{"agent at the threshold", small, "approved"}, {"agent above it", big, "pending"}, {"manager above it", mgr, "approved"}} {
			if string(x.got.Status) != x.status {
				t.Errorf("%s: got %s, want %s", x.name, x.got.Status, x.status)
			}
		}
		if small.Currency != "CNY" || mgr.Currency != "USD" || small.DecidedBy != "agent" {
			t.Errorf("currency and decider: got %s/%s by %q, want CNY (default) and USD, decided by agent", small.Currency, mgr.Currency, small.DecidedBy)
		}
		decide := "/api/v1/compensations/" + itoa(big.ID) + "/decision"
		f.mustStatus(t, http.StatusForbidden, "POST", decide, f.agent, map[string]any{"decision": "approve"})
		var decided api.Compensation
		f.mustStatus(t, http.StatusOK, "POST", decide, f.manager, map[string]any{"decision": "approve"}).JSON(t, &decided)
		if decided.Status != "approved" || decided.DecidedBy != "manager" {
			t.Errorf("decision: got %s by %q, want approved by manager", decided.Status, decided.DecidedBy)
		}
		f.mustStatus(t, http.StatusConflict, "POST", decide, f.admin, map[string]any{"decision": "reject"})
		f.Run(t, apitest.Scenario{Name: "bad kind", Method: "POST", Path: path, Token: f.agent,
			Body: map[string]any{"kind": "cash", "amount": 1}, ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{`"location":"body.kind"`}})
		f.Run(t, apitest.Scenario{Name: "not a complaint", Method: "POST", Path: "/api/v1/requests/" + f.openRequest(t, f.aliceID, "repair", "x").Number + "/compensations",
			Token: f.agent, Body: map[string]any{"kind": "gift", "amount": 1}, ExpectedStatus: http.StatusConflict})

		var audit api.AuditPage
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/audit", f.admin, nil).JSON(t, &audit)
		var actions []string
		for _, e := range audit.Items {
			if strings.HasPrefix(e.Action, "compensation.") {
				actions = append(actions, e.Action+" "+e.ActorName)
			}
		}
		want := "compensation.approved manager,compensation.recorded manager,compensation.recorded agent,compensation.recorded agent"
		if strings.Join(actions, ",") != want {
			t.Errorf("audit: got %v, want %s", actions, want)
		}
		var cv api.Complaint
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+c.Number+"/complaint", f.tech, nil).JSON(t, &cv)
		if len(cv.Compensations) != 3 || cv.ApprovalThreshold != 20000 {
			t.Errorf("complaint: got %d compensations, threshold %d; want 3, 20000", len(cv.Compensations), cv.ApprovalThreshold)
		}
	})
}

// TestComplaintSeverityAndEscalation: a complaint gets severity 2 and
// its deadline; a new severity moves the deadline; past it, unresolved,
// the escalation job assigns the team's manager at urgent priority and
// says so on the timeline.
func TestComplaintSeverityAndEscalation(t *testing.T) {
	eachFeedbackDB(t, func(c *config.Config) { c.ComplaintHours = "4,24,72" }, func(t *testing.T, f *feedbackApp) {
		ctx := context.Background()
		var team api.Team
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/teams", f.admin, map[string]any{"name": "Shanghai"}).JSON(t, &team)
		var boss api.User
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/users", f.admin, map[string]any{"email": "boss@example.com",
			"name": "Boss", "role": "manager", "password": "long enough password", "team_id": team.ID}).JSON(t, &boss)
		c := f.openRequest(t, f.aliceID, "complaint", "Nobody called back")
		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/requests/"+c.Number, f.agent, map[string]any{"team_id": team.ID, "version": c.Version})
		var cv api.Complaint
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+c.Number+"/complaint", f.agent, nil).JSON(t, &cv)
		if cv.Severity != 2 || !cv.DeadlineAt.Equal(c.CreatedAt.Add(24*time.Hour)) {
			t.Fatalf("new complaint: severity %d, deadline %v; want 2, %v", cv.Severity, cv.DeadlineAt, c.CreatedAt.Add(24*time.Hour))
		}
		f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/requests/"+c.Number+"/complaint", f.agent, map[string]any{"severity": 1}).JSON(t, &cv)
		if cv.Severity != 1 || !cv.DeadlineAt.Equal(c.CreatedAt.Add(4*time.Hour)) {
			t.Fatalf("severity 1: got %d, deadline %v; want 1, %v", cv.Severity, cv.DeadlineAt, c.CreatedAt.Add(4*time.Hour))
		}
		f.mustStatus(t, http.StatusUnprocessableEntity, "PUT", "/api/v1/requests/"+c.Number+"/complaint", f.agent, map[string]any{"severity": 4})
		id := f.getRequest(t, f.agent, c.Number).ID
		if wait, err := f.Feedback.Escalate(ctx, id, 1); err != nil || wait <= 0 {
			t.Fatalf("escalate before the deadline: wait %v, err %v; want a wait", wait, err)
		}
		f.clock.Add(4 * time.Hour)
		if _, err := f.Feedback.Escalate(ctx, id, 1); err != nil {
			t.Fatal(err)
		}
		d := f.getRequest(t, f.agent, c.Number)
		if d.AssigneeID == nil || *d.AssigneeID != boss.ID || d.Priority != "urgent" {
			t.Errorf("after the deadline: assignee %v, priority %s; want the team's manager %d, urgent", d.AssigneeID, d.Priority, boss.ID)
		}
		escalated := false
		for _, e := range d.Timeline {
			escalated = escalated || (e.Kind == "escalated" && e.NewValue == "Boss")
		}
		if !escalated {
			t.Errorf("timeline lacks the escalation to Boss: %+v", d.Timeline)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+c.Number+"/complaint", f.agent, nil).JSON(t, &cv)
		if cv.EscalationLevel != 1 || cv.EscalatedTo != "Boss" {
			t.Errorf("complaint after escalation: level %d to %q, want 1 to Boss", cv.EscalationLevel, cv.EscalatedTo)
		}
		// A resolved complaint is not escalated further.
		f.setStatus(t, c.Number, "resolved", http.StatusOK)
		f.clock.Add(4 * time.Hour)
		if _, err := f.Feedback.Escalate(ctx, id, 2); err != nil {
			t.Fatal(err)
		}
		f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+c.Number+"/complaint", f.agent, nil).JSON(t, &cv)
		if cv.EscalationLevel != 1 {
			t.Errorf("resolved complaint: escalation level %d, want 1", cv.EscalationLevel)
		}
	})
}
