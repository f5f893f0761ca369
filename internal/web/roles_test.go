package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/rules"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/survey"
	"github.com/aftercare/aftercare/internal/web"
)

// webAccess is who may use each route of the web UI, written out here
// independently of the code's role matrix: A admin, M manager, G agent,
// T technician, N centre manager (of the centre the routes name), C
// customer, V visitor (not logged in). A route missing from this table
// fails the test.
func webAccess() map[string]string {
	all := "AMGTNCV"
	return map[string]string{
		"GET /static/": all, "GET /login": all, "POST /login": all, "POST /logout": all,
		"GET /portal/login": all, "POST /portal/login": all, "POST /portal/logout": all,
		"GET /portal/manifest.webmanifest": all, "GET /portal/sw.js": all, "GET /portal/offline": all, "GET /portal/icons/{file}": all,
		"GET /portal/invite/{secret}": all, "POST /portal/invite/{secret}": all,
		"GET /portal/reset/{secret}": all, "POST /portal/reset/{secret}": all,
		"GET /portal/forgot": all, "POST /portal/forgot": all, "POST /lang": all, "GET /{$}": all,
		"GET /portal/signup": all, "POST /portal/signup": all, "GET /portal/signup/verify": all, "POST /portal/signup/verify": all,

		// Macros (issue 11).
		"GET /macros": "AMGTN", "POST /macros": "AMGTN", "GET /macros/{id}": "AMGTN", "POST /macros/{id}": "AMGTN",
		"POST /macros/{id}/delete": "AMGTN", "POST /requests/{number}/merge": "AMGTN",
		"POST /requests/{number}/typing": "AMGTN", "GET /api/v1/events/stream": "AMGTNC",
		// In-app notifications: each staff user's own.
		"GET /notifications": "AMGTN", "POST /notifications/read": "AMGTN", "GET /notifications/{id}": "AMGTN",

		"GET /queue":                                                "AMGTN",
		"GET /queue/export":                                         "AMGN",
		"GET /requests/new":                                         "AMGTN",
		"POST /requests/new":                                        "AMGTN",
		"GET /requests/{number}":                                    "AMGTN",
		"POST /requests/{number}/reply":                             "AMGTN",
		"POST /requests/{number}/status":                            "AMGTN",
		"POST /requests/{number}/update":                            "AMGTN",
		"POST /requests/{number}/tags":                              "AMGN",
		"POST /requests/{number}/tasks/{id}/done":                   "AMGTN",
		"POST /requests/{number}/customer-tier":                     "AM",
		"POST /queue/views":                                         "AMGTN",
		"POST /queue/views/{id}/rename":                             "AMGTN",
		"POST /queue/views/{id}/delete":                             "AMGTN",
		"POST /queue/bulk":                                          "AMGTN",
		"POST /requests/{number}/invite":                            "AMG",
		"GET /admin/customers":                                      "AMGTN",
		"GET /admin/customers/new":                                  "AMG",
		"POST /admin/customers/new":                                 "AMG",
		"GET /admin/customers/{id}":                                 "AMGTN",
		"GET /admin/proofs/{id}":                                    "AMGTN",
		"GET /admin/customers/{id}/edit":                            "AMG",
		"POST /admin/customers/{id}/edit":                           "AMG",
		"POST /admin/customers/{id}/units":                          "AMG",
		"GET /admin/audit":                                          "A",
		"GET /admin/calendars":                                      "AMGTN",
		"GET /admin/calendars/new":                                  "A",
		"POST /admin/calendars/new":                                 "A",
		"GET /admin/calendars/{id}":                                 "AMGTN",
		"GET /admin/calendars/{id}/edit":                            "A",
		"POST /admin/calendars/{id}/edit":                           "A",
		"POST /admin/teams/{id}/calendar":                           "A",
		"GET /admin/webhooks":                                       "A",
		"POST /admin/webhooks":                                      "A",
		"GET /admin/webhooks/{id}":                                  "A",
		"POST /admin/webhooks/{id}":                                 "A",
		"POST /admin/webhooks/{id}/delete":                          "A",
		"POST /admin/webhooks/{id}/deliveries/{delivery}/redeliver": "A",
		"GET /admin/rules":                                          "A",
		"POST /admin/rules":                                         "A",
		"GET /admin/rules/{id}":                                     "A",
		"POST /admin/rules/{id}":                                    "A",
		"POST /admin/rules/{id}/delete":                             "A",
		"GET /admin/staff":                                          "AMGTN",
		"POST /admin/staff/{id}/skills":                             "A",
		"GET /admin/staff/new":                                      "A",
		"POST /admin/staff/new":                                     "A",
		"GET /admin/staff/{id}/edit":                                "A",
		"POST /admin/staff/{id}/edit":                               "A",
		"POST /admin/teams":                                         "AM",
		"GET /admin/catalog":                                        "AMGTN",
		"GET /admin/customers/export":                               "AMGN",
		"POST /admin/products":                                      "AM",
		"POST /admin/categories":                                    "AM",
		"GET /admin/products/{id}/edit":                             "AM",
		"POST /admin/products/{id}":                                 "AM",
		"POST /admin/products/{id}/delete":                          "AM",
		"GET /admin/categories/{id}/edit":                           "AM",
		"POST /admin/categories/{id}":                               "AM",
		"POST /admin/categories/{id}/delete":                        "AM",
		"GET /admin/sla":                                            "AMGTN",
		"POST /admin/sla/policies":                                  "A",
		"POST /admin/sla/policies/{id}":                             "A",
		"POST /admin/sla/policies/{id}/delete":                      "A",
		"POST /admin/sla/tiers":                                     "A",
		"POST /admin/sla/tiers/{key}/delete":                        "A",
		"GET /sla/report":                                           "AMGTN",
		"GET /admin/mail":                                           "A",
		"GET /admin/mail/{id}":                                      "A",
		"GET /admin/mail/{id}/raw":                                  "A",
		"POST /admin/mail/{id}/retry":                               "A",
		"GET /admin/outbound":                                       "A",
		"GET /admin/outbound/{id}":                                  "A",
		"POST /admin/outbound/{id}/resend":                          "A",
		"GET /admin/mail-templates":                                 "A",
		"GET /admin/mail-templates/{kind}/{locale}":                 "A",
		"POST /admin/mail-templates/{kind}/{locale}":                "A",
		"POST /admin/mail-templates/{kind}/{locale}/reset":          "A",
		"GET /settings/notifications":                               "AMGTN",
		"POST /settings/notifications":                              "AMGTN",
		"GET /attachments/{id}":                                     "AMGTNC",

		"GET /centres":                        "AMGTN",
		"GET /centres/new":                    "AM",
		"POST /centres/new":                   "AM",
		"GET /centres/{code}/edit":            "AMN",
		"POST /centres/{code}/edit":           "AMN",
		"GET /centres/{code}/stock":           "AMGTN",
		"POST /centres/{code}/stock":          "AMN",
		"POST /centres/{code}/stock/transfer": "AMN",
		"POST /centres/{code}/stock/reorder":  "AMN",
		"GET /centres/{code}/stock/{part_no}": "AMGTN",
		"GET /stock/alerts":                   "AMGTN",
		"GET /parts":                          "AMGTN",
		"POST /parts":                         "AM",
		"GET /appointments":                   "AMGTN",
		"GET /appointments/new":               "AMGTN",
		"POST /appointments/new":              "AMGTN",
		"POST /appointments/{id}/cancel":      "AMGTN",
		"GET /plans":                          "AMGTN",
		"POST /plans":                         "AM",
		"GET /units/{serial}":                 "AMGTN",
		"POST /units/{serial}/plans":          "AMG",

		"GET /portal":                           "C",
		"GET /portal/requests/new":              "C",
		"POST /portal/requests/new":             "C",
		"GET /portal/requests/{number}":         "C",
		"POST /portal/requests/{number}/reply":  "C",
		"POST /portal/requests/{number}/status": "C",

		// Feedback. The public survey's link is its credential: anyone
		// may open one (an unknown link is 404 for everyone).
		"GET /s/done": all, "GET /s/{token}": all, "POST /s/{token}": all,
		"GET /feedback":                                  "AM",
		"GET /feedback/export":                           "AM",
		"GET /analytics":                                 "AM",
		"GET /analytics/export":                          "AM",
		"POST /analytics/expert-weights":                 "A",
		"POST /analytics/expert-weights/clear":           "A",
		"GET /followups":                                 "AMG",
		"GET /followups/{id}":                            "AMG",
		"POST /followups/{id}/calls":                     "AMG",
		"GET /admin/survey":                              "A",
		"POST /admin/survey":                             "A",
		"POST /requests/{number}/complaint":              "AMG",
		"POST /requests/{number}/compensations":          "AMG",
		"POST /compensations/{id}/decision":              "AM",
		"GET /repairs":                                   "AMGTN",
		"GET /repairs/{id}":                              "AMGTN",
		"POST /repairs/{id}/stage":                       "AMGTN",
		"POST /repairs/{id}/quote":                       "AMTN",
		"POST /repairs/{id}/approval":                    "AMGTN",
		"POST /repairs/{id}/parts":                       "AMTN",
		"POST /requests/{number}/repair":                 "AMGTN",
		"GET /reports/revenue":                           "AM",
		"POST /portal/requests/{number}/repair/approval": "C",
		"GET /portal/repairs/new":                        "C",
		"POST /portal/repairs/new":                       "C",
		"GET /portal/returns/new":                        "C",
		"GET /portal/products":                           "C",
		"GET /portal/products/register":                  "C",
		"POST /portal/products/register":                 "C",
		"POST /portal/returns/new":                       "C",
		"GET /admin/prices":                              "AMGTN",
		"POST /admin/prices/fault-codes":                 "AM",
		"POST /admin/prices/labour":                      "AM",
		"POST /admin/prices/return-policies":             "AM",
		"GET /returns":                                   "AMGN",
		"GET /returns/{id}":                              "AMGN",
		"POST /returns/{id}/decision":                    "AMGN",
		"POST /returns/{id}/step":                        "AMGN",

		// The help centre and its assistant are public; the hand-off and
		// the new-request form's suggestions are the customers'.
		"GET /help": all, "GET /help/{id}": all, "POST /help/ask": all, "POST /help/clear": all,
		"GET /portal/requests/new/suggest":  "C",
		"POST /portal/assistant/handoff":    "C",
		"GET /kb":                           "AMGTN",
		"GET /kb/new":                       "AM",
		"POST /kb/new":                      "AM",
		"GET /kb/report":                    "AM",
		"GET /kb/{id}":                      "AMGTN",
		"GET /kb/{id}/edit":                 "AM",
		"POST /kb/{id}/edit":                "AM",
		"GET /kb/{id}/suggest":              "AMG",
		"POST /kb/{id}/suggest":             "AMG",
		"POST /kb/suggestions/{id}/apply":   "AM",
		"POST /kb/suggestions/{id}/dismiss": "AM",
	}
}

// TestEveryWebRouteEveryRole visits every route of web.Routes as every
// role. Allowed: the handler runs (not the 403 page, not the 404 a
// customer gets for staff pages, not a redirect to a login). Denied:
// staff without the permission get 403, customers on staff pages and
// staff on portal pages 404, visitors a redirect to the right login.
func TestEveryWebRouteEveryRole(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword(password)
	clients := map[byte]*client{}
	userIDs := map[byte]int64{'G': f.agent.ID, 'C': f.agent.ID, 'V': f.agent.ID}
	// ownMacro stores a macro of the user of code: macros are changed by
	// their owner, so each role checks the macro routes on its own.
	ownMacro := func(code byte) string {
		m := &model.Macro{OwnerID: userIDs[code], Name: "Role check", BodyEN: "role check"}
		if err := f.m.Store.CreateMacro(ctx, m); err != nil {
			t.Fatal(err)
		}
		return itoa(m.ID)
	}
	// ownView saves a view of the user of code: views are changed by their
	// owner (or an admin), so each role checks the view routes on its own.
	views := 0
	ownView := func(code byte) string {
		views++
		v := &model.SavedView{OwnerID: userIDs[code], Name: "Role check " + itoa(int64(views))}
		if err := f.m.Store.CreateView(ctx, v); err != nil {
			t.Fatal(err)
		}
		return itoa(v.ID)
	}
	// ownNotice stores a notification of the user of code: a person
	// opens only their own, so each role checks it on its own.
	ownNotice := func(code byte) string {
		n := &model.Notice{UserID: userIDs[code], Kind: model.NoticeMentioned, RequestID: f.aliceReq.ID, ActorName: "x"}
		if err := f.m.Store.Tx(ctx, func(q store.Querier) error { return f.m.Store.AddNoticeIn(ctx, q, n) }); err != nil {
			t.Fatal(err)
		}
		return itoa(n.ID)
	}
	// The technician and the centre manager work at centre RC, which the
	// network routes name.
	net := newNetwork(t, f)
	for code, role := range map[byte]model.Role{'A': model.RoleAdmin, 'M': model.RoleManager, 'T': model.RoleTechnician, 'N': model.RoleCentreManager} {
		email := string(role) + "@example.com"
		u := &model.User{Email: email, Name: string(role), Role: role, PasswordHash: hash, Active: true}
		if role.AtCentre() {
			u.CentreID = &net.centre.ID
		}
		if err := f.m.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		userIDs[code] = u.ID
		c := newClient(t, f.m, "en")
		if res := c.post("/login", url.Values{"login": {email}, "password": {password}}); res.status != http.StatusSeeOther {
			t.Fatalf("login %s: %d", role, res.status)
		}
		clients[code] = c
	}
	clients['G'] = newClient(t, f.m, "en")
	clients['G'].loginStaff()
	clients['C'] = newClient(t, f.m, "en")
	clients['C'].loginCustomer("alice@example.com")
	clients['V'] = newClient(t, f.m, "en")

	num := f.aliceReq.Number
	res := clients['C'].multipart("/portal/requests/"+num+"/reply", map[string]string{"body": "photo"}, "p.png", []byte("\x89PNG\r\n\x1a\n0000"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("customer reply with a file: %d", res.status)
	}
	var attID int64
	if err := f.m.Store.Read().QueryRow(ctx, "SELECT id FROM attachments").Scan(&attID); err != nil {
		t.Fatal(err)
	}
	cal := &model.Calendar{Name: "Office", TimeZone: "Asia/Shanghai"}
	cal.Hours[1] = []model.WorkInterval{{Start: 540, End: 1080}}
	if err := f.m.Store.CreateCalendar(ctx, cal); err != nil {
		t.Fatal(err)
	}
	team := &model.Team{Name: "Xuhui"}
	if err := f.m.Store.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	hook, doomed, delivery := roleCheckWebhooks(t, f)
	hooks := strings.NewReplacer("{id}", itoa(hook), "{delivery}", itoa(delivery))
	mailID, _, err := f.m.Inbound.Receive(ctx, email.Source{Kind: model.MailSourceSMTP, EnvelopeFrom: "x@example.com"},
		[]byte("From: x@example.com\r\nSubject: role check\r\n\r\nhello\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	// A resolved complaint: its follow-up call, and compensation above
	// the approval threshold that waits for a manager.
	complaint, err := f.m.Requests.Create(ctx, f.agent, request.CreateInput{Type: model.TypeComplaint, Subject: "late",
		CustomerID: f.bob.ID, Channel: model.ChannelPhone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Requests.ChangeStatus(ctx, f.agent, complaint.Number, model.StatusResolved, model.ChannelWeb); err != nil {
		t.Fatal(err)
	}
	fb, err := f.m.Feedback.RequestFeedback(ctx, f.agent, complaint.Number)
	if err != nil || fb.Followup == nil {
		t.Fatalf("complaint follow-up: %v", err)
	}
	comp, err := f.m.Feedback.AddCompensation(ctx, f.agent, complaint.Number, survey.CompensationInput{Kind: model.CompVoucher, Amount: 99999999})
	if err != nil || comp.Status != model.CompPending {
		t.Fatalf("pending compensation: %+v %v", comp, err)
	}
	out := &model.OutboundMail{Kind: model.MailReply, To: "x@example.com", Locale: "en", Subject: "s", Body: "b",
		MessageID: "role-check@example.com", Status: model.OutSent}
	if err := f.m.Store.Tx(ctx, func(q store.Querier) error { return f.m.Store.QueueOutbound(ctx, q, out) }); err != nil {
		t.Fatal(err)
	}
	rep, err := f.m.Repairs.Open(ctx, f.agent, f.aliceReq.Number, repair.OpenInput{Mode: model.ModeInStore, Centre: net.centre.Code})
	if err != nil {
		t.Fatalf("repair: %v", err)
	}
	repID := itoa(rep.ID)
	retReq, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeReturn, Subject: "return", Serial: net.serial})
	if err != nil {
		t.Fatal(err)
	}
	ret, err := f.m.Repairs.AskReturn(ctx, f.alice, retReq.Number, repair.ReturnInput{Kind: model.ReturnRefund})
	if err != nil {
		t.Fatalf("return: %v", err)
	}
	retID := itoa(ret.ID)
	// SLA: a policy to change, one to delete, a tier to delete.
	var policies [2]int64
	for i := range policies {
		pol, err := f.m.SLA.CreatePolicy(ctx, model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin},
			sla.PolicyInput{Name: "Role check " + itoa(int64(i)), Position: 50, CalendarID: cal.ID, FirstResponseMinutes: 60,
				ResolutionMinutes: 600, Conditions: model.SLAConditions{Type: model.TypeRefund}})
		if err != nil {
			t.Fatal(err)
		}
		policies[i] = pol.ID
	}
	if _, err := f.m.SLA.SaveTier(ctx, model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin},
		model.Tier{Key: "doomed", Name: "Doomed"}); err != nil {
		t.Fatal(err)
	}
	// Rules: one to change, one to delete.
	var ruleIDs [2]int64
	for i := range ruleIDs {
		x, err := f.m.Rules.Create(ctx, model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin},
			rules.Input{Name: "Role check " + itoa(int64(i)), Trigger: model.TriggerRequestCreated,
				Actions: []model.RuleAction{{Type: model.ActAssignTeam, TeamID: team.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		ruleIDs[i] = x.ID
	}
	art := &model.Article{Locale: "en", Title: "Role check", Body: "Checking roles.", Visibility: model.VisibilityPublic,
		Status: model.ArticlePublished}
	if err := f.m.Store.CreateArticle(ctx, art, ""); err != nil {
		t.Fatal(err)
	}
	sugg := &model.ArticleSuggestion{ArticleID: art.ID, BaseVersion: 1, Title: "Role check", Body: "Checking roles better."}
	if err := f.m.Store.CreateSuggestion(ctx, sugg, nil); err != nil {
		t.Fatal(err)
	}
	// A follow-up task on the request, as a rule's create_task leaves it.
	task := &model.RequestTask{RequestID: f.aliceReq.ID, Title: "Role check", CreatedBy: "rule"}
	if err := f.m.Store.Tx(ctx, func(q store.Querier) error { return f.m.Store.CreateTaskIn(ctx, q, task) }); err != nil {
		t.Fatal(err)
	}
	// A proof of purchase Alice gave with a product she registered.
	if _, err := f.m.Store.AddSerials(ctx, "CAM-1", []string{"ROLE-PROOF-1"}); err != nil {
		t.Fatal(err)
	}
	if err := f.m.Files.Put(ctx, "units/role-proof.png", strings.NewReader("\x89PNG\r\n\x1a\n0000")); err != nil {
		t.Fatal(err)
	}
	proof := &model.UnitProof{Filename: "receipt.png", ContentType: "image/png", Size: 12, Path: "units/role-proof.png"}
	if err := f.m.Store.RegisterUnit(ctx, &model.Unit{Serial: "ROLE-PROOF-1", CustomerID: f.alice.ID,
		PurchasedAt: time.Now().AddDate(0, -1, 0)}, proof); err != nil {
		t.Fatal(err)
	}
	idFor := map[string]string{"/admin/proofs/{id}": itoa(proof.ID), "/help/{id}": itoa(art.ID), "/kb/{id}": itoa(art.ID), "/kb/{id}/edit": itoa(art.ID),
		"/kb/{id}/suggest": itoa(art.ID), "/kb/suggestions/{id}/apply": itoa(sugg.ID), "/kb/suggestions/{id}/dismiss": itoa(sugg.ID),
		"/followups/{id}": itoa(fb.Followup.ID), "/followups/{id}/calls": itoa(fb.Followup.ID),
		"/compensations/{id}/decision": itoa(comp.ID), "/returns/{id}": retID, "/returns/{id}/decision": retID,
		"/returns/{id}/step": retID, "/repairs/{id}": repID, "/repairs/{id}/stage": repID,
		"/repairs/{id}/quote": repID, "/repairs/{id}/approval": repID, "/repairs/{id}/parts": repID,
		"/admin/sla/policies/{id}": itoa(policies[0]), "/admin/sla/policies/{id}/delete": itoa(policies[1]),
		"/admin/outbound/{id}": itoa(out.ID), "/admin/outbound/{id}/resend": itoa(out.ID),
		"/admin/rules/{id}": itoa(ruleIDs[0]), "/admin/rules/{id}/delete": itoa(ruleIDs[1]),
		"/admin/staff/{id}/skills": itoa(f.agent.ID), "/admin/customers/{id}": itoa(f.bob.ID),
		"/admin/staff/{id}/edit":     itoa(f.agent.ID),
		"/admin/customers/{id}/edit": itoa(f.bob.ID), "/admin/customers/{id}/units": itoa(f.bob.ID)}
	// A product model with a unit and a category with a subcategory: both
	// refuse removal (409, past the role check) for every role that may.
	camera, err := f.m.Store.ProductBySKU(ctx, "CAM-1")
	if err != nil {
		t.Fatal(err)
	}
	parentCat := &model.Category{NameZh: "角色", NameEn: "Roles"}
	if err := f.m.Store.CreateCategory(ctx, parentCat); err != nil {
		t.Fatal(err)
	}
	if err := f.m.Store.CreateCategory(ctx, &model.Category{ParentID: &parentCat.ID, NameZh: "子类", NameEn: "Child"}); err != nil {
		t.Fatal(err)
	}
	idFor["/admin/products/{id}/edit"], idFor["/admin/products/{id}"], idFor["/admin/products/{id}/delete"] = itoa(camera.ID), itoa(camera.ID), itoa(camera.ID)
	idFor["/admin/categories/{id}/edit"], idFor["/admin/categories/{id}"], idFor["/admin/categories/{id}/delete"] = itoa(parentCat.ID), itoa(parentCat.ID), itoa(parentCat.ID)
	concrete := strings.NewReplacer("{number}", num, "{id}", itoa(attID), "{secret}", "no-such-link", "{token}", "sv_nosuchlink", "{$}", "", "/static/", "/static/app.css",
		"/admin/calendars/{id}", "/admin/calendars/"+itoa(cal.ID), "/admin/teams/{id}", "/admin/teams/"+itoa(team.ID),
		"{code}", net.centre.Code, "{part_no}", "P-1", "{serial}", net.serial, "{key}", "doomed", "{kind}", "reply", "{locale}", "en", "{file}", "192.png")
	appt := net.appointment(t, num)
	day := appt.LocalDay.Format("2006-01-02")
	forms := map[string]url.Values{
		"POST /admin/products/{id}":          {"name": {"Camera"}, "warranty_months": {"12"}},
		"POST /admin/products/{id}/delete":   {"confirm": {"on"}},
		"POST /admin/categories/{id}":        {"name_zh": {"角色"}, "name_en": {"Roles"}},
		"POST /admin/categories/{id}/delete": {"confirm": {"on"}},
		"POST /requests/{number}/merge":      {"into": {"SR-1999-000001"}},
		"POST /macros":                       {"name": {"Role check"}, "body_en": {"role check"}}, "POST /macros/{id}": {"name": {"Role check"}, "body_en": {"role check"}, "version": {"1"}},

		"POST /requests/new":                             {"customer": {"alice@example.com"}, "type": {"inquiry"}, "channel": {"phone"}, "priority": {"normal"}, "subject": {"x"}},
		"POST /requests/{number}/reply":                  {"body": {"role check"}, "visibility": {"internal"}},
		"POST /requests/{number}/status":                 {"status": {"open"}},
		"POST /requests/{number}/update":                 {"assignee": {""}, "version": {"1"}},
		"POST /requests/{number}/tags":                   {"tags": {"role-check"}},
		"POST /requests/{number}/tasks/{id}/done":        {"done": {"1"}},
		"POST /requests/{number}/customer-tier":          {"tier": {""}},
		"POST /queue/views":                              {"name": {"Role check"}, "query": {"view=all"}},
		"POST /queue/views/{id}/rename":                  {"name": {"Role check renamed"}, "version": {"1"}, "query": {"view=all"}},
		"POST /queue/views/{id}/delete":                  {"confirm": {"yes"}, "version": {"1"}, "query": {"view=all"}},
		"POST /queue/bulk":                               {"n": {"SR-0000-000000"}, "status": {"open"}},
		"POST /portal/requests/new":                      {"type": {"inquiry"}, "subject": {"x"}},
		"POST /portal/requests/{number}/reply":           {"body": {"role check"}},
		"POST /portal/requests/{number}/status":          {"action": {"cancel"}},
		"POST /portal/products/register":                 {"serial": {"NO-SUCH-SERIAL"}, "purchased_at": {"2026-01-01"}},
		"POST /lang":                                     {"lang": {"en"}},
		"POST /admin/calendars/new":                      {"name": {"Role check"}, "timezone": {"UTC"}, "hours.mon": {"09:00-17:00"}},
		"POST /admin/calendars/{id}/edit":                {"name": {"Office"}, "timezone": {"UTC"}, "hours.tue": {"09:00-17:00"}, "version": {"1"}},
		"POST /admin/teams/{id}/calendar":                {"calendar_id": {itoa(cal.ID)}},
		"POST /admin/webhooks":                           {"url": {"http://127.0.0.1/x"}, "events": {"request.created"}, "secret": {"s"}},
		"POST /admin/webhooks/{id}":                      {"url": {"http://127.0.0.1/x"}, "events": {"request.created"}},
		"POST /centres/new":                              {"code": {"W1"}, "name": {"W"}, "lat": {"30"}, "lng": {"120"}, "daily_capacity": {"5"}},
		"POST /centres/{code}/edit":                      {"daily_capacity": {"40"}},
		"POST /centres/{code}/stock":                     {"part_no": {"P-1"}, "quantity": {"1"}, "kind": {"receive"}},
		"POST /centres/{code}/stock/transfer":            {"part_no": {"P-1"}, "quantity": {"1"}, "to": {"RC2"}},
		"POST /centres/{code}/stock/reorder":             {"part_no": {"P-1"}, "reorder_point": {"1"}},
		"POST /parts":                                    {"part_no": {"Q-1"}, "name": {"Q"}, "cost": {"1"}, "price": {"2"}},
		"POST /appointments/new":                         {"centre": {"RC"}, "request_number": {num}, "kind": {"in_store"}, "date": {day}, "start": {"15:00"}, "end": {"16:00"}},
		"POST /plans":                                    {"code": {"X"}, "name": {"X"}, "months": {"12"}, "price": {"1"}, "parts": {"1"}},
		"POST /units/{serial}/plans":                     {"plan_code": {"EXT"}},
		"POST /s/{token}":                                {"csat": {"5"}},
		"POST /followups/{id}/calls":                     {"reachability": {"no_answer"}},
		"POST /admin/survey":                             {"version": {"1"}},
		"POST /requests/{number}/complaint":              {"severity": {"1"}},
		"POST /requests/{number}/compensations":          {"comp_kind": {"gift"}, "comp_amount": {"1"}},
		"POST /compensations/{id}/decision":              {"decision": {"approve"}},
		"POST /help/ask":                                 {"question": {"washer"}},
		"POST /kb/new":                                   {"title": {"X"}, "body": {"x"}, "locale": {"en"}, "visibility": {"public"}, "status": {"published"}},
		"POST /kb/{id}/edit":                             {"title": {"Role check"}, "body": {"Checking."}, "locale": {"en"}, "visibility": {"public"}, "status": {"published"}, "version": {"1"}},
		"POST /kb/{id}/suggest":                          {"title": {"Role check"}, "body": {"Checking roles, suggested."}},
		"POST /repairs/{id}/stage":                       {"stage": {"received"}},
		"POST /repairs/{id}/quote":                       {"kind0": {"fee"}, "description0": {"x"}, "unit_price0": {"1"}},
		"POST /repairs/{id}/approval":                    {"action": {"approve"}},
		"POST /repairs/{id}/parts":                       {"part_no": {"P-1"}, "quantity": {"1"}},
		"POST /requests/{number}/repair":                 {"mode": {"in_store"}, "centre": {"RC"}},
		"POST /portal/requests/{number}/repair/approval": {"action": {"approve"}},
		"POST /admin/mail-templates/{kind}/{locale}":     {"subject": {"Re: {{.RequestSubject}}"}, "body": {"{{.Message}}"}},
		"POST /admin/sla/policies": {"name": {"Role check new"}, "position": {"60"}, "calendar_id": {itoa(cal.ID)},
			"first_response_minutes": {"60"}, "resolution_minutes": {"600"}, "conditions.type": {"refund"}},
		"POST /admin/sla/policies/{id}": {"name": {"Role check 0"}, "position": {"55"}, "calendar_id": {itoa(cal.ID)},
			"first_response_minutes": {"60"}, "resolution_minutes": {"600"}, "conditions.type": {"refund"}},
		"POST /admin/sla/tiers": {"key": {"basic"}, "name": {"Basic"}},
		"POST /admin/rules": {"name": {"Role check new"}, "position": {"5"}, "trigger": {"request.created"},
			"actions": {`[{"type": "assign_team", "team_id": ` + itoa(team.ID) + `}]`}},
		"POST /admin/rules/{id}": {"name": {"Role check 0"}, "position": {"6"}, "trigger": {"request.created"},
			"actions": {`[{"type": "assign_team", "team_id": ` + itoa(team.ID) + `}]`}},
		"POST /admin/staff/{id}/skills":    {"skills": {"washer:3"}},
		"POST /admin/staff/new":            {"name": {"Role check"}, "email": {"role-check-new@example.com"}, "role": {"agent"}, "password": {"a long password"}},
		"POST /admin/staff/{id}/edit":      {"name": {"Wang Fang"}, "role": {"agent"}, "active": {"on"}},
		"POST /admin/teams":                {"name": {"Role check team"}},
		"POST /admin/products":             {"sku": {"ROLE-CHECK"}, "name": {"Role check"}, "warranty_months": {"12"}},
		"POST /admin/categories":           {"name_zh": {"角色检查"}, "name_en": {"Role check"}},
		"POST /admin/customers/new":        {"name": {"Role check"}},
		"POST /admin/customers/{id}/edit":  {"name": {"Bob Li"}, "email": {"bob@example.com"}, "phone": {"13800000002"}, "locale": {"en"}},
		"POST /admin/customers/{id}/units": {"serial": {""}},
	}
	want := webAccess()
	seen := map[string]bool{}
	for _, rt := range web.Routes() {
		seen[rt.Pattern] = true
		allowed, ok := want[rt.Pattern]
		if !ok {
			t.Errorf("%s has no entry in webAccess: say who may use it", rt.Pattern)
			continue
		}
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		path := concrete.Replace(pattern)
		switch {
		case pattern == "/admin/webhooks/{id}/delete":
			path = "/admin/webhooks/" + itoa(doomed) + "/delete" // the others still need theirs
		case strings.HasPrefix(pattern, "/admin/webhooks/"):
			path = hooks.Replace(pattern)
		case strings.HasPrefix(pattern, "/appointments/{id}"):
			path = strings.Replace(pattern, "{id}", itoa(appt.ID), 1)
		case strings.HasPrefix(pattern, "/admin/mail/{id}"):
			path = strings.Replace(pattern, "{id}", itoa(mailID), 1)
		case pattern == "/requests/{number}/tasks/{id}/done":
			path = "/requests/" + num + "/tasks/" + itoa(task.ID) + "/done"
		case idFor[pattern] != "":
			path = strings.Replace(pattern, "{id}", idFor[pattern], 1)
		}
		if pattern == "/queue/export" || pattern == "/admin/audit" || pattern == "/admin/mail" || pattern == "/admin/customers/export" ||
			pattern == "/feedback/export" {
			path += "?format=csv"
		}
		if pattern == "/analytics/export" {
			path += "?format=csv&table=satisfaction"
		}
		if strings.HasSuffix(pattern, "/logout") {
			continue // open to all (it only ends one's own session); running it would log the roles out
		}
		for _, code := range []byte("AMGTNCV") {
			c := clients[code]
			var res response
			if strings.HasPrefix(pattern, "/macros/{id}") {
				path = strings.Replace(pattern, "{id}", ownMacro(code), 1)
			}
			if strings.HasPrefix(pattern, "/queue/views/{id}") {
				path = strings.Replace(pattern, "{id}", ownView(code), 1)
			}
			if pattern == "/notifications/{id}" {
				path = strings.Replace(pattern, "{id}", ownNotice(code), 1)
			}
			if pattern == "/api/v1/events/stream" {
				res = c.statusOfStream(path) // it stays open: the status only
			} else if method == http.MethodGet {
				res = c.get(path)
			} else {
				res = c.post(path, forms[rt.Pattern])
			}
			// The home page sends visitors to the login: that is its job.
			toLogin := pattern != "/{$}" && res.status == http.StatusSeeOther &&
				(strings.HasPrefix(res.location, "/login") || strings.HasPrefix(res.location, "/portal/login"))
			// Links (portal invites, surveys) that do not exist are 404 for
			// everyone: that is the page, not a refusal.
			link := strings.Contains(pattern, "{secret}") || strings.Contains(pattern, "{token}")
			denied := res.status == http.StatusForbidden || (res.status == http.StatusNotFound && !link) || toLogin
			// A server error is never an answer, whoever asks: it is not
			// "allowed" (the page broke) and not a refusal either.
			if res.status >= http.StatusInternalServerError {
				t.Errorf("%s as %c: got %d, a server error", rt.Pattern, code, res.status)
				continue
			}
			if strings.IndexByte(allowed, code) >= 0 {
				if denied {
					t.Errorf("%s as %c: got %d → %q, want the page", rt.Pattern, code, res.status, res.location)
				}
				continue
			}
			var wantStatus int
			switch {
			case code == 'V':
				if !toLogin {
					t.Errorf("%s as a visitor: got %d → %q, want a redirect to a login", rt.Pattern, res.status, res.location)
				}
				continue
			case code == 'C' || rt.Who == "customers":
				wantStatus = http.StatusNotFound
			default:
				wantStatus = http.StatusForbidden
			}
			if res.status != wantStatus {
				t.Errorf("%s as %c: got %d, want %d", rt.Pattern, code, res.status, wantStatus)
			}
		}
	}
	for p := range want {
		if !seen[p] {
			t.Errorf("webAccess lists %s, which the web UI does not serve", p)
		}
	}
}

// roleCheckWebhooks stores two webhooks, straight in the store (their
// 127.0.0.1 URL is refused when connecting: nothing leaves the machine),
// and a delivery of the first; it returns the first, the one the role
// check deletes, and the delivery.
func roleCheckWebhooks(t *testing.T, f *fixture) (hook, doomed, delivery int64) {
	t.Helper()
	ctx := context.Background()
	for _, id := range []*int64{&hook, &doomed} {
		w := &model.Webhook{URL: "http://127.0.0.1:9/hook", Events: []model.EventType{model.EventRequestCreated}, Secret: "s", Active: true}
		if err := f.m.Store.CreateWebhook(ctx, w); err != nil {
			t.Fatal(err)
		}
		*id = w.ID
	}
	if _, err := f.m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeInquiry, Subject: "publishes a delivery"}); err != nil {
		t.Fatal(err)
	}
	if err := f.m.Store.Read().QueryRow(ctx, "SELECT id FROM webhook_deliveries WHERE webhook_id = $1", hook).Scan(&delivery); err != nil {
		t.Fatal(err)
	}
	return hook, doomed, delivery
}
