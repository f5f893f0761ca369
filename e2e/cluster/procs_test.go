package cluster_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/testenv"
)

// node is one `aftercare serve` process.
type node struct {
	name string
	addr string // 127.0.0.1:port
	args []string
	bin  string
	log  string // its standard output and error
	cmd  *exec.Cmd
	done chan error
}

// URL is the node's own address (bypassing the balancer).
func (n *node) URL() string { return "http://" + n.addr }

// start runs the process; ready waits for it.
func (n *node) start(tb testing.TB) {
	tb.Helper()
	f, err := os.OpenFile(n.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	n.cmd = exec.Command(n.bin, n.args...)
	n.cmd.Stdout, n.cmd.Stderr = f, f
	if err := n.cmd.Start(); err != nil {
		f.Close()
		tb.Fatalf("%s: %v", n.name, err)
	}
	done := make(chan error, 1)
	n.done = done
	go func() {
		done <- n.cmd.Wait()
		f.Close()
	}()
}

// ready waits until the node's /healthz answers 200.
func (n *node) ready(tb testing.TB) {
	tb.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case err := <-n.done:
			tb.Fatalf("%s exited while starting: %v\n%s", n.name, err, n.tail())
		default:
		}
		if status, _ := httpGet(n.URL()+"/healthz", ""); status == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("%s not ready after 90 s\n%s", n.name, n.tail())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits for the exit, which must be status 0.
func (n *node) stop(tb testing.TB) {
	tb.Helper()
	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		tb.Fatalf("%s: SIGTERM: %v", n.name, err)
	}
	select {
	case err := <-n.done:
		n.done = nil
		if err != nil {
			tb.Errorf("%s after SIGTERM: %v, want exit status 0\n%s", n.name, err, n.tail())
		}
	case <-time.After(60 * time.Second):
		tb.Fatalf("%s still running 60 s after SIGTERM\n%s", n.name, n.tail())
	}
}

// kill ends a process still running at the end of a test.
func (n *node) kill() {
	if n.done == nil {
		return
	}
	_ = n.cmd.Process.Kill()
	<-n.done
	n.done = nil
}

// tail returns the end of the node's log.
func (n *node) tail() string {
	b, _ := os.ReadFile(n.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// buildBinary builds cmd/aftercare once into dir.
func buildBinary(tb testing.TB, dir string) string {
	tb.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		tb.Skip("skipping: the go command is not on PATH to build the binary")
	}
	bin := filepath.Join(dir, "aftercare")
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/aftercare")
	cmd.Dir = testenv.ModuleRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// freePort returns a loopback address nobody listens on right now.
func freePort(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// findHAProxy returns the haproxy binary, or skips (fails when
// AFTERCARE_REQUIRE lists lb).
func findHAProxy(tb testing.TB) string {
	tb.Helper()
	for _, p := range []string{"haproxy", "/usr/sbin/haproxy"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	testenv.Missing(tb, "lb", "HAProxy not found (apt-get install haproxy)")
	return ""
}

// balancerConfig turns deploy/haproxy.cfg — the file operators use — into
// a loopback one: the frontend listens on front only (no TLS), the servers
// are addrs, and the global lines that need root or a daemon go. Everything
// else (health checks, retries, redispatch, timeouts) is kept as shipped.
// A stats page on stats reports each server's state to the test.
func balancerConfig(tb testing.TB, front, stats string, addrs []string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.ModuleRoot(), "deploy", "haproxy.cfg"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	bound, servers := false, false
	for line := range strings.Lines(string(b)) {
		line = strings.TrimRight(line, "\n")
		f := strings.Fields(line)
		if len(f) == 0 {
			out = append(out, line)
			continue
		}
		switch f[0] {
		case "log", "chroot", "user", "group", "daemon", "ssl-default-bind-options":
			if f[0] != "log" || f[1] != "global" {
				continue
			}
		case "bind":
			if !bound {
				out = append(out, "    bind "+front)
				bound = true
			}
			continue
		case "maxconn": // the machine's descriptor limit may be lower
			out = append(out, "    maxconn 1000")
			continue
		case "http-request":
			if strings.Contains(line, "ssl_fc") {
				continue
			}
		case "server":
			if !servers {
				for i, a := range addrs {
					out = append(out, fmt.Sprintf("    server node%d %s", i+1, a))
				}
				servers = true
			}
			continue
		}
		out = append(out, line)
	}
	if !bound || !servers {
		tb.Fatal("deploy/haproxy.cfg: no bind or server line to rewrite")
	}
	out = append(out, "", "frontend stats", "    bind "+stats, "    stats enable", "    stats uri /stats", "")
	return strings.Join(out, "\n")
}

// balancer is a running HAProxy.
type balancer struct {
	front, stats string
	cmd          *exec.Cmd
	out          *bytes.Buffer
	done         chan error
}

// startBalancer runs HAProxy in the foreground on cfg.
func startBalancer(tb testing.TB, bin, dir, front, stats, cfg string) *balancer {
	tb.Helper()
	path := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		tb.Fatal(err)
	}
	if out, err := exec.Command(bin, "-c", "-f", path).CombinedOutput(); err != nil {
		tb.Fatalf("haproxy -c: %v\n%s\n%s", err, out, cfg)
	}
	lb := &balancer{front: front, stats: stats, out: &bytes.Buffer{}, done: make(chan error, 1)}
	lb.cmd = exec.Command(bin, "-db", "-f", path)
	lb.cmd.Stdout, lb.cmd.Stderr = lb.out, lb.out
	if err := lb.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() { lb.done <- lb.cmd.Wait() }()
	tb.Cleanup(func() {
		_ = lb.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-lb.done:
		case <-time.After(10 * time.Second):
			_ = lb.cmd.Process.Kill()
			<-lb.done
		}
	})
	return lb
}

// URL is the balancer's address.
func (lb *balancer) URL() string { return "http://" + lb.front }

// serverStates reads each server's state (UP, DOWN, …) from the stats page.
func (lb *balancer) serverStates() (map[string]string, error) {
	resp, err := http.Get("http://" + lb.stats + "/stats;csv")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	r := csv.NewReader(resp.Body)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errors.New("empty stats")
	}
	status := -1
	for i, h := range rows[0] {
		if h == "status" {
			status = i
		}
	}
	if status < 0 {
		return nil, errors.New("no status column in the stats")
	}
	states := map[string]string{}
	for _, row := range rows[1:] {
		if len(row) > status && row[0] == "aftercare" && strings.HasPrefix(row[1], "node") {
			states[row[1]] = row[status]
		}
	}
	return states, nil
}

// waitState waits until the balancer reports server name in state (UP or
// DOWN; "UP 1/2" counts as neither).
func (lb *balancer) waitState(tb testing.TB, name, state string) {
	tb.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last map[string]string
	for time.Now().Before(deadline) {
		select {
		case err := <-lb.done:
			tb.Fatalf("balancer exited: %v\n%s", err, lb.out)
		default:
		}
		states, err := lb.serverStates()
		if err == nil && states[name] == state {
			return
		}
		last = states
		time.Sleep(100 * time.Millisecond)
	}
	tb.Fatalf("balancer: %s not %s after 60 s (states %v)\n%s", name, state, last, lb.out)
}

// httpGet sends a GET on a fresh connection.
func httpGet(url, cookie string) (int, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if loc := resp.Header.Get("Location"); loc != "" {
		return resp.StatusCode, "Location: " + loc
	}
	return resp.StatusCode, string(b)
}
