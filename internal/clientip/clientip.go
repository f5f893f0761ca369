// Package clientip finds the address of the client behind an HTTP
// request: the peer's address, or, when the peer is a proxy the operator
// trusts (--trusted-proxies), the address that proxy reports in
// X-Forwarded-For. A client can write any X-Forwarded-For it likes, so the
// header is believed only from trusted peers, and only as far back as the
// chain of trusted proxies reaches.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver resolves client addresses. The zero value trusts no proxy.
type Resolver struct {
	trusted []netip.Prefix
}

// Parse reads a comma-separated list of proxy addresses and CIDR ranges
// ("10.0.0.0/8, 127.0.0.1"); an empty list trusts no proxy.
func Parse(list string) (Resolver, error) {
	var r Resolver
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return Resolver{}, fmt.Errorf("trusted proxy %q: %w", f, err)
			}
			r.trusted = append(r.trusted, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return Resolver{}, fmt.Errorf("trusted proxy %q: %w", f, err)
		}
		a = a.Unmap()
		r.trusted = append(r.trusted, netip.PrefixFrom(a, a.BitLen()))
	}
	return r, nil
}

// trusts reports whether a is a trusted proxy.
func (r Resolver) trusts(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Peer is the address of the connection's other end.
func Peer(req *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(req.RemoteAddr)
	if err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		host = req.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// Addr returns the client's address: the peer, unless the peer is a
// trusted proxy, in which case X-Forwarded-For is read from the right,
// skipping trusted proxies, and the first address that is not one is the
// client. A malformed entry stops the walk at the last good address.
func (r Resolver) Addr(req *http.Request) netip.Addr {
	addr := Peer(req)
	if !r.trusts(addr) {
		return addr
	}
	var hops []string
	for _, h := range req.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		addr = a.Unmap()
		if !r.trusts(addr) {
			break
		}
	}
	return addr
}

// RateKey is what identifies one client for rate limiting: its IPv4
// address, or the /64 network of an IPv6 address (one subscriber usually
// holds a whole /64, so single addresses would give an attacker millions
// of keys).
func RateKey(a netip.Addr) string {
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// Local reports whether req comes straight from this machine: a loopback
// peer that forwards for no one (a reverse proxy on the same host adds
// X-Forwarded-For or Forwarded, and its clients are not local).
func Local(req *http.Request) bool {
	if req.Header.Get("X-Forwarded-For") != "" || req.Header.Get("Forwarded") != "" || req.Header.Get("X-Real-IP") != "" {
		return false
	}
	return Peer(req).IsLoopback()
}
