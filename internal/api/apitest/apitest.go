// Package apitest boots the real Aftercare app (app.Main) for HTTP tests
// of the JSON API and runs table-driven scenarios against it, in the
// style of pocketbase's tests/api.go: each scenario names a request, the
// status it must answer and text its body must and must not contain.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// App is a running instance with its base URL.
type App struct {
	*app.Main
	Client *http.Client
}

// Start boots the app on 127.0.0.1:0 with a fresh SQLite store in a temp
// dir, or on PostgreSQL when databaseURL is set, and stops it when tb ends.
func Start(tb testing.TB, databaseURL string) *App {
	tb.Helper()
	return StartWith(tb, apptest.Options{DatabaseURL: databaseURL})
}

// StartWith is Start with the app's options (configuration, clock, seams).
func StartWith(tb testing.TB, opts apptest.Options) *App {
	tb.Helper()
	if opts.Logger == nil && testing.Verbose() {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	m := apptest.Start(tb, opts)
	return &App{Main: m, Client: &http.Client{Timeout: 60 * time.Second}}
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Staff creates an active staff user with role and returns an API token.
func (a *App) Staff(tb testing.TB, role model.Role, email string) (string, *model.User) {
	tb.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		tb.Fatal(err)
	}
	u := &model.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, Locale: "en", PasswordHash: hash, Active: true}
	if err := a.Store.CreateUser(ctx, u); err != nil {
		tb.Fatalf("create user: %v", err)
	}
	token, _, err := a.Auth.CreateToken(ctx, model.Principal{Kind: model.KindOperator, Name: "test"}, auth.TokenOwner{Email: email}, "test", 0)
	if err != nil {
		tb.Fatalf("create token: %v", err)
	}
	return token, u
}

// Customer creates a customer and returns an API token for it.
func (a *App) Customer(tb testing.TB, name, email string) (string, *model.Customer) {
	tb.Helper()
	ctx := context.Background()
	c := &model.Customer{Name: name, Email: email, Locale: "en"}
	if err := a.Store.CreateCustomer(ctx, c); err != nil {
		tb.Fatalf("create customer: %v", err)
	}
	token, _, err := a.Auth.CreateToken(ctx, model.Principal{Kind: model.KindOperator, Name: "test"}, auth.TokenOwner{Email: email, Customer: true}, "test", 0)
	if err != nil {
		tb.Fatalf("create token: %v", err)
	}
	return token, c
}

// Response is a received answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing tb on error.
func (r *Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Do sends one request, failing tb on a transport error. body may be nil,
// a string or []byte (sent as is), or anything else (sent as JSON).
// headers are "Name: value" pairs.
func (a *App) Do(tb testing.TB, method, path, token string, body any, headers ...string) *Response {
	tb.Helper()
	res, err := a.Try(method, path, token, body, headers...)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	return res
}

// Try is Do that returns transport errors instead of failing, for use
// from other goroutines.
func (a *App) Try(method, path, token string, body any, headers ...string) (*Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.URL()+path, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	res, err := a.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: data}, nil
}

// Scenario is one request and what its answer must look like.
type Scenario struct {
	Name    string
	Method  string
	Path    string
	Token   string
	Body    any
	Headers []string
	// ExpectedStatus is the status the answer must have.
	ExpectedStatus int
	// ExpectedContent must all appear in the body.
	ExpectedContent []string
	// NotExpectedContent must not appear in the body.
	NotExpectedContent []string
	// ExpectedHeaders are "Name: value" pairs the answer must carry.
	ExpectedHeaders []string
}

// Run runs s as a subtest of t and returns the answer.
func (a *App) Run(t *testing.T, s Scenario) *Response {
	t.Helper()
	var res *Response
	t.Run(s.Name, func(t *testing.T) {
		t.Helper()
		res = a.Do(t, s.Method, s.Path, s.Token, s.Body, s.Headers...)
		if res.Status != s.ExpectedStatus {
			t.Errorf("%s %s: got status %d, want %d; body: %s", s.Method, s.Path, res.Status, s.ExpectedStatus, clip(res.Body))
		}
		for _, c := range s.ExpectedContent {
			if !bytes.Contains(res.Body, []byte(c)) {
				t.Errorf("%s %s: body lacks %q; body: %s", s.Method, s.Path, c, clip(res.Body))
			}
		}
		for _, c := range s.NotExpectedContent {
			if bytes.Contains(res.Body, []byte(c)) {
				t.Errorf("%s %s: body has forbidden %q; body: %s", s.Method, s.Path, c, clip(res.Body))
			}
		}
		for _, h := range s.ExpectedHeaders {
			k, v, _ := strings.Cut(h, ":")
			if got := res.Header.Get(strings.TrimSpace(k)); got != strings.TrimSpace(v) {
				t.Errorf("%s %s: header %s: got %q, want %q", s.Method, s.Path, k, got, strings.TrimSpace(v))
			}
		}
	})
	if res == nil {
		res = &Response{}
	}
	return res
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return fmt.Sprintf("%s… (%d bytes)", b[:2000], len(b))
	}
	return string(b)
}
