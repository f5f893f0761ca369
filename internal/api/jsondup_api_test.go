package api_test

import (
	"slices"
	"strings"
	"testing"
)

// TestDuplicateMembers checks the API refuses a JSON body that names a
// member twice, at any depth, with a 422 problem located at the
// duplicate, writes nothing, and still checks the token and the role
// first. Names that differ only in case count as the same name, since
// encoding/json fills one field from both. Unknown members are refused
// too (huma's additionalProperties: false).
func TestDuplicateMembers(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		own := f.newRequest(t, f.aliceID, "Alice's")
		patch := "/api/v1/requests/" + own.Number
		const valid = `"type":"repair","subject":"x","customer_id":1`
		for _, c := range []struct {
			name, method, path, token, body string
			lang                            string
			status                          int
			location                        string // in errors[]
			detail                          string // in detail
		}{
			{"request subject twice", "POST", "/api/v1/requests", f.agent,
				`{"type":"repair","subject":"a","customer_id":1,"subject":"b"}`, "en",
				422, "body.subject", "body.subject: is given more than once"},
			{"request subject twice, same value", "POST", "/api/v1/requests", f.agent,
				`{"subject":"a",` + valid + `}`, "en", 422, "body.subject", "more than once"},
			{"escaped name", "POST", "/api/v1/requests", f.agent,
				`{` + valid + `,"sub\u006aect":"b"}`, "en", 422, "body.subject", "more than once"},
			{"nested duplicate", "POST", "/api/v1/requests", f.agent,
				`{` + valid + `,"dimensions":{"price":1,"price":2}}`, "en", 422, "body.dimensions.price", "more than once"},
			{"duplicate in an array element", "POST", "/api/v1/requests", f.agent,
				`{` + valid + `,"items":[{"sku":"a"},{"sku":"b","sku":"c"}]}`, "en", 422, "body.items[1].sku", "more than once"},
			{"in Chinese", "POST", "/api/v1/requests", f.agent,
				`{` + valid + `,"type":"return"}`, "zh-CN", 422, "body.type", "body.type: 重复出现"},
			{"customer name twice", "POST", "/api/v1/customers", f.agent,
				`{"name":"Carol","email":"carol@example.com","name":"Dave"}`, "en", 422, "body.name", "more than once"},
			{"patch version twice", "PATCH", patch, f.agent,
				`{"priority":"urgent","version":1,"version":2}`, "en", 422, "body.version", "more than once"},
			{"no token first", "POST", "/api/v1/requests", "",
				`{"subject":"a","subject":"b"}`, "en", 401, "", "bearer token"},
			{"role first", "PATCH", patch, f.alice,
				`{"priority":"urgent","version":1,"version":2}`, "en", 403, "", "role"},
			{"unknown member", "POST", "/api/v1/customers", f.agent,
				`{"name":"Carol","nickname":"C"}`, "en", 422, "body.nickname", "unexpected property"},
			{"member twice in another case", "POST", "/api/v1/requests", f.agent,
				`{` + valid + `,"Subject":"b"}`, "en", 422, "body.Subject", "more than once"},
			{"unknown member in a patch", "PATCH", patch, f.agent,
				`{"priority":"urgent","version":1,"colour":"red"}`, "en", 422, "body.colour", "unexpected property"},
		} {
			t.Run(c.name, func(t *testing.T) {
				requests, customers, events := f.count(t, "requests"), f.count(t, "customers"), f.count(t, "events")
				res := f.Do(t, c.method, c.path, c.token, c.body, "Accept-Language: "+c.lang)
				if res.Status != c.status {
					t.Fatalf("got %d, want %d: %s", res.Status, c.status, res.Body)
				}
				p := decodeProblem(t, res)
				if p.Status != c.status {
					t.Errorf("problem status: got %d, want %d", p.Status, c.status)
				}
				if c.location != "" && !slices.Contains(p.locations(), c.location) {
					t.Errorf("locations: got %v, want %s", p.locations(), c.location)
				}
				if !strings.Contains(p.Detail, c.detail) {
					t.Errorf("detail: got %q, want it to contain %q", p.Detail, c.detail)
				}
				if got := f.count(t, "requests"); got != requests {
					t.Errorf("requests: got %d rows, want %d (nothing written)", got, requests)
				}
				if got := f.count(t, "customers"); got != customers {
					t.Errorf("customers: got %d rows, want %d (nothing written)", got, customers)
				}
				if got := f.count(t, "events"); got != events {
					t.Errorf("events: got %d rows, want %d (nothing written)", got, events)
				}
			})
		}
		if d := f.getRequest(t, f.agent, own.Number); d.Priority != "normal" || d.Version != 1 {
			t.Errorf("request after refused patches: got priority %q version %d, want normal 1", d.Priority, d.Version)
		}

		// The same bodies without the duplicate are taken.
		for _, s := range []struct{ method, path, body string }{
			{"POST", "/api/v1/requests", `{` + valid + `}`},
			{"POST", "/api/v1/customers", `{"name":"Carol","email":"carol@example.com"}`},
			{"PATCH", patch, `{"priority":"urgent","version":1}`},
		} {
			if res := f.Do(t, s.method, s.path, f.agent, s.body); res.Status >= 300 {
				t.Errorf("%s %s %s: got %d, want success: %s", s.method, s.path, s.body, res.Status, res.Body)
			}
		}
	})
}
