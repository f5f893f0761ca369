package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// run runs the CLI in-process and returns exit code, stdout and stderr.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestHelpForEveryCommand(t *testing.T) {
	for name := range commands() {
		code, _, stderr := run(t, "", name, "--help")
		if code != 0 {
			t.Errorf("%s --help: exit %d, stderr %q", name, code, stderr)
		}
	}
	if code, _, _ := run(t, "", "nope"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

func TestUserAndTokenCommands(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := run(t, "", "user", "add", "--data-dir", dir, "--email", "Ada@Example.com", "--name", "Ada", "--role", "admin", "--password", "correct horse")
	if code != 0 || !strings.Contains(out, "created admin user ada@example.com") {
		t.Fatalf("user add: exit %d out %q err %q", code, out, stderr)
	}
	code, _, stderr = run(t, "short\n", "user", "add", "--data-dir", dir, "--email", "b@example.com", "--name", "B", "--role", "agent", "--password-stdin")
	if code != 1 || !strings.Contains(stderr, "at least 8") {
		t.Fatalf("short password: exit %d err %q", code, stderr)
	}
	code, _, stderr = run(t, "", "user", "add", "--data-dir", dir, "--email", "c@example.com", "--name", "C", "--role", "boss", "--password", "long enough")
	if code != 1 || !strings.Contains(stderr, "--role") {
		t.Fatalf("bad role: exit %d err %q", code, stderr)
	}
	code, _, stderr = run(t, "", "user", "add", "--data-dir", dir, "--email", "ada@example.com", "--name", "Ada", "--role", "agent", "--password", "correct horse")
	if code != 1 || !strings.Contains(stderr, "--email: Another staff user already has this e-mail address.") {
		t.Fatalf("duplicate user: exit %d err %q", code, stderr)
	}

	// A server runs on the same SQLite file while the CLI issues a token.
	m := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.DataDir = dir }})
	ctx := context.Background()

	code, out, stderr = run(t, "", "token", "create", "--data-dir", dir, "--email", "ada@example.com", "--name", "ci", "--expires", "90d")
	if code != 0 {
		t.Fatalf("token create: exit %d err %q", code, stderr)
	}
	secret := lastLine(out)
	p, err := m.Auth.Authenticate(ctx, secret)
	if err != nil || p.Role != model.RoleAdmin || p.Email != "ada@example.com" {
		t.Fatalf("authenticate new token: %+v %v", p, err)
	}
	code, out, _ = run(t, "", "token", "list", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "ada@example.com") || !strings.Contains(out, "active") || strings.Contains(out, secret) {
		t.Fatalf("token list: exit %d out %q", code, out)
	}
	code, _, stderr = run(t, "", "token", "create", "--data-dir", dir, "--email", "nobody@example.com")
	if code != 1 || !strings.Contains(stderr, "There is no staff member or customer with the e-mail address") {
		t.Fatalf("token for unknown e-mail: exit %d err %q", code, stderr)
	}
	code, out, _ = run(t, "", "token", "revoke", "1", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("token revoke: exit %d out %q", code, out)
	}
	if _, err := m.Auth.Authenticate(ctx, secret); model.ErrorCode(err) != model.EUNAUTHORIZED {
		t.Fatalf("revoked token still works: %v", err)
	}

	// Customer tokens: a customer with the same e-mail as staff needs --customer.
	c := &model.Customer{Name: "Ada C", Email: "ada@example.com"}
	if err := m.Store.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	_, out, _ = run(t, "", "token", "create", "--data-dir", dir, "--email", "ada@example.com", "--customer")
	if p, err := m.Auth.Authenticate(ctx, lastLine(out)); err != nil || !p.IsCustomer() || p.ID != c.ID {
		t.Fatalf("customer token: %+v %v", p, err)
	}

	// Backup while serving, into the file name a data directory uses, so
	// that the CLI can open the backup itself as a store.
	backupDir := t.TempDir()
	backup := filepath.Join(backupDir, "aftercare.db")
	code, _, stderr = run(t, "", "backup", "--data-dir", dir, "--out", backup)
	if code != 0 {
		t.Fatalf("backup: exit %d err %q", code, stderr)
	}
	if st, err := os.Stat(backup); err != nil || st.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	if code, _, _ = run(t, "", "backup", "--data-dir", dir, "--out", backup); code != 1 {
		t.Fatalf("backup over an existing file: exit %d, want 1", code)
	}
	// The backup is a working store holding what was written before it:
	// the revoked staff token and the customer's token.
	code, out, stderr = run(t, "", "token", "list", "--data-dir", backupDir)
	if code != 0 {
		t.Fatalf("token list on the backup: exit %d err %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var staffTok, custTok string
	for _, l := range lines {
		if strings.Contains(l, "ada@example.com") {
			if strings.Contains(l, "revoked") {
				staffTok = l
			} else if strings.Contains(l, "active") {
				custTok = l
			}
		}
	}
	if staffTok == "" || custTok == "" || strings.Contains(out, secret) {
		t.Fatalf("token list on the backup: got %q, want ada@example.com's revoked token and her active customer token", out)
	}
	bst, err := store.Open(ctx, store.Options{SQLitePath: backup})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer bst.Close()
	if got, err := bst.CustomerByLogin(ctx, "ada@example.com"); err != nil || got.ID != c.ID || got.Name != "Ada C" {
		t.Fatalf("customer in the backup: got %+v %v, want %d Ada C", got, err, c.ID)
	}
}

func TestParseTTL(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		err  bool
	}{{"90d", "2160h0m0s", false}, {"12h", "12h0m0s", false}, {"", "0s", false}, {"never", "0s", false}, {"-3d", "", true}, {"soon", "", true}} {
		got, err := parseTTL(c.in)
		if (err != nil) != c.err || (!c.err && got.String() != c.want) {
			t.Errorf("parseTTL(%q): got %v %v", c.in, got, err)
		}
	}
}
