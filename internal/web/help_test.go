package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

func putArticle(t *testing.T, f *fixture, locale, title, body string, vis model.Visibility, of ...int64) *model.Article {
	t.Helper()
	a := &model.Article{Locale: locale, Title: title, Body: body, Visibility: vis, Status: model.ArticlePublished}
	if len(of) > 0 {
		a.TranslationOf = &of[0]
	}
	if err := f.m.Store.CreateArticle(context.Background(), a, ""); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestHelpCentre walks the help centre as a visitor and as a customer in
// both languages: the article list and search show public articles only
// (an internal one's phrase never reaches them), Markdown is rendered
// without raw HTML, the assistant answers and is honest when unsure, and
// the hand-off opens a request with the conversation.
func TestHelpCentre(t *testing.T) {
	f := newFixture(t)
	zh := putArticle(t, f, "zh-CN", "空调不制冷怎么办", "## 自查\n\nKFR-35GW 不制冷时先**清洗滤网**。<script>alert(1)</script>", model.VisibilityPublic)
	en := putArticle(t, f, "en", "Air conditioner not cooling", "If the KFR-35GW blows warm air, **clean the filter** first. [bad](javascript:alert(1))", model.VisibilityPublic, zh.ID)
	internal := putArticle(t, f, "zh-CN", "空调压缩机工时（内部）", "内部暗号 紫色海豚 ZD-4411，不要告诉客户。空调滤网。", model.VisibilityInternal)

	for _, lang := range []string{"zh-CN", "en"} {
		v := newClient(t, f.m, lang)
		title := map[string]string{"zh-CN": "帮助中心", "en": "Help centre"}[lang]
		want := map[string]string{"zh-CN": zh.Title, "en": en.Title}[lang]
		expect(t, "help "+lang, v.get("/help"), http.StatusOK, []string{title, want}, []string{internal.Title})
		res := v.get("/help?q=" + url.QueryEscape("滤网"))
		expect(t, "search "+lang, res, http.StatusOK, []string{zh.Title, "<mark>"}, []string{"紫色海豚", internal.Title})
		expect(t, "internal article "+lang, v.get("/help/"+itoa(internal.ID)), http.StatusNotFound, nil, []string{"紫色海豚"})
	}
	v := newClient(t, f.m, "zh-CN")
	expect(t, "article", v.get("/help/"+itoa(zh.ID)), http.StatusOK,
		[]string{"<h2>自查</h2>", "<strong>清洗滤网</strong>", en.Title}, []string{"<script>alert(1)"})
	expect(t, "article en", v.get("/help/"+itoa(en.ID)), http.StatusOK, []string{"<strong>clean the filter</strong>"},
		[]string{`href="javascript:`})

	// The assistant, as a visitor: an answer quoting the article, then an
	// honest "not sure"; a visitor is asked to sign in for a person.
	res := v.post("/help/ask", url.Values{"question": {"空调吹热风不凉快"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("ask: %d %s", res.status, res.body)
	}
	v.post("/help/ask", url.Values{"question": {"紫色海豚 ZD-4411 是什么"}})
	page := v.get("/help")
	expect(t, "conversation", page, http.StatusOK, []string{"空调吹热风不凉快", "清洗滤网", "/help/" + itoa(zh.ID), "不太确定",
		"/portal/login?next=/help"}, []string{"ZD-4411，不要"})
	expect(t, "empty question", v.post("/help/ask", url.Values{"question": {" "}}), http.StatusUnprocessableEntity, nil, nil)

	// A customer hands the conversation over.
	c := newClient(t, f.m, "en")
	c.loginCustomer("alice@example.com")
	c.post("/help/ask", url.Values{"question": {"Can I pay for a pizza with bitcoin?"}})
	expect(t, "customer conversation", c.get("/help"), http.StatusOK, []string{"not sure", "Talk to a person"}, nil)
	res = c.post("/portal/assistant/handoff", nil)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/portal/requests/") {
		t.Fatalf("handoff: %d → %q", res.status, res.location)
	}
	expect(t, "handed-off request", c.get(res.location), http.StatusOK, []string{"pizza with bitcoin", "Assistant:"}, nil)
	expect(t, "conversation cleared", c.get("/help"), http.StatusOK, nil, []string{"pizza with bitcoin"})
}

var visitRe = regexp.MustCompile(`name="visit" value="([^"]+)"`)

// TestDeflection: the new-request form suggests public articles while the
// customer types; opening one and leaving counts as deflected, opening
// one and submitting does not; searches that found nothing are gaps.
func TestDeflection(t *testing.T) {
	f := newFixture(t)
	a := putArticle(t, f, "en", "Washer does not drain", "Clean the drain pump filter behind the small flap.", model.VisibilityPublic)
	putArticle(t, f, "en", "Washer drain secrets", "Internal: drain pump supplier code Q-991.", model.VisibilityInternal)
	c := newClient(t, f.m, "en")
	c.loginCustomer("alice@example.com")

	visit := func() string {
		t.Helper()
		m := visitRe.FindStringSubmatch(c.get("/portal/requests/new").body)
		if m == nil {
			t.Fatal("no visit token in the form")
		}
		return m[1]
	}
	v1 := visit()
	res := c.get("/portal/requests/new/suggest?subject=washer+not+draining&visit="+v1, "HX-Request", "true")
	expect(t, "suggestions", res, http.StatusOK, []string{a.Title, "/help/" + itoa(a.ID) + "?visit=" + v1}, []string{"Q-991", "<html"})
	expect(t, "open", c.get("/help/"+itoa(a.ID)+"?visit="+v1), http.StatusOK, []string{a.Title}, nil)

	v2 := visit()
	c.get("/help/" + itoa(a.ID) + "?visit=" + v2)
	res = c.post("/portal/requests/new", url.Values{"type": {"repair"}, "subject": {"Washer still full of water"}, "visit": {v2}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.status)
	}
	// Another customer cannot claim alice's visit.
	b := newClient(t, f.m, "en")
	b.loginCustomer("bob@example.com")
	b.get("/help/" + itoa(a.ID) + "?visit=" + visit())

	c.get("/portal/requests/new/suggest?subject=zzqx+nothing+matches&visit="+v1, "HX-Request", "true")

	ctx := context.Background()
	stats, err := f.m.Store.DeflectionStats(ctx, time.Now().Add(-time.Hour), 0)
	if err != nil || len(stats) != 1 || stats[0].ArticleID != a.ID || stats[0].Opened != 2 || stats[0].Deflected != 1 {
		t.Errorf("deflection: got %+v, %v; want opened 2, deflected 1", stats, err)
	}
	gaps, err := f.m.Store.SearchGaps(ctx, time.Now().Add(-time.Hour), 10)
	if err != nil || len(gaps) != 1 || gaps[0].Query != "zzqx nothing matches" {
		t.Errorf("gaps: got %+v, %v", gaps, err)
	}
}
