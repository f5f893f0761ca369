// Package live carries "this request changed" and "someone is replying"
// to open pages as server-sent events. The Broker is the seam: Memory
// serves one node; a PostgreSQL LISTEN/NOTIFY broker (issue 14) can take
// its place for many nodes without the publishers or the stream
// changing.
package live

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// Broker publishes live events and hands them to subscribers.
type Broker interface {
	// Publish sends ev to every subscriber; it never blocks on a slow
	// one (a subscriber that does not keep up misses events).
	Publish(ctx context.Context, ev model.LiveEvent) error
	// Subscribe returns a channel of events that is closed when ctx ends.
	Subscribe(ctx context.Context) (<-chan model.LiveEvent, error)
}

// Memory is the in-process Broker of one node.
type Memory struct {
	mu   sync.Mutex
	subs map[chan model.LiveEvent]struct{}
}

// NewMemory returns an empty in-process broker.
func NewMemory() *Memory { return &Memory{subs: map[chan model.LiveEvent]struct{}{}} }

// subscriberBuffer is how many events a subscriber may fall behind.
const subscriberBuffer = 64

// Publish implements Broker.
func (m *Memory) Publish(_ context.Context, ev model.LiveEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for ch := range m.subs {
		select {
		case ch <- ev:
		default: // too slow: this one misses the event
		}
	}
	return nil
}

// Subscribe implements Broker.
func (m *Memory) Subscribe(ctx context.Context) (<-chan model.LiveEvent, error) {
	ch := make(chan model.LiveEvent, subscriberBuffer)
	m.mu.Lock()
	m.subs[ch] = struct{}{}
	m.mu.Unlock()
	go func() {
		<-ctx.Done()
		m.mu.Lock()
		delete(m.subs, ch)
		close(ch)
		m.mu.Unlock()
	}()
	return ch, nil
}

// Subscribers returns how many subscriptions are open (for tests and
// metrics).
func (m *Memory) Subscribers() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.subs)
}

// Visible reports whether p may hear of ev: staff who read requests hear
// of every request; a customer only of changes to its own requests, never
// who is typing; a staff user alone hears that their own notifications
// changed.
func Visible(p model.Principal, ev model.LiveEvent) bool {
	if ev.Type == model.LiveInboxChanged {
		return p.IsStaff() && p.ID == ev.UserID
	}
	if !p.Can(model.PermRequestRead) {
		return false
	}
	if p.IsCustomer() {
		return ev.Type == model.LiveRequestUpdated && ev.CustomerID == p.ID && !ev.StaffOnly
	}
	return p.IsStaff()
}

// payload is an event's data line.
type payload struct {
	Number string           `json:"number,omitempty"`
	Unread *int             `json:"unread,omitempty"`
	ByKind model.AuthorKind `json:"by_kind,omitempty"`
	ByID   int64            `json:"by_id,omitempty"`
	By     string           `json:"by,omitempty"`
	At     time.Time        `json:"at"`
}

// Serve streams the events p may see as server-sent events until the
// request's context ends: first a "ready" event, then each event as
// "event: <type>" with a JSON data line, and a comment every heartbeat
// so that proxies keep the connection open.
func Serve(w http.ResponseWriter, r *http.Request, b Broker, p model.Principal, heartbeat time.Duration) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // the server's write timeout is for ordinary answers
	ctx := r.Context()
	events, err := b.Subscribe(ctx)
	if err != nil {
		http.Error(w, "live updates unavailable", http.StatusServiceUnavailable)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\nevent: ready\ndata: {}\n\n")
	if rc.Flush() != nil {
		return
	}
	if heartbeat <= 0 {
		heartbeat = 15 * time.Second
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		case ev, ok := <-events:
			if !ok {
				return
			}
			if !Visible(p, ev) {
				continue
			}
			pl := payload{Number: ev.Number, At: ev.At}
			if ev.Type == model.LiveInboxChanged {
				pl.Unread = &ev.Unread
			}
			if p.IsStaff() {
				pl.ByKind, pl.ByID, pl.By = ev.ByKind, ev.ByID, ev.ByName
			}
			data, _ := json.Marshal(pl)
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.Type, data); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		}
	}
}
