package api_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/testenv"
)

// TestOpenAPILint runs Redocly's linter with its recommended rules over the
// document the API serves: client generators and reviewers rely on a
// document a standard linter accepts (servers, licence, operation ids,
// error responses). The linter is a test-only npm tool in tools/lint.
func TestOpenAPILint(t *testing.T) {
	cli := testenv.NodeTool(t, "@redocly/cli/bin/cli.js")
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "npm", "node not found")
	}
	a := apitest.Start(t, "")
	res := a.Do(t, "GET", "/api/openapi.json", "", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("openapi: got %d, want 200", res.Status)
	}
	dir := t.TempDir()
	doc := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(doc, res.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), node, cli, "lint", "--extends=recommended", "--format=stylish", doc)
	// No telemetry or update checks: nothing leaves the machine.
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "HOME="+dir)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redocly lint (recommended) found problems in /api/openapi.json: %v\n%s", err, out)
	}
	// Warnings (a missing licence is one) do not change the exit code;
	// the document must have none either. A warning line of the stylish
	// output reads "  1:1234  warning  info-license  …".
	warning := regexp.MustCompile(`(?m)^\s*\d+:\d+\s+warning\s`)
	if warning.Match(out) {
		t.Fatalf("redocly lint (recommended) warns about /api/openapi.json:\n%s", out)
	}
}
