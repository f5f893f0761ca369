package auth

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// TestEveryFailedLoginCostsOneVerification guards finding 4: whatever
// makes a login fail (unknown login, no password set yet, a deactivated
// user, a wrong password, a damaged hash), exactly one argon2
// verification runs, so response times do not tell which logins exist.
func TestEveryFailedLoginCostsOneVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := NewService(st, Options{})
		calls := 0
		svc.verify = func(hash, password string) bool {
			calls++
			if !wellFormedHash(hash) {
				t.Errorf("verification against a malformed hash %q: it would cost nothing", hash)
			}
			return CheckPassword(hash, password)
		}
		hash, _ := HashPassword("right password")
		for _, u := range []*model.User{
			{Email: "active@example.com", Name: "A", Role: model.RoleAgent, PasswordHash: hash, Active: true},
			{Email: "gone@example.com", Name: "G", Role: model.RoleAgent, PasswordHash: hash, Active: false},
			{Email: "broken@example.com", Name: "B", Role: model.RoleAgent, PasswordHash: "$argon2id$garbage", Active: true},
		} {
			if err := st.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []*model.Customer{
			{Name: "New", Email: "new@example.com"}, // invited, no password yet
			{Name: "Old", Email: "old@example.com", PasswordHash: hash},
		} {
			if err := st.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		for i, tc := range []struct {
			name  string
			login func(client string) error
		}{
			{"unknown staff", func(cl string) error {
				_, err := svc.LoginStaff(ctx, "nobody@example.com", "x-password", cl)
				return err
			}},
			{"wrong staff password", func(cl string) error {
				_, err := svc.LoginStaff(ctx, "active@example.com", "x-password", cl)
				return err
			}},
			{"deactivated staff", func(cl string) error {
				_, err := svc.LoginStaff(ctx, "gone@example.com", "right password", cl)
				return err
			}},
			{"damaged hash", func(cl string) error {
				_, err := svc.LoginStaff(ctx, "broken@example.com", "x-password", cl)
				return err
			}},
			{"unknown customer", func(cl string) error { _, err := svc.LoginCustomer(ctx, "13900000000", "x-password", cl); return err }},
			{"customer without password", func(cl string) error {
				_, err := svc.LoginCustomer(ctx, "new@example.com", "x-password", cl)
				return err
			}},
			{"customer with empty password", func(cl string) error { _, err := svc.LoginCustomer(ctx, "new@example.com", "", cl); return err }},
			{"wrong customer password", func(cl string) error {
				_, err := svc.LoginCustomer(ctx, "old@example.com", "x-password", cl)
				return err
			}},
		} {
			calls = 0
			err := tc.login(fmt.Sprintf("10.0.0.%d", i))
			if model.ErrorCode(err) != model.EUNAUTHORIZED || err.Error() != ErrBadCredentials.Error() {
				t.Errorf("%s: got %v, want the one bad-credentials error", tc.name, err)
			}
			if calls != 1 {
				t.Errorf("%s: %d verifications, want 1", tc.name, calls)
			}
		}
		calls = 0
		if _, err := svc.LoginStaff(ctx, "active@example.com", "right password", "10.0.1.1"); err != nil || calls != 1 {
			t.Errorf("good login: %v with %d verifications", err, calls)
		}
	})
}

// TestLimiterMemoryIsBounded guards finding 5: keys of any length are
// kept as fixed-size hashes, the table never holds more than its cap, and
// the least recently used key is the one dropped.
func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(2, time.Minute, 3, func() time.Time { return now })
	huge := strings.Repeat("x", 1<<20)
	for i := range 10 {
		l.Allow(fmt.Sprintf("%s-%d", huge, i))
		if l.Len() > 3 {
			t.Fatalf("after %d keys the table holds %d, cap 3", i+1, l.Len())
		}
	}
	for k := range l.index {
		if len(k) != 16 {
			t.Fatalf("key of %d bytes kept", len(k))
		}
	}
	// a is used up; b and c fill the table; touching a keeps it, so d
	// evicts b (least recent), not a.
	l = NewLimiter(1, time.Minute, 3, func() time.Time { return now })
	for _, k := range []string{"a", "b", "c"} {
		l.Allow(k)
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("a: second attempt allowed with burst 1")
	}
	l.Allow("d")
	if ok, _ := l.Allow("a"); ok {
		t.Error("a was evicted although b was used less recently")
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Error("b was not evicted (its fresh bucket should allow one attempt)")
	}
}

// TestLoginThrottle guards finding 5: attempts are limited per client and
// per (login, client) — never per login alone — so an outsider guessing
// at a staff member's login locks only itself out, while a client that
// sprays many logins is stopped by its own limit.
func TestLoginThrottle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
		svc := NewService(st, Options{Now: func() time.Time { return now }})
		svc.verify = func(hash, password string) bool { return hash != svc.dummy && password == "right password" }
		hash, _ := HashPassword("right password")
		if err := st.CreateUser(ctx, &model.User{Email: "boss@example.com", Name: "Boss", Role: model.RoleAdmin, PasswordHash: hash, Active: true}); err != nil {
			t.Fatal(err)
		}
		// The attacker exhausts its budget for the boss's login.
		var last error
		for range pairBurst + 5 {
			_, last = svc.LoginStaff(ctx, "boss@example.com", "guess", "203.0.113.9")
		}
		if model.ErrorCode(last) != model.ERATELIMIT {
			t.Fatalf("attacker's attempts: got %v, want rate limited", last)
		}
		// Even with the right password, the attacker's address waits…
		if _, err := svc.LoginStaff(ctx, "boss@example.com", "right password", "203.0.113.9"); model.ErrorCode(err) != model.ERATELIMIT {
			t.Errorf("attacker with the right password: %v, want rate limited", err)
		}
		// …but the boss, from anywhere else, is not locked out.
		if _, err := svc.LoginStaff(ctx, "boss@example.com", "right password", "198.51.100.7"); err != nil {
			t.Errorf("the boss from the office: %v", err)
		}
		// A client spraying many logins hits its own limit.
		var spray error
		for i := range clientBurst + 1 {
			_, spray = svc.LoginStaff(ctx, fmt.Sprintf("user%d@example.com", i), "guess", "192.0.2.44")
		}
		if model.ErrorCode(spray) != model.ERATELIMIT {
			t.Errorf("spraying client: got %v, want rate limited", spray)
		}
		// Rate limits refill with time.
		now = now.Add(time.Minute)
		if _, err := svc.LoginStaff(ctx, "boss@example.com", "right password", "203.0.113.9"); err != nil {
			t.Errorf("after a minute: %v", err)
		}
	})
}
