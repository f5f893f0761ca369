package loadgen

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
)

// Resolver looks host names up; *net.Resolver implements it, tests pass a
// fake.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Target is a checked load-generation target: the URL, and the loopback
// address every connection goes to (so that a name cannot resolve to a
// loopback address for the check and to another one for the load).
type Target struct {
	URL  *url.URL
	Addr netip.AddrPort
}

// CheckLoopback parses rawURL and accepts it only if its host is, or
// resolves only to, loopback addresses (127.0.0.0/8 or ::1): a load
// generator must never be pointed at another machine. A nil resolver
// means net.DefaultResolver.
func CheckLoopback(ctx context.Context, rawURL string, r Resolver) (*Target, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("loadgen: --url %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("loadgen: --url %q: want an http:// or https:// URL", rawURL)
	}
	host := u.Hostname()
	if host == "" {
		return nil, fmt.Errorf("loadgen: --url %q: no host", rawURL)
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	var p uint16
	if _, err := fmt.Sscan(port, &p); err != nil || p == 0 {
		return nil, fmt.Errorf("loadgen: --url %q: bad port %q", rawURL, port)
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		if r == nil {
			r = net.DefaultResolver
		}
		addrs, err = r.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, fmt.Errorf("loadgen: refusing %s: cannot resolve %q (%v); only loopback targets (127.0.0.0/8, ::1, localhost) are allowed", rawURL, host, err)
		}
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("loadgen: refusing %s: %q resolves to no address", rawURL, host)
	}
	for _, a := range addrs {
		if !a.Unmap().IsLoopback() {
			return nil, fmt.Errorf("loadgen: refusing %s: %q is %s, not a loopback address; only loopback targets (127.0.0.0/8, ::1, localhost) are allowed", rawURL, host, a)
		}
	}
	return &Target{URL: u, Addr: netip.AddrPortFrom(addrs[0].Unmap(), p)}, nil
}
