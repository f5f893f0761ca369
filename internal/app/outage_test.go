package app_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// unavailableKey is the catalog key (the English text) of the message a
// client gets while the database is down.
const unavailableKey = "the service is temporarily unavailable; please try again in a moment"

// TestServeSurvivesPostgresOutage runs the real app on PostgreSQL behind
// a proxy, takes the database away and brings it back. While it is away,
// the API answers 503 problem documents in the reader's language with
// Retry-After, web pages answer a translated 503 page, /healthz answers
// 503, and every answer comes within the client's 10 s timeout. When it
// is back, the same running app serves writes again and River's periodic
// job closes a request resolved after the outage.
func TestServeSurvivesPostgresOutage(t *testing.T) {
	dbURL, proxy := storetest.ProxiedPostgresURL(t)
	var offset atomic.Int64 // the app's clock runs ahead by this much
	m := apptest.Start(t, apptest.Options{DatabaseURL: dbURL, Prepare: func(m *app.Main) {
		m.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
		m.AutoCloseEvery = time.Second
	}})
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, base: m.URL(), http: &http.Client{Timeout: 10 * time.Second, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	token, _ := (&apitest.App{Main: m, Client: c.http}).Staff(t, model.RoleAdmin, "ops@example.com")
	c.token = token

	// Up: a customer, a request, a staff session in the web UI.
	cust := c.mustJSON("POST", "/api/v1/customers", map[string]any{"name": "Outage", "email": "outage@example.com"}, 201)
	newRequest := map[string]any{"type": "repair", "subject": "before", "description": "d",
		"customer_id": cust["id"], "channel": "api", "priority": "normal"}
	before := c.mustJSON("POST", "/api/v1/requests", newRequest, 201)["number"].(string)
	res, _ := c.do("POST", "/login", "", strings.NewReader(url.Values{"login": {"ops@example.com"},
		"password": {"correct horse battery staple"}}.Encode()), "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("web login: got %d, want 303", res.StatusCode)
	}
	if res, _ := c.do("GET", "/queue", "", nil, ""); res.StatusCode != 200 {
		t.Fatalf("queue before the outage: got %d, want 200", res.StatusCode)
	}

	proxy.Down()
	for _, lang := range i18n.Languages() {
		want := bundle.T(lang, unavailableKey)
		for _, call := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/api/v1/requests/" + before, nil},
			{"POST", "/api/v1/requests", newRequest},
			{"POST", "/api/v1/requests/" + before + "/messages", map[string]any{"body": "lost", "visibility": "public"}},
		} {
			var rd io.Reader
			if call.body != nil {
				b, _ := json.Marshal(call.body)
				rd = bytes.NewReader(b)
			}
			res, raw := c.do(call.method, call.path, lang, rd, "application/json")
			name := lang + " " + call.method + " " + call.path
			checkUnavailable(t, name, res)
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: content type: got %q, want application/problem+json", name, ct)
			}
			var p struct {
				Status int    `json:"status"`
				Detail string `json:"detail"`
			}
			if err := json.Unmarshal(raw, &p); err != nil || p.Status != 503 || p.Detail != want {
				t.Errorf("%s: problem: got %s (%v), want status 503 and detail %q", name, raw, err, want)
			}
		}
		res, page := c.do("GET", "/queue", lang, nil, "")
		checkUnavailable(t, lang+" web /queue", res)
		for _, key := range []string{"error.503.title", "error.503.message"} {
			if text := html.EscapeString(bundle.T(lang, key)); !strings.Contains(string(page), text) {
				t.Errorf("%s web /queue: page lacks %q", lang, text)
			}
		}
	}
	if zh, en := bundle.T(i18n.ZhCN, unavailableKey), bundle.T(i18n.En, unavailableKey); zh == en {
		t.Errorf("the 503 message is not translated: %q in both languages", zh)
	}
	// Stay down for a few seconds, long enough for River's fetch loop,
	// notifier and periodic jobs to fail and back off; /healthz says so
	// all along.
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
		if res, _ := c.do("GET", "/healthz", "", nil, ""); res.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("healthz while down: got %d, want 503", res.StatusCode)
		}
	}

	proxy.Up(t)
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, _ := c.do("GET", "/healthz", "", nil, "")
		if res.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("healthz after the outage: still %d after 30 s", res.StatusCode)
		}
		time.Sleep(100 * time.Millisecond)
	}
	newRequest["subject"] = "after"
	after := c.mustJSON("POST", "/api/v1/requests", newRequest, 201)["number"].(string)
	c.mustJSON("POST", "/api/v1/requests/"+after+"/messages", map[string]any{"body": "back", "visibility": "public"}, 201)
	if got := c.mustJSON("GET", "/api/v1/requests/"+before, nil, 200)["subject"]; got != "before" {
		t.Errorf("request from before the outage: subject got %v, want before", got)
	}
	if res, _ := c.do("GET", "/queue", "", nil, ""); res.StatusCode != 200 {
		t.Errorf("queue after the outage: got %d, want 200", res.StatusCode)
	}

	// River works again: resolve a request, let the clock run 8 days
	// ahead, and the periodic auto-close job (every second here) closes it.
	c.mustJSON("POST", "/api/v1/requests/"+after+"/status", map[string]any{"status": "resolved"}, 200)
	offset.Store(int64(8 * 24 * time.Hour))
	deadline = time.Now().Add(45 * time.Second)
	for {
		r := c.mustJSON("GET", "/api/v1/requests/"+after, nil, 200)
		if r["status"] == "closed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("auto-close did not run within 45 s of the outage's end (status %v)", r["status"])
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkUnavailable checks a 503 with Retry-After.
func checkUnavailable(t *testing.T, name string, res *http.Response) {
	t.Helper()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("%s: status got %d, want 503", name, res.StatusCode)
	}
	if got, want := res.Header.Get("Retry-After"), strconv.Itoa(model.RetryAfterSeconds); got != want {
		t.Errorf("%s: Retry-After got %q, want %q", name, got, want)
	}
}

// client calls the app with a 10 s timeout: an answer that does not come
// in time fails the test.
type client struct {
	t     *testing.T
	base  string
	token string
	http  *http.Client
}

// do sends one request (with the bearer token for /api paths) and reads
// the whole answer.
func (c *client) do(method, path, lang string, body io.Reader, contentType string) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return res, raw
}

// mustJSON calls the API with a JSON body and decodes the answer, which
// must have status want.
func (c *client) mustJSON(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	res, raw := c.do(method, path, "", rd, "application/json")
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: got %d %s, want %d", method, path, res.StatusCode, raw, want)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	return out
}
