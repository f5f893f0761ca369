package demo

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// checkAutomation checks the demo's rules, skills and device events: the
// device rule of issue 8 and rules for routing and tagging, every
// technician qualified, each centre with a level-5 expert per product
// category, and the demo customer's unit whose three E12 events opened
// exactly one proactive repair request — tagged, with a follow-up task,
// its clocks running — while the unit with two E12 events opened none.
func checkAutomation(t *testing.T, st *store.Store) {
	t.Helper()
	for _, c := range []struct {
		name  string
		query string
		want  int
	}{
		{"device rules", "SELECT COUNT(*) FROM rules WHERE trigger_event = 'device.event' AND active", 1},
		{"device events", "SELECT COUNT(*) FROM device_events", 7},
		{"proactive requests", "SELECT COUNT(*) FROM requests r JOIN device_requests d ON d.request_id = r.id WHERE r.channel = 'device'", 1},
		{"proactive requests of the demo customer", `SELECT COUNT(*) FROM requests r JOIN device_requests d ON d.request_id = r.id
			WHERE r.customer_id = 1 AND r.type = 'repair' AND r.status = 'new' AND d.code = 'E12'`, 1},
		{"tagged proactive", "SELECT COUNT(*) FROM request_tags g JOIN device_requests r ON r.request_id = g.request_id WHERE g.tag = 'proactive'", 1},
		{"follow-up task", "SELECT COUNT(*) FROM request_tasks k JOIN device_requests r ON r.request_id = k.request_id WHERE k.due_at IS NOT NULL AND k.done_at IS NULL", 1},
		{"rule on the timeline", "SELECT COUNT(DISTINCT e.kind) FROM events e JOIN device_requests r ON r.request_id = e.request_id WHERE e.kind IN ('created', 'rule')", 2},
		{"clocks of the proactive request", "SELECT COUNT(*) FROM request_sla rs JOIN device_requests r ON r.request_id = rs.request_id WHERE rs.policy_id IS NOT NULL", 1},
		{"technicians without skills", "SELECT COUNT(*) FROM users u WHERE u.role = 'technician' AND u.team_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM user_skills k WHERE k.user_id = u.id)", 0},
		{"skill levels out of range", "SELECT COUNT(*) FROM user_skills WHERE level < 1 OR level > 5", 0},
		// 6 centres × 5 product categories.
		{"centre experts", `SELECT COUNT(*) FROM (SELECT DISTINCT u.team_id, k.skill FROM user_skills k JOIN users u ON u.id = k.user_id
			WHERE u.role = 'technician' AND k.level = 5 AND k.skill IN ('camera', 'lens', 'phone', 'appliance', 'audio')) x`, 30},
	} {
		if got := count(t, st, c.query); got != c.want {
			t.Errorf("demo automation, %s: got %d, want %d", c.name, got, c.want)
		}
	}
	if n := count(t, st, "SELECT COUNT(*) FROM rules WHERE active"); n < 6 {
		t.Errorf("demo automation: %d active rules, want at least 6", n)
	}
	for _, trig := range model.Triggers {
		if n := count(t, st, "SELECT COUNT(*) FROM rules WHERE trigger_event = $1", string(trig)); n == 0 && trig != model.TriggerRequestUpdated {
			t.Errorf("demo automation: no %s rule", trig)
		}
	}
	// Skill routing in the first centre finds a camera technician of level
	// 3 or more.
	ctx := context.Background()
	var agent int64
	err := st.Tx(ctx, func(q store.Querier) error {
		var err error
		agent, err = st.PickAgentIn(ctx, q, 1, model.StrategySkill, "camera", 3)
		return err
	})
	if err != nil {
		t.Fatalf("PickAgentIn: %v", err)
	}
	if n := count(t, st, "SELECT COUNT(*) FROM user_skills WHERE user_id = $1 AND skill = 'camera' AND level >= 3", agent); n != 1 {
		t.Errorf("skill routing in centre 1 picked user %d, who is not a camera technician of level 3+", agent)
	}
}
