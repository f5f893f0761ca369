package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// Resolver looks host names up; *net.Resolver is one, tests use a fake
// to play DNS answers that change (rebinding).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Guard keeps webhooks away from the server's own network (server-side
// request forgery): unless private addresses are allowed, a URL whose
// host is or resolves to a loopback, private, link-local or otherwise
// non-public address is refused when the webhook is saved, and the same
// check runs again when connecting: the host is resolved, the addresses
// checked, and only a checked address is dialled (the dialer's Control
// checks it once more), so a DNS answer that changes between the two
// (rebinding) cannot reach an internal address.
type Guard struct {
	allowPrivate bool
	resolver     Resolver
	dialer       *net.Dialer
}

// NewGuard returns a guard; allowPrivate (--webhook-allow-private) turns
// the address checks off. A nil resolver means net.DefaultResolver.
func NewGuard(allowPrivate bool, r Resolver) *Guard {
	if r == nil {
		r = net.DefaultResolver
	}
	g := &Guard{allowPrivate: allowPrivate, resolver: r}
	g.dialer = &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: g.control}
	return g
}

// RefusedError is an address the guard does not let a webhook reach.
type RefusedError struct {
	Host string
	Addr netip.Addr
}

func (e *RefusedError) Error() string {
	if e.Host != "" && e.Host != e.Addr.String() {
		return fmt.Sprintf("%s resolves to %s, which is not a public address; set --webhook-allow-private to allow it", e.Host, e.Addr)
	}
	return fmt.Sprintf("%s is not a public address; set --webhook-allow-private to allow it", e.Addr)
}

// Check resolves host and returns a RefusedError naming the first
// address that is not public. A host that does not resolve passes: there
// is nothing to reach now, and connecting checks again.
func (g *Guard) Check(ctx context.Context, host string) error {
	if g.allowPrivate {
		return nil
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		return nil
	}
	for _, a := range addrs {
		if !Public(a) {
			return &RefusedError{Host: host, Addr: a}
		}
	}
	return nil
}

// lookup returns host's addresses; an address literal is itself.
func (g *Guard) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	if len(addrs) == 0 {
		return nil, &net.DNSError{Err: "no addresses", Name: host, IsNotFound: true}
	}
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, nil
}

// DialContext is the HTTP transport's dialer: it resolves the host,
// keeps the public addresses (all of them with allowPrivate) and dials
// those, never the name, so what is dialled is what was checked.
func (g *Guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	addrs, err := g.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	var allowed []netip.Addr
	for _, a := range addrs {
		if g.allowPrivate || Public(a) {
			allowed = append(allowed, a)
		}
	}
	if len(allowed) == 0 {
		return nil, &RefusedError{Host: host, Addr: addrs[0]}
	}
	var errs []error
	for _, a := range allowed {
		c, err := g.dialer.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errors.Join(errs...)
}

// control checks the address a socket is about to connect to: a last
// line that holds even if an address slipped past DialContext.
func (g *Guard) control(_, address string, _ syscall.RawConn) error {
	if g.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook: unexpected address %q", address)
	}
	if a := ap.Addr().Unmap(); !Public(a) {
		return &RefusedError{Addr: a}
	}
	return nil
}

// nonPublic are the ranges that are not the public internet beyond what
// netip's predicates cover (IANA special-purpose registries).
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // shared address space (carrier-grade NAT)
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("100::/64"),        // discard
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2001::/32"),       // Teredo (hides the IPv4 address it reaches)
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("fec0::/10"),       // site-local (deprecated)
}

// Public reports whether a is an address on the public internet: not
// loopback, private (RFC 1918, IPv6 ULA fc00::/7), link-local (cloud
// metadata services live at 169.254.169.254), unspecified, multicast,
// carrier-grade NAT, documentation, benchmarking or reserved. An IPv6
// address that embeds an IPv4 one (mapped, NAT64 64:ff9b::/96, 6to4
// 2002::/16) is judged by the IPv4 address.
func Public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	if a.Is6() {
		b := a.As16()
		switch {
		case netip.MustParsePrefix("64:ff9b::/96").Contains(a):
			return Public(netip.AddrFrom4([4]byte(b[12:16])))
		case netip.MustParsePrefix("2002::/16").Contains(a):
			return Public(netip.AddrFrom4([4]byte(b[2:6])))
		case netip.MustParsePrefix("::/96").Contains(a): // IPv4-compatible (deprecated)
			return Public(netip.AddrFrom4([4]byte(b[12:16])))
		}
	}
	return true
}
