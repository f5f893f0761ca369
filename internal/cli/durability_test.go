package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestMain lets the test binary act as the aftercare binary: with
// AFTERCARE_TEST_CHILD set it runs the CLI with the given arguments, so
// tests can start a real server process and SIGKILL it.
func TestMain(m *testing.M) {
	if args := os.Getenv("AFTERCARE_TEST_CHILD"); args != "" {
		os.Exit(Main(context.Background(), strings.Split(args, "\x1f"),
			Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}))
	}
	os.Exit(m.Run())
}

// childDeadline bounds every wait on a child server: its start-up line,
// its first healthy /healthz, its exit after SIGKILL. A child that
// stalls fails the test with its standard error instead of hanging it.
const childDeadline = 30 * time.Second

// newClient returns the HTTP client of the durability tests: no call may
// wait longer than 10 s for its answer.
func newClient() *http.Client { return &http.Client{Timeout: 10 * time.Second} }

// child is an "aftercare serve" process run from the test binary.
type child struct {
	cmd    *exec.Cmd
	url    string
	stderr *tailBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, set before done is closed
}

// startChild runs "aftercare serve" in a child process and waits (with a
// deadline) until /healthz answers 200. The child is killed when t ends.
func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AFTERCARE_TEST_CHILD="+strings.Join(append([]string{"serve"}, args...), "\x1f"))
	out := &firstLine{line: make(chan string, 1)}
	c := &child{cmd: cmd, stderr: &tailBuffer{max: 64 << 10}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = out, c.stderr
	cmd.WaitDelay = 5 * time.Second // do not wait for output pipes forever
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() { c.kill(t) })
	select {
	case line := <-out.line:
		_, after, ok := strings.Cut(line, " at ")
		if !ok || len(strings.Fields(after)) == 0 {
			c.fail(t, "unexpected first line %q", line)
		}
		c.url = strings.Fields(after)[0]
	case <-c.done:
		c.fail(t, "server exited before serving: %v", c.err)
	case <-time.After(childDeadline):
		c.fail(t, "server printed no URL within %s", childDeadline)
	}
	client := newClient()
	deadline := time.Now().Add(childDeadline)
	for {
		resp, err := client.Get(c.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		select {
		case <-c.done:
			c.fail(t, "server exited before it was healthy: %v", c.err)
		default:
		}
		if time.Now().After(deadline) {
			c.fail(t, "server not healthy within %s: %v", childDeadline, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fail kills the child and fails t with the child's standard error.
func (c *child) fail(t *testing.T, format string, args ...any) {
	t.Helper()
	c.kill(t)
	t.Fatalf("%s\nchild stderr:\n%s", fmt.Sprintf(format, args...), c.stderr.String())
}

// kill sends SIGKILL and waits, with a deadline, until the process is
// gone. Killing a child that has exited already is a no-op.
func (c *child) kill(t *testing.T) {
	t.Helper()
	select {
	case <-c.done:
		return
	default:
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Logf("kill child: %v", err)
	}
	select {
	case <-c.done:
	case <-time.After(childDeadline):
		t.Errorf("child did not exit within %s of SIGKILL\nchild stderr:\n%s", childDeadline, c.stderr.String())
	}
}

// firstLine is a child's standard output: it hands over the first line
// and discards the rest.
type firstLine struct {
	mu   sync.Mutex
	buf  []byte
	sent bool
	line chan string
}

func (w *firstLine) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.sent {
		w.buf = append(w.buf, p...)
		if i := bytes.IndexByte(w.buf, '\n'); i >= 0 {
			w.line <- string(w.buf[:i])
			w.sent, w.buf = true, nil
		}
	}
	return len(p), nil
}

// tailBuffer keeps the last max bytes written to it; safe for concurrent
// use (the child writes while the test reads).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// api sends one API request to the child and decodes the JSON answer; a
// transport error or a 10 s timeout fails t with the child's stderr.
func (c *child) api(t *testing.T, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	code, out, err := tryAPI(newClient(), method, c.url+path, token, body)
	if err != nil {
		c.fail(t, "%s %s: %v", method, path, err)
	}
	return code, out
}

// tryAPI sends one API request and decodes the JSON answer, returning
// any error (the load clients run in goroutines and must not fail t).
func tryAPI(client *http.Client, method, url, token string, body any) (int, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("read answer: %w", err)
	}
	return resp.StatusCode, out, nil
}

// adminToken adds an admin user to the store named by storeArgs and
// returns an API token for it.
func adminToken(t *testing.T, storeArgs ...string) string {
	t.Helper()
	if code, _, stderr := run(t, "", append([]string{"user", "add", "--email", "ops@example.com", "--name", "Ops",
		"--role", "admin", "--password", "correct horse"}, storeArgs...)...); code != 0 {
		t.Fatalf("user add: %s", stderr)
	}
	code, out, stderr := run(t, "", append([]string{"token", "create", "--email", "ops@example.com"}, storeArgs...)...)
	if code != 0 {
		t.Fatalf("token create: %s", stderr)
	}
	return lastLine(out)
}

// TestRequestSurvivesSIGKILL creates requests through the API of a real
// server process, kills it with SIGKILL right after the 201s, restarts it
// on the same data directory and reads every request back.
func TestRequestSurvivesSIGKILL(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { survivesSIGKILL(t, "--data-dir", t.TempDir()) })
	t.Run("postgres", func(t *testing.T) {
		survivesSIGKILL(t, "--data-dir", t.TempDir(), "--database-url", storetest.PostgresURL(t))
	})
}

func survivesSIGKILL(t *testing.T, store ...string) {
	token := adminToken(t, store...)
	srv := startChild(t, append([]string{"--listen", "127.0.0.1:0"}, store...)...)
	code, cust := srv.api(t, "POST", "/api/v1/customers", token, map[string]any{"name": "Kill Test", "email": "kill@example.com"})
	if code != 201 {
		t.Fatalf("create customer: %d %v", code, cust)
	}
	var numbers []string
	for i := range 20 {
		code, r := srv.api(t, "POST", "/api/v1/requests", token, map[string]any{
			"type": "repair", "subject": fmt.Sprintf("durable %d", i), "description": "d",
			"customer_id": cust["id"], "channel": "api", "priority": "normal"})
		if code != 201 {
			t.Fatalf("create request: %d %v", code, r)
		}
		numbers = append(numbers, r["number"].(string))
	}
	srv.kill(t)

	srv = startChild(t, append([]string{"--listen", "127.0.0.1:0"}, store...)...)
	for i, n := range numbers {
		code, r := srv.api(t, "GET", "/api/v1/requests/"+n, token, nil)
		if code != 200 || r["subject"] != fmt.Sprintf("durable %d", i) {
			t.Fatalf("after SIGKILL, %s: %d %v", n, code, r)
		}
	}
}
