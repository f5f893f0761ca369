package cluster_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/testenv"
)

// deployFile reads a file of deploy/.
func deployFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.ModuleRoot(), "deploy", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// unitValues returns the unit's Key=Value lines (the last value of a key
// wins, as in systemd; Environment lines are collected by variable).
func unitValues(unit string) map[string]string {
	v := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(unit))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == '[' {
			continue
		}
		k, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		if k == "Environment" {
			k, val, _ = strings.Cut(val, "=")
		}
		v[k] = val
	}
	return v
}

// TestSystemdUnit checks deploy/aftercare.service with systemd-analyze
// verify (every key known, every value parsed; the binary path is swapped
// for an executable that exists here) and that systemd waits longer for a
// stop than the node's drain and shutdown take.
func TestSystemdUnit(t *testing.T) {
	unit := deployFile(t, "aftercare.service")
	v := unitValues(unit)
	stopAfter, err1 := time.ParseDuration(v["TimeoutStopSec"])
	drain, err2 := time.ParseDuration(v["AFTERCARE_DRAIN_DELAY"])
	shutdown, err3 := time.ParseDuration(v["AFTERCARE_SHUTDOWN_TIMEOUT"])
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("TimeoutStopSec, AFTERCARE_DRAIN_DELAY, AFTERCARE_SHUTDOWN_TIMEOUT: %v %v %v", err1, err2, err3)
	}
	if stopAfter <= drain+shutdown {
		t.Errorf("TimeoutStopSec %v: want more than drain %v + shutdown %v, or systemd kills a stopping node", stopAfter, drain, shutdown)
	}
	if v["KillSignal"] != "SIGTERM" || !strings.HasPrefix(v["ExecStart"], "/usr/local/bin/aftercare serve") {
		t.Errorf("KillSignal %q, ExecStart %q: want SIGTERM and aftercare serve", v["KillSignal"], v["ExecStart"])
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("skipping systemd-analyze verify: systemd-analyze not installed")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "aftercare.service")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(unit, "/usr/local/bin/aftercare", self)), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(analyze, "verify", path)
	cmd.Dir = filepath.Dir(path)
	out, err := cmd.CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		// It reports unknown keys and bad values on standard error, and
		// still exits 0: any output is a finding.
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// TestContainerfile checks deploy/Containerfile without building it: the
// build stage's Go is go.mod's, the image runs serve as a non-root user
// and stops with SIGTERM after the drain. It builds the image only where a
// Docker or Podman daemon answers and already has both base images: the
// tests never pull from the network.
func TestContainerfile(t *testing.T) {
	cf := deployFile(t, "Containerfile")
	mod, err := os.ReadFile(filepath.Join(testenv.ModuleRoot(), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	from := regexp.MustCompile(`(?m)^FROM (\S+)`).FindAllStringSubmatch(cf, -1)
	if goVersion == nil || len(from) != 2 {
		t.Fatalf("go.mod's go line %q; FROM lines %q: want one and two", goVersion, from)
	}
	if want := "golang:" + string(goVersion[1]) + "-"; !strings.Contains(from[0][1], want) {
		t.Errorf("build stage %s: want %s… (go.mod says go %s)", from[0][1], want, goVersion[1])
	}
	for _, want := range []string{"USER nonroot", "STOPSIGNAL SIGTERM", "AFTERCARE_DRAIN_DELAY=", `CMD ["serve"]`, "CGO_ENABLED=0"} {
		if !strings.Contains(cf, want) {
			t.Errorf("Containerfile lacks %q", want)
		}
	}

	var engine string
	for _, e := range []string{"podman", "docker"} {
		if p, err := exec.LookPath(e); err == nil && exec.Command(p, "info").Run() == nil {
			engine = p
			break
		}
	}
	if engine == "" {
		t.Skip("skipping the image build: no Docker or Podman daemon answers here")
	}
	for _, f := range from {
		image := strings.Fields(f[1])[0]
		if exec.Command(engine, "image", "inspect", image).Run() != nil {
			t.Skipf("skipping the image build: base image %s is not present and the tests do not pull", image)
		}
	}
	cmd := exec.Command(engine, "build", "--pull=never", "-f", "deploy/Containerfile", "-t", "aftercare-test:latest", ".")
	cmd.Dir = testenv.ModuleRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s build: %v\n%s", engine, err, out)
	}
}
