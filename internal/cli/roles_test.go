package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/testenv"
)

// TestREADMERoleTable keeps the README's role table and the code's role
// matrix one truth: the README must contain the table "aftercare roles"
// prints, verbatim.
func TestREADMERoleTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(testenv.ModuleRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "", "roles")
	if code != 0 || out != roleTable() {
		t.Fatalf("roles: exit %d", code)
	}
	if !strings.Contains(string(readme), out) {
		t.Errorf("README.md does not hold the role table of the code; replace it with the output of \"aftercare roles\":\n%s", out)
	}
}
