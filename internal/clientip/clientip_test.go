package clientip

import (
	"net/http/httptest"
	"testing"
)

func TestAddr(t *testing.T) {
	r, err := Parse("10.0.0.0/8, 127.0.0.1, ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"direct client", "203.0.113.5:4000", nil, "203.0.113.5"},
		{"direct client lying", "203.0.113.5:4000", []string{"1.2.3.4"}, "203.0.113.5"},
		{"through the proxy", "127.0.0.1:5000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"client's own header is ignored", "127.0.0.1:5000", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"chain of trusted proxies", "10.1.1.1:5000", []string{"198.51.100.7, 10.2.2.2"}, "198.51.100.7"},
		{"several headers", "10.1.1.1:5000", []string{"1.2.3.4", "198.51.100.7, 10.2.2.2"}, "198.51.100.7"},
		{"garbage stops the walk", "127.0.0.1:5000", []string{"198.51.100.7, bogus"}, "127.0.0.1"},
		{"all trusted", "127.0.0.1:5000", []string{"10.9.9.9"}, "10.9.9.9"},
		{"IPv4-mapped peer", "[::ffff:203.0.113.5]:4000", nil, "203.0.113.5"},
		{"IPv6 proxy", "[::1]:5000", []string{"2001:db8::1"}, "2001:db8::1"},
	} {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = tc.peer
		for _, h := range tc.xff {
			req.Header.Add("X-Forwarded-For", h)
		}
		if got := r.Addr(req).String(); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	var none Resolver
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	req.Header.Set("X-Forwarded-For", "198.51.100.7")
	if got := none.Addr(req).String(); got != "127.0.0.1" {
		t.Errorf("no trusted proxies: got %s, want the peer", got)
	}
	if _, err := Parse("10.0.0.0/33"); err == nil {
		t.Error("bad CIDR accepted")
	}
	if _, err := Parse("proxy.example.com"); err == nil {
		t.Error("host name accepted")
	}
}

func TestRateKeyAndLocal(t *testing.T) {
	r, _ := Parse("")
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "[2001:db8:1:2:aaaa::1]:443"
	if got := RateKey(r.Addr(req)); got != "2001:db8:1:2::/64" {
		t.Errorf("IPv6 key: got %s, want the /64", got)
	}
	req.RemoteAddr = "192.0.2.1:443"
	if got := RateKey(r.Addr(req)); got != "192.0.2.1" {
		t.Errorf("IPv4 key: got %s", got)
	}
	for _, tc := range []struct {
		peer, header string
		want         bool
	}{
		{"127.0.0.1:1", "", true},
		{"[::1]:1", "", true},
		{"127.0.0.1:1", "X-Forwarded-For", false},
		{"127.0.0.1:1", "Forwarded", false},
		{"192.0.2.1:1", "", false},
	} {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = tc.peer
		if tc.header != "" {
			req.Header.Set(tc.header, "for=198.51.100.7")
		}
		if got := Local(req); got != tc.want {
			t.Errorf("Local(%s, %s): got %v", tc.peer, tc.header, got)
		}
	}
}
