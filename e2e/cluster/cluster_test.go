// Package cluster_test runs Aftercare as it is deployed on many nodes:
// three `aftercare serve` processes (the real binary, built once) on one
// fresh PostgreSQL database, behind HAProxy configured from
// deploy/haproxy.cfg, all on loopback. It needs PostgreSQL
// (AFTERCARE_TEST_PG_URL) and HAProxy, and skips without them unless
// AFTERCARE_REQUIRE names pg or lb.
package cluster_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/loadgen"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store/storetest"
	"github.com/aftercare/aftercare/internal/web"
)

// cluster is the system under test.
type cluster struct {
	nodes []*node
	lb    *balancer
	// admin opens the same database in the test process (no HTTP, no
	// jobs) to seed users and settings and to check the rows.
	admin *app.Main
	// Staff credentials (see seed).
	email, password, agent, manager string
}

const staffPassword = "correct horse battery staple"

// drainDelay is each node's --drain-delay: above the balancer's
// inter × fall (2 s) in deploy/haproxy.cfg.
const drainDelay = "3s"

func TestCluster(t *testing.T) {
	haproxy := findHAProxy(t)
	pgURL := storetest.PostgresURL(t)
	dir := t.TempDir()
	bin := buildBinary(t, dir)

	c := &cluster{}
	var addrs []string
	for i := range 3 {
		addr := freePort(t)
		addrs = append(addrs, addr)
		n := &node{name: fmt.Sprintf("node%d", i+1), addr: addr, bin: bin,
			log: filepath.Join(dir, fmt.Sprintf("node%d.log", i+1)),
			args: []string{"serve", "--database-url", pgURL, "--listen", addr,
				"--data-dir", filepath.Join(dir, fmt.Sprintf("node%d", i+1)),
				"--drain-delay", drainDelay, "--trusted-proxies", "127.0.0.1", "--log-level", "info"}}
		c.nodes = append(c.nodes, n)
		t.Cleanup(n.kill)
	}
	// All three start at once on the empty database: each migrates at
	// start-up, one at a time.
	for _, n := range c.nodes {
		n.start(t)
	}
	for _, n := range c.nodes {
		n.ready(t)
	}
	defer func() {
		if t.Failed() {
			for _, n := range c.nodes {
				t.Logf("%s log:\n%s", n.name, n.tail())
			}
		}
	}()
	c.seed(t, pgURL)
	front, stats := freePort(t), freePort(t)
	c.lb = startBalancer(t, haproxy, dir, front, stats, balancerConfig(t, front, stats, addrs))
	for _, n := range c.nodes {
		c.lb.waitState(t, n.name, "UP")
	}

	t.Run("session on every node", c.sessions)
	t.Run("file uploaded on one node, downloaded on others", c.sharedFiles)
	t.Run("live update across nodes", c.liveAcrossNodes)
	t.Run("timers and periodic jobs once", c.jobsOnce)
	t.Run("rolling restart under load", c.rollingRestart)
}

// seed opens the database in the test process and creates what the
// checks need: an admin who signs in with a password, an agent's and a
// manager's API tokens.
func (c *cluster) seed(t *testing.T, pgURL string) {
	t.Helper()
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir, cfg.DatabaseURL = t.TempDir(), pgURL
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	c.admin = app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := c.admin.OpenStore(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.admin.Close() })
	hash, err := auth.HashPassword(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	c.email, c.password = "admin@example.com", staffPassword
	op := model.Principal{Kind: model.KindOperator, Name: "test"}
	for _, u := range []*model.User{
		{Email: c.email, Name: "Admin", Role: model.RoleAdmin, Locale: "en", PasswordHash: hash, Active: true},
		{Email: "agent@example.com", Name: "Agent", Role: model.RoleAgent, Locale: "en", PasswordHash: hash, Active: true},
		{Email: "manager@example.com", Name: "Manager", Role: model.RoleManager, Locale: "en", PasswordHash: hash, Active: true},
	} {
		if err := c.admin.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if c.agent, _, err = c.admin.Auth.CreateToken(ctx, op, auth.TokenOwner{Email: "agent@example.com"}, "cluster", 0); err != nil {
		t.Fatal(err)
	}
	if c.manager, _, err = c.admin.Auth.CreateToken(ctx, op, auth.TokenOwner{Email: "manager@example.com"}, "cluster", 0); err != nil {
		t.Fatal(err)
	}
}

// count runs a COUNT query on the shared database.
func (c *cluster) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := c.admin.Store.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// sessions signs in on node 1 and uses the session cookie on the other
// nodes directly and through the balancer: sessions live in PostgreSQL.
func (c *cluster) sessions(t *testing.T) {
	form := url.Values{"login": {c.email}, "password": {c.password}}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(c.nodes[0].URL()+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie string
	for _, ck := range resp.Cookies() {
		if ck.Name == web.SessionCookie {
			cookie = ck.Name + "=" + ck.Value
		}
	}
	if resp.StatusCode != http.StatusSeeOther || cookie == "" {
		t.Fatalf("sign-in on node1: got %d and no session cookie, want 303 with %s", resp.StatusCode, web.SessionCookie)
	}
	// Without the cookie the queue sends visitors to the sign-in page:
	// the checks below tell a session from its absence.
	if status, body := httpGet(c.nodes[1].URL()+"/queue", ""); status != http.StatusSeeOther || !strings.Contains(body, "/login") {
		t.Fatalf("queue without a session: got %d %.100s, want 303 to /login", status, body)
	}
	targets := []string{c.nodes[0].URL(), c.nodes[1].URL(), c.nodes[2].URL()}
	for range 6 { // round robin: each node twice
		targets = append(targets, c.lb.URL())
	}
	for _, base := range targets {
		status, body := httpGet(base+"/queue", cookie)
		if status != http.StatusOK || !strings.Contains(body, "Admin") {
			t.Errorf("queue on %s with node1's session: got %d %.100s, want 200 naming the user", base, status, body)
		}
	}
}

// jobsOnce files requests through the balancer (round robin: on every
// node) under an SLA policy due at once, and checks that every SLA timer
// fired exactly once — each warning and breach one alert row and one
// timeline event, though three nodes run River — and that each periodic
// job that runs at start-up and then hourly was enqueued once (by the
// leader), not once per node.
func (c *cluster) jobsOnce(t *testing.T) {
	ctx := context.Background()
	admin := model.Principal{Kind: model.KindStaff, Name: "admin", Role: model.RoleAdmin}
	day := [][]string{{"00:00", "24:00"}}
	cal, err := c.admin.Calendars.Create(ctx, admin, calendar.CreateInput{Input: calendar.Input{Name: "Always", TimeZone: "UTC",
		Hours: map[string][][]string{"mon": day, "tue": day, "wed": day, "thu": day, "fri": day, "sat": day, "sun": day}}})
	if err != nil {
		t.Fatal(err)
	}
	zero := 0
	if _, err := c.admin.SLA.CreatePolicy(ctx, admin, sla.PolicyInput{Name: "Now", CalendarID: cal.ID,
		WarnBeforeMinutes: &zero}); err != nil {
		t.Fatal(err)
	}
	cust := &model.Customer{Name: "SLA customer", Phone: "13900000000", Locale: "en"}
	if err := c.admin.Store.CreateCustomer(ctx, cust); err != nil {
		t.Fatal(err)
	}
	const requests = 6
	const want = requests * 4 // two clocks × (warning, breach)
	for i := range requests {
		body := fmt.Sprintf(`{"type":"repair","subject":"SLA %d","description":"x","customer_id":%d,"channel":"phone"}`, i, cust.ID)
		if status, out := apiCall(c.lb.URL(), "POST", "/api/v1/requests", c.agent, body); status != http.StatusCreated {
			t.Fatalf("create through the balancer: got %d %s", status, out)
		}
	}
	deadline := time.Now().Add(45 * time.Second)
	for c.count(t, "SELECT COUNT(*) FROM sla_alerts") < want && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second) // a duplicate firing would land now
	if n := c.count(t, "SELECT COUNT(*) FROM sla_alerts"); n != want {
		t.Errorf("SLA timers recorded %d alerts, want %d (each once)", n, want)
	}
	if n := c.count(t, "SELECT COUNT(*) FROM events WHERE kind IN ('sla_warning', 'sla_breached')"); n != want {
		t.Errorf("%d SLA timeline events, want %d", n, want)
	}
	// One timer per request at its nearest instant (here all four are the
	// creation), leaving one for the next instant when it fires.
	if n := c.count(t, "SELECT COUNT(*) FROM river_job WHERE kind = 'sla_timer'"); n != requests {
		t.Errorf("%d SLA timer jobs, want one per request (%d)", n, requests)
	}
	hourly := []string{"session_cleanup", "upload_cleanup", "webhook_cleanup", "survey_expiry_sweep"}
	for _, kind := range hourly {
		deadline := time.Now().Add(30 * time.Second)
		for c.count(t, "SELECT COUNT(*) FROM river_job WHERE kind = $1", kind) == 0 && time.Now().Before(deadline) {
			time.Sleep(200 * time.Millisecond)
		}
		if n := c.count(t, "SELECT COUNT(*) FROM river_job WHERE kind = $1", kind); n != 1 {
			t.Errorf("periodic job %s enqueued %d times by three nodes, want once (by the leader)", kind, n)
		}
	}
}

// rollingRestart writes through the balancer with the load generator
// while each node in turn gets SIGTERM, exits 0 and starts again; every
// request the API acknowledged must be in the database, and fewer than
// 0.1 % of the operations may fail. AFTERCARE_CLUSTER_ROUNDS=N restarts
// every node N times (one round by default).
func (c *cluster) rollingRestart(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var mu sync.Mutex
	var acked []string
	type outcome struct {
		res *loadgen.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := loadgen.Run(ctx, loadgen.Options{URL: c.lb.URL(), Token: c.manager, Op: loadgen.OpCreate,
			Count: 10_000_000, Concurrency: 8, Timeout: 5 * time.Minute, Stderr: testWriter{t},
			Acknowledged: func(number string) {
				mu.Lock()
				acked = append(acked, number)
				mu.Unlock()
			}})
		done <- outcome{res, err}
	}()
	ackedSoFar := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(acked)
	}
	for ackedSoFar() < 100 {
		select {
		case o := <-done:
			t.Fatalf("load generator stopped early: %v", o.err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	rounds := 1
	if v, err := strconv.Atoi(os.Getenv("AFTERCARE_CLUSTER_ROUNDS")); err == nil && v > 0 {
		rounds = v // a longer run by hand
	}
	start := time.Now()
	for _, n := range slices.Repeat(c.nodes, rounds) {
		before := ackedSoFar()
		n.stop(t)
		c.lb.waitState(t, n.name, "DOWN")
		n.start(t)
		n.ready(t)
		c.lb.waitState(t, n.name, "UP")
		t.Logf("%s restarted; %d writes acknowledged meanwhile", n.name, ackedSoFar()-before)
	}
	restarts := time.Since(start)
	time.Sleep(time.Second)
	stop()
	o := <-done
	if o.res == nil {
		t.Fatalf("load generator: %v", o.err)
	}
	res := o.res
	t.Logf("%d rolling restart(s) of 3 nodes in %v under load: %d creates, %d errors (%.3f %%), %.0f /s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms",
		rounds, restarts.Round(100*time.Millisecond), res.Count, res.Errors, 100*float64(res.Errors)/float64(max(res.Count, 1)),
		res.RPS, res.P50, res.P90, res.P99)
	if res.Errors*1000 >= res.Count {
		t.Errorf("%d errors in %d operations: want under 0.1 %%", res.Errors, res.Count)
	}
	rows, err := c.admin.Store.Read().Query(context.Background(), "SELECT number FROM requests")
	if err != nil {
		t.Fatal(err)
	}
	var stored []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, s)
	}
	rows.Close()
	slices.Sort(stored)
	mu.Lock()
	defer mu.Unlock()
	missing := 0
	for _, number := range acked {
		if _, found := slices.BinarySearch(stored, number); !found {
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged request %s is not in the database", number)
			}
		}
	}
	if missing > 0 || len(acked) == 0 {
		t.Errorf("%d of %d acknowledged writes missing", missing, len(acked))
	}
}

// apiCall sends one JSON API call on a fresh connection.
func apiCall(base, method, path, token, body string) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// testWriter sends the load generator's error line to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
