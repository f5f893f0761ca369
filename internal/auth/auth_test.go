package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash format: got %s", h)
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Error("right password rejected")
	}
	if CheckPassword(h, "correct horse batterY") {
		t.Error("wrong password accepted")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AA$AA", h[:len(h)-3] + "!!!"} {
		if CheckPassword(bad, "correct horse battery") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if _, err := HashPassword("short"); err == nil {
		t.Error("short password accepted")
	}
}

func TestTokenSecret(t *testing.T) {
	s1, h1 := NewSecret()
	s2, _ := NewSecret()
	if !strings.HasPrefix(s1, TokenPrefix) || len(s1) != len(TokenPrefix)+26 || s1 == s2 {
		t.Fatalf("secrets: %q %q", s1, s2)
	}
	if string(HashSecret(s1)) != string(h1) || len(h1) != 32 {
		t.Fatal("hash of the secret does not match")
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(3, 10*time.Second, 100, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, after := l.Allow("a")
	if ok || after != 10*time.Second {
		t.Fatalf("4th attempt: ok %v retry after %v", ok, after)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key is limited too")
	}
	now = now.Add(10 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("no attempt allowed after the refill interval")
	}
	if ok, _ := l.Allow("a"); ok {
		t.Fatal("refill gave more than one attempt")
	}
}

func BenchmarkTokenCheck(b *testing.B) {
	s, _ := NewSecret()
	for b.Loop() {
		HashSecret(s)
	}
}
