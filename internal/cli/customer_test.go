package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/config"
	"github.com/aftercare/aftercare/internal/model"
)

// TestCustomerResetLink guards finding 2's operator path: "customer
// reset-link" prints a single-use link that sets a new password and ends
// the customer's other links, sessions and tokens; the link appears on
// standard output only (not in the logs), and the audit log records that
// an operator issued one. Operator actions (user add, token create and
// revoke) are audited too.
func TestCustomerResetLink(t *testing.T) {
	dir := t.TempDir()
	m := apptest.Start(t, apptest.Options{Configure: func(c *config.Config) { c.DataDir = dir; c.BaseURL = "https://help.example.com" }})
	ctx := context.Background()
	hash, _ := auth.HashPassword("old password")
	c := &model.Customer{Name: "Li Lei", Email: "lilei@example.com", Phone: "13900001111", PasswordHash: hash}
	if err := m.Store.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := run(t, "", "token", "create", "--data-dir", dir, "--email", "lilei@example.com", "--customer")
	if code != 0 {
		t.Fatalf("token create: %s", stderr)
	}
	oldToken := lastLine(out)

	code, out, stderr = run(t, "", "customer", "reset-link", "--data-dir", dir, "--base-url", "https://help.example.com", "--email", "13900001111")
	if code != 0 {
		t.Fatalf("reset-link: exit %d, %s", code, stderr)
	}
	link := lastLine(out)
	if !strings.HasPrefix(link, "https://help.example.com/portal/reset/act_") {
		t.Fatalf("link: %q", link)
	}
	secret := strings.TrimPrefix(link, "https://help.example.com/portal/reset/")
	if strings.Contains(stderr, secret) {
		t.Error("the link reached the log (standard error)")
	}
	if _, err := m.Auth.UseLink(ctx, secret, "new password!"); err != nil {
		t.Fatalf("use the link: %v", err)
	}
	if _, err := m.Auth.UseLink(ctx, secret, "again password"); model.ErrorCode(err) != model.EINVALID {
		t.Errorf("second use: %v", err)
	}
	if _, err := m.Auth.Authenticate(ctx, oldToken); model.ErrorCode(err) != model.EUNAUTHORIZED {
		t.Errorf("the customer's token after the reset: %v", err)
	}
	if _, err := m.Auth.LoginCustomer(ctx, "lilei@example.com", "new password!", "10.1.1.1"); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
	if code, _, stderr = run(t, "", "customer", "reset-link", "--data-dir", dir, "--email", "nobody@example.com"); code != 1 || !strings.Contains(stderr, "no customer") {
		t.Errorf("unknown customer: exit %d %q", code, stderr)
	}

	page, err := m.Store.ListAudit(ctx, model.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Items {
		got = append(got, e.Action+"/"+string(e.ActorKind)+"/"+e.ClientAddr)
		if strings.Contains(e.Target+e.Detail, secret) || strings.Contains(e.Target+e.Detail, oldToken) {
			t.Errorf("a secret in the audit log: %+v", e)
		}
	}
	want := "customer.password_set/customer/ customer.reset_issued/operator/cli token.created/operator/cli"
	if strings.Join(got, " ") != want {
		t.Errorf("audit: got %v, want %s", got, want)
	}
}
