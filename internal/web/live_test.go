package web_test

import (
	"context"
	"net/http"
)

// statusOfStream opens an event stream, reads its status and location,
// and hangs up (the stream itself stays open).
func (c *client) statusOfStream(path string) response {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	req.Header.Set("Accept-Language", c.lang)
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	return response{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header}
}
