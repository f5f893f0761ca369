package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// sseEvent is one server-sent event as read from the stream.
type sseEvent struct {
	Type string
	Data struct {
		Number string `json:"number"`
		By     string `json:"by"`
		Unread *int   `json:"unread"`
	}
}

// openStream opens GET /api/v1/events/stream as token and returns its
// events; it waits for the "ready" event, so that changes made after it
// returns are on the stream. The stream closes with the test.
func (f *fixture) openStream(t *testing.T, token string) <-chan sseEvent {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", f.URL()+"/api/v1/events/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: got %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := make(chan sseEvent, 100)
	ready := make(chan struct{})
	go func() {
		defer res.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(res.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.Type = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				_ = json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.Data)
			case line == "" && ev.Type != "":
				if ev.Type == "ready" {
					close(ready)
				} else {
					out <- ev
				}
				ev = sseEvent{}
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("no ready event on the stream")
	}
	return out
}

// expectEvent waits for an event of type typ about number on events.
func expectEvent(t *testing.T, who string, events <-chan sseEvent, typ, number string) sseEvent {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Type == typ && ev.Data.Number == number {
				return ev
			}
		case <-deadline:
			t.Fatalf("%s: no %s for %s on the stream", who, typ, number)
		}
	}
}

// expectNone checks that no event about number arrives on events before
// a marker event about marker (sent after the changes that must not
// show).
func expectNone(t *testing.T, who string, events <-chan sseEvent, marker string, numbers ...string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev := <-events:
			if slices.Contains(numbers, ev.Data.Number) {
				t.Errorf("%s heard %s about %s, which it must not", who, ev.Type, ev.Data.Number)
			}
			if ev.Data.Number == marker {
				return
			}
		case <-deadline:
			t.Fatalf("%s: the marker %s never came", who, marker)
		}
	}
}

// TestEventStream reads the live stream as staff and as a customer while
// others change requests: staff hear of every change and of who is
// typing; a customer hears only of its own requests, never of internal
// notes or typing.
func TestEventStream(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		alices := f.newRequest(t, f.aliceID, "Washer leaks")
		bobs := f.newRequest(t, f.bobID, "Dryer noise")
		alices2 := f.newRequest(t, f.aliceID, "Dryer too")
		staff := f.openStream(t, f.manager)
		alice := f.openStream(t, f.alice)

		f.mustStatus(t, http.StatusOK, "PATCH", "/api/v1/requests/"+bobs.Number, f.agent, map[string]any{"priority": "high", "version": bobs.Version})
		ev := expectEvent(t, "manager", staff, "request.updated", bobs.Number)
		if ev.Data.By == "" {
			t.Errorf("staff event lacks who changed it: %+v", ev)
		}
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+alices2.Number+"/messages", f.agent,
			map[string]any{"body": "checking stock", "visibility": "internal"})
		expectEvent(t, "manager (note)", staff, "request.updated", alices2.Number)
		f.mustStatus(t, http.StatusNoContent, "POST", "/api/v1/requests/"+alices2.Number+"/typing", f.agent, nil)
		if ev := expectEvent(t, "manager (typing)", staff, "request.typing", alices2.Number); ev.Data.By == "" {
			t.Errorf("typing event lacks the name: %+v", ev)
		}
		// Alice: nothing of Bob's request, of the note or of the typing;
		// then her own request's public reply.
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+alices.Number+"/messages", f.agent,
			map[string]any{"body": "We will send a technician."})
		expectNone(t, "alice", alice, alices.Number, bobs.Number, alices2.Number)
		f.mustStatus(t, http.StatusNotFound, "POST", "/api/v1/requests/SR-1999-000001/typing", f.agent, nil)
		f.mustStatus(t, http.StatusForbidden, "POST", "/api/v1/requests/"+alices.Number+"/typing", f.alice, nil)
	})
}

// TestInboxEvent: a note that mentions the agent tells the agent's open
// pages their new unread count (inbox.changed), and only the agent's:
// the manager, who hears of the note itself, hears of no one's inbox.
// Reading the notifications tells the agent's pages again (0 unread).
func TestInboxEvent(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		r := f.newRequest(t, f.aliceID, "Washer leaks")
		agent := f.openStream(t, f.agent)
		manager := f.openStream(t, f.manager)
		f.mustStatus(t, http.StatusCreated, "POST", "/api/v1/requests/"+r.Number+"/messages", f.admin,
			map[string]any{"body": "@agent please call her back", "visibility": "internal"})
		unread := func(who string, events <-chan sseEvent, want int) {
			t.Helper()
			ev := expectEvent(t, who, events, "inbox.changed", "")
			if ev.Data.Unread == nil || *ev.Data.Unread != want {
				t.Errorf("%s: inbox.changed with unread %v, want %d", who, ev.Data.Unread, want)
			}
		}
		unread("agent", agent, 1)
		for ev := range manager {
			if ev.Type == "inbox.changed" {
				t.Errorf("the manager heard of someone's inbox: %+v", ev)
			}
			if ev.Type == "request.updated" && ev.Data.Number == r.Number {
				break // the note's own event comes after its inbox events
			}
		}
		f.mustStatus(t, http.StatusOK, "POST", "/api/v1/notifications/read", f.agent, map[string]any{})
		unread("agent, after reading", agent, 0)
	})
}
