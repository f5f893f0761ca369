package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/survey"
)

// feedbackFixture is the web fixture with surveys sent at once, no
// cool-down, and a follow-up call for every resolved request.
func feedbackFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, apptest.Options{Configure: func(c *config.Config) {
		c.SurveyDelay, c.SurveyCooldownDays, c.FollowupShare = 0, 0, 1
	}})
}

// resolveAndWait resolves number as the agent and waits until River has
// sent its survey; it returns the survey's path (/s/…).
func resolveAndWait(t *testing.T, f *fixture, number string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := f.m.Requests.ChangeStatus(ctx, f.agent, number, model.StatusResolved, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := f.m.Feedback.RequestFeedback(ctx, f.agent, number)
		if err != nil {
			t.Fatal(err)
		}
		if v.URL != "" {
			return strings.TrimPrefix(v.URL, f.m.Config.BaseURL)
		}
		if time.Now().After(deadline) {
			t.Fatalf("survey of %s not sent after 30 s", number)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestPublicSurvey: the survey page needs no login, speaks the
// customer's language (switchable), shows an error beside its question,
// thanks, and then says the link was used (404); unknown links are 404.
func TestPublicSurvey(t *testing.T) {
	f := feedbackFixture(t)
	ctx := context.Background()
	if err := f.m.Store.SetCustomerLocale(ctx, f.alice.ID, "en"); err != nil {
		t.Fatal(err)
	}
	path := resolveAndWait(t, f, f.aliceReq.Number)
	visitor := newClient(t, f.m, "zh-CN") // the browser says Chinese; the customer's language wins
	res := visitor.get(path)
	expect(t, "survey in the customer's language", res, http.StatusOK,
		[]string{`<html lang="en">`, "How did we do?", f.aliceReq.Number, `name="dimensions.price"`, `name="nps" value="10"`, `id="survey-submit"`},
		[]string{"满意度调查"})
	res = visitor.post("/lang", url.Values{"lang": {"zh-CN"}, "back": {path}})
	if res.status != http.StatusSeeOther || res.location != path {
		t.Fatalf("language switch: got %d → %q", res.status, res.location)
	}
	expect(t, "switched to Chinese", visitor.get(path), http.StatusOK, []string{`<html lang="zh-CN">`, "服务满意度调查"}, nil)

	res = visitor.post(path, url.Values{"nps": {"9"}, "dimensions.price": {"2"}, "comment": {"师傅很专业"}})
	expect(t, "csat missing", res, http.StatusUnprocessableEntity, []string{`id="q-csat"`, "为必填项", `value="9" checked`, "师傅很专业"}, nil)
	if i, j := strings.Index(res.body, `id="q-csat"`), strings.Index(res.body, "为必填项"); i < 0 || j < i || j > strings.Index(res.body, `id="q-nps"`) {
		t.Errorf("the csat error is not beside the csat question")
	}
	res = visitor.post(path, url.Values{"csat": {"4"}, "nps": {"9"}, "dimensions.price": {"2"}, "comment": {"师傅很专业，但是价格有点贵"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/s/done") {
		t.Fatalf("answer: got %d → %q, want 303 → /s/done", res.status, res.location)
	}
	expect(t, "thanks", visitor.get(res.location), http.StatusOK, []string{"感谢您的评价"}, nil)
	expect(t, "used link", visitor.get(path), http.StatusNotFound, []string{`id="survey-answered"`}, []string{`id="survey-form"`})
	expect(t, "unknown link", visitor.get("/s/sv_nosuchlink"), http.StatusNotFound, []string{`id="survey-unknown"`}, nil)

	// Staff see the answer on the request page.
	staff := newClient(t, f.m, "en")
	staff.loginStaff()
	res = staff.get("/requests/" + f.aliceReq.Number)
	expect(t, "request page", res, http.StatusOK, []string{`id="survey-status"`, "Survey answered", "Answered via Web",
		"师傅很专业，但是价格有点贵", "Follow-up call (sample)"}, nil)
}

// TestPortalSurveyBanner: a customer sees the open survey on the list and
// the request page, not after answering, and never another's.
func TestPortalSurveyBanner(t *testing.T) {
	f := feedbackFixture(t)
	path := resolveAndWait(t, f, f.aliceReq.Number)
	alice := newClient(t, f.m, "en")
	alice.loginCustomer("alice@example.com")
	expect(t, "portal list", alice.get("/portal"), http.StatusOK, []string{`class="alert info survey-banner"`, `href="` + path + `"`}, nil)
	expect(t, "request page", alice.get("/portal/requests/"+f.aliceReq.Number), http.StatusOK, []string{`href="` + path + `"`}, nil)
	bob := newClient(t, f.m, "en")
	bob.loginCustomer("bob@example.com")
	expect(t, "another customer", bob.get("/portal"), http.StatusOK, nil, []string{path, "survey-banner"})
	if res := alice.post(path, url.Values{"csat": {"5"}}); res.status != http.StatusSeeOther {
		t.Fatalf("answer: %d", res.status)
	}
	expect(t, "after answering", alice.get("/portal"), http.StatusOK, nil, []string{"survey-banner"})
}

// TestFollowupCallScreen: the call screen records an attempt and the
// answers; the response counts with the phone channel.
func TestFollowupCallScreen(t *testing.T) {
	f := feedbackFixture(t)
	ctx := context.Background()
	if _, err := f.m.Requests.ChangeStatus(ctx, f.agent, f.bobReq.Number, model.StatusResolved, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	v, err := f.m.Feedback.RequestFeedback(ctx, f.agent, f.bobReq.Number)
	if err != nil || v.Followup == nil {
		t.Fatalf("follow-up: %v", err)
	}
	agent := newClient(t, f.m, "en")
	agent.loginStaff()
	expect(t, "queue (all open)", agent.get("/followups?view=all"), http.StatusOK, []string{f.bobReq.Number, "/followups/" + itoa(v.Followup.ID)}, nil)
	call := "/followups/" + itoa(v.Followup.ID)
	expect(t, "call screen", agent.get(call), http.StatusOK, []string{`name="reachability" value="no_answer"`, `name="dimensions.technical"`}, nil)
	res := agent.post(call+"/calls", url.Values{"reachability": {"no_answer"}, "csat": {"5"}})
	expect(t, "answers without reaching", res, http.StatusUnprocessableEntity, []string{"answers are recorded only when the customer was reached"}, nil)
	res = agent.post(call+"/calls", url.Values{"reachability": {"reached"}, "note": {"called at noon"}, "csat": {"3"}, "ces": {"6"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("record call: got %d\n%.2000s", res.status, res.body)
	}
	expect(t, "done", agent.get(call), http.StatusOK, []string{"The call was recorded.", "Done by Wang Fang", "called at noon"}, []string{`id="call-form"`})
	v, _ = f.m.Feedback.RequestFeedback(ctx, f.agent, f.bobReq.Number)
	if len(v.Responses) != 1 || v.Responses[0].Channel != model.ChannelPhone || v.Responses[0].CSAT != 3 || *v.Responses[0].CES != 6 {
		t.Errorf("phone response: got %+v", v.Responses)
	}
}

// TestComplaintPanel: severity, compensation within and above the
// threshold, and a manager's approval on the request page; closing before
// the call is refused with the reason shown.
func TestComplaintPanel(t *testing.T) {
	f := feedbackFixture(t)
	ctx := context.Background()
	c, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeComplaint, Subject: "Charged twice",
		CustomerID: f.alice.ID, Channel: model.ChannelPhone})
	if err != nil {
		t.Fatal(err)
	}
	agent := newClient(t, f.m, "en")
	agent.loginStaff()
	page := "/requests/" + c.Number
	expect(t, "complaint panel", agent.get(page), http.StatusOK, []string{"Complaint", "2 – moderate", `name="comp_amount"`}, nil)
	if res := agent.post(page+"/complaint", url.Values{"severity": {"1"}, "body": {"draft reply"}}); res.status != http.StatusSeeOther {
		t.Fatalf("severity: %d", res.status)
	}
	expect(t, "severity set, draft kept", agent.get(page), http.StatusOK, []string{"The severity and deadline were set.", `<option value="1" selected>`, "draft reply"}, nil)
	res := agent.post(page+"/compensations", url.Values{"comp_kind": {"voucher"}, "comp_amount": {"12.5x"}})
	expect(t, "bad amount", res, http.StatusUnprocessableEntity, []string{"must be an amount like 199.50", `value="12.5x"`}, nil)
	if res := agent.post(page+"/compensations", url.Values{"comp_kind": {"refund"}, "comp_amount": {"800"}, "comp_currency": {"CNY"}}); res.status != http.StatusSeeOther {
		t.Fatalf("compensation: %d\n%.2000s", res.status, res.body)
	}
	expect(t, "pending", agent.get(page), http.StatusOK, []string{"waits for a manager", "800.00 CNY", "waiting for approval"}, []string{`value="approve"`})

	mgr := staffClient(t, f, model.RoleManager, "manager@example.com", "en", nil)
	expect(t, "feedback section lists it", mgr.get("/feedback"), http.StatusOK, []string{"Compensation waiting for approval", "800.00 CNY"}, nil)
	comps, _ := f.m.Store.Compensations(ctx, c.ID)
	res = mgr.post("/compensations/"+itoa(comps[0].ID)+"/decision", url.Values{"decision": {"approve"}, "back": {page}})
	if res.status != http.StatusSeeOther || res.location != page {
		t.Fatalf("approve: %d → %q", res.status, res.location)
	}
	expect(t, "approved", mgr.get(page), http.StatusOK, []string{"approved", "decided by Zhou manager"}, nil)

	if _, err := f.m.Requests.ChangeStatus(ctx, f.agent, c.Number, model.StatusResolved, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	res = agent.post(page+"/status", url.Values{"status": {"closed"}})
	expect(t, "close before the call", res, http.StatusConflict, []string{html.EscapeString("a complaint cannot be closed before its follow-up call is done")}, nil)
}

// TestSurveyAdmin: an admin saves the survey as a new version; a missing
// wording is shown beside its field.
func TestSurveyAdmin(t *testing.T) {
	f := feedbackFixture(t)
	admin := staffClient(t, f, model.RoleAdmin, "admin2@example.com", "en", nil)
	res := admin.get("/admin/survey")
	expect(t, "editor", res, http.StatusOK, []string{"Version 1.", `name="questions[1].text_en"`}, nil)
	form := url.Values{"version": {"1"}, "title_zh": {"请评价"}, "title_en": {"Rate us"}}
	for i, q := range survey.DefaultTemplate().Questions {
		p := "questions[" + itoa(int64(i)) + "]"
		form.Set(p+".text_zh", q.TextZh)
		form.Set(p+".text_en", q.TextEn)
		if q.Key != model.QNPS {
			form.Set(p+".enabled", "on")
		}
	}
	form.Set("questions[3].text_en", "")
	expect(t, "missing wording", admin.post("/admin/survey", form), http.StatusUnprocessableEntity, []string{"is required", `value="请评价"`}, nil)
	form.Set("questions[3].text_en", "Fixed for good")
	if res := admin.post("/admin/survey", form); res.status != http.StatusSeeOther {
		t.Fatalf("save: %d", res.status)
	}
	expect(t, "version 2", admin.get("/admin/survey"), http.StatusOK, []string{"Version 2.", "Fixed for good"}, nil)
	tpl, _ := f.m.Store.SurveyTemplate(context.Background(), 0)
	if tpl.Version != 2 || tpl.Asks(model.QNPS) || !tpl.Asks(model.QCES) {
		t.Errorf("saved template: version %d, asks nps %v, ces %v; want 2, false, true", tpl.Version, tpl.Asks(model.QNPS), tpl.Asks(model.QCES))
	}
}
