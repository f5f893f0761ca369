// Package testenv finds the services and data sets tests need and decides
// whether a test that lacks one skips or fails: it skips with a message,
// unless AFTERCARE_REQUIRE names the part (as .ci/run does), in which case
// it fails.
package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// Required reports whether AFTERCARE_REQUIRE lists part (pg, browser, data,
// npm, lb — the load balancer, HAProxy, of the three-node test).
func Required(part string) bool {
	return slices.Contains(strings.Split(os.Getenv("AFTERCARE_REQUIRE"), ","), part)
}

// Missing skips tb with msg, or fails it when part is required.
func Missing(tb testing.TB, part, msg string) {
	tb.Helper()
	if Required(part) {
		tb.Fatalf("required part %q missing (AFTERCARE_REQUIRE=%s): %s", part, os.Getenv("AFTERCARE_REQUIRE"), msg)
	}
	tb.Skipf("skipping: %s", msg)
}

// ModuleRoot returns the directory holding go.mod.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// DataDir returns the directory of the public data sets: AFTERCARE_DATA,
// or ../shared/data beside the module root. It skips (or fails) tb when the
// directory does not exist.
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("AFTERCARE_DATA")
	if dir == "" {
		dir = filepath.Join(ModuleRoot(), "..", "shared", "data")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		Missing(tb, "data", "data sets not found at "+dir+" (set AFTERCARE_DATA)")
	}
	return dir
}

// DataFile returns the path of one data-set file, skipping (or failing)
// when it is absent.
func DataFile(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(DataDir(tb), name)
	if _, err := os.Stat(p); err != nil {
		Missing(tb, "data", "data file "+p+" not found")
	}
	return p
}

// NodeTool returns the path of a file installed by `npm ci` in tools/lint
// (the test-only npm tools: the OpenAPI linter, axe-core), e.g.
// "@redocly/cli/bin/cli.js". It skips tb, or fails it when AFTERCARE_REQUIRE
// lists "npm", when node or the file is missing.
func NodeTool(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(ModuleRoot(), "tools", "lint", "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		Missing(tb, "npm", p+" not found (run `npm ci` in tools/lint)")
	}
	return p
}
