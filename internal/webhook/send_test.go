package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// TestSchedule is the retry schedule of the issue: after about 5 s,
// 30 s, 2 min, 10 min, 1 h, 6 h and 24 h.
func TestSchedule(t *testing.T) {
	s := DefaultSchedule()
	for _, c := range []struct {
		attempt int
		want    time.Duration
	}{
		{1, 5 * time.Second},
		{2, 30 * time.Second},
		{3, 2 * time.Minute},
		{4, 10 * time.Minute},
		{5, time.Hour},
		{6, 6 * time.Hour},
		{7, 24 * time.Hour},
		{8, 24 * time.Hour}, // past the end the last step repeats
	} {
		if got := Backoff(s, c.attempt); got != c.want {
			t.Errorf("after attempt %d: got %s, want %s", c.attempt, got, c.want)
		}
	}
	if len(s) != 7 {
		t.Errorf("retries: got %d, want 7 (8 attempts in all)", len(s))
	}
}

// TestSign checks the signature against a value computed with openssl:
// printf '%s' '1767225600.{"id":1}' | openssl dgst -sha256 -hmac whsec_example
func TestSign(t *testing.T) {
	got := Sign("whsec_example", 1767225600, []byte(`{"id":1}`))
	want := "sha256=e4112245f1fdd792dec55e622a06416583e2b877b7ed40b7200e35bea906dc7e"
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if Sign("other", 1767225600, []byte(`{"id":1}`)) == want || Sign("whsec_example", 1767225601, []byte(`{"id":1}`)) == want {
		t.Fatal("the signature must depend on the secret and the timestamp")
	}
}

func TestBody(t *testing.T) {
	o := outbound("http://x")
	o.OccurredAt = time.Date(2026, 5, 1, 16, 0, 0, 0, time.FixedZone("CST", 8*3600))
	b, err := Body(o)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":3,"event":"request.created","occurred_at":"2026-05-01T08:00:00Z","data":{"x":1}}`
	if string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
}

// newTestService is a Service without a store that may reach 127.0.0.1.
func newTestService(timeout time.Duration, now time.Time) *Service {
	s := &Service{guard: NewGuard(true, nil), timeout: timeout, now: func() time.Time { return now }}
	s.client = newClient(s.guard, timeout)
	return s
}

// TestSendHeaders: a delivery carries its event, delivery id, timestamp
// and signature, as JSON.
func TestSendHeaders(t *testing.T) {
	received := make(chan *http.Request, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received <- r.Clone(context.Background())
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	now := time.Unix(1767225600, 0)
	s := newTestService(2*time.Second, now)
	o := outbound(srv.URL)
	var a model.DeliveryAttempt
	s.send(context.Background(), o, &a)
	if !a.OK() || *a.StatusCode != http.StatusNoContent || a.Error != "" {
		t.Fatalf("attempt: got %+v, want 204 without error", a)
	}
	got := <-received
	body, _ := Body(o)
	for h, want := range map[string]string{
		"X-Aftercare-Event":     "request.created",
		"X-Aftercare-Delivery":  "7",
		"X-Aftercare-Timestamp": "1767225600",
		"X-Aftercare-Signature": Sign("k", 1767225600, body),
		"Content-Type":          "application/json",
	} {
		if v := got.Header.Get(h); v != want {
			t.Errorf("%s: got %q, want %q", h, v, want)
		}
	}
	if got.Method != http.MethodPost {
		t.Errorf("method: got %s, want POST", got.Method)
	}
}

// TestSendFailures: a non-2xx answer, a redirect (never followed) and a
// timeout are failed attempts, each with its kind.
func TestSendFailures(t *testing.T) {
	var followed atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", http.StatusFound) })
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { followed.Store(true) })
	release := make(chan struct{})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(release)
	s := newTestService(200*time.Millisecond, time.Now())
	for _, c := range []struct {
		path   string
		kind   model.AttemptError
		status int
		text   string
	}{
		{"/500", model.AttemptStatus, 500, "HTTP 500"},
		{"/moved", model.AttemptStatus, 302, "not followed"},
		{"/slow", model.AttemptTimeout, 0, "no answer within"},
	} {
		var a model.DeliveryAttempt
		s.send(context.Background(), outbound(srv.URL+c.path), &a)
		status := 0
		if a.StatusCode != nil {
			status = *a.StatusCode
		}
		if a.OK() || a.ErrorKind != c.kind || status != c.status || !strings.Contains(a.Error, c.text) {
			t.Errorf("%s: got %+v (status %d), want kind %q, status %d, error with %q", c.path, a, status, c.kind, c.status, c.text)
		}
	}
	if followed.Load() {
		t.Error("a redirect was followed")
	}
	var a model.DeliveryAttempt
	s.send(context.Background(), outbound("http://127.0.0.1:1/closed"), &a)
	if a.ErrorKind != model.AttemptConnect || a.Error == "" {
		t.Errorf("closed port: got %+v, want a connection error", a)
	}
}
