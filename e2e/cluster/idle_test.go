//go:build linux

package cluster_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// maxIdleRSS is issue 14's target for an idle server.
const maxIdleRSS = 50 << 10 // kB

// TestIdleRSS runs `aftercare serve` on a demo store (SQLite, at a tenth
// of the default scale so that seeding it stays quick; the README's
// figure is at the default scale) and reads its resident memory from
// /proc once it has been idle for a while: it must stay under 50 MB
// (README "Memory").
func TestIdleRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds the binary and seeds the demo store")
	}
	dir := t.TempDir()
	bin := buildBinary(t, dir)
	data := filepath.Join(dir, "data")
	seed := exec.Command(bin, "demo", "--no-serve", "--scale", "0.1", "--data-dir", data)
	if out, err := seed.CombinedOutput(); err != nil {
		t.Fatalf("demo --no-serve: %v\n%s", err, out)
	}
	n := &node{name: "idle", addr: freePort(t), bin: bin, log: filepath.Join(dir, "serve.log")}
	n.args = []string{"serve", "--data-dir", data, "--listen", n.addr}
	n.start(t)
	t.Cleanup(n.kill)
	n.ready(t)
	// River's first polls and the periodic jobs run in the first seconds.
	time.Sleep(15 * time.Second)
	status, err := os.ReadFile("/proc/" + strconv.Itoa(n.cmd.Process.Pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	kb := map[string]int{}
	for line := range strings.Lines(string(status)) {
		name, v, ok := strings.Cut(line, ":")
		if f := strings.Fields(v); ok && len(f) == 2 && f[1] == "kB" {
			kb[name], _ = strconv.Atoi(f[0])
		}
	}
	t.Logf("idle serve: VmRSS %d kB (anonymous %d kB, file %d kB)", kb["VmRSS"], kb["RssAnon"], kb["RssFile"])
	if kb["VmRSS"] == 0 || kb["VmRSS"] > maxIdleRSS {
		t.Errorf("idle serve holds %d kB resident, want at most %d kB", kb["VmRSS"], maxIdleRSS)
	}
	n.stop(t)
}
