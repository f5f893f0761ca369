package api_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store/storetest"
	"github.com/aftercare/aftercare/internal/testenv"
)

// hookFixture is a running app that may deliver to 127.0.0.1
// (--webhook-allow-private), retries after 20 ms instead of seconds to
// hours, and looks for jobs every 50 ms, with an admin and an agent.
type hookFixture struct {
	*apitest.App
	admin, agent string
	customerID   int64
	logs         *testenv.Buffer // everything the app logged, debug included
}

func newHookFixture(t *testing.T, databaseURL string) *hookFixture {
	t.Helper()
	logs := &testenv.Buffer{}
	a := apitest.StartWith(t, apptest.Options{DatabaseURL: databaseURL,
		Logger:    slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Configure: func(c *config.Config) { c.WebhookAllowPrivate = true },
		Prepare: func(m *app.Main) {
			m.WebhookSchedule = []time.Duration{20 * time.Millisecond, 20 * time.Millisecond, 20 * time.Millisecond}
			m.JobPollInterval = 50 * time.Millisecond
		}})
	f := &hookFixture{App: a, logs: logs}
	f.admin, _ = a.Staff(t, model.RoleAdmin, "admin@example.com")
	f.agent, _ = a.Staff(t, model.RoleAgent, "agent@example.com")
	_, c := a.Customer(t, "Alice", "alice@example.com")
	f.customerID = c.ID
	return f
}

func (f *hookFixture) must(t *testing.T, status int, method, path, token string, body any) *apitest.Response {
	t.Helper()
	res := f.Do(t, method, path, token, body)
	if res.Status != status {
		t.Fatalf("%s %s: got %d, want %d: %s", method, path, res.Status, status, res.Body)
	}
	return res
}

// receiver is a webhook endpoint on 127.0.0.1 that answers 500 to its
// first fail requests and 200 afterwards, keeping what it got.
type receiver struct {
	*httptest.Server
	mu   sync.Mutex
	got  []delivery
	fail int
}

type delivery struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, fail int) *receiver {
	t.Helper()
	r := &receiver{fail: fail}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, delivery{header: req.Header.Clone(), body: body})
		n := len(r.got)
		r.mu.Unlock()
		if n <= r.fail {
			http.Error(w, "not now", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

// wait returns the first n deliveries once they arrived, failing after
// 30 seconds.
func (r *receiver) wait(t *testing.T, n int) []delivery {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r.mu.Lock()
		got := append([]delivery(nil), r.got...)
		r.mu.Unlock()
		if len(got) >= n {
			return got[:n]
		}
		if time.Now().After(deadline) {
			t.Fatalf("receiver got %d deliveries within 30 s, want %d", len(got), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkSigned verifies a delivery's signature independently of the
// code under test: hex HMAC-SHA256 with secret over timestamp "." body.
func checkSigned(t *testing.T, d delivery, secret string) {
	t.Helper()
	ts := d.header.Get("X-Aftercare-Timestamp")
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
		t.Fatalf("X-Aftercare-Timestamp %q: want Unix seconds", ts)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(d.body)))
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if got := d.header.Get("X-Aftercare-Signature"); got != want {
		t.Fatalf("X-Aftercare-Signature: got %q, want %q", got, want)
	}
}

type envelope struct {
	ID         int64         `json:"id"`
	Event      string        `json:"event"`
	OccurredAt time.Time     `json:"occurred_at"`
	Data       api.EventData `json:"data"`
}

// attempts lists a webhook's delivery attempts once there are n,
// failing after 30 seconds (the attempt is logged just after the
// receiver answered).
func (f *hookFixture) attempts(t *testing.T, hookID int64, n int) []api.DeliveryAttempt {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var page api.DeliveryPage
		f.must(t, http.StatusOK, "GET", "/api/v1/webhooks/"+itoa(hookID)+"/deliveries", f.admin, nil).JSON(t, &page)
		if len(page.Items) >= n {
			return page.Items
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d attempts logged within 30 s, want %d: %+v", len(page.Items), n, page.Items)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWebhookRetriedSignedAndLogged is the must-show: a receiver
// that fails twice and then succeeds gets the event, signed, three
// attempts are logged, and a redelivery sends it a fourth time.
func TestWebhookRetriedSignedAndLogged(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			url := ""
			if db == "postgres" {
				url = storetest.PostgresURL(t)
			}
			f := newHookFixture(t, url)
			rcv := newReceiver(t, 2)
			const secret = "s3cr3t-for-the-test"
			var hook api.CreatedWebhook
			f.must(t, http.StatusCreated, "POST", "/api/v1/webhooks", f.admin, map[string]any{
				"url": rcv.URL + "/hooks/aftercare", "events": []string{"request.created"}, "secret": secret}).JSON(t, &hook)
			if hook.ID <= 0 || hook.Secret != "" {
				t.Fatalf("created webhook: %+v (a secret sent by the client is not echoed)", hook)
			}
			var r api.Request
			f.must(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": "repair",
				"subject": "Lens error", "customer_id": f.customerID, "channel": "phone", "priority": "high"}).JSON(t, &r)

			got := rcv.wait(t, 3)
			deliveryID := got[0].header.Get("X-Aftercare-Delivery")
			for i, d := range got {
				checkSigned(t, d, secret)
				if e := d.header.Get("X-Aftercare-Event"); e != "request.created" {
					t.Errorf("attempt %d: X-Aftercare-Event %q, want request.created", i+1, e)
				}
				if id := d.header.Get("X-Aftercare-Delivery"); id != deliveryID || id == "" {
					t.Errorf("attempt %d: X-Aftercare-Delivery %q, want the first attempt's %q", i+1, id, deliveryID)
				}
				if string(d.body) != string(got[0].body) {
					t.Errorf("attempt %d sent another body than the first", i+1)
				}
			}
			var env envelope
			if err := json.Unmarshal(got[2].body, &env); err != nil {
				t.Fatalf("body: %v: %s", err, got[2].body)
			}
			if env.ID <= 0 || env.Event != "request.created" || env.OccurredAt.IsZero() || env.Data.Request == nil ||
				env.Data.Request.Number != r.Number || env.Data.Request.CustomerName != "Alice" || env.Data.Request.Status != "new" {
				t.Fatalf("envelope: got %s", got[2].body)
			}

			items := f.attempts(t, hook.ID, 3)
			wantCodes := []int{200, 500, 500} // newest first
			for i, it := range items {
				if strconv.FormatInt(it.ID, 10) != deliveryID || it.Event != "request.created" || it.Attempt != 3-i ||
					it.StatusCode == nil || *it.StatusCode != wantCodes[i] || it.Manual || it.DurationMS < 0 || it.At.IsZero() {
					t.Errorf("item %d: got %+v, want delivery %s attempt %d status %d", i, it, deliveryID, 3-i, wantCodes[i])
				}
				if failed := wantCodes[i] != 200; failed != (it.Error != "") {
					t.Errorf("item %d: error %q with status %d", i, it.Error, wantCodes[i])
				}
			}

			f.must(t, http.StatusAccepted, "POST", "/api/v1/webhooks/"+itoa(hook.ID)+"/deliveries/"+deliveryID+"/redeliver", f.admin, nil)
			again := rcv.wait(t, 4)[3]
			checkSigned(t, again, secret)
			if again.header.Get("X-Aftercare-Delivery") != deliveryID || string(again.body) != string(got[0].body) {
				t.Errorf("redelivery: delivery %q, body %s; want the same delivery and body", again.header.Get("X-Aftercare-Delivery"), again.body)
			}
			if it := f.attempts(t, hook.ID, 4)[0]; it.Attempt != 4 || !it.Manual || it.StatusCode == nil || *it.StatusCode != 200 {
				t.Errorf("redelivery logged as %+v, want attempt 4, manual, 200", it)
			}

			f.must(t, http.StatusNotFound, "POST", "/api/v1/webhooks/"+itoa(hook.ID+1)+"/deliveries/"+deliveryID+"/redeliver", f.admin, nil)
			f.must(t, http.StatusNotFound, "POST", "/api/v1/webhooks/"+itoa(hook.ID)+"/deliveries/999999/redeliver", f.admin, nil)
			if logs := f.logs.String(); !strings.Contains(logs, "HTTP 500") || strings.Contains(logs, secret) {
				t.Errorf("logs: want the failed attempts and never the secret; got:\n%s", logs)
			}
		})
	}
}

// TestWebhookEvents checks which changes publish what: a public message
// is message.created, an internal note publishes nothing, a status change
// says from and to, an update lists the changed fields, and an
// unsubscribed event is not delivered.
func TestWebhookEvents(t *testing.T) {
	f := newHookFixture(t, "")
	rcv := newReceiver(t, 0)
	var hook api.CreatedWebhook
	f.must(t, http.StatusCreated, "POST", "/api/v1/webhooks", f.admin, map[string]any{"url": rcv.URL,
		"events": []string{"message.created", "request.status_changed", "request.updated"}}).JSON(t, &hook)
	if !strings.HasPrefix(hook.Secret, "whsec_") || len(hook.Secret) < 26 {
		t.Fatalf("generated secret: got %q", hook.Secret)
	}
	for _, path := range []string{"/api/v1/webhooks/" + itoa(hook.ID), "/api/v1/webhooks", "/api/v1/audit"} {
		if body := f.must(t, http.StatusOK, "GET", path, f.admin, nil).Body; strings.Contains(string(body), hook.Secret) {
			t.Errorf("%s shows the secret after creation: %s", path, body)
		}
	}
	var r api.Request
	f.must(t, http.StatusCreated, "POST", "/api/v1/requests", f.agent, map[string]any{"type": "repair",
		"subject": "Lens error", "customer_id": f.customerID, "channel": "phone", "priority": "normal"}).JSON(t, &r)
	path := "/api/v1/requests/" + r.Number
	f.must(t, http.StatusCreated, "POST", path+"/messages", f.agent, map[string]any{"body": "internal only", "visibility": "internal"})
	f.must(t, http.StatusCreated, "POST", path+"/messages", f.agent, map[string]any{"body": "We will call you."})
	f.must(t, http.StatusOK, "POST", path+"/status", f.agent, map[string]any{"status": "open"})
	f.must(t, http.StatusOK, "PATCH", path, f.agent, map[string]any{"priority": "urgent", "version": 2})

	got := rcv.wait(t, 3)
	byEvent := map[string]envelope{}
	for _, d := range got {
		checkSigned(t, d, hook.Secret)
		var env envelope
		if err := json.Unmarshal(d.body, &env); err != nil {
			t.Fatal(err)
		}
		byEvent[env.Event] = env
	}
	if m := byEvent["message.created"].Data.Message; m == nil || m.Body != "We will call you." || m.Visibility != "public" {
		t.Errorf("message.created: got %+v, want the public reply", m)
	}
	if e := byEvent["request.status_changed"].Data; e.From != "new" || e.To != "open" || e.Request == nil || e.Request.Status != "open" {
		t.Errorf("request.status_changed: got %+v", e)
	}
	if e := byEvent["request.updated"].Data; len(e.Changes) != 1 || e.Changes[0] != (api.FieldChange{Field: "priority", From: "normal", To: "urgent"}) {
		t.Errorf("request.updated: got %+v", e.Changes)
	}
	// Deliveries are recorded in the transaction of the change: by now
	// every one exists, and there are exactly three (no note, no
	// request.created).
	var n int
	if err := f.Store.Read().QueryRow(context.Background(), "SELECT count(*) FROM webhook_deliveries WHERE webhook_id = $1", hook.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("deliveries: got %d, want 3", n)
	}
}

// TestWebhookRefusesPrivateAddresses: without --webhook-allow-private a
// URL that is or resolves to a loopback, private, link-local or ULA
// address is 422 at body.url, and nothing is stored.
func TestWebhookRefusesPrivateAddresses(t *testing.T) {
	a := apitest.Start(t, "")
	admin, _ := a.Staff(t, model.RoleAdmin, "admin@example.com")
	for _, u := range []string{"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]/", "http://10.1.2.3/",
		"https://192.168.0.10/x", "http://172.20.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[fd12:3456::1]/",
		"http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/"} {
		a.Run(t, apitest.Scenario{Name: u, Method: "POST", Path: "/api/v1/webhooks", Token: admin,
			Body:           map[string]any{"url": u, "events": []string{"request.created"}, "secret": "x"},
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`"location":"body.url"`, "--webhook-allow-private"}})
	}
	for _, s := range []apitest.Scenario{
		{Name: "not http", Body: map[string]any{"url": "ftp://example.com/", "events": []string{"request.created"}},
			ExpectedContent: []string{`"location":"body.url"`}},
		{Name: "unknown event", Body: map[string]any{"url": "https://example.com/", "events": []string{"request.created", "order.paid"}},
			ExpectedContent: []string{`body.events[1]`}},
		{Name: "no events", Body: map[string]any{"url": "https://example.com/", "events": []string{}},
			ExpectedContent: []string{`body.events`}},
	} {
		s.Method, s.Path, s.Token, s.ExpectedStatus = "POST", "/api/v1/webhooks", admin, http.StatusUnprocessableEntity
		a.Run(t, s)
	}
	res := a.Do(t, "GET", "/api/v1/webhooks", admin, nil)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"items":[]`) {
		t.Fatalf("after refusals: %d %s, want no webhooks", res.Status, res.Body)
	}
}

// TestOpenAPIDocumentsWebhooks: the OpenAPI document describes what
// receivers get: one webhook per event type, a POST of the payload with
// the signature headers.
func TestOpenAPIDocumentsWebhooks(t *testing.T) {
	a := apitest.Start(t, "")
	var doc struct {
		Webhooks map[string]struct {
			Post struct {
				Parameters  []struct{ Name string } `json:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Ref string `json:"$ref"`
						} `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			} `json:"post"`
		} `json:"webhooks"`
	}
	a.Do(t, "GET", "/api/openapi.json", "", nil).JSON(t, &doc)
	for _, e := range model.EventTypes() {
		w, ok := doc.Webhooks[string(e)]
		if !ok {
			t.Errorf("webhooks lack %s", e)
			continue
		}
		if ref := w.Post.RequestBody.Content["application/json"].Schema.Ref; !strings.HasSuffix(ref, "/EventPayload") {
			t.Errorf("%s: body schema %q, want EventPayload", e, ref)
		}
		var names []string
		for _, p := range w.Post.Parameters {
			names = append(names, p.Name)
		}
		if got := strings.Join(names, " "); got != "X-Aftercare-Event X-Aftercare-Delivery X-Aftercare-Timestamp X-Aftercare-Signature" {
			t.Errorf("%s: headers %s", e, got)
		}
	}
}
