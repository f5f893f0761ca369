package cluster_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// createRequest files a request through base as the agent and returns its
// number.
func (c *cluster) createRequest(t *testing.T, base, subject string) string {
	t.Helper()
	cust := c.customer(t)
	body := fmt.Sprintf(`{"type":"repair","subject":%q,"description":"x","customer_id":%d,"channel":"phone"}`, subject, cust)
	status, out := apiCall(base, "POST", "/api/v1/requests", c.agent, body)
	if status != http.StatusCreated {
		t.Fatalf("create on %s: got %d %s", base, status, out)
	}
	var r struct {
		Number string `json:"number"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Number == "" {
		t.Fatalf("create: %v %s", err, out)
	}
	return r.Number
}

// sharedFiles uploads a file through node 1 and downloads it through the
// other nodes and the balancer: attachments live in PostgreSQL.
func (c *cluster) sharedFiles(t *testing.T) {
	number := c.createRequest(t, c.nodes[0].URL(), "photo of the fault")
	content := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("aftercare"), 1000)...)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "fault.png")
	_, _ = fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", c.nodes[0].URL()+"/api/v1/requests/"+number+"/attachments", &buf)
	req.Header.Set("Authorization", "Bearer "+c.agent)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		ID int64 `json:"id"`
	}
	err = json.NewDecoder(resp.Body).Decode(&a)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || err != nil {
		t.Fatalf("upload via node1: got %d (%v), want 201", resp.StatusCode, err)
	}
	for _, base := range []string{c.nodes[1].URL(), c.nodes[2].URL(), c.lb.URL(), c.lb.URL(), c.lb.URL()} {
		status, body := apiCall(base, "GET", fmt.Sprintf("/api/v1/attachments/%d", a.ID), c.agent, "")
		if status != http.StatusOK || body != string(content) {
			t.Errorf("download via %s: got %d and %d bytes, want 200 and the %d bytes uploaded via node1", base, status, len(body), len(content))
		}
	}
}

// liveAcrossNodes opens the event stream on node 2 and changes a request
// through node 1: the change reaches the stream (LISTEN/NOTIFY).
func (c *cluster) liveAcrossNodes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.nodes[1].URL()+"/api/v1/events/stream", nil)
	req.Header.Set("Authorization", "Bearer "+c.agent)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("stream on node2: %v %v", resp, err)
	}
	defer resp.Body.Close()
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	waitLine := func(match func(string) bool, what string) {
		t.Helper()
		deadline := time.After(15 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("stream on node2 ended before %s", what)
				}
				if match(l) {
					return
				}
			case <-deadline:
				t.Fatalf("no %s on node2's stream within 15 s", what)
			}
		}
	}
	waitLine(func(l string) bool { return l == "event: ready" }, "ready event")
	number := c.createRequest(t, c.nodes[0].URL(), "changed on node 1")
	waitLine(func(l string) bool { return strings.HasPrefix(l, "data: ") && strings.Contains(l, number) },
		"event about "+number+" (made via node1)")
}

// customer creates a customer in the shared database.
func (c *cluster) customer(t *testing.T) int64 {
	t.Helper()
	cu := &model.Customer{Name: "Shared customer", Email: fmt.Sprintf("c%d@example.com", time.Now().UnixNano()), Locale: "en"}
	if err := c.admin.Store.CreateCustomer(context.Background(), cu); err != nil {
		t.Fatal(err)
	}
	return cu.ID
}
