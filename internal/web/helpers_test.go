package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

const password = "correct-horse-battery"

// fixture is a running app with one agent, two customers with portal
// passwords, and a request of each customer.
type fixture struct {
	m          *app.Main
	agent      model.Principal
	alice, bob model.Principal
	aliceReq   *model.Request
	bobReq     *model.Request
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, apptest.Options{})
}

// newFixtureWith is newFixture on the real app booted with opts
// (127.0.0.1:0, a fresh SQLite store).
func newFixtureWith(t *testing.T, opts apptest.Options) *fixture {
	t.Helper()
	m := apptest.Start(t, opts)
	ctx := context.Background()
	f := &fixture{m: m}
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &model.User{Email: "agent@example.com", Name: "Wang Fang", Role: model.RoleAgent, PasswordHash: hash, Active: true}
	if err := m.Store.CreateUser(ctx, u); err != nil {
		t.Fatalf("create user: %v", err)
	}
	f.agent = model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Role: u.Role}
	mkCustomer := func(name, email, phone string) model.Principal {
		c := &model.Customer{Name: name, Email: email, Phone: phone}
		if err := m.Store.CreateCustomer(ctx, c); err != nil {
			t.Fatalf("create customer: %v", err)
		}
		if err := m.Store.SetCustomerPassword(ctx, c.ID, hash); err != nil {
			t.Fatal(err)
		}
		return model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: c.Name}
	}
	f.alice = mkCustomer("Alice Chen", "alice@example.com", "13800000001")
	f.bob = mkCustomer("Bob Li", "bob@example.com", "13800000002")
	f.aliceReq, err = m.Requests.Create(ctx, f.alice, request.CreateInput{Type: model.TypeRepair,
		Subject: "Lens error on power-up", Description: "The camera shows a lens error."})
	if err != nil {
		t.Fatal(err)
	}
	f.bobReq, err = m.Requests.Create(ctx, f.bob, request.CreateInput{Type: model.TypeReturn, Subject: "Return my blender"})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// staff adds an active staff user of role, named by email, who logs in
// with password.
func (f *fixture) staff(t *testing.T, email string, role model.Role) model.Principal {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &model.User{Email: email, Name: email, Role: role, PasswordHash: hash, Active: true}
	if err := f.m.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Role: u.Role}
}

// client is a browser-like HTTP client with a cookie jar that does not
// follow redirects (tests look at them).
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
	lang string // Accept-Language
}

func newClient(t testing.TB, m *app.Main, lang string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: m.URL(), lang: lang, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a read response.
type response struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		c.t.Fatal(err)
	}
	return response{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
}

func (c *client) get(path string, header ...string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values, header ...string) response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

// loginStaff logs the client in as the agent.
func (c *client) loginStaff() {
	c.t.Helper()
	res := c.post("/login", url.Values{"login": {"agent@example.com"}, "password": {password}})
	if res.status != http.StatusSeeOther || res.location != "/queue" {
		c.t.Fatalf("staff login: got %d → %q, want 303 → /queue\n%s", res.status, res.location, res.body)
	}
}

// loginCustomer logs the client in to the portal with login (e-mail or
// mobile number).
func (c *client) loginCustomer(login string) {
	c.t.Helper()
	res := c.post("/portal/login", url.Values{"login": {login}, "password": {password}})
	if res.status != http.StatusSeeOther || res.location != "/portal" {
		c.t.Fatalf("portal login: got %d → %q, want 303 → /portal\n%s", res.status, res.location, res.body)
	}
}

// expect checks status and the presence and absence of texts.
func expect(t *testing.T, name string, res response, status int, want []string, forbid []string) {
	t.Helper()
	if res.status != status {
		t.Errorf("%s: got status %d, want %d", name, res.status, status)
	}
	for _, w := range want {
		if !strings.Contains(res.body, w) {
			t.Errorf("%s: body lacks %q", name, w)
		}
	}
	for _, f := range forbid {
		if strings.Contains(res.body, f) {
			t.Errorf("%s: body contains %q, which it must not", name, f)
		}
	}
	if t.Failed() && len(res.body) > 0 {
		t.Logf("%s body:\n%.3000s", name, res.body)
	}
}
