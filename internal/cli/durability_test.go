package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
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

// startChild runs "aftercare serve" in a child process and waits until
// /healthz answers; it returns the base URL and the process.
func startChild(t *testing.T, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AFTERCARE_TEST_CHILD="+strings.Join(append([]string{"serve"}, args...), "\x1f"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("server did not start: %v; stderr: %s", err, stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	url := strings.Fields(strings.SplitN(line, " at ", 2)[1])[0]
	for i := 0; ; i++ {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return url, cmd
			}
		}
		if i > 100 {
			t.Fatalf("server not healthy: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func apiCall(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
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
	if code, _, stderr := run(t, "", append([]string{"user", "add", "--email", "ops@example.com", "--name", "Ops",
		"--role", "admin", "--password", "correct horse"}, store...)...); code != 0 {
		t.Fatalf("user add: %s", stderr)
	}
	_, out, _ := run(t, "", append([]string{"token", "create", "--email", "ops@example.com"}, store...)...)
	token := lastLine(out)

	url, cmd := startChild(t, append([]string{"--listen", "127.0.0.1:0"}, store...)...)
	code, cust := apiCall(t, "POST", url+"/api/v1/customers", token, map[string]any{"name": "Kill Test", "email": "kill@example.com"})
	if code != 201 {
		t.Fatalf("create customer: %d %v", code, cust)
	}
	var numbers []string
	for i := range 20 {
		code, r := apiCall(t, "POST", url+"/api/v1/requests", token, map[string]any{
			"type": "repair", "subject": fmt.Sprintf("durable %d", i), "description": "d",
			"customer_id": cust["id"], "channel": "api", "priority": "normal"})
		if code != 201 {
			t.Fatalf("create request: %d %v", code, r)
		}
		numbers = append(numbers, r["number"].(string))
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	url, _ = startChild(t, append([]string{"--listen", "127.0.0.1:0"}, store...)...)
	for i, n := range numbers {
		code, r := apiCall(t, "GET", url+"/api/v1/requests/"+n, token, nil)
		if code != 200 || r["subject"] != fmt.Sprintf("durable %d", i) {
			t.Fatalf("after SIGKILL, %s: %d %v", n, code, r)
		}
	}
}
