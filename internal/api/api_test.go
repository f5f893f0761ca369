package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// fixture is a running app with staff of every role, two customers with
// a unit each (one in warranty, one long expired) and a product.
type fixture struct {
	*apitest.App
	admin, manager, agent, tech string // staff tokens
	alice, bob                  string // customer tokens
	aliceID, bobID              int64
	serial, oldSerial           string // alice's unit in warranty, bob's expired unit
	agentID                     int64
}

// eachDB runs fn on a fresh app on SQLite, then on PostgreSQL (skipped
// without AFTERCARE_TEST_PG_URL unless AFTERCARE_REQUIRE has pg).
func eachDB(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, newFixture(t, "")) })
	t.Run("postgres", func(t *testing.T) { fn(t, newFixture(t, storetest.PostgresURL(t))) })
}

func newFixture(t *testing.T, databaseURL string) *fixture {
	t.Helper()
	return newFixtureWith(t, apptest.Options{DatabaseURL: databaseURL})
}

// newFixtureWith is newFixture on an app booted with opts.
func newFixtureWith(t *testing.T, opts apptest.Options) *fixture {
	t.Helper()
	a := apitest.StartWith(t, opts)
	f := &fixture{App: a}
	f.admin, _ = a.Staff(t, model.RoleAdmin, "admin@example.com")
	f.manager, _ = a.Staff(t, model.RoleManager, "manager@example.com")
	var agent *model.User
	f.agent, agent = a.Staff(t, model.RoleAgent, "agent@example.com")
	f.agentID = agent.ID
	f.tech, _ = a.Staff(t, model.RoleTechnician, "tech@example.com")
	var c *model.Customer
	f.alice, c = a.Customer(t, "Alice", "alice@example.com")
	f.aliceID = c.ID
	f.bob, c = a.Customer(t, "Bob", "bob@example.com")
	f.bobID = c.ID

	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/products", f.manager,
		map[string]any{"sku": "WM-100", "name": "Washer 100", "brand": "Acme", "category": "washer", "warranty_months": 24})
	f.serial, f.oldSerial = "SN-ALICE-1", "SN-BOB-OLD"
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units", f.agent, map[string]any{"serial": f.serial, "sku": "WM-100",
		"customer_id": f.aliceID, "purchased_at": time.Now().AddDate(0, -2, 0).Format(time.DateOnly), "channel": "online"})
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/units", f.agent, map[string]any{"serial": f.oldSerial, "sku": "WM-100",
		"customer_id": f.bobID, "purchased_at": "2015-03-01"})
	return f
}

// mustStatus sends a request and fails unless it answers status.
func (f *fixture) mustStatus(t *testing.T, status int, method, path, token string, body any, headers ...string) *apitest.Response {
	t.Helper()
	res := f.Do(t, method, path, token, body, headers...)
	if res.Status != status {
		t.Fatalf("%s %s: got %d, want %d: %s", method, path, res.Status, status, res.Body)
	}
	return res
}

// newRequest opens a request for customerID as the agent.
func (f *fixture) newRequest(t *testing.T, customerID int64, subject string) api.Request {
	t.Helper()
	var r api.Request
	f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": "repair",
		"subject": subject, "description": "it leaks", "customer_id": customerID, "channel": "phone", "priority": "normal"}).JSON(t, &r)
	return r
}

// getRequest reads a request as token.
func (f *fixture) getRequest(t *testing.T, token, number string) api.RequestDetail {
	t.Helper()
	var d api.RequestDetail
	f.mustStatus(t, http.StatusOK, "GET", "/api/v1/requests/"+number, token, nil).JSON(t, &d)
	return d
}

// count returns the number of rows of table, straight from the store.
func (f *fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := f.Store.Read().QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestOpenAPI(t *testing.T) {
	a := apitest.Start(t, "")
	res := a.Do(t, "GET", "/api/openapi.json", "", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("openapi: got %d, want 200", res.Status)
	}
	var doc struct {
		OpenAPI string                 `json:"openapi"`
		Servers []struct{ URL string } `json:"servers"`
		Info    struct {
			License struct{ Name, Identifier string } `json:"license"`
		} `json:"info"`
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			SecuritySchemes map[string]struct {
				Type, Scheme string
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	res.JSON(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi version: got %q, want 3.1.x", doc.OpenAPI)
	}
	// Linters and client generators want a server and a licence; the
	// server is the site's root, whatever host serves it.
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Errorf("servers: got %+v, want one, the relative root /", doc.Servers)
	}
	if l := doc.Info.License; l.Name != "Apache-2.0" || l.Identifier != "Apache-2.0" {
		t.Errorf("info.license: got %+v, want Apache-2.0", l)
	}
	for path, methods := range map[string][]string{
		"/api/v1/requests/{number}":             {"get", "patch"},
		"/api/v1/requests":                      {"get", "post"},
		"/api/v1/requests/{number}/messages":    {"post"},
		"/api/v1/requests/{number}/attachments": {"post"},
		"/api/v1/requests/{number}/status":      {"post"},
		"/api/v1/attachments/{id}":              {"get"},
		"/api/v1/customers":                     {"post"},
		"/api/v1/customers/{id}":                {"get"},
		"/api/v1/customers/{id}/invite":         {"post"},
		"/api/v1/products":                      {"get", "post"},
		"/api/v1/units":                         {"post"},
		"/api/v1/units/{serial}/entitlement":    {"get"},
		"/api/v1/categories":                    {"get", "post"},
		"/api/v1/teams":                         {"get"},
		"/api/v1/users":                         {"get"},
		"/api/v1/me":                            {"get"},
		"/api/v1/calendars":                     {"get", "post"},
		"/api/v1/calendars/{id}":                {"get", "patch"},
		"/api/v1/teams/{id}/calendar":           {"put"},
		"/api/v1/sla/preview":                   {"post"},
		"/api/v1/sla/duration":                  {"post"},
	} {
		for _, m := range methods {
			if doc.Paths[path][m] == nil {
				t.Errorf("openapi lacks %s %s", m, path)
			}
		}
	}
	if s := doc.Components.SecuritySchemes["bearer"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("security scheme: got %+v, want http bearer", s)
	}
	if !strings.Contains(string(res.Body), `"multipart/form-data"`) {
		t.Errorf("openapi lacks the upload's multipart body")
	}
	if !strings.Contains(string(res.Body), `"enum":["repair","return","exchange","refund","support","installation","maintenance","complaint","inquiry"]`) {
		t.Errorf("openapi lacks the request type enum")
	}
	for _, p := range []string{"/api/docs", "/docs", "/schemas/Request.json", "/api/schemas/Request.json"} {
		if res := a.Do(t, "GET", p, "", nil); res.Status == http.StatusOK && strings.Contains(string(res.Body), "<script") {
			t.Errorf("GET %s: got a docs page; it must be disabled", p)
		}
	}
}

func TestFlow(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		var cust api.Customer
		f.Run(t, apitest.Scenario{Name: "create customer", Method: "POST", Path: "/api/v1/customers", Token: f.agent,
			Body:           map[string]any{"name": "Carol", "email": "carol@example.com", "phone": "138-0000-0001", "locale": "en"},
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"name":"Carol"`, `"phone":"13800000001"`, `"created_at"`},
		}).JSON(t, &cust)
		f.Run(t, apitest.Scenario{Name: "duplicate phone", Method: "POST", Path: "/api/v1/customers", Token: f.agent,
			Body:           map[string]any{"name": "Carol 2", "phone": "13800000001"},
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.phone"`}})
		f.Run(t, apitest.Scenario{Name: "duplicate e-mail", Method: "POST", Path: "/api/v1/customers", Token: f.agent,
			Body:           map[string]any{"name": "Carol 3", "email": "CAROL@example.com"},
			ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.email"`}})
		f.Run(t, apitest.Scenario{Name: "get customer", Method: "GET", Path: fmt.Sprintf("/api/v1/customers/%d", cust.ID),
			Token: f.tech, ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"email":"carol@example.com"`},
			NotExpectedContent: []string{"password"}})
		f.Run(t, apitest.Scenario{Name: "invite", Method: "POST", Path: fmt.Sprintf("/api/v1/customers/%d/invite", cust.ID),
			Token: f.agent, ExpectedStatus: http.StatusCreated,
			ExpectedContent: []string{`"url":"` + f.Config.BaseURL + `/portal/invite/act_`, `"expires_at"`}})
		f.Run(t, apitest.Scenario{Name: "list products", Method: "GET", Path: "/api/v1/products", Token: f.tech,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"sku":"WM-100"`, `"warranty_months":24`}})
		f.Run(t, apitest.Scenario{Name: "entitlement in warranty", Method: "GET", Path: "/api/v1/units/" + f.serial + "/entitlement",
			Token: f.alice, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"in_warranty":true`, `"covers":{"parts":true,"labour":true,"shipping":true}`,
				`"warranty_ends_at":"` + time.Now().AddDate(0, -2, 0).AddDate(0, 24, -1).Format("2006-01")}})
		f.Run(t, apitest.Scenario{Name: "entitlement expired", Method: "GET", Path: "/api/v1/units/" + f.oldSerial + "/entitlement",
			Token: f.agent, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"in_warranty":false`, `"warranty_ends_at":"2017-02-28"`, `"parts":false`}})
		f.Run(t, apitest.Scenario{Name: "entitlement unknown serial", Method: "GET", Path: "/api/v1/units/NOPE/entitlement",
			Token: f.agent, ExpectedStatus: http.StatusNotFound})

		// A customer opens a request about its unit.
		var r api.Request
		f.Run(t, apitest.Scenario{Name: "customer opens request", Method: "POST", Path: "/api/v1/requests", Token: f.alice,
			Body: map[string]any{"type": "repair", "subject": "Drum does not turn", "description": "since Monday",
				"serial": f.serial},
			ExpectedStatus: http.StatusCreated,
			ExpectedContent: []string{`"number":"SR-`, `"status":"new"`, `"customer_name":"Alice"`, `"serial":"` + f.serial + `"`,
				`"channel":"api"`, `"priority":"normal"`,
				`"next_statuses":["open","pending","resolved","cancelled"]`, `"version":1`},
		}).JSON(t, &r)
		path := "/api/v1/requests/" + r.Number

		f.Run(t, apitest.Scenario{Name: "staff reads it", Method: "GET", Path: path, Token: f.tech, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"number":"` + r.Number + `"`, `"subject":"Drum does not turn"`, `"messages":[]`,
				`"timeline":[{`, `"kind":"created"`, `"resolved_at":null`},
			ExpectedHeaders: []string{`ETag: "1"`}})
		f.Run(t, apitest.Scenario{Name: "agent replies", Method: "POST", Path: path + "/messages", Token: f.agent,
			Body: map[string]any{"body": "We will send a technician.", "visibility": "public"}, ExpectedStatus: http.StatusCreated,
			ExpectedContent: []string{`"author_kind":"staff"`, `"visibility":"public"`}})
		f.Run(t, apitest.Scenario{Name: "agent adds internal note", Method: "POST", Path: path + "/messages", Token: f.agent,
			Body:           map[string]any{"body": "SECRET-NOTE bearing is worn", "visibility": "internal"},
			ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"visibility":"internal"`}})
		f.Run(t, apitest.Scenario{Name: "customer replies", Method: "POST", Path: path + "/messages", Token: f.alice,
			Body: map[string]any{"body": "Thanks!"}, ExpectedStatus: http.StatusCreated,
			ExpectedContent: []string{`"author_kind":"customer"`}})
		f.Run(t, apitest.Scenario{Name: "customer reads without notes", Method: "GET", Path: path, Token: f.alice,
			ExpectedStatus:     http.StatusOK,
			ExpectedContent:    []string{"We will send a technician.", "Thanks!"},
			NotExpectedContent: []string{"SECRET-NOTE", `"internal"`, `"kind":"note"`}})
		f.Run(t, apitest.Scenario{Name: "staff sees the note", Method: "GET", Path: path, Token: f.tech,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{"SECRET-NOTE", `"kind":"note"`}})
		f.Run(t, apitest.Scenario{Name: "other customer gets 404", Method: "GET", Path: path, Token: f.bob,
			ExpectedStatus: http.StatusNotFound, NotExpectedContent: []string{"Drum"}})

		// Workflow and optimistic locking.
		f.Run(t, apitest.Scenario{Name: "open", Method: "POST", Path: path + "/status", Token: f.agent,
			Body: map[string]any{"status": "open"}, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"status":"open"`, `"version":2`}, ExpectedHeaders: []string{`ETag: "2"`}})
		f.Run(t, apitest.Scenario{Name: "assign with body version", Method: "PATCH", Path: path, Token: f.manager,
			Body:           map[string]any{"assignee_id": f.agentID, "priority": "urgent", "version": 2},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"assignee_name":"agent"`, `"priority":"urgent"`, `"version":3`}})
		f.Run(t, apitest.Scenario{Name: "stale version", Method: "PATCH", Path: path, Token: f.manager,
			Body: map[string]any{"priority": "low", "version": 2}, ExpectedStatus: http.StatusConflict,
			ExpectedContent: []string{`"location":"body.version"`}})
		f.Run(t, apitest.Scenario{Name: "stale If-Match", Method: "PATCH", Path: path, Token: f.manager,
			Body: map[string]any{"priority": "low"}, Headers: []string{`If-Match: "2"`}, ExpectedStatus: http.StatusConflict})
		f.Run(t, apitest.Scenario{Name: "If-Match", Method: "PATCH", Path: path, Token: f.manager,
			Body: map[string]any{"assignee_id": 0}, Headers: []string{`If-Match: "3"`}, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"assignee_id":null`, `"version":4`}, ExpectedHeaders: []string{`ETag: "4"`}})
		f.Run(t, apitest.Scenario{Name: "body version wins over If-Match", Method: "PATCH", Path: path, Token: f.manager,
			Body: map[string]any{"priority": "high", "version": 4}, Headers: []string{`If-Match: "1"`},
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"version":5`}})
		f.Run(t, apitest.Scenario{Name: "no version", Method: "PATCH", Path: path, Token: f.manager,
			Body: map[string]any{"priority": "low"}, ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{`"location":"body.version"`}})
		f.Run(t, apitest.Scenario{Name: "bad If-Match", Method: "PATCH", Path: path, Token: f.manager,
			Body: map[string]any{"priority": "low"}, Headers: []string{`If-Match: "abc"`}, ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{`"location":"header.If-Match"`}})
		f.Run(t, apitest.Scenario{Name: "resolve", Method: "POST", Path: path + "/status", Token: f.tech,
			Body: map[string]any{"status": "resolved"}, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"status":"resolved"`, `"next_statuses":["closed","open"]`}})
		f.Run(t, apitest.Scenario{Name: "customer reopens", Method: "POST", Path: path + "/status", Token: f.alice,
			Body: map[string]any{"status": "open"}, ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"status":"open"`}})
		f.Run(t, apitest.Scenario{Name: "customer may not resolve", Method: "POST", Path: path + "/status", Token: f.alice,
			Body: map[string]any{"status": "resolved"}, ExpectedStatus: http.StatusForbidden})
		d := f.getRequest(t, f.alice, r.Number)
		kinds := map[string]bool{}
		for _, e := range d.Timeline {
			kinds[e.Kind] = true
		}
		for _, k := range []string{"created", "message", "status", "assignee", "priority", "reopened"} {
			if !kinds[k] {
				t.Errorf("timeline lacks %q: %+v", k, d.Timeline)
			}
		}
		if kinds["note"] {
			t.Errorf("customer timeline has a note event")
		}

		f.Run(t, apitest.Scenario{Name: "list as customer", Method: "GET", Path: fmt.Sprintf("/api/v1/requests?customer_id=%d", f.bobID),
			Token: f.alice, ExpectedStatus: http.StatusOK, ExpectedContent: []string{r.Number}})
		f.Run(t, apitest.Scenario{Name: "other customer's list", Method: "GET", Path: "/api/v1/requests", Token: f.bob,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"items":[]`, `"next_cursor":""`}})
		f.Run(t, apitest.Scenario{Name: "filter by status", Method: "GET", Path: "/api/v1/requests?status=new,pending&status=closed",
			Token: f.agent, ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"items":[]`}})
		f.Run(t, apitest.Scenario{Name: "filter and search", Method: "GET", Path: "/api/v1/requests?status=open&type=repair&q=drum",
			Token: f.agent, ExpectedStatus: http.StatusOK, ExpectedContent: []string{r.Number}})

		// Categories, teams, users, me.
		var cat api.Category
		f.Run(t, apitest.Scenario{Name: "create category", Method: "POST", Path: "/api/v1/categories", Token: f.admin,
			Body: map[string]any{"name_zh": "洗衣机", "name_en": "Washers"}, ExpectedStatus: http.StatusCreated,
			ExpectedContent: []string{`"parent_id":null`}}).JSON(t, &cat)
		f.Run(t, apitest.Scenario{Name: "create subcategory", Method: "POST", Path: "/api/v1/categories", Token: f.manager,
			Body: map[string]any{"parent_id": cat.ID, "name_zh": "滚筒", "name_en": "Front loaders"}, ExpectedStatus: http.StatusCreated,
			ExpectedContent: []string{fmt.Sprintf(`"parent_id":%d`, cat.ID)}})
		f.Run(t, apitest.Scenario{Name: "unknown parent", Method: "POST", Path: "/api/v1/categories", Token: f.manager,
			Body: map[string]any{"parent_id": 999, "name_zh": "x", "name_en": "x"}, ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{`"location":"body.parent_id"`}})
		f.Run(t, apitest.Scenario{Name: "categories for customers", Method: "GET", Path: "/api/v1/categories", Token: f.alice,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{"洗衣机", "Front loaders"}})
		f.Run(t, apitest.Scenario{Name: "set category", Method: "PATCH", Path: path, Token: f.agent,
			Body: map[string]any{"category_id": cat.ID, "version": d.Version}, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{fmt.Sprintf(`"category_id":%d`, cat.ID)}})
		f.Run(t, apitest.Scenario{Name: "teams", Method: "GET", Path: "/api/v1/teams", Token: f.tech,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"items":[]`}})
		f.Run(t, apitest.Scenario{Name: "users", Method: "GET", Path: "/api/v1/users", Token: f.tech,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"email":"agent@example.com"`, `"role":"technician"`},
			NotExpectedContent: []string{"password", "argon2"}})
		f.Run(t, apitest.Scenario{Name: "me", Method: "GET", Path: "/api/v1/me", Token: f.alice,
			ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"kind":"customer"`, `"name":"Alice"`}})
	})
}

// decodeProblem reads a problem document.
func decodeProblem(t *testing.T, res *apitest.Response) problem {
	t.Helper()
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type: got %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(res.Body, &p); err != nil {
		t.Fatalf("decode problem %s: %v", res.Body, err)
	}
	return p
}

type problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Message  string `json:"message"`
		Location string `json:"location"`
	} `json:"errors"`
}

func (p problem) locations() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}
