package api_test

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api/apitest"
)

// TestBadInput sends bad requests and checks each answers a problem
// naming the field or reason, and that nothing was written.
func TestBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		big := `{"type":"repair","subject":"big","customer_id":1,"description":"` + strings.Repeat("a", 1<<20) + `"}`
		for _, c := range []struct {
			name     string
			token    string
			body     string
			status   int
			location string // in errors[]
			detail   string // in detail
		}{
			{"no token", "", `{"type":"repair","subject":"x"}`, http.StatusUnauthorized, "", "bearer token"},
			{"bad token", "act_nope", `{"type":"repair","subject":"x"}`, http.StatusUnauthorized, "", "invalid or expired token"},
			{"no token, malformed body", "", `{"type":`, http.StatusUnauthorized, "", "bearer token"},
			{"malformed JSON", f.agent, `{"type":"repair",`, http.StatusBadRequest, "body", "malformed JSON"},
			{"not an object", f.agent, `[1,2]`, http.StatusUnprocessableEntity, "body", "expected object"},
			{"missing subject", f.agent, `{"type":"repair","customer_id":1}`, http.StatusUnprocessableEntity, "body.subject", "subject"},
			{"missing type", f.agent, `{"subject":"x","customer_id":1}`, http.StatusUnprocessableEntity, "body.type", "type"},
			{"wrong type", f.agent, `{"type":"repair","subject":42,"customer_id":1}`, http.StatusUnprocessableEntity, "body.subject", "expected string"},
			{"wrong customer_id type", f.agent, `{"type":"repair","subject":"x","customer_id":"1"}`, http.StatusUnprocessableEntity, "body.customer_id", "expected integer"},
			{"unknown enum", f.agent, `{"type":"fix","subject":"x","customer_id":1}`, http.StatusUnprocessableEntity, "body.type", "repair"},
			{"bad channel", f.agent, `{"type":"repair","subject":"x","customer_id":1,"channel":"fax"}`, http.StatusUnprocessableEntity, "body.channel", "web"},
			{"unknown field", f.agent, `{"type":"repair","subject":"x","customer_id":1,"colour":"red"}`, http.StatusUnprocessableEntity, "body.colour", "unexpected property"},
			{"blank subject", f.agent, `{"type":"repair","subject":"  ","customer_id":1}`, http.StatusUnprocessableEntity, "body.subject", "is required"},
			{"staff omits customer", f.agent, `{"type":"repair","subject":"x"}`, http.StatusUnprocessableEntity, "body.customer_id", "is required"},
			{"unknown customer", f.agent, `{"type":"repair","subject":"x","customer_id":999}`, http.StatusUnprocessableEntity, "body.customer_id", "no customer"},
			{"unknown serial", f.alice, `{"type":"repair","subject":"x","serial":"NOPE"}`, http.StatusUnprocessableEntity, "body.serial", "NOPE"},
			{"another's serial", f.alice, `{"type":"repair","subject":"x","serial":"` + f.oldSerial + `"}`, http.StatusUnprocessableEntity, "body.serial", "No registered product has the serial number"},
			{"customer for another", f.alice, `{"type":"repair","subject":"x","customer_id":2}`, http.StatusUnprocessableEntity, "body.customer_id", "themselves"},
			{"over 1 MiB", f.agent, big, http.StatusRequestEntityTooLarge, "body", "too large"},
			{"empty body", f.agent, ``, http.StatusBadRequest, "body", "required"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before := f.count(t, "requests")
				events := f.count(t, "events")
				res := f.Do(t, "POST", "/api/v1/requests", c.token, c.body, "Accept-Language: en")
				if res.Status != c.status {
					t.Fatalf("got %d, want %d: %s", res.Status, c.status, res.Body)
				}
				p := decodeProblem(t, res)
				if p.Status != c.status || p.Title == "" {
					t.Errorf("problem status/title: got %d %q", p.Status, p.Title)
				}
				if c.location != "" && !slices.Contains(p.locations(), c.location) {
					t.Errorf("locations: got %v, want %s", p.locations(), c.location)
				}
				if !strings.Contains(p.Detail, c.detail) {
					t.Errorf("detail: got %q, want it to mention %q", p.Detail, c.detail)
				}
				if strings.Contains(string(res.Body), strings.Repeat("a", 100)) {
					t.Errorf("problem echoes the body back")
				}
				if after := f.count(t, "requests"); after != before {
					t.Errorf("requests: got %d rows, want %d (nothing written)", after, before)
				}
				if after := f.count(t, "events"); after != events {
					t.Errorf("events: got %d rows, want %d (nothing written)", after, events)
				}
			})
		}

		// Other endpoints: the field is named the same way.
		for _, s := range []apitest.Scenario{
			{Name: "customer without name", Method: "POST", Path: "/api/v1/customers", Token: f.agent,
				Body: `{"email":"x@example.com"}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.name"`}},
			{Name: "customer bad e-mail", Method: "POST", Path: "/api/v1/customers", Token: f.agent,
				Body: `{"name":"X","email":"not-an-address"}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.email"`}},
			{Name: "customer bad locale", Method: "POST", Path: "/api/v1/customers", Token: f.agent,
				Body: `{"name":"X","locale":"fr"}`, ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.locale"`}},
			{Name: "unit bad date", Method: "POST", Path: "/api/v1/units", Token: f.agent,
				Body:           `{"serial":"S-9","sku":"WM-100","customer_id":1,"purchased_at":"01/02/2026"}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.purchased_at"`}},
			{Name: "unit unknown sku", Method: "POST", Path: "/api/v1/units", Token: f.agent,
				Body:           `{"serial":"S-9","sku":"NOPE","customer_id":1,"purchased_at":"2026-01-02"}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.sku"`}},
			{Name: "unit duplicate serial", Method: "POST", Path: "/api/v1/units", Token: f.agent,
				Body:           `{"serial":"` + f.serial + `","sku":"WM-100","customer_id":1,"purchased_at":"2026-01-02"}`,
				ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.serial"`}},
			{Name: "product months out of range", Method: "POST", Path: "/api/v1/products", Token: f.admin,
				Body:           `{"sku":"X-1","name":"X","warranty_months":500}`,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.warranty_months"`}},
			{Name: "product duplicate sku", Method: "POST", Path: "/api/v1/products", Token: f.admin,
				Body:           `{"sku":"WM-100","name":"X","warranty_months":12}`,
				ExpectedStatus: http.StatusConflict, ExpectedContent: []string{`"location":"body.sku"`}},
			{Name: "limit 101", Method: "GET", Path: "/api/v1/requests?limit=101", Token: f.agent,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.limit"`}},
			{Name: "limit not a number", Method: "GET", Path: "/api/v1/requests?limit=ten", Token: f.agent,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.limit"`}},
			{Name: "unknown status filter", Method: "GET", Path: "/api/v1/requests?status=open,done", Token: f.agent,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.status"`}},
			{Name: "bad cursor", Method: "GET", Path: "/api/v1/requests?cursor=xyz", Token: f.agent,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"query.cursor"`}},
			{Name: "bad id in path", Method: "GET", Path: "/api/v1/customers/abc", Token: f.agent,
				ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"path.id"`}},
			{Name: "unknown request", Method: "GET", Path: "/api/v1/requests/SR-2026-999999", Token: f.agent, Headers: []string{"Accept-Language: en"},
				ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"detail":"request not found"`}},
			{Name: "unknown endpoint", Method: "GET", Path: "/api/v1/nothing", Token: f.agent,
				ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{`"status":404`}},
			{Name: "wrong method", Method: "DELETE", Path: "/api/v1/requests", Token: f.agent,
				ExpectedStatus: http.StatusMethodNotAllowed, ExpectedContent: []string{`"status":405`}},
		} {
			f.Run(t, s)
		}
		if n := f.count(t, "customers"); n != 2 {
			t.Errorf("customers: got %d, want 2 (nothing written)", n)
		}
		if n := f.count(t, "units"); n != 2 {
			t.Errorf("units: got %d, want 2 (nothing written)", n)
		}
	})
}

// TestRoles checks who may call what; the role is checked before the body
// is read, so a forbidden caller never learns about its body's mistakes.
func TestRoles(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		own := f.newRequest(t, f.aliceID, "Alice's")
		other := f.newRequest(t, f.bobID, "Bob's")
		product := `{"sku":"P-2","name":"Dryer","warranty_months":12}`
		category := `{"name_zh":"冰箱","name_en":"Fridges"}`
		user := `{"email":"new@example.com","name":"New Agent","role":"agent","password":"long enough"}`
		for _, s := range []apitest.Scenario{
			{Name: "customer patches own request", Method: "PATCH", Path: "/api/v1/requests/" + own.Number, Token: f.alice,
				Body: `{"priority":"urgent","version":1}`, ExpectedStatus: http.StatusForbidden},
			{Name: "customer patches other's request", Method: "PATCH", Path: "/api/v1/requests/" + other.Number, Token: f.alice,
				Body: `{"priority":"urgent","version":1}`, ExpectedStatus: http.StatusNotFound},
			{Name: "customer patches own with malformed body", Method: "PATCH", Path: "/api/v1/requests/" + own.Number, Token: f.alice,
				Body: `{"priority":`, ExpectedStatus: http.StatusForbidden},
			{Name: "customer reads other's request", Method: "GET", Path: "/api/v1/requests/" + other.Number, Token: f.alice,
				ExpectedStatus: http.StatusNotFound, NotExpectedContent: []string{"Bob's"}},
			{Name: "customer posts to other's request", Method: "POST", Path: "/api/v1/requests/" + other.Number + "/messages", Token: f.alice,
				Body: `{"body":"hi"}`, ExpectedStatus: http.StatusNotFound},
			{Name: "customer changes other's status", Method: "POST", Path: "/api/v1/requests/" + other.Number + "/status", Token: f.alice,
				Body: `{"status":"cancelled"}`, ExpectedStatus: http.StatusNotFound},
			{Name: "customer writes internal note", Method: "POST", Path: "/api/v1/requests/" + own.Number + "/messages", Token: f.alice,
				Body: `{"body":"psst","visibility":"internal"}`, ExpectedStatus: http.StatusForbidden},
			{Name: "customer creates product", Method: "POST", Path: "/api/v1/products", Token: f.alice, Body: product, ExpectedStatus: http.StatusForbidden},
			{Name: "customer lists products", Method: "GET", Path: "/api/v1/products", Token: f.alice, ExpectedStatus: http.StatusForbidden},
			{Name: "customer creates customer", Method: "POST", Path: "/api/v1/customers", Token: f.alice, Body: `{"name":"X"}`, ExpectedStatus: http.StatusForbidden},
			{Name: "customer creates unit", Method: "POST", Path: "/api/v1/units", Token: f.alice,
				Body: `{"serial":"S","sku":"WM-100","customer_id":1,"purchased_at":"2026-01-01"}`, ExpectedStatus: http.StatusForbidden},
			{Name: "customer invites", Method: "POST", Path: "/api/v1/customers/1/invite", Token: f.alice, ExpectedStatus: http.StatusForbidden},
			{Name: "customer lists users", Method: "GET", Path: "/api/v1/users", Token: f.alice, ExpectedStatus: http.StatusForbidden},
			{Name: "customer lists teams", Method: "GET", Path: "/api/v1/teams", Token: f.alice, ExpectedStatus: http.StatusForbidden},
			{Name: "customer reads other customer", Method: "GET", Path: "/api/v1/customers/2", Token: f.alice, ExpectedStatus: http.StatusNotFound},
			{Name: "customer reads itself", Method: "GET", Path: "/api/v1/customers/1", Token: f.alice, ExpectedStatus: http.StatusOK},
			{Name: "customer checks other's unit", Method: "GET", Path: "/api/v1/units/" + f.oldSerial + "/entitlement", Token: f.alice, ExpectedStatus: http.StatusNotFound},
			{Name: "customer creates category", Method: "POST", Path: "/api/v1/categories", Token: f.alice, Body: category, ExpectedStatus: http.StatusForbidden},
			{Name: "technician creates product", Method: "POST", Path: "/api/v1/products", Token: f.tech, Body: product, ExpectedStatus: http.StatusForbidden},
			{Name: "agent creates product", Method: "POST", Path: "/api/v1/products", Token: f.agent, Body: product, ExpectedStatus: http.StatusForbidden},
			{Name: "technician creates product, malformed body", Method: "POST", Path: "/api/v1/products", Token: f.tech, Body: `{"sku":`, ExpectedStatus: http.StatusForbidden},
			{Name: "agent creates product, wrong types", Method: "POST", Path: "/api/v1/products", Token: f.agent, Body: `{"sku":1}`, ExpectedStatus: http.StatusForbidden},
			{Name: "technician creates category", Method: "POST", Path: "/api/v1/categories", Token: f.tech, Body: category, ExpectedStatus: http.StatusForbidden},
			{Name: "agent creates category", Method: "POST", Path: "/api/v1/categories", Token: f.agent, Body: category, ExpectedStatus: http.StatusForbidden},
			{Name: "technician invites", Method: "POST", Path: "/api/v1/customers/1/invite", Token: f.tech, ExpectedStatus: http.StatusForbidden},
			{Name: "no token, malformed body", Method: "POST", Path: "/api/v1/products", Body: `{"sku":`, ExpectedStatus: http.StatusUnauthorized},
			{Name: "manager creates product", Method: "POST", Path: "/api/v1/products", Token: f.manager, Body: product, ExpectedStatus: http.StatusCreated},
			{Name: "admin creates category", Method: "POST", Path: "/api/v1/categories", Token: f.admin, Body: category, ExpectedStatus: http.StatusCreated},
			{Name: "agent invites", Method: "POST", Path: "/api/v1/customers/1/invite", Token: f.agent, ExpectedStatus: http.StatusCreated},
			{Name: "technician lists users", Method: "GET", Path: "/api/v1/users", Token: f.tech, ExpectedStatus: http.StatusOK},
			{Name: "technician adds a user", Method: "POST", Path: "/api/v1/users", Token: f.tech, Body: user, ExpectedStatus: http.StatusForbidden},
			{Name: "agent adds a user", Method: "POST", Path: "/api/v1/users", Token: f.agent, Body: user, ExpectedStatus: http.StatusForbidden},
			{Name: "manager adds a user", Method: "POST", Path: "/api/v1/users", Token: f.manager, Body: user, ExpectedStatus: http.StatusForbidden},
			{Name: "customer adds a user", Method: "POST", Path: "/api/v1/users", Token: f.alice, Body: user, ExpectedStatus: http.StatusForbidden},
			{Name: "agent adds a user, malformed body", Method: "POST", Path: "/api/v1/users", Token: f.agent, Body: `{"email":`, ExpectedStatus: http.StatusForbidden},
			{Name: "agent adds a team", Method: "POST", Path: "/api/v1/teams", Token: f.agent, Body: `{"name":"Shenzhen"}`, ExpectedStatus: http.StatusForbidden},
			{Name: "manager adds a team", Method: "POST", Path: "/api/v1/teams", Token: f.manager, Body: `{"name":"Shenzhen"}`, ExpectedStatus: http.StatusCreated, ExpectedContent: []string{`"name":"Shenzhen"`}},
			{Name: "duplicate team", Method: "POST", Path: "/api/v1/teams", Token: f.admin, Body: `{"name":"Shenzhen"}`, ExpectedStatus: http.StatusConflict},
			{Name: "admin adds a user", Method: "POST", Path: "/api/v1/users", Token: f.admin, Body: user, ExpectedStatus: http.StatusCreated,
				ExpectedContent: []string{`"role":"agent"`}, NotExpectedContent: []string{"password", "argon2"}},
			{Name: "admin adds the same user", Method: "POST", Path: "/api/v1/users", Token: f.admin, Body: user, ExpectedStatus: http.StatusConflict,
				ExpectedContent: []string{`"location":"body.email"`}},
			{Name: "admin adds a user with a short password", Method: "POST", Path: "/api/v1/users", Token: f.admin,
				Body: `{"email":"new2@example.com","name":"N","role":"agent","password":"short"}`, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"body.password"`}},
			{Name: "admin adds a user to a missing team", Method: "POST", Path: "/api/v1/users", Token: f.admin,
				Body: `{"email":"new3@example.com","name":"N","role":"agent","password":"long enough","team_id":999}`, ExpectedStatus: http.StatusUnprocessableEntity,
				ExpectedContent: []string{`"location":"body.team_id"`}},
			{Name: "technician changes the priority", Method: "PATCH", Path: "/api/v1/requests/" + own.Number, Token: f.tech,
				Body: `{"priority":"high","version":1}`, ExpectedStatus: http.StatusForbidden},
			{Name: "technician changes the team", Method: "PATCH", Path: "/api/v1/requests/" + own.Number, Token: f.tech,
				Body: `{"team_id":1,"version":1}`, ExpectedStatus: http.StatusForbidden},
			{Name: "technician changes the category", Method: "PATCH", Path: "/api/v1/requests/" + own.Number, Token: f.tech,
				Body: `{"category_id":1,"version":1}`, ExpectedStatus: http.StatusForbidden},
			{Name: "technician creates a customer", Method: "POST", Path: "/api/v1/customers", Token: f.tech, Body: `{"name":"X"}`, ExpectedStatus: http.StatusForbidden},
			{Name: "technician creates a unit", Method: "POST", Path: "/api/v1/units", Token: f.tech,
				Body: `{"serial":"S-TECH","sku":"WM-100","customer_id":1,"purchased_at":"2026-01-01"}`, ExpectedStatus: http.StatusForbidden},
			{Name: "technician assigns, sending the unchanged priority", Method: "PATCH", Path: "/api/v1/requests/" + own.Number, Token: f.tech,
				Body: `{"assignee_id":1,"priority":"normal","version":1}`, ExpectedStatus: http.StatusOK},
		} {
			res := f.Run(t, s)
			if s.ExpectedStatus >= 400 && res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: content type %q, want application/problem+json", s.Name, res.Header.Get("Content-Type"))
			}
		}
		if d := f.getRequest(t, f.agent, own.Number); d.Priority != "normal" || d.AssigneeID == nil || *d.AssigneeID != 1 || d.TeamID != nil || len(d.Messages) != 0 {
			t.Errorf("own request: got priority %s, assignee %v, team %v and %d messages, want normal, 1, none and none",
				d.Priority, d.AssigneeID, d.TeamID, len(d.Messages))
		}
		if n := f.count(t, "products"); n != 2 {
			t.Errorf("products: got %d, want 2", n)
		}
	})
}

// TestTranslatedErrors checks that detail and messages follow
// Accept-Language while locations do not, and that the domain's messages
// are whole sentences naming what is wrong.
func TestTranslatedErrors(t *testing.T) {
	f := newFixture(t, "")
	for _, c := range []struct {
		name, body, location string
		status               int
		en, zh               string
	}{
		{"missing subject", `{"type":"repair","customer_id":1}`, "body.subject", 422, "expected required property subject to be present", "缺少必需的属性 subject"},
		{"wrong type", `{"type":"repair","subject":1,"customer_id":1}`, "body.subject", 422, "expected string", "应为字符串"},
		{"unknown serial", `{"type":"repair","subject":"x","customer_id":1,"serial":"NOPE"}`, "body.serial", 422, `No registered product has the serial number “NOPE”; check the number, or register the product first.`, `未找到序列号为“NOPE”的已登记产品，请核对序列号，或先登记该产品。`},
		{"malformed", `{"type"`, "body", 400, "malformed JSON", "JSON 格式错误"},
		{"unknown customer", `{"type":"repair","subject":"x","customer_id":999999}`, "body.customer_id", 422,
			"There is no customer with id 999999; choose the customer again.", "没有编号为 999999 的客户，请重新选择客户。"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for lang, want := range map[string]string{"en-US,en;q=0.9": c.en, "zh-CN,zh;q=0.9": c.zh} {
				res := f.Do(t, "POST", "/api/v1/requests", f.agent, c.body, "Accept-Language: "+lang)
				if res.Status != c.status {
					t.Fatalf("%s: got %d, want %d", lang, res.Status, c.status)
				}
				p := decodeProblem(t, res)
				if !strings.Contains(p.Detail, want) {
					t.Errorf("%s: detail %q lacks %q", lang, p.Detail, want)
				}
				if len(p.Errors) == 0 || p.Errors[0].Location != c.location || !strings.Contains(p.Errors[0].Message, want) {
					t.Errorf("%s: errors %+v, want %s at %s", lang, p.Errors, want, c.location)
				}
			}
		})
	}
	res := f.Do(t, "GET", "/api/v1/me", "", nil, "Accept-Language: zh-CN")
	if p := decodeProblem(t, res); res.Status != 401 || !strings.Contains(p.Detail, "需要 Bearer 令牌") {
		t.Errorf("401 in zh-CN: got %d %q", res.Status, p.Detail)
	}
	if res.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("401 without WWW-Authenticate")
	}
	res = f.Do(t, "PATCH", "/api/v1/requests/SR-1", f.alice, `{}`, "Accept-Language: zh-CN")
	if p := decodeProblem(t, res); res.Status != 404 || p.Detail != "未找到服务单" {
		t.Errorf("404 in zh-CN: got %d %q", res.Status, p.Detail)
	}
}

// TestNotFoundIndistinguishable checks that a customer cannot tell another
// customer's request from a number that does not exist: every endpoint of
// a request answers both with the same bytes (status, content type, body).
func TestNotFoundIndistinguishable(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		other := f.newRequest(t, f.bobID, "Bob's secret request")
		// A well-formed number of the same length that no request has.
		missing := other.Number[:len(other.Number)-6] + "999999"
		if missing == other.Number {
			t.Fatalf("missing number %s is a real one", missing)
		}
		for _, c := range []struct {
			name, method, suffix string
			body                 any
		}{
			{"get", "GET", "", nil},
			{"patch", "PATCH", "", `{"priority":"urgent","version":1}`},
			{"message", "POST", "/messages", `{"body":"hi"}`},
			{"status", "POST", "/status", `{"status":"cancelled"}`},
			{"attachment", "POST", "/attachments", nil},
		} {
			for _, lang := range []string{"en", "zh-CN"} {
				t.Run(c.name+" "+lang, func(t *testing.T) {
					send := func(number string) *apitest.Response {
						if c.suffix == "/attachments" {
							return upload(t, f, f.alice, number, "photo.png", pngBytes(100), "Accept-Language: "+lang)
						}
						return f.Do(t, c.method, "/api/v1/requests/"+number+c.suffix, f.alice, c.body, "Accept-Language: "+lang)
					}
					got, want := send(other.Number), send(missing)
					if want.Status != http.StatusNotFound {
						t.Fatalf("%s %s for a missing number: got %d, want 404: %s", c.method, c.suffix, want.Status, want.Body)
					}
					if got.Status != want.Status || got.Header.Get("Content-Type") != want.Header.Get("Content-Type") || !bytes.Equal(got.Body, want.Body) {
						t.Errorf("another customer's request: got %d %q %s, want the missing number's %d %q %s",
							got.Status, got.Header.Get("Content-Type"), got.Body, want.Status, want.Header.Get("Content-Type"), want.Body)
					}
				})
			}
		}
		if n := f.count(t, "messages"); n != 0 {
			t.Errorf("messages: got %d, want none", n)
		}
		if d := f.getRequest(t, f.agent, other.Number); d.Status != "new" || d.Priority != "normal" {
			t.Errorf("other's request after the attempts: got %s %s, want new normal", d.Status, d.Priority)
		}
	})
}

// TestCustomerEveryFieldProblem: a customer with several bad fields is
// one 422 problem listing every field, each with its own sentence in the
// caller's language (errors[], and all of them in detail), and nothing
// is written.
func TestCustomerEveryFieldProblem(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		body := `{"name":" ","email":"not-an-address","phone":"call me","city":"` + strings.Repeat("杭", 101) + `"}`
		want := map[string]map[string]string{
			"en": {"body.name": "Enter the customer's name.", "body.email": "Enter a valid e-mail address, such as name@example.com.",
				"body.phone": "Enter a valid mobile number, such as 138 0013 8000 (a number abroad starts with +).",
				"body.city":  "The city is too long: keep it to 100 characters or fewer."},
			"zh-CN": {"body.name": "请填写客户姓名。", "body.email": "请填写有效的电子邮件地址，例如 name@example.com。",
				"body.phone": "请填写有效的手机号码，例如 138 0013 8000（境外号码以 + 开头）。", "body.city": "城市名称太长了，请不要超过 100 个字。"},
		}
		before := f.count(t, "customers")
		for lang, fields := range want {
			res := f.Do(t, "POST", "/api/v1/customers", f.agent, body, "Accept-Language: "+lang)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("%s: got %d, want 422: %s", lang, res.Status, res.Body)
			}
			p := decodeProblem(t, res)
			got := map[string]string{}
			for _, e := range p.Errors {
				got[e.Location] = e.Message
			}
			for loc, msg := range fields {
				if got[loc] != msg {
					t.Errorf("%s: %s: got %q, want %q", lang, loc, got[loc], msg)
				}
				if !strings.Contains(p.Detail, loc+": "+msg) {
					t.Errorf("%s: detail %q lacks %s", lang, p.Detail, loc)
				}
			}
			if len(p.Errors) != len(fields) {
				t.Errorf("%s: %d errors, want %d: %s", lang, len(p.Errors), len(fields), res.Body)
			}
		}
		if n := f.count(t, "customers"); n != before {
			t.Errorf("customers: got %d, want %d (nothing written)", n, before)
		}
	})
}
