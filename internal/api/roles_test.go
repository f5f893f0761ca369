package api_test

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/channel/email"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// apiAccess is who may call each operation of the API, written out here
// independently of the code's role matrix (model.Grants) so that a change
// to either shows up: A admin, M manager, G agent, T technician, N centre
// manager (of the centre the calls name), C customer (its own things). Everyone else gets 403, and no token 401.
// An operation missing from this table fails the test: a new route must
// say who may call it.
func apiAccess() map[string]string {
	return map[string]string{
		"POST /api/v1/customers":                     "AMG",
		"GET /api/v1/customers/{id}":                 "AMGTNC",
		"POST /api/v1/customers/{id}/invite":         "AMG",
		"POST /api/v1/products":                      "AM",
		"GET /api/v1/products":                       "AMGTN",
		"POST /api/v1/units":                         "AMG",
		"GET /api/v1/units/{serial}/entitlement":     "AMGTNC",
		"POST /api/v1/units/{serial}/plans":          "AMG",
		"POST /api/v1/units/register":                "C",
		"POST /api/v1/products/{sku}/serials":        "AM",
		"POST /api/v1/requests":                      "AMGTNC",
		"GET /api/v1/requests":                       "AMGTNC",
		"GET /api/v1/requests/{number}":              "AMGTNC",
		"PATCH /api/v1/requests/{number}":            "AMGTN",
		"POST /api/v1/requests/{number}/tags":        "AMGN",
		"GET /api/v1/requests/{number}/tasks":        "AMGTN",
		"PATCH /api/v1/requests/{number}/tasks/{id}": "AMGTN",
		"GET /api/v1/tags":                           "AMGTN",
		"GET /api/v1/views":                          "AMGTN",
		"POST /api/v1/requests/bulk":                 "AMGTN",
		"POST /api/v1/views":                         "AMGTN",
		"PATCH /api/v1/views/{id}":                   "AMGTN",
		"DELETE /api/v1/views/{id}":                  "AMGTN",
		"GET /api/v1/notifications":                  "AMGTN",
		"POST /api/v1/notifications/read":            "AMGTN",
		"GET /api/v1/macros":                         "AMGTN",
		"POST /api/v1/macros":                        "AMGTN",
		"PATCH /api/v1/macros/{id}":                  "AMGTN",
		"DELETE /api/v1/macros/{id}":                 "AMGTN",
		"POST /api/v1/requests/{number}/merge":       "AMGTN",
		"POST /api/v1/requests/{number}/typing":      "AMGTN",
		"GET /api/v1/events/stream":                  "AMGTNC",
		"GET /api/v1/macros/{id}/render":             "AMGTN",
		"POST /api/v1/requests/{number}/status":      "AMGNC", // the body cancels: technicians may not (request.MayMove)
		"POST /api/v1/requests/{number}/messages":    "AMGTNC",
		"POST /api/v1/requests/{number}/attachments": "AMGTNC",
		"GET /api/v1/attachments/{id}":               "AMGTNC",
		"GET /api/v1/categories":                     "AMGTNC",
		"PATCH /api/v1/categories/{id}":              "AM",
		"DELETE /api/v1/categories/{id}":             "AM",
		"PATCH /api/v1/products/{id}":                "AM",
		"DELETE /api/v1/products/{id}":               "AM",
		"POST /api/v1/categories":                    "AM",
		"GET /api/v1/teams":                          "AMGTN",
		"POST /api/v1/teams":                         "AM",
		"GET /api/v1/users":                          "AMGTN",
		"POST /api/v1/users":                         "A",
		"PATCH /api/v1/users/{id}":                   "A",
		"GET /api/v1/me":                             "AMGTNC",
		"GET /api/v1/audit":                          "A",
		"POST /api/v1/calendars":                     "A",
		"GET /api/v1/calendars":                      "AMGTN",
		"GET /api/v1/calendars/{id}":                 "AMGTN",
		"PATCH /api/v1/calendars/{id}":               "A",
		"PUT /api/v1/teams/{id}/calendar":            "A",
		"POST /api/v1/sla/preview":                   "AMGTN",
		"POST /api/v1/sla/duration":                  "AMGTN",
		"POST /api/v1/sla-policies":                  "A",
		"GET /api/v1/sla-policies":                   "AMGTN",
		"GET /api/v1/sla-policies/{id}":              "AMGTN",
		"PATCH /api/v1/sla-policies/{id}":            "A",
		"POST /api/v1/rules":                         "A",
		"GET /api/v1/rules":                          "A",
		"GET /api/v1/rules/{id}":                     "A",
		"PATCH /api/v1/rules/{id}":                   "A",
		"DELETE /api/v1/rules/{id}":                  "A",
		"POST /api/v1/devices/events":                "", // device tokens only (TestDeviceTokenOnlyPostsEvents)
		"DELETE /api/v1/sla-policies/{id}":           "A",
		"GET /api/v1/tiers":                          "AMGTNC",
		"PUT /api/v1/tiers/{key}":                    "A",
		"DELETE /api/v1/tiers/{key}":                 "A",
		"PATCH /api/v1/customers/{id}":               "AM",
		"GET /api/v1/sla/breaching":                  "AMGTN",

		"POST /api/v1/webhooks":                                         "A",
		"GET /api/v1/webhooks":                                          "A",
		"GET /api/v1/webhooks/{id}":                                     "A",
		"PATCH /api/v1/webhooks/{id}":                                   "A",
		"DELETE /api/v1/webhooks/{id}":                                  "A",
		"GET /api/v1/webhooks/{id}/deliveries":                          "A",
		"POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver": "A",
		"GET /api/v1/mail/inbound":                                      "A",
		"GET /api/v1/mail/inbound/{id}/raw":                             "A",
		"POST /api/v1/mail/inbound/{id}/retry":                          "A",
		"GET /api/v1/mail/outbound":                                     "A",
		"GET /api/v1/mail/outbound/{id}":                                "A",
		"POST /api/v1/mail/outbound/{id}/resend":                        "A",
		"GET /api/v1/mail/templates":                                    "A",
		"GET /api/v1/mail/templates/{kind}/{locale}":                    "A",
		"PUT /api/v1/mail/templates/{kind}/{locale}":                    "A",
		"DELETE /api/v1/mail/templates/{kind}/{locale}":                 "A",
		"GET /api/v1/me/notifications":                                  "AMGTN",
		"PATCH /api/v1/me/notifications":                                "AMGTN",

		"POST /api/v1/centres":                                     "AM",
		"GET /api/v1/centres":                                      "AMGTNC",
		"GET /api/v1/centres/{code}":                               "AMGTNC",
		"PATCH /api/v1/centres/{code}":                             "AMN",
		"POST /api/v1/centres/{code}/stock":                        "AMN",
		"GET /api/v1/centres/{code}/stock":                         "AMGTN",
		"GET /api/v1/centres/{code}/stock/{part_no}":               "AMGTN",
		"POST /api/v1/centres/{code}/stock/transfers":              "AMN",
		"PUT /api/v1/centres/{code}/stock/{part_no}/reorder-point": "AMN",
		"GET /api/v1/stock/alerts":                                 "AMGTN",
		"POST /api/v1/parts":                                       "AM",
		"GET /api/v1/parts":                                        "AMGTN",
		"GET /api/v1/parts/{part_no}":                              "AMGTN",
		"PATCH /api/v1/parts/{part_no}":                            "AM",
		"POST /api/v1/appointments":                                "AMGTNC",
		"GET /api/v1/appointments":                                 "AMGTNC",
		"GET /api/v1/appointments/{id}":                            "AMGTNC",
		"POST /api/v1/appointments/{id}/cancel":                    "AMGTNC",
		"POST /api/v1/warranty-plans":                              "AM",
		"GET /api/v1/warranty-plans":                               "AMGTN",
		"POST /api/v1/requests/{number}/repair":                    "AMGTNC",
		"GET /api/v1/repairs":                                      "AMGTN",
		"GET /api/v1/repairs/{id}":                                 "AMGTNC",
		"POST /api/v1/repairs/{id}/stage":                          "AMGTN",
		"POST /api/v1/repairs/{id}/quote":                          "AMTN",
		"POST /api/v1/repairs/{id}/approval":                       "AMGTNC",
		"POST /api/v1/repairs/{id}/parts":                          "AMTN",
		"GET /api/v1/fault-codes":                                  "AMGTN",
		"PUT /api/v1/fault-codes/{category}/{code}":                "AM",
		"GET /api/v1/labour-prices":                                "AMGTN",
		"PUT /api/v1/labour-prices/{code}":                         "AM",
		"PUT /api/v1/return-policies/{category}":                   "AM",
		"GET /api/v1/return-policies":                              "AMGN",
		"POST /api/v1/requests/{number}/return":                    "AMGC",
		"GET /api/v1/returns":                                      "AMGN",
		"GET /api/v1/returns/{id}":                                 "AMGNC",
		"POST /api/v1/returns/{id}/decision":                       "AMGN",
		"POST /api/v1/returns/{id}/status":                         "AMGN",
		"GET /api/v1/reports/revenue":                              "AM",

		"GET /api/v1/requests/{number}/survey":         "AMGTN",
		"GET /api/v1/survey-template":                  "AMGTN",
		"PUT /api/v1/survey-template":                  "A",
		"GET /api/v1/survey-responses":                 "AM",
		"GET /api/v1/survey-responses/export":          "AM",
		"GET /api/v1/survey-stats":                     "AM",
		"GET /api/v1/analytics/satisfaction":           "AM",
		"GET /api/v1/analytics/drivers":                "AM",
		"GET /api/v1/analytics/index":                  "AM",
		"GET /api/v1/analytics/trend":                  "AM",
		"GET /api/v1/analytics/comments":               "AM",
		"GET /api/v1/analytics/indicators":             "AM",
		"GET /api/v1/analytics/fault-codes":            "AM",
		"GET /api/v1/analytics/expert-weights":         "AM",
		"PUT /api/v1/analytics/expert-weights":         "A",
		"DELETE /api/v1/analytics/expert-weights":      "A",
		"GET /api/v1/complaint-rates":                  "AM",
		"GET /api/v1/followups":                        "AMG",
		"GET /api/v1/followups/{id}":                   "AMG",
		"POST /api/v1/followups/{id}/calls":            "AMG",
		"GET /api/v1/requests/{number}/complaint":      "AMGTN",
		"PUT /api/v1/requests/{number}/complaint":      "AMG",
		"POST /api/v1/requests/{number}/compensations": "AMG",
		"GET /api/v1/compensations":                    "AM",
		"POST /api/v1/compensations/{id}/decision":     "AM",
		// The public survey: no token needed (the link's token is the
		// credential), the same answer for everyone — 404 for a link
		// that does not exist.
		"GET /api/v1/surveys/{token}":           public,
		"POST /api/v1/surveys/{token}/response": public,
		// Self-registration (issue 11): anyone, before having an account.
		"POST /api/v1/portal/register":        open,
		"POST /api/v1/portal/register/verify": open,

		// Knowledge base and assistant: reading and asking are open to
		// everyone, visitors without a token included (the domain keeps
		// customers and visitors to public articles).
		"POST /api/v1/kb/articles":                  "AM",
		"PATCH /api/v1/kb/articles/{id}":            "AM",
		"GET /api/v1/kb/articles":                   open,
		"GET /api/v1/kb/articles/{id}":              open,
		"GET /api/v1/kb/articles/{id}/versions":     "AMGTN",
		"POST /api/v1/kb/articles/{id}/suggestions": "AMG",
		"GET /api/v1/kb/suggestions":                "AMG",
		"POST /api/v1/kb/suggestions/{id}/apply":    "AM",
		"POST /api/v1/kb/suggestions/{id}/dismiss":  "AM",
		"GET /api/v1/kb/report":                     "AM",
		"GET /api/v1/kb/search":                     open,
		"POST /api/v1/assistant/ask":                open,
		"POST /api/v1/assistant/handoff":            "C",
	}
}

// open marks an operation of apiAccess that everyone may call, with a
// token or without.
const open = "open"

// public marks an operation of apiAccess that needs no token.
const public = "public"

// TestEveryRouteEveryRole calls every operation of the OpenAPI document
// as every role and checks the answer against apiAccess: allowed roles
// get past the role check (no 401/403; the customer works on its own
// things, so no 404 either), the others get 403, and a caller without a
// token gets 401 — except on the public survey, where everyone, with a
// token or without, gets 404 for a link that does not exist.
func TestEveryRouteEveryRole(t *testing.T) {
	f := newFixture(t, "")
	r := f.newRequest(t, f.aliceID, "Lens error")
	att := uploadOK(t, f, f.alice, r.Number, "photo.png")
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.alice,
		map[string]any{"body": "photo", "attachment_ids": []int64{att.ID}})
	var me api.Principal
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/me", f.tech, nil).JSON(t, &me)
	cal := f.createCalendar(t, officeBody("Role check office"))
	var team api.Team
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/teams", f.manager, map[string]any{"name": "Role check team"}).JSON(t, &team)
	mailID, _, err := f.Inbound.Receive(context.Background(), email.Source{Kind: model.MailSourceSMTP, EnvelopeFrom: "x@example.com"},
		[]byte("From: x@example.com\r\nSubject: role check\r\n\r\nhello\r\n"))
	if err != nil {
		t.Fatal(err)
	}

	out := &model.OutboundMail{Kind: model.MailReply, To: "x@example.com", Locale: "en", Subject: "s", Body: "b",
		MessageID: "role-check@example.com", Status: model.OutSent}
	if err := f.Store.Tx(context.Background(), func(q store.Querier) error { return f.Store.QueueOutbound(context.Background(), q, out) }); err != nil {
		t.Fatal(err)
	}

	hook, doomed, delivery := roleCheckWebhooks(t, f)
	// Two SLA policies (the first is deleted) and a tier nobody uses.
	var policy, doomedPolicy api.SLAPolicy
	for i, p := range []*api.SLAPolicy{&doomedPolicy, &policy} {
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/sla-policies", f.admin, map[string]any{"name": "Role check " + itoa(int64(i)),
			"position": 9, "conditions": map[string]any{"type": "refund"}, "calendar_id": cal.ID, "first_response_minutes": 60,
			"resolution_minutes": 600}).JSON(t, p)
	}
	f.mustStatus(t, http.StatusOK, "PUT", "/api/v1/tiers/doomed", f.admin, map[string]any{"name": "Doomed"})
	// Two rules (the first is deleted).
	var rule, doomedRule api.Rule
	for i, x := range []*api.Rule{&doomedRule, &rule} {
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/rules", f.admin, map[string]any{"name": "Role check " + itoa(int64(i)),
			"active": false, "trigger": "request.created", "actions": []map[string]any{{"type": "assign_team", "team_id": team.ID}}}).JSON(t, x)
	}
	// The technician and a centre manager work at centre RC, where the
	// calls below act; a second centre receives transfers.
	f.newCentre(t, "RC", 39.9, 116.4, 100)
	f.newCentre(t, "RC2", 31.2, 121.5, 100)
	f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/users/"+itoa(me.ID), f.admin, map[string]any{"centre": "RC"})
	centreMgr := f.centreManager(t, "RC")
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/parts", f.manager,
		map[string]any{"part_no": "P-1", "name": "Part", "compatible_skus": []string{"WM-100"}, "cost": 100, "price": 200})
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/warranty-plans", f.manager,
		map[string]any{"code": "EXT", "name": "Extra", "months": 12, "price": 9900, "covers": map[string]bool{"parts": true}})
	var appt api.Appointment
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/appointments", f.agent, map[string]any{"centre": "RC",
		"starts_at": time.Now().Add(48 * time.Hour), "ends_at": time.Now().Add(49 * time.Hour),
		"request_number": r.Number, "kind": "in_store"}).JSON(t, &appt)
	var rep api.Repair
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/repair", f.agent,
		map[string]any{"mode": "in_store", "centre": "RC"}).JSON(t, &rep)
	var unitReq api.Request
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": "return", "subject": "return",
		"customer_id": f.aliceID, "serial": f.serial, "channel": "phone"}).JSON(t, &unitReq)
	var ret api.Return
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+unitReq.Number+"/return", f.agent,
		map[string]any{"kind": "return"}).JSON(t, &ret)
	future := func(h int) string { return time.Now().Add(time.Duration(h) * time.Hour).Format(time.RFC3339) }

	// Feedback: r resolved (its survey exists), a resolved complaint with
	// its follow-up call and compensation pending approval.
	f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+r.Number+"/status", f.agent, map[string]any{"status": "resolved"})
	var complaint api.Request
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": "complaint",
		"subject": "late", "customer_id": f.bobID, "channel": "phone", "priority": "high"}).JSON(t, &complaint)
	f.mustStatus(t, http.StatusOK, "POST", "/api/v1/requests/"+complaint.Number+"/status", f.agent, map[string]any{"status": "resolved"})
	var fb api.SurveyStatus
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+complaint.Number+"/survey", f.agent, nil).JSON(t, &fb)
	var comp api.Compensation
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+complaint.Number+"/compensations", f.agent,
		map[string]any{"kind": "voucher", "amount": 99999999}).JSON(t, &comp)

	// A follow-up task on r, as a rule's create_task leaves it.
	task := &model.RequestTask{RequestID: r.ID, Title: "Role check", CreatedBy: "rule"}
	if err := f.Store.Tx(context.Background(), func(q store.Querier) error { return f.Store.CreateTaskIn(context.Background(), q, task) }); err != nil {
		t.Fatal(err)
	}
	params := strings.NewReplacer("{kind}", "reply", "{locale}", "en", "{id}", "ID", "{number}", r.Number, "{serial}", f.serial, "{code}", "RC", "{part_no}", "P-1", "{delivery_id}", itoa(delivery), "{token}", "sv_nosuchtoken", "{key}", "doomed", "{category}", "washer", "{sku}", "WM-100")
	var art api.Article
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/kb/articles", f.manager, map[string]any{"title": "Role check",
		"body": "How to check roles.", "locale": "en"}).JSON(t, &art)
	var sugg api.Suggestion
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/kb/articles/"+itoa(art.ID)+"/suggestions", f.agent,
		map[string]any{"title": "Role check", "body": "How to check roles, better."}).JSON(t, &sugg)

	// A product model with units and a category with a subcategory: both
	// refuse removal (409, past the role check) for every role that may.
	product, err := f.Store.ProductBySKU(context.Background(), "WM-100")
	if err != nil {
		t.Fatal(err)
	}
	var parentCat api.Category
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/categories", f.manager, map[string]any{"name_zh": "角色", "name_en": "Roles"}).JSON(t, &parentCat)
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/categories", f.manager, map[string]any{"name_zh": "子类", "name_en": "Child", "parent_id": parentCat.ID})
	idFor := map[string]string{
		"/api/v1/products/{id}": itoa(product.ID), "/api/v1/categories/{id}": itoa(parentCat.ID),
		"/api/v1/customers/{id}": itoa(f.aliceID), "/api/v1/customers/{id}/invite": itoa(f.aliceID),
		"/api/v1/attachments/{id}": itoa(att.ID), "/api/v1/users/{id}": itoa(me.ID),
		"/api/v1/calendars/{id}": itoa(cal.ID), "/api/v1/teams/{id}/calendar": itoa(team.ID),
		"/api/v1/webhooks/{id}": itoa(hook), "/api/v1/webhooks/{id}/deliveries": itoa(hook),
		"/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver": itoa(hook),
		"/api/v1/mail/inbound/{id}/raw":                            itoa(mailID), "/api/v1/mail/inbound/{id}/retry": itoa(mailID),
		"/api/v1/mail/outbound/{id}": itoa(out.ID), "/api/v1/mail/outbound/{id}/resend": itoa(out.ID),
		"/api/v1/appointments/{id}": itoa(appt.ID), "/api/v1/appointments/{id}/cancel": itoa(appt.ID),
		"/api/v1/followups/{id}": itoa(fb.Followup.ID), "/api/v1/followups/{id}/calls": itoa(fb.Followup.ID),
		"/api/v1/compensations/{id}/decision": itoa(comp.ID),
		"/api/v1/repairs/{id}":                itoa(rep.ID), "/api/v1/repairs/{id}/stage": itoa(rep.ID),
		"/api/v1/repairs/{id}/quote": itoa(rep.ID), "/api/v1/repairs/{id}/approval": itoa(rep.ID),
		"/api/v1/repairs/{id}/parts": itoa(rep.ID),
		"/api/v1/returns/{id}":       itoa(ret.ID), "/api/v1/returns/{id}/decision": itoa(ret.ID),
		"/api/v1/returns/{id}/status":          itoa(ret.ID),
		"/api/v1/sla-policies/{id}":            itoa(policy.ID),
		"/api/v1/rules/{id}":                   itoa(rule.ID),
		"/api/v1/requests/{number}/tasks/{id}": itoa(task.ID),
		"/api/v1/kb/articles/{id}":             itoa(art.ID), "/api/v1/kb/articles/{id}/versions": itoa(art.ID),
		"/api/v1/kb/articles/{id}/suggestions": itoa(art.ID), "/api/v1/kb/suggestions/{id}/apply": itoa(sugg.ID),
		"/api/v1/kb/suggestions/{id}/dismiss": itoa(sugg.ID),
		"/api/v1/macros/{id}":                 "999999", "/api/v1/macros/{id}/render": "999999",
		"/api/v1/views/{id}": "999999",
	}
	bodies := map[string]any{
		"PATCH /api/v1/products/{id}":                map[string]any{"brand": "Role check"},
		"PATCH /api/v1/categories/{id}":              map[string]any{"name_en": "Roles checked"},
		"POST /api/v1/customers":                     map[string]any{"name": "X"},
		"POST /api/v1/products":                      map[string]any{"sku": "X-1", "name": "X", "warranty_months": 12},
		"POST /api/v1/units":                         map[string]any{"serial": "X", "sku": "WM-100", "customer_id": f.aliceID, "purchased_at": "2026-01-01"},
		"POST /api/v1/requests":                      map[string]any{"type": "inquiry", "subject": "role check"},
		"PATCH /api/v1/requests/{number}":            map[string]any{"version": 1},
		"POST /api/v1/requests/{number}/tags":        map[string]any{"add": []string{"role-check"}},
		"POST /api/v1/views":                         map[string]any{"name": "Role check", "filters": map[string]any{"mine": true}},
		"POST /api/v1/macros":                        map[string]any{"name": "Role check", "body_en": "role check"},
		"POST /api/v1/requests/{number}/merge":       map[string]any{"into": "SR-1999-000001"},
		"PATCH /api/v1/macros/{id}":                  map[string]any{"name": "Role check", "body_en": "role check", "version": 1},
		"POST /api/v1/requests/bulk":                 map[string]any{"numbers": []string{"SR-0000-000000"}, "set": map[string]any{"status": "open"}},
		"POST /api/v1/requests/{number}/status":      map[string]any{"status": "cancelled"},
		"POST /api/v1/requests/{number}/messages":    map[string]any{"body": "role check"},
		"POST /api/v1/categories":                    map[string]any{"name_zh": "测试", "name_en": "Test"},
		"POST /api/v1/teams":                         map[string]any{"name": "Role check"},
		"POST /api/v1/users":                         map[string]any{"email": "x@example.com", "name": "X", "role": "agent", "password": "long enough"},
		"PATCH /api/v1/users/{id}":                   map[string]any{},
		"POST /api/v1/customers/{id}/invite":         nil,
		"POST /api/v1/calendars":                     map[string]any{"preset": "us-federal-2025-2026"},
		"PATCH /api/v1/calendars/{id}":               map[string]any{},
		"PUT /api/v1/teams/{id}/calendar":            map[string]any{"calendar_id": cal.ID},
		"POST /api/v1/sla/preview":                   map[string]any{"calendar_id": cal.ID, "start": "2026-03-02T09:00:00Z", "minutes": 60},
		"POST /api/v1/sla/duration":                  map[string]any{"calendar_id": cal.ID, "from": "2026-03-02T09:00:00Z", "to": "2026-03-03T09:00:00Z"},
		"POST /api/v1/webhooks":                      map[string]any{"url": "http://127.0.0.1/x", "events": []string{"request.created"}},
		"PATCH /api/v1/webhooks/{id}":                map[string]any{"description": "role check"},
		"PUT /api/v1/mail/templates/{kind}/{locale}": map[string]any{"subject": "Re: {{.RequestSubject}}", "body": "{{.Message}}"},
		"PATCH /api/v1/me/notifications":             map[string]any{"new_reply": false},
		"PUT /api/v1/analytics/expert-weights":       map[string]any{"matrix": "1,1,1,1,1,1;1,1,1,1,1,1;1,1,1,1,1,1;1,1,1,1,1,1;1,1,1,1,1,1;1,1,1,1,1,1"},
		"POST /api/v1/centres": map[string]any{"code": "X1", "name": "X", "lat": 30.0, "lng": 120.0, "timezone": "Asia/Shanghai",
			"categories": []string{"washer"}, "daily_capacity": 5},
		"PATCH /api/v1/centres/{code}":                             map[string]any{"daily_capacity": 50},
		"POST /api/v1/centres/{code}/stock":                        map[string]any{"part_no": "P-1", "quantity": 2, "kind": "receive", "note": "role check"},
		"POST /api/v1/centres/{code}/stock/transfers":              map[string]any{"part_no": "P-1", "quantity": 1, "to": "RC2"},
		"PUT /api/v1/centres/{code}/stock/{part_no}/reorder-point": map[string]any{"reorder_point": 1},
		"POST /api/v1/parts":                                       map[string]any{"part_no": "X-1", "name": "X", "cost": 1, "price": 2},
		"PATCH /api/v1/parts/{part_no}":                            map[string]any{"price": 300},
		"POST /api/v1/appointments": map[string]any{"centre": "RC", "starts_at": future(72), "ends_at": future(73),
			"request_number": r.Number, "kind": "in_store"},
		"POST /api/v1/appointments/{id}/cancel":        map[string]any{"reason": "role check"},
		"POST /api/v1/warranty-plans":                  map[string]any{"code": "X", "name": "X", "months": 12, "price": 1, "covers": map[string]bool{"parts": true}},
		"POST /api/v1/units/{serial}/plans":            map[string]any{"plan_code": "EXT"},
		"POST /api/v1/products/{sku}/serials":          map[string]any{"serials": []string{"ROLE-CHECK-1"}},
		"PUT /api/v1/requests/{number}/complaint":      map[string]any{"severity": 1},
		"POST /api/v1/requests/{number}/compensations": map[string]any{"kind": "gift", "amount": 100},
		"POST /api/v1/followups/{id}/calls":            map[string]any{"reachability": "no_answer"},
		"POST /api/v1/compensations/{id}/decision":     map[string]any{"decision": "approve"},
		"POST /api/v1/surveys/{token}/response":        map[string]any{"csat": 5},
		"POST /api/v1/requests/{number}/repair":        map[string]any{"mode": "in_store", "centre": "RC"},
		"POST /api/v1/repairs/{id}/stage":              map[string]any{"stage": "received"},
		"POST /api/v1/repairs/{id}/quote":              map[string]any{"lines": []map[string]any{{"kind": "fee", "description": "x", "unit_price": 1}}},
		"POST /api/v1/repairs/{id}/approval":           map[string]any{"approved": true},
		"POST /api/v1/repairs/{id}/parts":              map[string]any{"part_no": "P-1", "quantity": 1},
		"PUT /api/v1/fault-codes/{category}/{code}":    map[string]any{"name_zh": "测试", "name_en": "Test"},
		"PUT /api/v1/labour-prices/{code}":             map[string]any{"name": "Test", "price": 100},
		"PUT /api/v1/return-policies/{category}":       map[string]any{"return_days": 7, "exchange_days": 15, "outside_window": "reject"},
		"POST /api/v1/requests/{number}/return":        map[string]any{"kind": "return"},
		"POST /api/v1/returns/{id}/decision":           map[string]any{"approved": true},
		"POST /api/v1/returns/{id}/status":             map[string]any{"status": "received"},
		"POST /api/v1/sla-policies": map[string]any{"name": "Role check new", "position": 9, "calendar_id": cal.ID,
			"first_response_minutes": 60, "resolution_minutes": 600, "conditions": map[string]any{"type": "refund"}},
		"PATCH /api/v1/sla-policies/{id}": map[string]any{"position": 10},
		"POST /api/v1/rules": map[string]any{"name": "Role check new", "active": false, "trigger": "request.created",
			"actions": []map[string]any{{"type": "assign_team", "team_id": team.ID}}},
		"PATCH /api/v1/rules/{id}":                   map[string]any{"position": 3},
		"PATCH /api/v1/requests/{number}/tasks/{id}": map[string]any{"done": true},
		"POST /api/v1/devices/events":                map[string]any{"serial": "X", "code": "E1", "at": "2026-01-01T00:00:00Z"},
		"PUT /api/v1/tiers/{key}":                    map[string]any{"name": "Doomed"},
		"PATCH /api/v1/customers/{id}":               map[string]any{"tier": ""},
		"POST /api/v1/kb/articles":                   map[string]any{"title": "X", "body": "x", "locale": "en"},
		"PATCH /api/v1/kb/articles/{id}":             map[string]any{"change": "role check"},
		"POST /api/v1/kb/articles/{id}/suggestions":  map[string]any{"title": "X", "body": "role check suggestion"},
		"POST /api/v1/assistant/ask":                 map[string]any{"question": "how to check roles"},
		"POST /api/v1/assistant/handoff":             map[string]any{"conversation": []map[string]string{{"role": "customer", "text": "help"}}},
	}
	roles := []struct {
		code  byte
		token string
	}{{'A', f.admin}, {'M', f.manager}, {'G', f.agent}, {'T', f.tech}, {'N', centreMgr}, {'C', f.alice}}

	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	f.mustStatus(t, http.StatusOK, "GET", "/api/openapi.json", "", nil).JSON(t, &doc)
	want := apiAccess()
	var ops []string
	for path, methods := range doc.Paths {
		for m := range methods {
			ops = append(ops, strings.ToUpper(m)+" "+path)
		}
	}
	sort.Strings(ops)
	seen := map[string]bool{}
	for _, op := range ops {
		if op == "GET /api/openapi.json" || op == "GET /api/openapi.yaml" {
			continue // the document itself is public
		}
		seen[op] = true
		allowed, ok := want[op]
		if !ok {
			t.Errorf("%s has no entry in apiAccess: say who may call it", op)
			continue
		}
		method, pattern, _ := strings.Cut(op, " ")
		path := strings.Replace(params.Replace(pattern), "ID", idFor[pattern], 1)
		if op == "DELETE /api/v1/webhooks/{id}" {
			path = "/api/v1/webhooks/" + itoa(doomed) // the others still need theirs
		}
		if op == "DELETE /api/v1/sla-policies/{id}" {
			path = "/api/v1/sla-policies/" + itoa(doomedPolicy.ID)
		}
		if op == "DELETE /api/v1/rules/{id}" {
			path = "/api/v1/rules/" + itoa(doomedRule.ID)
		}
		call := func(token string) *statusOnly {
			if strings.HasSuffix(pattern, "/attachments") && method == "POST" {
				return &statusOnly{upload(t, f, token, r.Number, "x.png", pngBytes(200)).Status}
			}
			body := bodies[op]
			if pattern == "/api/v1/events/stream" {
				// The stream stays open: read its status and hang up.
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				req, _ := http.NewRequestWithContext(ctx, "GET", f.URL()+path, nil)
				if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return &statusOnly{res.StatusCode}
			}
			if pattern == "/api/v1/views/{id}" {
				// Saved views are changed by their owner: each role its own
				// (names are unique per owner, so each call makes a new one).
				var v api.View
				name := "Role check " + method + " " + strconv.FormatInt(time.Now().UnixNano(), 36)
				if res := f.Do(t, "POST", "/api/v1/views", token, map[string]any{"name": name, "filters": map[string]any{"mine": true}}); res.Status == http.StatusCreated {
					res.JSON(t, &v)
					return &statusOnly{f.Do(t, method, "/api/v1/views/"+itoa(v.ID), token, map[string]any{"name": name + " renamed", "version": v.Version}).Status}
				}
			}
			if pattern == "/api/v1/macros/{id}" {
				// Macros are changed by their owner: each role its own.
				var m api.Macro
				if res := f.Do(t, "POST", "/api/v1/macros", token, bodies["POST /api/v1/macros"]); res.Status == http.StatusCreated {
					res.JSON(t, &m)
					return &statusOnly{f.Do(t, method, "/api/v1/macros/"+itoa(m.ID), token, body).Status}
				}
			}
			return &statusOnly{f.Do(t, method, path, token, body).Status}
		}
		if allowed == open {
			for _, role := range append(roles, struct {
				code  byte
				token string
			}{'V', ""}) {
				if got := call(role.token).status; got == http.StatusUnauthorized || got == http.StatusForbidden || got == http.StatusNotFound {
					t.Errorf("%s (open) as %c: got %d, want to get in", op, role.code, got)
				}
			}
			continue
		}
		if allowed == public {
			for _, role := range append(roles, struct {
				code  byte
				token string
			}{'V', ""}) {
				if got := call(role.token).status; got != http.StatusNotFound {
					t.Errorf("%s (public) as %c with an unknown link: got %d, want 404", op, role.code, got)
				}
			}
			continue
		}
		if got := call("").status; got != http.StatusUnauthorized {
			t.Errorf("%s without a token: got %d, want 401", op, got)
		}
		for _, role := range roles {
			got := call(role.token).status
			if strings.IndexByte(allowed, role.code) >= 0 {
				if got == http.StatusUnauthorized || got == http.StatusForbidden || got == http.StatusNotFound {
					t.Errorf("%s as %c: got %d, want to get past the role check", op, role.code, got)
				}
			} else if got != http.StatusForbidden {
				t.Errorf("%s as %c: got %d, want 403", op, role.code, got)
			}
		}
	}
	for op := range want {
		if !seen[op] {
			t.Errorf("apiAccess lists %s, which the API does not serve", op)
		}
	}
}

type statusOnly struct{ status int }

// roleCheckWebhooks stores two webhooks, straight in the store (their
// 127.0.0.1 URL is refused when connecting: nothing leaves the machine),
// and a delivery of the first; it returns the first, the one the role
// check deletes, and the delivery.
func roleCheckWebhooks(t *testing.T, f *fixture) (hook, doomed, delivery int64) {
	t.Helper()
	ctx := context.Background()
	for _, id := range []*int64{&hook, &doomed} {
		w := &model.Webhook{URL: "http://127.0.0.1:9/hook", Events: []model.EventType{model.EventRequestCreated}, Secret: "s", Active: true}
		if err := f.Store.CreateWebhook(ctx, w); err != nil {
			t.Fatal(err)
		}
		*id = w.ID
	}
	f.newRequest(t, f.aliceID, "publishes a delivery")
	if err := f.Store.Read().QueryRow(ctx, "SELECT id FROM webhook_deliveries WHERE webhook_id = $1", hook).Scan(&delivery); err != nil {
		t.Fatal(err)
	}
	return hook, doomed, delivery
}
