package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// fakeDNS answers lookups from a table; a name with several answers gives
// them in turn (the last one repeats), to play DNS rebinding.
type fakeDNS struct {
	mu      sync.Mutex
	answers map[string][]string
	asked   map[string]int
}

func (f *fakeDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	list, ok := f.answers[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	if f.asked == nil {
		f.asked = map[string]int{}
	}
	i := min(f.asked[host], len(list)-1)
	f.asked[host]++
	return []netip.Addr{netip.MustParseAddr(list[i])}, nil
}

func TestPublic(t *testing.T) {
	for _, c := range []struct {
		addr string
		want bool
	}{
		{"93.184.216.34", true},
		{"8.8.8.8", true},
		{"2606:4700:4700::1111", true},
		{"127.0.0.1", false},      // loopback
		{"127.8.9.10", false},     // loopback, all of 127/8
		{"::1", false},            // loopback
		{"10.0.0.1", false},       // private
		{"172.16.5.4", false},     // private
		{"172.31.255.255", false}, // private
		{"172.32.0.1", true},      // just past 172.16/12
		{"192.168.1.1", false},    // private
		{"169.254.169.254", false},
		{"fe80::1", false},             // link-local
		{"fd00::1", false},             // IPv6 unique local (ULA)
		{"fc00::1", false},             // ULA
		{"::ffff:10.0.0.1", false},     // IPv4-mapped private
		{"::ffff:8.8.8.8", true},       // IPv4-mapped public
		{"64:ff9b::7f00:1", false},     // NAT64 of 127.0.0.1
		{"64:ff9b::808:808", true},     // NAT64 of 8.8.8.8
		{"2002:c0a8:0101::1", false},   // 6to4 of 192.168.1.1
		{"2001:0:4136:e378::1", false}, // Teredo
		{"0.0.0.0", false},             // unspecified
		{"::", false},                  // unspecified
		{"100.64.0.1", false},          // carrier-grade NAT
		{"224.0.0.1", false},           // multicast
		{"255.255.255.255", false},     // broadcast
		{"192.0.2.1", false},           // documentation
		{"2001:db8::1", false},         // documentation
		{"198.18.0.1", false},          // benchmarking
		{"fec0::1", false},             // site-local
		{"ff02::1", false},             // multicast
		{"::7f00:1", false},            // IPv4-compatible 127.0.0.1
		{"100::1", false},              // discard
		{"64:ff9b:1::a00:1", false},    // local-use NAT64
		{"2a00:1450:4001:800::200e", true},
	} {
		if got := Public(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("Public(%s): got %v, want %v", c.addr, got, c.want)
		}
	}
}

// TestCheckRefusesNonPublicHosts: a webhook URL's host is refused when it
// is, or resolves to, an address that is not public; with allowPrivate
// nothing is refused.
func TestCheckRefusesNonPublicHosts(t *testing.T) {
	dns := &fakeDNS{answers: map[string][]string{
		"internal.example": {"127.0.0.1"},
		"intranet.example": {"10.20.30.40"},
		"metadata.example": {"169.254.169.254"},
		"ula.example":      {"fd12:3456::1"},
		"public.example":   {"93.184.216.34"},
	}}
	g := NewGuard(false, dns)
	for _, c := range []struct {
		host    string
		refused bool
	}{
		{"127.0.0.1", true},
		{"::1", true},
		{"10.1.2.3", true},
		{"169.254.169.254", true},
		{"fd00::5", true},
		{"internal.example", true}, // a name resolving to 127.0.0.1
		{"intranet.example", true},
		{"metadata.example", true},
		{"ula.example", true},
		{"public.example", false},
		{"93.184.216.34", false},
		{"unknown.example", false}, // does not resolve: checked again when connecting
	} {
		err := g.Check(context.Background(), c.host)
		var refused *RefusedError
		if got := errors.As(err, &refused); got != c.refused {
			t.Errorf("Check(%s): got %v, want refused %v", c.host, err, c.refused)
		}
	}
	open := NewGuard(true, dns)
	for _, h := range []string{"127.0.0.1", "internal.example", "fd00::5"} {
		if err := open.Check(context.Background(), h); err != nil {
			t.Errorf("with allowPrivate, Check(%s): got %v, want nil", h, err)
		}
	}
}

// target is a test server that counts the requests reaching it.
func target(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func outbound(rawURL string) *model.Outbound {
	return &model.Outbound{DeliveryID: 7, WebhookID: 1, URL: rawURL, Secret: "k", Active: true, EventID: 3,
		Event: model.EventRequestCreated, OccurredAt: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), Data: []byte(`{"x":1}`)}
}

// TestDNSRebindingRefusedWhenConnecting: a name that resolved to a public
// address when the webhook was saved and resolves to 127.0.0.1 when
// connecting is refused then, and nothing reaches the server behind it.
func TestDNSRebindingRefusedWhenConnecting(t *testing.T) {
	srv, hits := target(t)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	dns := &fakeDNS{answers: map[string][]string{"rebind.example": {"93.184.216.34", "127.0.0.1"}}}
	s := &Service{guard: NewGuard(false, dns), timeout: 2 * time.Second, now: time.Now}
	s.client = newClient(s.guard, s.timeout)
	if err := s.guard.Check(context.Background(), "rebind.example"); err != nil {
		t.Fatalf("first answer is public: got %v, want the webhook accepted", err)
	}
	var a model.DeliveryAttempt
	s.send(context.Background(), outbound("http://rebind.example:"+itoa(port)+"/hook"), &a)
	if a.ErrorKind != model.AttemptRefused || a.StatusCode != nil {
		t.Fatalf("attempt after rebinding: got %+v, want refused", a)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server behind 127.0.0.1 got %d requests, want 0", n)
	}
	// The same delivery to the same server is sent with allowPrivate.
	s.guard = NewGuard(true, dns)
	s.client = newClient(s.guard, s.timeout)
	a = model.DeliveryAttempt{}
	s.send(context.Background(), outbound("http://rebind.example:"+itoa(port)+"/hook"), &a)
	if !a.OK() || hits.Load() != 1 {
		t.Fatalf("with allowPrivate: got %+v and %d hits, want 200 and 1", a, hits.Load())
	}
}

// TestLoopbackRefusedWhenConnecting: an address literal stored before
// (or behind) the subscription check is refused by the dialer too.
func TestLoopbackRefusedWhenConnecting(t *testing.T) {
	srv, hits := target(t)
	s := &Service{guard: NewGuard(false, nil), timeout: 2 * time.Second, now: time.Now}
	s.client = newClient(s.guard, s.timeout)
	var a model.DeliveryAttempt
	s.send(context.Background(), outbound(srv.URL), &a)
	if a.ErrorKind != model.AttemptRefused || hits.Load() != 0 {
		t.Fatalf("got %+v and %d hits, want refused and none", a, hits.Load())
	}
	if err := s.guard.control("tcp", "10.0.0.8:443", nil); !errors.As(err, new(*RefusedError)) {
		t.Errorf("control(10.0.0.8): got %v, want refused", err)
	}
	if err := s.guard.control("tcp", "[::ffff:127.0.0.1]:80", nil); !errors.As(err, new(*RefusedError)) {
		t.Errorf("control(::ffff:127.0.0.1): got %v, want refused", err)
	}
}

func TestCheckURL(t *testing.T) {
	s := &Service{guard: NewGuard(false, &fakeDNS{answers: map[string][]string{"hooks.example": {"93.184.216.34"}}})}
	for _, c := range []struct {
		in, want, field string
	}{
		{"https://hooks.example/in#frag", "https://hooks.example/in", ""},
		{"  http://hooks.example:8443/a?b=c  ", "http://hooks.example:8443/a?b=c", ""},
		{"", "", "url"},
		{"hooks.example/in", "", "url"},
		{"ftp://hooks.example/", "", "url"},
		{"https://user:pw@hooks.example/", "", "url"},
		{"http://[::1]:80/", "", "url"},
		{"https://" + strings.Repeat("a", MaxURL), "", "url"},
	} {
		got, err := s.checkURL(context.Background(), c.in)
		var e *model.Error
		switch {
		case c.field == "" && (err != nil || got != c.want):
			t.Errorf("checkURL(%q): got %q, %v; want %q", c.in, got, err, c.want)
		case c.field != "" && (!errors.As(err, &e) || e.Field != c.field):
			t.Errorf("checkURL(%q): got %q, %v; want an error at %s", c.in, got, err, c.field)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
