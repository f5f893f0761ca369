package mailout

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// tlsRelay is a real SMTP relay on 127.0.0.1 that offers STARTTLS with a
// certificate made for the test (when cert is set) and AUTH PLAIN, and
// records what each conversation did.
type tlsRelay struct {
	mu       sync.Mutex
	addr     string
	authTLS  []bool   // for each AUTH: was the connection encrypted?
	users    []string // accepted user names
	accepted []string // messages taken, as text
}

func (tr *tlsRelay) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &tlsSession{r: tr, c: c}, nil
}

type tlsSession struct {
	r *tlsRelay
	c *smtp.Conn
}

func (s *tlsSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *tlsSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		_, secure := s.c.TLSConnectionState()
		s.r.mu.Lock()
		defer s.r.mu.Unlock()
		s.r.authTLS = append(s.r.authTLS, secure)
		if user != "relay-user" || pass != "s3cret-pw" {
			return smtp.ErrAuthFailed
		}
		s.r.users = append(s.r.users, user)
		return nil
	}), nil
}
func (s *tlsSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *tlsSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *tlsSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.accepted = append(s.r.accepted, string(b))
	return err
}
func (s *tlsSession) Reset()        {}
func (s *tlsSession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// startRelay starts a relay; with cert it offers STARTTLS and takes AUTH
// only after it, without one it (wrongly) takes AUTH in plain text.
func startRelay(t *testing.T, cert *tls.Certificate) *tlsRelay {
	t.Helper()
	tr := &tlsRelay{}
	srv := smtp.NewServer(tr)
	srv.Domain = "relay.test"
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
	} else {
		srv.AllowInsecureAuth = true
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tr.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return tr
}

func relayTo(t *testing.T, addr, user, pass string, pool *x509.CertPool) *Relay {
	t.Helper()
	r, err := ParseRelay("smtp://"+addr, user, pass)
	if err != nil {
		t.Fatal(err)
	}
	r.Timeout = 30 * time.Second
	if pool != nil {
		r.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return r
}

// TestRelaySTARTTLSAndAuth: the sender negotiates STARTTLS with a relay
// that offers it, verifies its certificate, and only then authenticates;
// a wrong password is a permanent failure; a certificate it does not
// trust stops it before anything is sent.
func TestRelaySTARTTLSAndAuth(t *testing.T) {
	cert, pool := selfSigned(t)
	tr := startRelay(t, &cert)
	msg := compose(&composed{Subject: "Hello", MessageID: "tls@example.com", Body: "over TLS"})
	ctx := context.Background()
	if err := relayTo(t, tr.addr, "relay-user", "s3cret-pw", pool).Send(ctx, "example.com", "support@example.com", "li@example.net", msg); err != nil {
		t.Fatalf("send over STARTTLS: %v", err)
	}
	tr.mu.Lock()
	if len(tr.authTLS) != 1 || !tr.authTLS[0] || len(tr.users) != 1 || len(tr.accepted) != 1 || !strings.Contains(tr.accepted[0], "over TLS") {
		t.Errorf("relay saw AUTH over TLS %v, users %v, %d messages; want one authenticated, encrypted delivery", tr.authTLS, tr.users, len(tr.accepted))
	}
	tr.mu.Unlock()

	err := relayTo(t, tr.addr, "relay-user", "wrong", pool).Send(ctx, "example.com", "support@example.com", "li@example.net", msg)
	var perm *PermanentError
	if !errors.As(err, &perm) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong password: got %v, want a permanent error that does not quote the password", err)
	}

	err = relayTo(t, tr.addr, "relay-user", "s3cret-pw", nil).Send(ctx, "example.com", "support@example.com", "li@example.net", msg)
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("untrusted certificate: got %v, want a STARTTLS error", err)
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.accepted) != 1 || len(tr.authTLS) != 2 {
		t.Errorf("after the failures the relay took %d messages and %d AUTHs, want 1 and 2", len(tr.accepted), len(tr.authTLS))
	}
}

// TestRelayRefusesPlainTextAuth: to a relay without STARTTLS the sender
// never sends the password (even on loopback, which net/smtp would
// allow), fails permanently and says why; without a user it sends in
// plain text as before, unless ?starttls=required.
func TestRelayRefusesPlainTextAuth(t *testing.T) {
	tr := startRelay(t, nil)
	msg := compose(&composed{Subject: "Hello", MessageID: "plain@example.com", Body: "plain"})
	ctx := context.Background()
	err := relayTo(t, tr.addr, "relay-user", "s3cret-pw", nil).Send(ctx, "example.com", "support@example.com", "li@example.net", msg)
	var perm *PermanentError
	if !errors.As(err, &perm) || !strings.Contains(err.Error(), "without TLS") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("AUTH without TLS: got %v, want a permanent refusal naming TLS", err)
	}
	if err := relayTo(t, tr.addr, "", "", nil).Send(ctx, "example.com", "support@example.com", "li@example.net", msg); err != nil {
		t.Errorf("no user, no TLS: %v", err)
	}
	r := relayTo(t, tr.addr, "", "", nil)
	r.StartTLS = "required"
	if err := r.Send(ctx, "example.com", "support@example.com", "li@example.net", msg); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("?starttls=required to a relay without it: got %v", err)
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if len(tr.authTLS) != 0 || len(tr.accepted) != 1 {
		t.Errorf("the relay saw %d AUTH attempts and %d messages, want none and 1", len(tr.authTLS), len(tr.accepted))
	}
}
