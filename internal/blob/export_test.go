package blob

import (
	"context"
	"net"
	"net/http"
)

// DialAll makes s dial addr whatever host a request names (for the
// virtual-hosted test, whose bucket host names do not resolve) and
// returns the addresses it was asked for.
func DialAll(s *S3, addr string) *[]string {
	var asked []string
	s.client.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, a string) (net.Conn, error) {
		asked = append(asked, a)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	return &asked
}
