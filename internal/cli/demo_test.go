package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/testenv"
)

// TestDemoThenLoadgen runs "demo" (small scale) in-process, waits for
// /healthz, issues a token with the CLI against the same SQLite file while
// the demo serves, and drives the server with "loadgen" for each op.
func TestDemoThenLoadgen(t *testing.T) {
	dir := t.TempDir()
	var out, errb testenv.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"demo", "--data-dir", dir, "--listen", "127.0.0.1:0", "--scale", "0.02", "--auto-close-days", "0"},
			Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	}()
	t.Cleanup(func() { cancel(); <-done })

	urlRe := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	var url string
	deadline := time.Now().Add(2 * time.Minute)
	for url == "" || !healthy(url) {
		if time.Now().After(deadline) {
			t.Fatalf("demo not healthy; stderr: %s", errb.String())
		}
		url = urlRe.FindString(errb.String())
		time.Sleep(50 * time.Millisecond)
	}
	for !strings.Contains(out.String(), "customer@demo.aftercare.local") {
		if time.Now().After(deadline) {
			t.Fatalf("demo logins not printed: %s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, login := range []string{"admin@demo.aftercare.local", "manager@demo.aftercare.local", "agent@demo.aftercare.local", "tech@demo.aftercare.local",
		"centre@demo.aftercare.local"} {
		if !strings.Contains(out.String(), login) {
			t.Errorf("demo output lacks %s", login)
		}
	}

	code, tokOut, stderr := run(t, "", "token", "create", "--data-dir", dir, "--email", "admin@demo.aftercare.local")
	if code != 0 {
		t.Fatalf("token create while demo runs: %s", stderr)
	}
	token := lastLine(tokOut)
	for _, op := range []string{"create", "list", "get"} {
		code, lgOut, stderr := run(t, "", "loadgen", "--url", url, "--token", token, "--op", op, "--count", "40", "--concurrency", "4")
		if code != 0 {
			t.Fatalf("loadgen %s: exit %d: %s", op, code, stderr)
		}
		var res struct {
			Op     string  `json:"op"`
			Count  int     `json:"count"`
			Errors int     `json:"errors"`
			RPS    float64 `json:"rps"`
			P50    float64 `json:"p50_ms"`
			P99    float64 `json:"p99_ms"`
		}
		if err := json.Unmarshal([]byte(lastLine(lgOut)), &res); err != nil {
			t.Fatalf("loadgen %s output %q: %v", op, lgOut, err)
		}
		if res.Op != op || res.Count != 40 || res.Errors != 0 || res.RPS <= 0 || res.P99 < res.P50 {
			t.Errorf("loadgen %s: %+v", op, res)
		}
	}
	if code, _, stderr := run(t, "", "loadgen", "--url", "http://10.0.0.1:8080", "--token", token); code == 0 || !strings.Contains(stderr, "loopback") {
		t.Errorf("loadgen to a non-loopback address: exit %d, %s", code, stderr)
	}
}

func healthy(url string) bool {
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// TestDemoHealthzWaitsForSeeding runs "demo" on an empty store and asks
// /healthz at every step of the seeding, from the seeding goroutine itself
// (so the seed is certainly not finished): 503 each time. Once demo has
// printed its logins, the seed is done and /healthz answers 200.
func TestDemoHealthzWaitsForSeeding(t *testing.T) {
	var out, errb testenv.Buffer
	urlRe := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	client := &http.Client{Timeout: 30 * time.Second}
	status := func(url string) (int, string) {
		resp, err := client.Get(url + "/healthz")
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, strings.TrimSpace(string(body))
	}
	var mu sync.Mutex
	var during []string // "done/total: status body" at each seeding step
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		seedProgress: func(done, total int) {
			code, body := status(urlRe.FindString(errb.String()))
			mu.Lock()
			defer mu.Unlock()
			during = append(during, fmt.Sprintf("%d/%d: %d %s", done, total, code, body))
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"demo", "--data-dir", t.TempDir(), "--listen", "127.0.0.1:0", "--scale", "0.001"}, env)
	}()
	t.Cleanup(func() { cancel(); <-done })

	deadline := time.After(2 * time.Minute)
	for !strings.Contains(out.String(), "customer@demo.aftercare.local") {
		select {
		case code := <-done:
			t.Fatalf("demo exited with %d before serving; stderr: %s", code, errb.String())
		case <-deadline:
			t.Fatalf("demo logins not printed; stderr: %s", errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	mu.Lock()
	seen := slices.Clone(during)
	mu.Unlock()
	if len(seen) < 2 {
		t.Fatalf("seeding reported %d steps, want several: %q", len(seen), seen)
	}
	for _, s := range seen {
		if !strings.HasSuffix(s, ": 503 starting") {
			t.Errorf("/healthz during seeding: got %q, want 503 starting", s)
		}
	}
	if code, body := status(urlRe.FindString(errb.String())); code != http.StatusOK || body != "ok" {
		t.Errorf("/healthz after seeding: got %d %q, want 200 ok", code, body)
	}
}
