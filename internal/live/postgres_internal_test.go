package live

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
)

// TestEncodeFitsNotify: every event fits PostgreSQL's 8000-byte NOTIFY
// payload; a name too long to fit is left out, the rest arrives intact.
func TestEncodeFitsNotify(t *testing.T) {
	ev := model.LiveEvent{Type: model.LiveRequestUpdated, Number: "SR-2026-000042", RequestID: 42, CustomerID: 7,
		ByKind: model.AuthorStaff, ByID: 3, ByName: "李雷"}
	data, err := encode(ev)
	if err != nil {
		t.Fatal(err)
	}
	var got model.LiveEvent
	if err := json.Unmarshal([]byte(data), &got); err != nil || got != ev {
		t.Errorf("round trip: got %+v (%v), want %+v", got, err, ev)
	}
	ev.ByName = strings.Repeat("名", 4000) // 12,000 bytes of UTF-8
	data, err = encode(ev)
	if err != nil || len(data) > 8000 {
		t.Fatalf("long name: got %d bytes, %v; want it to fit in 8000", len(data), err)
	}
	if err := json.Unmarshal([]byte(data), &got); err != nil || got.Number != ev.Number || got.CustomerID != 7 || got.ByName != "" {
		t.Errorf("long name: got %+v (%v), want the event without the name", got, err)
	}
}
