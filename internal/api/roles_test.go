package api_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/api"
)

// apiAccess is who may call each operation of the API, written out here
// independently of the code's role matrix (model.Grants) so that a change
// to either shows up: A admin, M manager, G agent, T technician, C
// customer (its own things). Everyone else gets 403, and no token 401.
// An operation missing from this table fails the test: a new route must
// say who may call it.
func apiAccess() map[string]string {
	return map[string]string{
		"POST /api/v1/customers":                     "AMG",
		"GET /api/v1/customers/{id}":                 "AMGTC",
		"POST /api/v1/customers/{id}/invite":         "AMG",
		"POST /api/v1/products":                      "AM",
		"GET /api/v1/products":                       "AMGT",
		"POST /api/v1/units":                         "AMG",
		"GET /api/v1/units/{serial}/entitlement":     "AMGTC",
		"POST /api/v1/requests":                      "AMGTC",
		"GET /api/v1/requests":                       "AMGTC",
		"GET /api/v1/requests/{number}":              "AMGTC",
		"PATCH /api/v1/requests/{number}":            "AMGT",
		"POST /api/v1/requests/{number}/status":      "AMGTC",
		"POST /api/v1/requests/{number}/messages":    "AMGTC",
		"POST /api/v1/requests/{number}/attachments": "AMGTC",
		"GET /api/v1/attachments/{id}":               "AMGTC",
		"GET /api/v1/categories":                     "AMGTC",
		"POST /api/v1/categories":                    "AM",
		"GET /api/v1/teams":                          "AMGT",
		"POST /api/v1/teams":                         "AM",
		"GET /api/v1/users":                          "AMGT",
		"POST /api/v1/users":                         "A",
		"PATCH /api/v1/users/{id}":                   "A",
		"GET /api/v1/me":                             "AMGTC",
		"GET /api/v1/audit":                          "A",

		"GET /api/v1/requests/{number}/survey":         "AMGT",
		"GET /api/v1/survey-template":                  "AMGT",
		"PUT /api/v1/survey-template":                  "A",
		"GET /api/v1/survey-responses":                 "AM",
		"GET /api/v1/survey-responses/export":          "AM",
		"GET /api/v1/survey-stats":                     "AM",
		"GET /api/v1/complaint-rates":                  "AM",
		"GET /api/v1/followups":                        "AMG",
		"GET /api/v1/followups/{id}":                   "AMG",
		"POST /api/v1/followups/{id}/calls":            "AMG",
		"GET /api/v1/requests/{number}/complaint":      "AMGT",
		"PUT /api/v1/requests/{number}/complaint":      "AMG",
		"POST /api/v1/requests/{number}/compensations": "AMG",
		"GET /api/v1/compensations":                    "AM",
		"POST /api/v1/compensations/{id}/decision":     "AM",
		// The public survey: no token needed (the link's token is the
		// credential), the same answer for everyone — 404 for a link
		// that does not exist.
		"GET /api/v1/surveys/{token}":           public,
		"POST /api/v1/surveys/{token}/response": public,
	}
}

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

	params := strings.NewReplacer("{id}", "ID", "{number}", r.Number, "{serial}", f.serial, "{token}", "sv_nosuchtoken")
	idFor := map[string]string{
		"/api/v1/customers/{id}": itoa(f.aliceID), "/api/v1/customers/{id}/invite": itoa(f.aliceID),
		"/api/v1/attachments/{id}": itoa(att.ID), "/api/v1/users/{id}": itoa(me.ID),
		"/api/v1/followups/{id}": itoa(fb.Followup.ID), "/api/v1/followups/{id}/calls": itoa(fb.Followup.ID),
		"/api/v1/compensations/{id}/decision": itoa(comp.ID),
	}
	bodies := map[string]any{
		"POST /api/v1/customers":                       map[string]any{"name": "X"},
		"POST /api/v1/products":                        map[string]any{"sku": "X-1", "name": "X", "warranty_months": 12},
		"POST /api/v1/units":                           map[string]any{"serial": "X", "sku": "WM-100", "customer_id": f.aliceID, "purchased_at": "2026-01-01"},
		"POST /api/v1/requests":                        map[string]any{"type": "inquiry", "subject": "role check"},
		"PATCH /api/v1/requests/{number}":              map[string]any{"version": 1},
		"POST /api/v1/requests/{number}/status":        map[string]any{"status": "cancelled"},
		"POST /api/v1/requests/{number}/messages":      map[string]any{"body": "role check"},
		"POST /api/v1/categories":                      map[string]any{"name_zh": "测试", "name_en": "Test"},
		"POST /api/v1/teams":                           map[string]any{"name": "Role check"},
		"POST /api/v1/users":                           map[string]any{"email": "x@example.com", "name": "X", "role": "agent", "password": "long enough"},
		"PATCH /api/v1/users/{id}":                     map[string]any{},
		"POST /api/v1/customers/{id}/invite":           nil,
		"PUT /api/v1/requests/{number}/complaint":      map[string]any{"severity": 1},
		"POST /api/v1/requests/{number}/compensations": map[string]any{"kind": "gift", "amount": 100},
		"POST /api/v1/followups/{id}/calls":            map[string]any{"reachability": "no_answer"},
		"POST /api/v1/compensations/{id}/decision":     map[string]any{"decision": "approve"},
		"POST /api/v1/surveys/{token}/response":        map[string]any{"csat": 5},
	}
	roles := []struct {
		code  byte
		token string
	}{{'A', f.admin}, {'M', f.manager}, {'G', f.agent}, {'T', f.tech}, {'C', f.alice}}

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
		call := func(token string) *statusOnly {
			if strings.HasSuffix(pattern, "/attachments") && method == "POST" {
				return &statusOnly{upload(t, f, token, r.Number, "x.png", pngBytes(200)).Status}
			}
			body := bodies[op]
			return &statusOnly{f.Do(t, method, path, token, body).Status}
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
