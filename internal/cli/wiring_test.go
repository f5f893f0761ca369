package cli

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

const day = 24 * time.Hour

// testClock is the app's clock: the real time plus an offset that the
// test moves forward (River keeps its own, real, clock).
type testClock struct{ offset atomic.Int64 }

func (c *testClock) now() time.Time      { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) set(d time.Duration) { c.offset.Store(int64(d)) }

// serveConfig parses the shared configuration flags from args (after
// --data-dir, --listen and --database-url) and validates them, as
// "aftercare serve" does.
func serveConfig(tb testing.TB, dataDir, dbURL string, args ...string) config.Config {
	tb.Helper()
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }}
	fs := newFlagSet(env, "serve", "serve [flags]")
	cfg := configFlags(fs, env)
	all := append([]string{"--data-dir", dataDir, "--listen", "127.0.0.1:0", "--database-url", dbURL, "--log-level", "warn"}, args...)
	if err := parseFlags(fs, all); err != nil {
		tb.Fatalf("parse %q: %v", all, err)
	}
	if err := cfg.Validate(); err != nil {
		tb.Fatalf("validate %q: %v", all, err)
	}
	return *cfg
}

// prepare opens the store of cfg only, as the administrative commands
// (user add, token create) do, with clock as app.Main.Now, runs fn and
// closes the store.
func prepare(tb testing.TB, cfg config.Config, clock *testClock, fn func(m *app.Main)) {
	tb.Helper()
	m := app.New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.Now = clock.now
	defer m.Close()
	if err := m.OpenStore(context.Background()); err != nil {
		tb.Fatalf("open store: %v", err)
	}
	fn(m)
}

// serve boots the whole app (HTTP and River) on cfg with clock as
// app.Main.Now, until tb ends.
func serve(tb testing.TB, cfg config.Config, clock *testClock) *apitest.App {
	tb.Helper()
	m := apptest.Start(tb, apptest.Options{Now: clock.now, Configure: func(c *config.Config) { *c = cfg }})
	return &apitest.App{Main: m, Client: &http.Client{Timeout: 60 * time.Second}}
}

// waitJobs waits until River has completed at least n jobs of kind and
// has no job left to run (so a job inserted with them has run too).
func waitJobs(tb testing.TB, a *apitest.App, kind string, n int) {
	tb.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var done, pending int
		err := a.Store.Read().QueryRow(ctx, `SELECT
			(SELECT COUNT(*) FROM river_job WHERE kind = $1 AND state = 'completed'),
			(SELECT COUNT(*) FROM river_job WHERE state NOT IN ('completed', 'cancelled', 'discarded'))`, kind).Scan(&done, &pending)
		if err != nil {
			tb.Fatalf("river jobs: %v", err)
		}
		if done >= n && pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("River did not complete %d %s job(s) in time: %d completed, %d not finished", n, kind, done, pending)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// countJobs counts River jobs of kind, whatever their state.
func countJobs(tb testing.TB, a *apitest.App, kind string) int {
	tb.Helper()
	var n int
	if err := a.Store.Read().QueryRow(context.Background(), "SELECT COUNT(*) FROM river_job WHERE kind = $1", kind).Scan(&n); err != nil {
		tb.Fatalf("river jobs: %v", err)
	}
	return n
}

// wiringActors are an agent and a customer with API tokens, created
// while the store is prepared.
type wiringActors struct {
	agent, customer string          // API tokens
	agentP          model.Principal // the agent, for the domain services
	customerID      int64
}

func newActors(t *testing.T, m *app.Main) wiringActors {
	t.Helper()
	a := &apitest.App{Main: m}
	agent, u := a.Staff(t, model.RoleAgent, "agent@example.com")
	customer, c := a.Customer(t, "Alice", "alice@example.com")
	return wiringActors{agent: agent, customer: customer, customerID: c.ID,
		agentP: model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Role: u.Role}}
}

// open creates a request for the customer and has the agent move it
// through statuses, at the app's current time; it returns the number.
func (w wiringActors) open(t *testing.T, m *app.Main, statuses ...model.Status) string {
	t.Helper()
	ctx := context.Background()
	r, err := m.Requests.Create(ctx, w.agentP, request.CreateInput{Type: model.TypeRepair, Subject: "Fridge is warm",
		CustomerID: w.customerID, Channel: model.ChannelPhone})
	if err != nil {
		t.Fatalf("create request: %v", err)
	}
	for _, st := range statuses {
		if _, err := m.Requests.ChangeStatus(ctx, w.agentP, r.Number, st, model.ChannelWeb); err != nil {
			t.Fatalf("%s → %s: %v", r.Number, st, err)
		}
	}
	return r.Number
}

// setStatus asks the API, with token, to move number to status to.
func setStatus(t *testing.T, a *apitest.App, token, number string, to model.Status, want int) {
	t.Helper()
	res := a.Do(t, "POST", "/api/v1/requests/"+number+"/status", token, map[string]any{"status": to})
	if res.Status != want {
		t.Fatalf("POST %s status %s: got %d, want %d: %s", number, to, res.Status, want, res.Body)
	}
}

// statusOf reads a request's status through the API, as staff.
func (w wiringActors) statusOf(t *testing.T, a *apitest.App, number string) model.Status {
	t.Helper()
	res := a.Do(t, "GET", "/api/v1/requests/"+number, w.agent, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET %s: got %d: %s", number, res.Status, res.Body)
	}
	var r api.Request
	res.JSON(t, &r)
	return r.Status
}

// eachStore runs fn on a fresh data directory and, for PostgreSQL, a fresh
// database (the URL is empty for SQLite).
func eachStore(t *testing.T, fn func(t *testing.T, dataDir, dbURL string)) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var dbURL string
			if d == store.Postgres {
				dbURL = storetest.PostgresURL(t)
			}
			fn(t, t.TempDir(), dbURL)
		})
	}
}

// TestReopenAndAutoCloseFlags runs the app configured by the flags
// --reopen-days 5 --auto-close-days 2 and checks through the API that each
// setting governs its own rule. When the server starts 2½ days after a
// request was resolved, River's auto-close job (which runs at start)
// closes it, and leaves one resolved 1½ days before alone; a closed
// request reopens 5 days minus a minute after closing, and not 5 days
// plus a minute after. Swapping or dropping either setting anywhere
// between the flags and the services breaks a check.
func TestReopenAndAutoCloseFlags(t *testing.T) {
	eachStore(t, func(t *testing.T, dataDir, dbURL string) {
		cfg := serveConfig(t, dataDir, dbURL, "--reopen-days", "5", "--auto-close-days", "2")
		if cfg.ReopenDays != 5 || cfg.AutoCloseDays != 2 {
			t.Fatalf("config from flags: got reopen %d, auto-close %d, want 5 and 2", cfg.ReopenDays, cfg.AutoCloseDays)
		}
		clock := &testClock{}
		var w wiringActors
		var old, recent, reopenable, tooLate string
		prepare(t, cfg, clock, func(m *app.Main) {
			w = newActors(t, m)
			old = w.open(t, m, model.StatusResolved)
			reopenable = w.open(t, m, model.StatusResolved, model.StatusClosed)
			tooLate = w.open(t, m, model.StatusResolved, model.StatusClosed)
			clock.set(1 * day)
			recent = w.open(t, m, model.StatusResolved)
		})

		clock.set(2*day + 12*time.Hour)
		a := serve(t, cfg, clock)
		waitJobs(t, a, "auto_close", 1)
		if got := w.statusOf(t, a, old); got != model.StatusClosed {
			t.Errorf("resolved 2½ days before, --auto-close-days 2: got %s, want closed", got)
		}
		if got := w.statusOf(t, a, recent); got != model.StatusResolved {
			t.Errorf("resolved 1½ days before, --auto-close-days 2: got %s, want resolved", got)
		}

		clock.set(5*day - time.Minute)
		setStatus(t, a, w.customer, reopenable, model.StatusOpen, http.StatusOK)
		if got := w.statusOf(t, a, reopenable); got != model.StatusOpen {
			t.Errorf("reopened 5 days minus a minute after closing, --reopen-days 5: got %s, want open", got)
		}
		clock.set(5*day + time.Minute)
		setStatus(t, a, w.customer, tooLate, model.StatusOpen, http.StatusConflict)
		if got := w.statusOf(t, a, tooLate); got != model.StatusClosed {
			t.Errorf("reopened 5 days plus a minute after closing, --reopen-days 5: got %s, want closed", got)
		}
	})
}

// TestZeroReopenAndAutoCloseDays runs the app configured by
// --reopen-days 0 --auto-close-days 0, starting 1,000 days after a request
// was resolved and another closed: no auto-close job runs and the first
// stays resolved; the second cannot be reopened, by the customer or by
// staff.
func TestZeroReopenAndAutoCloseDays(t *testing.T) {
	eachStore(t, func(t *testing.T, dataDir, dbURL string) {
		cfg := serveConfig(t, dataDir, dbURL, "--reopen-days", "0", "--auto-close-days", "0")
		clock := &testClock{}
		var w wiringActors
		var resolved, closed string
		prepare(t, cfg, clock, func(m *app.Main) {
			w = newActors(t, m)
			resolved = w.open(t, m, model.StatusResolved)
			closed = w.open(t, m, model.StatusResolved, model.StatusClosed)
		})

		clock.set(1000 * day)
		a := serve(t, cfg, clock)
		// River inserts the periodic jobs that run at start together: once
		// the session clean-up has run, an auto-close job would have too.
		waitJobs(t, a, "session_cleanup", 1)
		if n := countJobs(t, a, "auto_close"); n != 0 {
			t.Errorf("auto_close jobs with --auto-close-days 0: got %d, want none", n)
		}
		if got := w.statusOf(t, a, resolved); got != model.StatusResolved {
			t.Errorf("resolved 1,000 days ago, --auto-close-days 0: got %s, want resolved", got)
		}
		setStatus(t, a, w.customer, closed, model.StatusOpen, http.StatusConflict)
		setStatus(t, a, w.agent, closed, model.StatusOpen, http.StatusConflict)
		if got := w.statusOf(t, a, closed); got != model.StatusClosed {
			t.Errorf("closed 1,000 days ago, --reopen-days 0: got %s, want closed", got)
		}
	})
}
