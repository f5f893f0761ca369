package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// loadClients is how many clients write at once while the server is
// killed.
const loadClients = 16

// ackedMessage is a message the server answered 201 for.
type ackedMessage struct {
	id         string
	body       string
	visibility string
}

// ackedRequest is a request the server answered 201 for, with the
// messages acknowledged on it.
type ackedRequest struct {
	number, subject, description string
	messages                     []ackedMessage
}

// loadRun is what the clients of one run did.
type loadRun struct {
	inflight atomic.Int64 // requests sent and not yet answered

	mu       sync.Mutex
	requests []*ackedRequest
	cut      int     // requests that were in flight when the server died
	refused  int     // requests sent after it died
	failures []error // anything else: a live server answering an error
}

// TestAcknowledgedWritesSurviveSIGKILLUnderLoad runs 16 clients that
// create requests and add public replies and internal notes to them, and
// SIGKILLs the server while requests are in flight. After a restart on
// the same data, every request and message that got a 201 is there with
// the same content and its timeline event, and the store holds nothing
// half-written, also among the writes that were never acknowledged.
func TestAcknowledgedWritesSurviveSIGKILLUnderLoad(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		survivesKillUnderLoad(t, store.Options{SQLitePath: filepath.Join(dir, "aftercare.db")}, "--data-dir", dir)
	})
	t.Run("postgres", func(t *testing.T) {
		url := storetest.PostgresURL(t)
		survivesKillUnderLoad(t, store.Options{DatabaseURL: url}, "--data-dir", t.TempDir(), "--database-url", url)
	})
}

func survivesKillUnderLoad(t *testing.T, opts store.Options, storeArgs ...string) {
	token := adminToken(t, storeArgs...)
	srv := startChild(t, append([]string{"--listen", "127.0.0.1:0"}, storeArgs...)...)
	code, cust := srv.api(t, "POST", "/api/v1/customers", token, map[string]any{"name": "Load", "email": "load@example.com"})
	if code != 201 {
		t.Fatalf("create customer: %d %v", code, cust)
	}

	run := &loadRun{}
	var wg sync.WaitGroup
	for w := range loadClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run.client(srv.url, token, cust["id"], w)
		}()
	}
	clientsDone := make(chan struct{})
	go func() {
		wg.Wait()
		close(clientsDone)
	}()
	// Let the clients write for a while, then kill the server while
	// requests are in flight.
	select {
	case <-time.After(2 * time.Second):
	case <-clientsDone:
		srv.fail(t, "the clients stopped before the kill: %v", firstErrors(run.failuresSoFar()))
	}
	for deadline := time.Now().Add(10 * time.Second); run.inflight.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			srv.fail(t, "no request in flight for 10 s: %v", firstErrors(run.failuresSoFar()))
		}
	}
	sampled := run.inflight.Load()
	srv.kill(t)
	select {
	case <-clientsDone:
	case <-time.After(childDeadline):
		t.Fatalf("clients still running %s after the kill", childDeadline)
	}

	if len(run.failures) > 0 {
		t.Fatalf("a live server answered errors: %v", firstErrors(run.failures))
	}
	if run.cut == 0 {
		t.Fatalf("no request was in flight at the kill (%d refused afterwards); the test proved nothing", run.refused)
	}
	acked, ackedMsgs := len(run.requests), 0
	for _, r := range run.requests {
		ackedMsgs += len(r.messages)
	}
	t.Logf("acknowledged before SIGKILL: %d requests, %d messages; in flight at the kill: %d (%d sampled just before it); refused after it: %d",
		acked, ackedMsgs, run.cut, sampled, run.refused)

	srv = startChild(t, append([]string{"--listen", "127.0.0.1:0"}, storeArgs...)...)
	for _, r := range run.requests {
		checkAcked(t, srv, token, r)
	}
	dbRequests, dbMessages := checkInvariants(t, opts)
	t.Logf("in the store after the restart: %d requests, %d messages (%d and %d committed but never acknowledged)",
		dbRequests, dbMessages, dbRequests-acked, dbMessages-ackedMsgs)
	if dbRequests < acked || dbMessages < ackedMsgs {
		t.Errorf("store holds %d requests and %d messages, fewer than the %d and %d acknowledged", dbRequests, dbMessages, acked, ackedMsgs)
	}
}

// client creates requests and adds three messages to each (public,
// internal, public) until the server dies.
func (l *loadRun) client(url, token string, customerID any, w int) {
	client := newClient()
	for i := 0; ; i++ {
		r := &ackedRequest{subject: fmt.Sprintf("load w%02d r%04d", w, i), description: fmt.Sprintf("client %d, request %d", w, i)}
		out, ok := l.post(client, url+"/api/v1/requests", token, map[string]any{"type": "repair", "subject": r.subject,
			"description": r.description, "customer_id": customerID, "channel": "api", "priority": "normal"})
		if !ok {
			return
		}
		r.number, _ = out["number"].(string)
		l.mu.Lock()
		l.requests = append(l.requests, r)
		l.mu.Unlock()
		for k, vis := range []string{"public", "internal", "public"} {
			m := ackedMessage{body: fmt.Sprintf("w%02d r%04d m%d %s", w, i, k, vis), visibility: vis}
			out, ok := l.post(client, url+"/api/v1/requests/"+r.number+"/messages", token, map[string]any{"body": m.body, "visibility": vis})
			if !ok {
				return
			}
			id, _ := out["id"].(float64)
			m.id = strconv.FormatInt(int64(id), 10)
			l.mu.Lock()
			r.messages = append(r.messages, m)
			l.mu.Unlock()
		}
	}
}

// post sends one write and reports whether it was acknowledged with a
// 201. A write the dying server never answered is counted as cut (or
// refused, when it was sent after the kill).
func (l *loadRun) post(client *http.Client, url, token string, body any) (map[string]any, bool) {
	l.inflight.Add(1)
	code, out, err := tryAPI(client, http.MethodPost, url, token, body)
	l.inflight.Add(-1)
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case err != nil && errors.Is(err, syscall.ECONNREFUSED):
		l.refused++
	case err != nil:
		l.cut++
	case code != http.StatusCreated:
		l.failures = append(l.failures, fmt.Errorf("POST %s: %d %v", url, code, out))
	default:
		return out, true
	}
	return nil, false
}

// checkAcked reads an acknowledged request back through the API: its
// fields, each acknowledged message, and one timeline event for its
// creation and for each message.
func checkAcked(t *testing.T, srv *child, token string, want *ackedRequest) {
	t.Helper()
	code, got := srv.api(t, "GET", "/api/v1/requests/"+want.number, token, nil)
	if code != 200 {
		t.Fatalf("%s after SIGKILL: got %d %v, want 200", want.number, code, got)
	}
	if got["subject"] != want.subject || got["description"] != want.description {
		t.Errorf("%s: got subject %q description %q, want %q %q", want.number, got["subject"], got["description"], want.subject, want.description)
	}
	messages := map[string]map[string]any{}
	for _, m := range asList(got["messages"]) {
		messages[fmt.Sprint(m["id"])] = m
	}
	events := map[string]int{} // kind + new value
	for _, e := range asList(got["timeline"]) {
		events[fmt.Sprint(e["kind"], " ", e["new_value"])]++
	}
	if n := events["created new"]; n != 1 {
		t.Errorf("%s: %d created events, want 1", want.number, n)
	}
	for _, m := range want.messages {
		g, ok := messages[m.id]
		if !ok || g["body"] != m.body || g["visibility"] != m.visibility {
			t.Errorf("%s: message %s: got %v, want body %q visibility %s", want.number, m.id, g, m.body, m.visibility)
		}
		kind := map[string]string{"public": "message", "internal": "note"}[m.visibility]
		if n := events[kind+" "+m.id]; n != 1 {
			t.Errorf("%s: %d %s events for message %s, want 1", want.number, n, kind, m.id)
		}
	}
}

func asList(v any) []map[string]any {
	items, _ := v.([]any)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// checkInvariants opens the store directly and checks every row, whether
// its write was acknowledged or not: request numbers are finished and
// unique, each year's counter is at least the highest number issued,
// each request has exactly one created event, and messages and their
// timeline events match one to one. It returns the numbers of requests
// and messages.
func checkInvariants(t *testing.T, opts store.Options) (requests, messages int) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, opts)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	q := st.Read()

	// A finished request number; one that still has its temporary number
	// was half-written.
	numberPattern := regexp.MustCompile(`^SR-(\d{4})-(\d{6})$`)
	highest := map[int]int{}
	seen := map[string]bool{}
	eachRow(t, q, "SELECT number FROM requests", func(scan func(...any) error) {
		var number string
		if err := scan(&number); err != nil {
			t.Fatal(err)
		}
		requests++
		m := numberPattern.FindStringSubmatch(number)
		if m == nil {
			t.Errorf("request number %q is not a finished number", number)
			return
		}
		if seen[number] {
			t.Errorf("request number %s issued twice", number)
		}
		seen[number] = true
		year, _ := strconv.Atoi(m[1])
		seq, _ := strconv.Atoi(m[2])
		highest[year] = max(highest[year], seq)
	})
	counters := map[int]int{}
	eachRow(t, q, "SELECT year, last FROM request_counters", func(scan func(...any) error) {
		var year, last int
		if err := scan(&year, &last); err != nil {
			t.Fatal(err)
		}
		counters[year] = last
	})
	for year, seq := range highest {
		if counters[year] < seq {
			t.Errorf("counter of %d is %d, below the highest number issued, %d", year, counters[year], seq)
		}
	}
	eachRow(t, q, `SELECT r.number, COUNT(e.id) FROM requests r
		LEFT JOIN events e ON e.request_id = r.id AND e.kind = 'created'
		GROUP BY r.id, r.number HAVING COUNT(e.id) <> 1`, func(scan func(...any) error) {
		var number string
		var n int
		if err := scan(&number, &n); err != nil {
			t.Fatal(err)
		}
		t.Errorf("request %s has %d created events, want 1", number, n)
	})
	eachRow(t, q, "SELECT COUNT(*) FROM messages", func(scan func(...any) error) {
		if err := scan(&messages); err != nil {
			t.Fatal(err)
		}
	})
	eachRow(t, q, `SELECT m.id, COUNT(e.id) FROM messages m
		LEFT JOIN events e ON e.request_id = m.request_id AND e.new_value = CAST(m.id AS TEXT)
			AND e.kind = CASE m.visibility WHEN 'internal' THEN 'note' ELSE 'message' END
		GROUP BY m.id HAVING COUNT(e.id) <> 1`, func(scan func(...any) error) {
		var id int64
		var n int
		if err := scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		t.Errorf("message %d has %d matching timeline events, want 1", id, n)
	})
	eachRow(t, q, `SELECT e.id, e.kind, e.new_value FROM events e WHERE e.kind IN ('message', 'note')
		AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.request_id = e.request_id AND CAST(m.id AS TEXT) = e.new_value)`,
		func(scan func(...any) error) {
			var id int64
			var kind, value string
			if err := scan(&id, &kind, &value); err != nil {
				t.Fatal(err)
			}
			t.Errorf("event %d (%s) names message %s, which does not exist", id, kind, value)
		})
	return requests, messages
}

// eachRow runs query and calls fn with the scan function of each row.
func eachRow(t *testing.T, q store.Querier, query string, fn func(scan func(...any) error)) {
	t.Helper()
	rows, err := q.Query(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		fn(rows.Scan)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// failuresSoFar returns the failures recorded until now.
func (l *loadRun) failuresSoFar() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.failures...)
}

// firstErrors joins the first few errors, for a readable message.
func firstErrors(errs []error) error {
	if len(errs) > 3 {
		errs = append(errs[:3:3], fmt.Errorf("and %d more", len(errs)-3))
	}
	return errors.Join(errs...)
}
