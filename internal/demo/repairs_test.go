package demo

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/store"
)

// checkRepairStory: the seeded repairs and returns read as a story on
// their requests' timelines — every repair step is a timeline event,
// every return has its decision there — and the demo holds rework pairs
// (same unit, same fault code, within 90 days of the earlier completion,
// flagged on both) and returns rejected by the window with their reason.
func checkRepairStory(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	q := st.Read()
	count := func(what, query string) int {
		t.Helper()
		var n int
		if err := q.QueryRow(ctx, query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return n
	}
	steps := count("repair steps", "SELECT COUNT(*) FROM repair_history")
	events := count("repair events", "SELECT COUNT(*) FROM events WHERE kind = 'repair'")
	if steps == 0 || events != steps {
		t.Errorf("repair steps %d, timeline events of kind repair %d; want every step on the timeline", steps, events)
	}
	if n := count("returns without a timeline event", `SELECT COUNT(*) FROM returns rt WHERE NOT EXISTS (
		SELECT 1 FROM events e WHERE e.request_id = rt.request_id AND e.kind = 'return')`); n != 0 {
		t.Errorf("%d returns have no event on their request's timeline", n)
	}
	pairs := count("rework pairs", `SELECT COUNT(*) FROM repairs b JOIN repairs a ON a.id = b.rework_of
		WHERE b.rework AND a.rework AND a.unit_id = b.unit_id AND a.completed_at < b.created_at
		AND b.fault_codes <> '' AND a.fault_codes = b.fault_codes`)
	flagged := count("flagged repairs", "SELECT COUNT(*) FROM repairs WHERE rework")
	if pairs == 0 || flagged > 2*pairs {
		t.Errorf("rework: %d consistent pairs, %d repairs flagged; want some pairs and no flag without its pair", pairs, flagged)
	}
	if n := count("rejected returns", `SELECT COUNT(*) FROM returns WHERE decision = 'rejected' AND decision_reason = 'outside the window'
		AND closed_at IS NOT NULL`); n == 0 {
		t.Errorf("no return rejected by the window")
	}
	t.Logf("repair story: %d steps on timelines, %d rework pairs", steps, pairs)
}
