package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
)

// TestGracefulStop stops a serving app the way SIGTERM does (its context
// ends) and checks each promise of the graceful stop in order: during the
// drain /healthz answers 503 "draining" while the API still answers; then
// an open event stream ends at once (it would otherwise hold the stop for
// the whole --shutdown-timeout, here a minute); a request in flight — its
// body still arriving — is finished and its write kept; new connections
// are refused; and Run returns nil (the process exits 0).
func TestGracefulStop(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir, cfg.Listen = t.TempDir(), "127.0.0.1:0"
	cfg.DrainDelay = 2 * time.Second
	cfg.ShutdownTimeout = time.Minute
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	token, customerID := drainFixture(t, m)
	m.SetReady(true)
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	// An open event stream, on its own connection.
	streamEnded := make(chan struct{})
	{
		req, _ := http.NewRequest("GET", m.URL()+"/api/v1/events/stream", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := (&http.Client{Transport: &http.Transport{}}).Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("stream: %v %v", res, err)
		}
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() && sc.Text() != "event: ready" {
		}
		go func() {
			defer close(streamEnded)
			defer res.Body.Close()
			_, _ = io.Copy(io.Discard, res.Body)
		}()
	}

	// A request in flight: its body arrives in two parts, around the stop.
	body := fmt.Sprintf(`{"type":"repair","subject":"in flight at the stop","description":"x","customer_id":%d,"channel":"phone"}`, customerID)
	pr, pw := io.Pipe()
	inflight := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest("POST", m.URL()+"/api/v1/requests", pr)
		req.ContentLength = int64(len(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := (&http.Client{Transport: &http.Transport{}}).Do(req)
		if err != nil {
			t.Errorf("request in flight: %v", err)
		}
		inflight <- res
	}()
	if _, err := io.WriteString(pw, body[:20]); err != nil {
		t.Fatal(err)
	}

	stop() // SIGTERM
	// Run notices the end of its context on its own goroutine, so /healthz
	// turns to "draining" a moment after the signal, not at the instant of
	// it; on a loaded machine that moment can be long. It must turn well
	// within the drain (two seconds here; the request in flight below must
	// still finish its body within huma's five-second body read timeout).
	status, text := get(t, m.URL()+"/healthz", "")
	for deadline := time.Now().Add(1500 * time.Millisecond); text != "draining" && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		status, text = get(t, m.URL()+"/healthz", "")
	}
	if status != http.StatusServiceUnavailable || text != "draining" {
		t.Errorf("/healthz while draining: got %d %q, want 503 \"draining\"", status, text)
	}
	if status, _ := get(t, m.URL()+"/api/v1/requests?limit=1", token); status != http.StatusOK {
		t.Errorf("API while draining: got %d, want 200 (still serving)", status)
	}
	select {
	case <-streamEnded:
		t.Error("the event stream ended during the drain; it should last until the server stops accepting")
	default:
	}

	select {
	case <-streamEnded:
	case <-time.After(30 * time.Second):
		t.Fatal("the event stream was not ended by the shutdown")
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) before the request in flight finished", err)
	default:
	}
	if _, err := net.Dial("tcp", m.Addr()); err == nil {
		t.Error("a new connection was accepted after the drain")
	}
	if _, err := io.WriteString(pw, body[20:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	res := <-inflight
	if res == nil {
		t.FailNow()
	}
	var created struct {
		Number string `json:"number"`
	}
	if err := json.NewDecoder(res.Body).Decode(&created); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("request in flight: got %d (%v), want 201", res.StatusCode, err)
	}
	res.Body.Close()
	if !res.Close {
		t.Error("the last answer of a stopping server should say Connection: close")
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v, want nil (exit 0)", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after the last request")
	}
	if _, err := m.Store.RequestByNumber(context.Background(), created.Number); err != nil {
		t.Errorf("the request acknowledged during the stop is missing: %v", err)
	}
}

// drainFixture creates an agent with an API token and a customer.
func drainFixture(t *testing.T, m *app.Main) (token string, customerID int64) {
	t.Helper()
	ctx := context.Background()
	u := &model.User{Email: "agent@example.com", Name: "agent", Role: model.RoleAgent, Locale: "en", Active: true}
	if err := m.Store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	token, _, err := m.Auth.CreateToken(ctx, model.Principal{Kind: model.KindOperator, Name: "test"},
		auth.TokenOwner{Email: u.Email}, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := &model.Customer{Name: "C", Email: "c@example.com", Locale: "en"}
	if err := m.Store.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	return token, c.ID
}

// get sends a GET on a fresh connection and returns the status and body.
func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, strings.TrimSpace(string(b))
}
