package demo

import (
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/store"
)

// checkSLA checks the demo's service levels: three tiers with customers
// in each, a policy per tier (plus the overseas team's and the urgent
// hotline's), and requests whose clocks are met, breached, paused and due
// within the next two hours.
func checkSLA(t *testing.T, st *store.Store) {
	t.Helper()
	now := st.Now()
	for _, c := range []struct {
		name  string
		query string
		args  []any
		min   int
	}{
		{"tiers", "SELECT COUNT(*) FROM customer_tiers", nil, 3},
		{"premium customers", "SELECT COUNT(*) FROM customers WHERE tier = 'premium'", nil, 1},
		{"standard customers", "SELECT COUNT(*) FROM customers WHERE tier = 'standard'", nil, 1},
		{"basic customers", "SELECT COUNT(*) FROM customers WHERE tier = 'basic'", nil, 1},
		{"policies", "SELECT COUNT(*) FROM sla_policies", nil, 5},
		{"policies per tier", "SELECT COUNT(DISTINCT tier) FROM request_sla WHERE policy_id IS NOT NULL", nil, 3},
		{"met", "SELECT COUNT(*) FROM sla_clocks WHERE met_at IS NOT NULL AND met_at <= due_at", nil, 1},
		{"met late", "SELECT COUNT(*) FROM sla_clocks WHERE met_at IS NOT NULL AND met_at > due_at", nil, 1},
		{"breached, still open", "SELECT COUNT(*) FROM sla_clocks WHERE met_at IS NULL AND stopped_at IS NULL AND due_at <= $1", []any{now}, 1},
		{"paused", "SELECT COUNT(*) FROM request_sla WHERE paused_since IS NOT NULL", nil, 1},
		{"due soon", "SELECT COUNT(*) FROM requests WHERE sla_due_at > $1 AND sla_due_at <= $2", []any{now, now.Add(2 * time.Hour)}, 1},
		{"metrics", "SELECT COUNT(*) FROM request_sla WHERE first_resolution_business_s IS NOT NULL", nil, 1},
	} {
		if n := count(t, st, c.query, c.args...); n < c.min {
			t.Errorf("demo SLA %s: got %d, want at least %d", c.name, n, c.min)
		}
	}
	// The overseas team's requests count US business days (unless they
	// are urgent premium work, which the hotline takes first).
	if n := count(t, st, `SELECT COUNT(*) FROM request_sla rs JOIN requests r ON r.id = rs.request_id
		JOIN teams tm ON tm.id = r.team_id JOIN sla_policies p ON p.id = rs.policy_id
		JOIN calendars c ON c.id = p.calendar_id
		WHERE tm.name = $1 AND c.time_zone <> 'America/Los_Angeles' AND p.position <> 10`, overseasTeam); n != 0 {
		t.Errorf("%d requests of the overseas team are not on its US policy", n)
	}
	// A paused request has no due time; a request with a running clock
	// has its nearest one on the request row.
	if n := count(t, st, `SELECT COUNT(*) FROM request_sla rs JOIN requests r ON r.id = rs.request_id
		WHERE rs.paused_since IS NOT NULL AND r.sla_due_at IS NOT NULL`); n != 0 {
		t.Errorf("%d paused requests have a due time", n)
	}
}
