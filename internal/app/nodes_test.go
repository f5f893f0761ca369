package app_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/api/apitest"
	"github.com/aftercare/aftercare/internal/app/apptest"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// twoNodes boots two app nodes on one PostgreSQL database, each with its
// own data directory, as two `serve` processes on two machines would run.
func twoNodes(t *testing.T) (a, b *apitest.App) {
	t.Helper()
	url := storetest.PostgresURL(t)
	a = apitest.StartWith(t, apptest.Options{DatabaseURL: url})
	b = apitest.StartWith(t, apptest.Options{DatabaseURL: url})
	return a, b
}

// TestFilesAcrossNodes: a file uploaded through node A downloads through
// node B byte-identical because on PostgreSQL files
// live in the database, not in the data directory of the node that
// received them.
func TestFilesAcrossNodes(t *testing.T) {
	a, b := twoNodes(t)
	alice, number := customerRequest(t, a)
	content := photo(3<<20 + 777) // several chunks
	id := uploadFile(t, a, alice, number, content)
	if files := apptest.StoredFiles(t, a.Main); len(files) != 1 {
		t.Errorf("stored files: got %v, want the one upload, in the database", files)
	}
	if status, data := downloadFile(t, b, alice, id); status != http.StatusOK || !bytes.Equal(data, content) {
		t.Fatalf("download through node B: got %d, %d bytes; want 200 and the %d bytes uploaded, byte-identical", status, len(data), len(content))
	}
	// Node B's data directory holds nothing: it read the file from the
	// database.
	for _, m := range []*apitest.App{a, b} {
		if files := apptest.StoredFiles(t, m.Main); len(files) != 1 {
			t.Errorf("%s: stored files: got %v, want only the database's one", m.URL(), files)
		}
	}
}

// customerRequest opens a repair request as a new customer of a and
// returns the customer's API token and the request's number.
func customerRequest(t *testing.T, a *apitest.App) (token, number string) {
	t.Helper()
	token, c := a.Customer(t, "Alice", "alice@example.com")
	r, err := a.Requests.Create(context.Background(), model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: "Alice"},
		request.CreateInput{Type: model.TypeRepair, Subject: "Cracked lens", Via: model.ChannelWeb})
	if err != nil {
		t.Fatal(err)
	}
	return token, r.Number
}

// photo is n bytes of a PNG file (its signature, then random bytes).
func photo(n int) []byte {
	content := make([]byte, n)
	copy(content, "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	rand.Read(content[16:])
	return content
}

// uploadFile attaches content to request number through a's API and
// returns the attachment's id.
func uploadFile(t *testing.T, a *apitest.App, token, number string, content []byte) int64 {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "lens.png")
	w.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", a.URL()+"/api/v1/requests/"+number+"/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := a.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload through %s: got %d: %s", a.URL(), res.StatusCode, got)
	}
	var att struct{ ID int64 }
	if err := json.Unmarshal(got, &att); err != nil {
		t.Fatal(err)
	}
	return att.ID
}

// downloadFile downloads attachment id through b's API.
func downloadFile(t *testing.T, b *apitest.App, token string, id int64) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/attachments/%d", b.URL(), id), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return res.StatusCode, data
}

// sse reads a server-sent event stream of app m as token and sends the
// events' types and request numbers ("request.updated SR-…") on the
// channel it returns, once the stream said it is ready.
func sse(t *testing.T, m *apitest.App, token string) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", m.URL()+"/api/v1/events/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("event stream: got %d", res.StatusCode)
	}
	out, ready := make(chan string, 100), make(chan struct{})
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		typ := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				typ = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && typ == "ready":
				close(ready)
			case strings.HasPrefix(line, "data: "):
				var d struct{ Number string }
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &d)
				out <- typ + " " + d.Number
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("no ready event")
	}
	return out
}

// hears waits for want on events; it fails on anything in never first.
func hears(t *testing.T, who string, events <-chan string, want string, never ...string) {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case got := <-events:
			if slices.Contains(never, got) {
				t.Errorf("%s heard %q, which it must not", who, got)
			}
			if got == want {
				return
			}
		case <-deadline:
			t.Fatalf("%s: %q never came", who, want)
		}
	}
}

// TestLiveAcrossNodes: a page connected to node B hears of a change made
// through node A (PostgreSQL LISTEN/NOTIFY), and a customer on node B
// still hears only of its own requests.
func TestLiveAcrossNodes(t *testing.T) {
	a, b := twoNodes(t)
	ctx := context.Background()
	agent, _ := a.Staff(t, model.RoleAgent, "agent@example.com")
	manager, _ := a.Staff(t, model.RoleManager, "manager@example.com")
	alice, ac := a.Customer(t, "Alice", "alice@example.com")
	bob, bc := a.Customer(t, "Bob", "bob@example.com")
	open := func(c *model.Customer, subject string) *model.Request {
		r, err := a.Requests.Create(ctx, model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: c.Name},
			request.CreateInput{Type: model.TypeRepair, Subject: subject, Via: model.ChannelWeb})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	alices, bobs := open(ac, "Washer leaks"), open(bc, "Dryer noise")
	staffOnB, aliceOnB, bobOnB := sse(t, b, manager), sse(t, b, alice), sse(t, b, bob)

	res := a.Do(t, "PATCH", "/api/v1/requests/"+alices.Number, agent, map[string]any{"priority": "high", "version": alices.Version})
	if res.Status != http.StatusOK {
		t.Fatalf("change through node A: got %d: %s", res.Status, res.Body)
	}
	hears(t, "staff on node B", staffOnB, "request.updated "+alices.Number)
	hears(t, "Alice on node B", aliceOnB, "request.updated "+alices.Number)
	// Bob hears of his own request (the marker), never of Alice's.
	res = a.Do(t, "PATCH", "/api/v1/requests/"+bobs.Number, agent, map[string]any{"priority": "high", "version": bobs.Version})
	if res.Status != http.StatusOK {
		t.Fatalf("change through node A: got %d: %s", res.Status, res.Body)
	}
	hears(t, "Bob on node B", bobOnB, "request.updated "+bobs.Number, "request.updated "+alices.Number)
	// Typing on node A reaches staff on node B.
	if res := a.Do(t, "POST", "/api/v1/requests/"+bobs.Number+"/typing", agent, nil); res.Status != http.StatusNoContent {
		t.Fatalf("typing: got %d: %s", res.Status, res.Body)
	}
	hears(t, "staff on node B", staffOnB, "request.typing "+bobs.Number)
}

// TestLoginLimitAcrossNodes: wrong passwords for one login from one client,
// spread over two nodes, hit one limit (10 at once), not one per node.
// The nodes' clock stands still, so the bucket never refills while ten
// slow password checks run on a loaded machine (on the wall clock it
// refilled and let the 11th through).
func TestLoginLimitAcrossNodes(t *testing.T) {
	url := storetest.PostgresURL(t)
	at := time.Now()
	clock := func() time.Time { return at }
	a := apitest.StartWith(t, apptest.Options{DatabaseURL: url, Now: clock})
	b := apitest.StartWith(t, apptest.Options{DatabaseURL: url, Now: clock})
	ctx := context.Background()
	a.Staff(t, model.RoleAgent, "agent@example.com")
	for i := range 10 {
		n := []*apitest.App{a, b}[i%2]
		if _, err := n.Auth.LoginStaff(ctx, "agent@example.com", "wrong", "203.0.113.9"); model.ErrorCode(err) == model.ERATELIMIT {
			t.Fatalf("attempt %d: rate limited, want the first 10 to be checked", i+1)
		}
	}
	for _, n := range []*apitest.App{a, b} {
		if _, err := n.Auth.LoginStaff(ctx, "agent@example.com", "correct horse battery staple", "203.0.113.9"); model.ErrorCode(err) != model.ERATELIMIT {
			t.Errorf("%s: the 11th attempt (right password): got %v, want rate limited on every node", n.URL(), err)
		}
	}
	if _, err := b.Auth.LoginStaff(ctx, "agent@example.com", "correct horse battery staple", "198.51.100.7"); err != nil {
		t.Errorf("another client: got %v, want logged in", err)
	}
}

// TestTypingLimitAcrossNodes: one agent's "replying" pings, spread over
// two nodes at one instant, pass 3 (the burst) and drop the rest, still
// answering 204.
func TestTypingLimitAcrossNodes(t *testing.T) {
	url := storetest.PostgresURL(t)
	at := time.Now()
	clock := func() time.Time { return at } // the bucket never refills
	a := apitest.StartWith(t, apptest.Options{DatabaseURL: url, Now: clock})
	b := apitest.StartWith(t, apptest.Options{DatabaseURL: url, Now: clock})
	ctx := context.Background()
	agent, _ := a.Staff(t, model.RoleAgent, "agent@example.com")
	manager, _ := a.Staff(t, model.RoleManager, "manager@example.com")
	_, c := a.Customer(t, "Alice", "alice@example.com")
	r, err := a.Requests.Create(ctx, model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: c.Name},
		request.CreateInput{Type: model.TypeRepair, Subject: "Washer leaks", Via: model.ChannelWeb})
	if err != nil {
		t.Fatal(err)
	}
	events := sse(t, b, manager)
	for i := range 6 {
		n := []*apitest.App{a, b}[i%2]
		if res := n.Do(t, "POST", "/api/v1/requests/"+r.Number+"/typing", agent, nil); res.Status != http.StatusNoContent {
			t.Fatalf("ping %d: got %d: %s", i+1, res.Status, res.Body)
		}
	}
	if res := a.Do(t, "PATCH", "/api/v1/requests/"+r.Number, agent, map[string]any{"priority": "high", "version": r.Version}); res.Status != http.StatusOK {
		t.Fatalf("marker change: got %d: %s", res.Status, res.Body)
	}
	typing := 0
	deadline := time.After(15 * time.Second)
	for done := false; !done; {
		select {
		case ev := <-events:
			switch ev {
			case "request.typing " + r.Number:
				typing++
			case "request.updated " + r.Number:
				done = true
			}
		case <-deadline:
			t.Fatal("the marker change never came")
		}
	}
	if typing != 3 {
		t.Errorf("6 pings at one instant over two nodes: %d passed on, want 3", typing)
	}
}
