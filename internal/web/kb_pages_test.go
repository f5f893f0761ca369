package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

func kbStaffClient(t *testing.T, f *fixture, role model.Role, lang string) *client {
	t.Helper()
	hash, _ := auth.HashPassword(password)
	email := string(role) + "-kb@example.com"
	if err := f.m.Store.CreateUser(context.Background(), &model.User{Email: email, Name: "KB " + string(role), Role: role,
		PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, f.m, lang)
	if res := c.post("/login", url.Values{"login": {email}, "password": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("login %s: %d", role, res.status)
	}
	return c
}

// TestKnowledgeBaseEditor: a manager writes an article (a form error
// keeps what was typed), translates it, an agent suggests an edit, the
// manager applies it as version 2; the history shows both versions; a
// stale save is refused; a technician reads internal articles, a
// customer never; the report renders and exports.
func TestKnowledgeBaseEditor(t *testing.T) {
	f := newFixture(t)
	mgr := kbStaffClient(t, f, model.RoleManager, "zh-CN")
	agent := newClient(t, f.m, "en")
	agent.loginStaff()

	form := url.Values{"title": {"洗衣机不排水"}, "body": {"先清理**排水泵过滤器**。"}, "locale": {"xx"}, "visibility": {"public"},
		"status": {"published"}, "category": {"故障"}, "tags": {"洗衣机, 排水"}, "products": {"HY-WM100"}}
	expect(t, "bad locale", mgr.post("/kb/new", form), http.StatusUnprocessableEntity, []string{"先清理**排水泵过滤器**。", "必须是 zh-CN 或 en"}, nil)
	form.Set("locale", "zh-CN")
	res := mgr.post("/kb/new", form)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/kb/") {
		t.Fatalf("create: %d → %q", res.status, res.location)
	}
	show := res.location
	id := strings.TrimPrefix(show, "/kb/")
	expect(t, "show", mgr.get(show), http.StatusOK, []string{"<strong>排水泵过滤器</strong>", "#洗衣机", "版本历史"}, nil)

	tr := url.Values{"title": {"Washer does not drain"}, "body": {"Clean the drain pump filter first."}, "locale": {"en"},
		"visibility": {"public"}, "status": {"published"}}
	if res := mgr.post("/kb/new?translate="+id, tr); res.status != http.StatusSeeOther {
		t.Fatalf("translate: %d", res.status)
	}
	expect(t, "translation linked", mgr.get(show), http.StatusOK, []string{"Washer does not drain"}, nil)

	// The agent suggests; the manager applies.
	expect(t, "agent cannot edit", agent.get(show+"/edit"), http.StatusForbidden, nil, nil)
	if res := agent.post(show+"/suggest", url.Values{"title": {"洗衣机不排水（E21）"}, "body": {"先清理排水泵过滤器，再检查排水管。"},
		"change": {"加上 E21"}}); res.status != http.StatusSeeOther {
		t.Fatalf("suggest: %d", res.status)
	}
	page := mgr.get(show)
	expect(t, "suggestion listed", page, http.StatusOK, []string{"洗衣机不排水（E21）", "加上 E21", "/apply"}, nil)
	var sid int64
	if err := f.m.Store.Read().QueryRow(context.Background(), "SELECT id FROM kb_suggestions").Scan(&sid); err != nil {
		t.Fatal(err)
	}
	if res := mgr.post("/kb/suggestions/"+itoa(sid)+"/apply", nil); res.status != http.StatusSeeOther {
		t.Fatalf("apply: %d", res.status)
	}
	expect(t, "applied", mgr.get(show), http.StatusOK, []string{"<h1>洗衣机不排水（E21）</h1>", "再检查排水管", "已采纳"}, nil)
	// A save from version 1 is stale now.
	stale := url.Values{"title": {"x"}, "body": {"y"}, "locale": {"zh-CN"}, "visibility": {"public"}, "status": {"published"}, "version": {"1"}}
	expect(t, "stale", mgr.post(show+"/edit", stale), http.StatusConflict, []string{"重新加载"}, nil)

	internal := putArticle(t, f, "en", "Pump supplier codes", "Internal: supplier Q-991.", model.VisibilityInternal)
	tech := kbStaffClient(t, f, model.RoleTechnician, "en")
	expect(t, "tech list", tech.get("/kb"), http.StatusOK, []string{internal.Title, "Internal"}, nil)
	expect(t, "tech search", tech.get("/kb?q=supplier"), http.StatusOK, []string{internal.Title}, nil)
	cust := newClient(t, f.m, "en")
	cust.loginCustomer("alice@example.com")
	expect(t, "customer", cust.get("/kb"), http.StatusNotFound, nil, []string{internal.Title})

	expect(t, "report", mgr.get("/kb/report"), http.StatusOK, []string{"自助解决与知识缺口"}, nil)
	res = mgr.get("/kb/report?format=csv")
	if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Type"), "text/csv") {
		t.Errorf("csv: %d %q", res.status, res.header.Get("Content-Type"))
	}
}

// TestArticleListPages: the help centre and the staff list page through
// every article 50 at a time (keyset), keeping the language filter.
func TestArticleListPages(t *testing.T) {
	f := newFixture(t)
	for i := range 53 {
		putArticle(t, f, "en", fmt.Sprintf("Guide number %02d", i), "Body.", model.VisibilityPublic)
	}
	c := newClient(t, f.m, "en")
	first := c.get("/help")
	expect(t, "help, first page", first, http.StatusOK, []string{"Guide number 52", "/help?cursor="}, []string{"Guide number 02"})
	next := regexp.MustCompile(`href="(/help\?cursor=[^"]+)"`).FindStringSubmatch(first.body)
	if next == nil {
		t.Fatal("no next-page link")
	}
	expect(t, "help, second page", c.get(html.UnescapeString(next[1])), http.StatusOK, []string{"Guide number 00", "Guide number 02", `href="/help"`}, []string{"Guide number 52"})
	expect(t, "help, forged cursor", c.get("/help?cursor=bm9wZQ"), http.StatusSeeOther, nil, nil)

	staff := newClient(t, f.m, "en")
	staff.loginStaff()
	expect(t, "kb list", staff.get("/kb?locale=en"), http.StatusOK, []string{"Guide number 52", "/kb?cursor=", "locale=en"}, []string{"Guide number 02"})
}

// TestDeflectionChart: the report draws deflection per article as a
// chart (deflected beside submitted anyway, most opened first) above the
// table with each article's share.
func TestDeflectionChart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := putArticle(t, f, "en", "Reset the router", "Hold the button.", model.VisibilityPublic)
	b := putArticle(t, f, "en", "Warranty <terms>", "Two years.", model.VisibilityPublic)
	start := f.m.Store.Now().Add(-2 * time.Hour)
	var visits []store.DeflectionVisit
	for i := range 5 {
		v := store.DeflectionVisit{Token: fmt.Sprintf("v%d", i), CustomerID: f.alice.ID, ArticleID: a.ID, StartedAt: start, OpenedAt: start.Add(time.Minute)}
		if i == 0 {
			v.ArticleID = b.ID
		}
		if i == 4 {
			sub := start.Add(2 * time.Minute)
			v.SubmittedAt = &sub
		}
		visits = append(visits, v)
	}
	if err := f.m.Store.InsertKBActivity(ctx, nil, visits); err != nil {
		t.Fatal(err)
	}
	mgr := kbStaffClient(t, f, model.RoleManager, "en")
	expect(t, "report", mgr.get("/kb/report"), http.StatusOK, []string{`id="deflection-chart"`,
		`{&#34;kind&#34;:&#34;aspects&#34;,&#34;labels&#34;:[&#34;Reset the router&#34;,&#34;Warranty \u003cterms\u003e&#34;],&#34;positive&#34;:[3,1],&#34;negative&#34;:[1,0]`,
		"Submitted a request anyway", ">75%<", ">100%<", "vendor/echarts.min.js"}, []string{"<terms>", "<meter"})
}
