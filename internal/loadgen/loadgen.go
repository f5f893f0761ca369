// Package loadgen drives a running Aftercare server over its JSON API and
// measures it: a bounded number of operations (create, list, filter,
// search or get service requests) by a fixed number of concurrent workers, summarised as
// one JSON line with the request rate and exact latency percentiles.
//
// It only ever talks to loopback addresses (see CheckLoopback), it stops
// after the given count or timeout, and it prepares what it needs (a
// customer, a product, a unit, requests to open) through the API itself,
// so it works against an empty store too.
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Operations.
const (
	OpCreate = "create" // POST /api/v1/requests
	OpList   = "list"   // GET /api/v1/requests?limit=25, the first queue page
	OpGet    = "get"    // GET /api/v1/requests/{number}
	OpFilter = "filter" // GET /api/v1/requests with a queue view's filters (filterQueries in turn)
	OpSearch = "search" // GET /api/v1/requests?q=, a search (searchWords in turn)
)

// Options describe one run.
type Options struct {
	URL         string // base URL of the server, e.g. http://127.0.0.1:8080
	Token       string // API bearer token
	Op          string // OpCreate, OpList or OpGet
	Count       int    // operations in the timed phase
	Concurrency int    // concurrent workers
	// Timeout bounds the whole run, set-up included (0 means 5 minutes).
	Timeout time.Duration
	// Stderr receives the first error's status and body; nil discards.
	Stderr io.Writer
	// Resolver checks host names (nil: net.DefaultResolver).
	Resolver Resolver
	// Acknowledged, if set, receives the number of every request the
	// server acknowledged (201) in the timed phase of a create run, from
	// the workers' goroutines: a rolling-restart test checks afterwards
	// that each one is in the database.
	Acknowledged func(number string)
}

// Result is the summary printed as one JSON line.
type Result struct {
	Op     string  `json:"op"`
	Count  int     `json:"count"`  // operations done in the timed phase
	Errors int     `json:"errors"` // of which failed (transport error or non-2xx)
	RPS    float64 `json:"rps"`
	P50    float64 `json:"p50_ms"`
	P90    float64 `json:"p90_ms"`
	P99    float64 `json:"p99_ms"`
}

// DefaultTimeout bounds a run when Options.Timeout is zero.
const DefaultTimeout = 5 * time.Minute

// client is the HTTP side of a run.
type client struct {
	ack    func(number string)
	base   string
	token  string
	http   *http.Client
	stderr io.Writer
	once   sync.Once
}

// Run checks the target, prepares the data the operation needs and then
// runs opts.Count operations with opts.Concurrency workers. When the
// timeout ends the run early, the result covers the operations done and
// the error says so.
func Run(ctx context.Context, opts Options) (*Result, error) {
	switch opts.Op {
	case OpCreate, OpList, OpGet, OpFilter, OpSearch:
	default:
		return nil, fmt.Errorf("loadgen: --op %q: want create, list, get, filter or search", opts.Op)
	}
	if opts.Count <= 0 || opts.Concurrency <= 0 {
		return nil, errors.New("loadgen: --count and --concurrency must be positive")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	target, err := CheckLoopback(ctx, opts.URL, opts.Resolver)
	if err != nil {
		return nil, err
	}
	c := newClient(target, opts)
	defer c.http.CloseIdleConnections()

	op, err := c.prepare(ctx, opts.Op)
	if err != nil {
		return nil, err
	}
	res := &Result{Op: opts.Op}
	samples := make([]time.Duration, opts.Count)
	var next, failed, done atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range min(opts.Concurrency, opts.Count) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(opts.Count) || ctx.Err() != nil {
					return
				}
				t0 := time.Now()
				if err := op(ctx, int(i)); err != nil {
					if ctx.Err() != nil {
						return // cut short by the timeout: not a sample
					}
					failed.Add(1)
					c.report(err)
				}
				samples[i] = max(time.Since(t0), 1) // 0 marks "not done"
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	taken := samples[:0]
	for _, s := range samples {
		if s > 0 {
			taken = append(taken, s)
		}
	}
	res.Count, res.Errors = int(done.Load()), int(failed.Load())
	summarize(res, taken, elapsed)
	if res.Count < opts.Count {
		return res, fmt.Errorf("loadgen: stopped by the %v timeout after %d of %d operations", opts.Timeout, res.Count, opts.Count)
	}
	return res, nil
}

func newClient(t *Target, opts Options) *client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	addr := t.Addr.String()
	tr := &http.Transport{
		// Every connection goes to the checked loopback address.
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        2 * opts.Concurrency,
		MaxIdleConnsPerHost: 2 * opts.Concurrency,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   false,
	}
	stderr := opts.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	return &client{ack: opts.Acknowledged, base: strings.TrimRight(t.URL.String(), "/"), token: opts.Token,
		http: &http.Client{Transport: tr, Timeout: time.Minute}, stderr: stderr}
}

// statusError is a non-2xx answer.
type statusError struct {
	method, path string
	status       int
	body         string
}

func (e *statusError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.method, e.path, e.status, e.body)
}

// report prints the first error of the timed phase to stderr.
func (c *client) report(err error) {
	c.once.Do(func() { fmt.Fprintf(c.stderr, "loadgen: first error: %v\n", err) })
}

// do sends one API call with an optional JSON body and decodes a 2xx
// JSON answer into out (if not nil). Anything else is an error carrying
// the status and the start of the body.
func (c *client) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return &statusError{method, path, resp.StatusCode, strings.TrimSpace(string(b))}
	}
	if out == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // keep the connection reusable
	return nil
}
