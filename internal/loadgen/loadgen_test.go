package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var hundred []time.Duration
	for i := 1; i <= 100; i++ {
		hundred = append(hundred, time.Duration(i)*time.Millisecond)
	}
	tests := []struct {
		name    string
		samples []time.Duration
		p       float64
		want    time.Duration
	}{
		{"none", nil, 50, 0},
		{"one", []time.Duration{7}, 99, 7},
		{"p50 of 100", hundred, 50, 50 * time.Millisecond},
		{"p90 of 100", hundred, 90, 90 * time.Millisecond},
		{"p99 of 100", hundred, 99, 99 * time.Millisecond},
		{"p100 of 100", hundred, 100, 100 * time.Millisecond},
		{"p50 of 4", []time.Duration{1, 2, 3, 4}, 50, 2},
		{"p99 of 4", []time.Duration{1, 2, 3, 4}, 99, 4},
		{"p1 of 4", []time.Duration{1, 2, 3, 4}, 1, 1},
	}
	for _, tt := range tests {
		if got := Percentile(tt.samples, tt.p); got != tt.want {
			t.Errorf("%s: Percentile(p%v): got %v, want %v", tt.name, tt.p, got, tt.want)
		}
	}
}

// fakeResolver answers from a table, like DNS would.
type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	ips, ok := f[host]
	if !ok {
		return nil, errors.New("no such host")
	}
	var out []netip.Addr
	for _, s := range ips {
		out = append(out, netip.MustParseAddr(s))
	}
	return out, nil
}

func TestCheckLoopback(t *testing.T) {
	r := fakeResolver{
		"localhost":   {"127.0.0.1", "::1"},
		"example.com": {"93.184.215.14"},
		"mixed.test":  {"127.0.0.1", "10.0.0.1"},
	}
	tests := []struct {
		url      string
		ok       bool
		wantAddr string
	}{
		{"http://127.0.0.1:8080", true, "127.0.0.1:8080"},
		{"http://127.3.4.5:9000/", true, "127.3.4.5:9000"},
		{"http://localhost:8080", true, "127.0.0.1:8080"},
		{"http://[::1]:8080", true, "[::1]:8080"},
		{"https://127.0.0.1", true, "127.0.0.1:443"},
		{"http://10.0.0.1:8080", false, ""},
		{"http://192.168.1.10", false, ""},
		{"http://example.com", false, ""},
		{"http://mixed.test", false, ""},
		{"http://unknown.invalid", false, ""},
		{"ftp://127.0.0.1", false, ""},
		{"127.0.0.1:8080", false, ""},
	}
	for _, tt := range tests {
		got, err := CheckLoopback(context.Background(), tt.url, r)
		if tt.ok != (err == nil) {
			t.Errorf("CheckLoopback(%q): got error %v, want ok=%v", tt.url, err, tt.ok)
			continue
		}
		if err == nil && got.Addr.String() != tt.wantAddr {
			t.Errorf("CheckLoopback(%q): got address %s, want %s", tt.url, got.Addr, tt.wantAddr)
		}
		if err != nil && !strings.Contains(err.Error(), "refusing") && !strings.Contains(err.Error(), "--url") {
			t.Errorf("CheckLoopback(%q): error %q does not say why", tt.url, err)
		}
	}
}

// fakeAPI mimics the parts of /api/v1 the generator uses.
type fakeAPI struct {
	mu       sync.Mutex
	numbers  []string
	created  atomic.Int64
	failEach int // every failEach-th list answers 500 (0: never)
	lists    atomic.Int64
	setup    atomic.Int64 // customers, products and units created
	token    string
	queries  map[string]bool // the query strings of GET /api/v1/requests
}

func (f *fakeAPI) handler() http.Handler {
	mux := http.NewServeMux()
	created := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("POST /api/v1/customers", func(w http.ResponseWriter, r *http.Request) {
		f.setup.Add(1)
		created(w, map[string]any{"id": 42, "name": "x"})
	})
	mux.HandleFunc("POST /api/v1/products", func(w http.ResponseWriter, r *http.Request) {
		f.setup.Add(1)
		created(w, map[string]any{"id": 1})
	})
	mux.HandleFunc("POST /api/v1/units", func(w http.ResponseWriter, r *http.Request) {
		f.setup.Add(1)
		created(w, map[string]any{"id": 1})
	})
	mux.HandleFunc("POST /api/v1/requests", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in["customer_id"] != float64(42) || in["type"] != "repair" {
			http.Error(w, `{"detail":"bad body"}`, http.StatusUnprocessableEntity)
			return
		}
		n := f.created.Add(1)
		num := fmt.Sprintf("SR-2026-%06d", n)
		f.mu.Lock()
		f.numbers = append(f.numbers, num)
		f.mu.Unlock()
		created(w, map[string]any{"number": num, "status": "new"})
	})
	mux.HandleFunc("GET /api/v1/requests", func(w http.ResponseWriter, r *http.Request) {
		if n := f.lists.Add(1); f.failEach > 0 && n%int64(f.failEach) == 0 {
			http.Error(w, `{"detail":"boom"}`, http.StatusInternalServerError)
			return
		}
		f.mu.Lock()
		if f.queries == nil {
			f.queries = map[string]bool{}
		}
		f.queries[r.URL.RawQuery] = true
		items := []map[string]any{}
		for i := len(f.numbers) - 1; i >= 0 && len(items) < 25; i-- {
			items = append(items, map[string]any{"number": f.numbers[i]})
		}
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"items": items, "next_cursor": ""})
	})
	mux.HandleFunc("GET /api/v1/requests/{number}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, n := range f.numbers {
			if n == r.PathValue("number") {
				json.NewEncoder(w).Encode(map[string]any{"number": n})
				return
			}
		}
		http.NotFound(w, r)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+f.token {
			http.Error(w, `{"detail":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func TestRunAgainstFakeAPI(t *testing.T) {
	api := &fakeAPI{token: "act_test"}
	srv := httptest.NewServer(api.handler())
	defer srv.Close()
	for _, op := range []string{OpList, OpCreate, OpGet, OpFilter, OpSearch} {
		var stderr bytes.Buffer
		res, err := Run(context.Background(), Options{URL: srv.URL, Token: "act_test", Op: op, Count: 300,
			Concurrency: 8, Stderr: &stderr})
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		line, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(line, &got); err != nil {
			t.Fatalf("%s: not a JSON line: %s", op, line)
		}
		for _, k := range []string{"op", "count", "errors", "rps", "p50_ms", "p90_ms", "p99_ms"} {
			if _, ok := got[k]; !ok {
				t.Errorf("%s: JSON line %s has no %q", op, line, k)
			}
		}
		if res.Op != op || res.Count != 300 || res.Errors != 0 {
			t.Errorf("%s: got %s, want op %s, count 300, errors 0 (stderr %q)", op, line, op, stderr.String())
		}
		if !(res.P50 > 0 && res.P50 <= res.P90 && res.P90 <= res.P99 && res.RPS > 0) {
			t.Errorf("%s: implausible figures %s", op, line)
		}
	}
	if got := api.created.Load(); got != 300 {
		t.Errorf("requests created: got %d, want 300 (the create run; get found enough to open)", got)
	}
	// The filter and search runs asked for every view and every word.
	for _, v := range filterQueries() {
		if !api.queries["limit=25&"+v] {
			t.Errorf("filter run: no GET /api/v1/requests?limit=25&%s among %v", v, api.queries)
		}
	}
	for _, w := range searchWords() {
		if !api.queries["limit=25&q="+url.QueryEscape(w)] {
			t.Errorf("search run: no GET /api/v1/requests?limit=25&q=%s", w)
		}
	}
	if got := api.setup.Load(); got != 3 {
		t.Errorf("set-up calls: got %d, want 3 (customer, product, unit) for the create run", got)
	}
}

func TestRunGetOnEmptyStoreCreatesRequests(t *testing.T) {
	api := &fakeAPI{token: "t"}
	srv := httptest.NewServer(api.handler())
	defer srv.Close()
	res, err := Run(context.Background(), Options{URL: srv.URL, Token: "t", Op: OpGet, Count: 50, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || api.created.Load() != 20 {
		t.Errorf("get on an empty store: got %d errors and %d requests created, want 0 and 20", res.Errors, api.created.Load())
	}
}

func TestRunCountsErrors(t *testing.T) {
	api := &fakeAPI{token: "t", failEach: 10}
	srv := httptest.NewServer(api.handler())
	defer srv.Close()
	var stderr bytes.Buffer
	res, err := Run(context.Background(), Options{URL: srv.URL, Token: "t", Op: OpList, Count: 100, Concurrency: 4, Stderr: &stderr})
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 100 || res.Errors != 10 {
		t.Errorf("got count %d errors %d, want 100 and 10", res.Count, res.Errors)
	}
	if s := stderr.String(); !strings.Contains(s, "500") || !strings.Contains(s, "boom") || strings.Count(s, "first error") != 1 {
		t.Errorf("stderr: got %q, want the first error once with its status and body", s)
	}

	// A wrong token fails every operation.
	res, err = Run(context.Background(), Options{URL: srv.URL, Token: "wrong", Op: OpList, Count: 5, Concurrency: 2})
	if err != nil || res.Errors != 5 {
		t.Errorf("wrong token: got %+v, %v; want 5 errors", res, err)
	}
}

func TestRunRefusesRemoteAndStopsAtTimeout(t *testing.T) {
	if _, err := Run(context.Background(), Options{URL: "http://10.0.0.1:8080", Op: OpList, Count: 1, Concurrency: 1}); err == nil ||
		!strings.Contains(err.Error(), "loopback") {
		t.Errorf("10.0.0.1: got %v, want a refusal naming loopback", err)
	}
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(50 * time.Millisecond):
		case <-r.Context().Done():
		}
		w.Write([]byte(`{"items":[]}`))
	}))
	defer slow.Close()
	res, err := Run(context.Background(), Options{URL: slow.URL, Op: OpList, Count: 10000, Concurrency: 2, Timeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("slow server: got %v, want a timeout error", err)
	}
	if res == nil || res.Count == 0 || res.Count >= 10000 || res.Errors != 0 {
		t.Errorf("slow server: got %+v, want some operations done and no errors counted for the cut", res)
	}
}
