package auth_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// codeMailer is an auth.SignupMailer that keeps the codes it was asked
// to send, as the customer's inbox would.
type codeMailer struct {
	mu    sync.Mutex
	codes map[string]string // address → last code
	sent  int
}

func (m *codeMailer) SendSignupCode(_ context.Context, email, _, _, code string, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.codes[email] = code
	m.sent++
	return nil
}

func (m *codeMailer) code(email string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.codes[email]
}

// wrongCode is a six-digit code other than code.
func wrongCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// TestSelfRegistration: a code sent to an address, typed back with a
// password, creates the customer and signs them in; the code is random,
// six digits, stored only hashed, used once, dead after 15 minutes and
// after five wrong tries; one address gets at most three codes an hour;
// an existing customer's other sessions end; without a mailer there is
// no self-registration. On both stores.
func TestSelfRegistration(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			var mu sync.Mutex
			now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			advance := func(dt time.Duration) { mu.Lock(); now = now.Add(dt); mu.Unlock() }
			opts := storetest.Options(t, d)
			opts.Now = clock
			st := storetest.OpenWith(t, opts)
			mailer := &codeMailer{codes: map[string]string{}}
			svc := auth.NewService(st, auth.Options{Now: clock, Signup: mailer})

			if none := auth.NewService(st, auth.Options{Now: clock}); none.CanSelfRegister() {
				t.Error("self-registration offered without outbound mail")
			} else if _, err := none.StartSignup(ctx, auth.SignupInput{Name: "X", Email: "x@example.com"}, "9.9.9.9"); model.ErrorCode(err) != model.ECONFLICT {
				t.Errorf("sign-up without a mailer: got %v, want conflict", err)
			}

			// Bad input names the field and sends nothing.
			for _, c := range []struct {
				in    auth.SignupInput
				field string
			}{
				{auth.SignupInput{Email: "li@example.com"}, "name"},
				{auth.SignupInput{Name: "Li", Email: "not an address"}, "email"},
				{auth.SignupInput{Name: "Li", Email: ""}, "email"},
				{auth.SignupInput{Name: "Li", Email: "li@example.com", Locale: "fr"}, "locale"},
			} {
				_, err := svc.StartSignup(ctx, c.in, "1.1.1.1")
				var e *model.Error
				if model.ErrorCode(err) != model.EINVALID || !asModelError(err, &e) || e.Field != c.field {
					t.Errorf("sign-up %+v: got %v, want invalid %s", c.in, err, c.field)
				}
			}
			if mailer.sent != 0 {
				t.Fatalf("bad input sent %d codes", mailer.sent)
			}

			exp, err := svc.StartSignup(ctx, auth.SignupInput{Name: "李雷", Email: " Li@Example.com ", Locale: "zh-CN"}, "1.1.1.1")
			if err != nil {
				t.Fatal(err)
			}
			if want := now.Add(auth.SignupTTL); !exp.Equal(want) {
				t.Errorf("code expires %v, want %v", exp, want)
			}
			code := mailer.code("li@example.com")
			if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(code) {
				t.Fatalf("code %q, want six digits", code)
			}
			var stored []byte
			if err := st.Read().QueryRow(ctx, "SELECT code_hash FROM customer_signups WHERE email = $1", "li@example.com").Scan(&stored); err != nil ||
				len(stored) != 32 || bytes.Contains(stored, []byte(code)) {
				t.Errorf("stored code %x (%v), want a 32-byte hash without the code %s", stored, err, code)
			}

			// A short password costs no try; wrong codes are counted.
			if _, err := svc.CompleteSignup(ctx, "li@example.com", code, "short", "1.1.1.1"); fieldOf(err) != "password" {
				t.Errorf("short password: got %v, want invalid password", err)
			}
			for i := range auth.SignupTries - 1 {
				if _, err := svc.CompleteSignup(ctx, "li@example.com", wrongCode(code), "a good password", fmt.Sprintf("2.2.2.%d", i)); fieldOf(err) != "code" {
					t.Fatalf("wrong code %d: got %v, want invalid code", i, err)
				}
			}
			p, err := svc.CompleteSignup(ctx, "LI@example.com", " "+code+" ", "a good password", "1.1.1.1")
			if err != nil {
				t.Fatalf("right code after %d wrong ones: %v", auth.SignupTries-1, err)
			}
			if p.Kind != model.KindCustomer || p.Name != "李雷" {
				t.Errorf("principal %+v, want the new customer 李雷", p)
			}
			if c, err := st.CustomerByLogin(ctx, "li@example.com"); err != nil || c.ID != p.ID || c.Locale != "zh-CN" {
				t.Errorf("customer: %+v, %v", c, err)
			}
			if _, err := svc.LoginCustomer(ctx, "li@example.com", "a good password", "1.1.1.1"); err != nil {
				t.Errorf("login with the new password: %v", err)
			}
			if _, err := svc.CompleteSignup(ctx, "li@example.com", code, "another password", "1.1.1.1"); fieldOf(err) != "code" {
				t.Errorf("a used code: got %v, want invalid code", err)
			}
			var audits int
			if err := st.Read().QueryRow(ctx, "SELECT COUNT(*) FROM audit_log WHERE action = $1", model.AuditCustomerRegistered).Scan(&audits); err != nil || audits != 1 {
				t.Errorf("audit entries: %d, %v; want 1", audits, err)
			}

			// Five wrong tries kill a code, even for the right one after.
			advance(time.Minute)
			if _, err := svc.StartSignup(ctx, auth.SignupInput{Name: "Ann", Email: "ann@example.com", Locale: "en"}, "3.3.3.3"); err != nil {
				t.Fatal(err)
			}
			code = mailer.code("ann@example.com")
			for i := range auth.SignupTries {
				_, _ = svc.CompleteSignup(ctx, "ann@example.com", wrongCode(code), "a good password", fmt.Sprintf("4.4.4.%d", i))
			}
			if _, err := svc.CompleteSignup(ctx, "ann@example.com", code, "a good password", "3.3.3.3"); fieldOf(err) != "code" {
				t.Errorf("right code after %d wrong ones: got %v, want invalid code", auth.SignupTries, err)
			}
			if _, err := st.CustomerByLogin(ctx, "ann@example.com"); !model.IsNotFound(err) {
				t.Errorf("a dead code created the customer: %v", err)
			}

			// A code is dead after 15 minutes; a new one ends the old one.
			if _, err := svc.StartSignup(ctx, auth.SignupInput{Name: "Ann", Email: "ann@example.com"}, "3.3.3.3"); err != nil {
				t.Fatal(err)
			}
			old := mailer.code("ann@example.com")
			if _, err := svc.StartSignup(ctx, auth.SignupInput{Name: "Ann", Email: "ann@example.com"}, "3.3.3.3"); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.StartSignup(ctx, auth.SignupInput{Name: "Ann", Email: "ann@example.com"}, "3.3.3.3"); model.ErrorCode(err) != model.ERATELIMIT {
				t.Errorf("a fourth code in an hour: got %v, want rate limited", err)
			}
			if old != mailer.code("ann@example.com") {
				if _, err := svc.CompleteSignup(ctx, "ann@example.com", old, "a good password", "3.3.3.3"); fieldOf(err) != "code" {
					t.Errorf("a replaced code: got %v, want invalid code", err)
				}
			}
			advance(auth.SignupTTL)
			if _, err := svc.CompleteSignup(ctx, "ann@example.com", mailer.code("ann@example.com"), "a good password", "3.3.3.3"); fieldOf(err) != "code" {
				t.Errorf("an expired code: got %v, want invalid code", err)
			}

			// An existing customer (made by staff, or with a password) proves
			// the address and sets a password; their other sessions end.
			c := &model.Customer{Name: "Wang", Email: "wang@example.com", Locale: "en"}
			if err := st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			if err := st.SessionCommit(ctx, []byte("session-of-wang"), []byte("data"), now.Add(time.Hour), model.KindCustomer, c.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.StartSignup(ctx, auth.SignupInput{Name: "Someone else", Email: "wang@example.com"}, "5.5.5.5"); err != nil {
				t.Fatal(err)
			}
			p, err = svc.CompleteSignup(ctx, "wang@example.com", mailer.code("wang@example.com"), "wang's password", "5.5.5.5")
			if err != nil || p.ID != c.ID || p.Name != "Wang" {
				t.Errorf("existing customer: got %+v, %v; want Wang's principal, name kept", p, err)
			}
			if _, found, err := st.SessionFind(ctx, []byte("session-of-wang")); err != nil || found {
				t.Errorf("the customer's old session survived: found %v, %v", found, err)
			}
		})
	}
}

// TestSelfRegistrationClientLimit: one client asks for a few codes, then
// waits; another client is not held up.
func TestSelfRegistrationClientLimit(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	svc := auth.NewService(st, auth.Options{Now: func() time.Time { return now }, Signup: &codeMailer{codes: map[string]string{}}})
	ctx := context.Background()
	var err error
	n := 0
	for ; n < 20; n++ {
		_, err = svc.StartSignup(ctx, auth.SignupInput{Name: "N", Email: fmt.Sprintf("n%d@example.com", n)}, "6.6.6.6")
		if err != nil {
			break
		}
	}
	if model.ErrorCode(err) != model.ERATELIMIT || n != 5 {
		t.Errorf("one client: %d codes, then %v; want 5, then rate limited", n, err)
	}
	if _, err := svc.StartSignup(ctx, auth.SignupInput{Name: "N", Email: "other@example.com"}, "7.7.7.7"); err != nil {
		t.Errorf("another client: %v", err)
	}
}

func asModelError(err error, e **model.Error) bool {
	var me *model.Error
	ok := errors.As(err, &me)
	*e = me
	return ok
}

func fieldOf(err error) string {
	var e *model.Error
	if model.ErrorCode(err) != model.EINVALID || !asModelError(err, &e) {
		return fmt.Sprint("not a field error: ", err)
	}
	return e.Field
}
