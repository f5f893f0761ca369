//go:build linux

package app

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// rssFile reads RssFile (kB) from /proc/self/status: the resident pages
// of mapped files, the executable's above all.
func rssFile(t *testing.T) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "RssFile:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}

// TestReleaseCode checks that releaseCode takes the test binary's code
// pages out of its RSS, which is what keeps an idle server's RSS low
// (README "Memory"), and that the process runs on afterwards.
func TestReleaseCode(t *testing.T) {
	before := rssFile(t)
	n, err := releaseCode()
	if errors.Is(err, syscall.EINVAL) {
		t.Skipf("this kernel has no MADV_PAGEOUT: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	after := rssFile(t)
	t.Logf("advised %.1f MB of mappings; RssFile %d kB before, %d kB after", float64(n)/(1<<20), before, after)
	if n == 0 {
		t.Fatal("found no read-only mapping of the executable")
	}
	// The test binary's code is mapped only by this process, so its
	// pages go (but for the few faulted in again meanwhile).
	if after > before/2 {
		t.Errorf("RssFile went from %d kB to %d kB, want it at least halved", before, after)
	}
	if _, err := releaseCode(); err != nil { // code pages come back on use
		t.Fatal(err)
	}
}
