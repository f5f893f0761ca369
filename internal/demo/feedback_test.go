package demo

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// checkFeedback checks the seeded feedback: consistent with the requests
// and with the product's rules, and telling the story the analytics are
// to find — one centre clearly worse, rework hurting technical
// competence, complaints hurting process.
func checkFeedback(t *testing.T, st *store.Store, scale float64, batch FaultBatch) {
	t.Helper()
	for _, c := range []struct {
		name, query string
	}{
		{"an invitation per resolved request", `SELECT COUNT(*) FROM requests r WHERE r.resolved_at IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.request_id = r.id)`},
		{"answered invitations have their one response", `SELECT COUNT(*) FROM survey_invitations i WHERE (i.status = 'answered')
			<> EXISTS (SELECT 1 FROM survey_responses s WHERE s.invitation_id = i.id)`},
		{"a link's secret only while it can be used", `SELECT COUNT(*) FROM survey_invitations WHERE (token IS NOT NULL) <> (status = 'sent')
			OR (token_hash IS NULL) <> (status <> 'sent')`},
		{"responses answered after the request was resolved", `SELECT COUNT(*) FROM survey_responses s JOIN requests r ON r.id = s.request_id
			WHERE r.resolved_at IS NULL OR s.answered_at < r.created_at`},
		{"phone responses come from done calls", `SELECT COUNT(*) FROM survey_responses s LEFT JOIN followups f ON f.id = s.followup_id
			WHERE (s.channel = 'phone') <> (f.id IS NOT NULL) OR (f.id IS NOT NULL AND (f.status <> 'done' OR f.outcome <> 'reached'))`},
		{"a complaint row per complaint", `SELECT COUNT(*) FROM requests r WHERE r.type = 'complaint'
			AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.request_id = r.id)`},
		{"closed complaints had their call", `SELECT COUNT(*) FROM requests r WHERE r.type = 'complaint' AND r.status = 'closed'
			AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.request_id = r.id AND f.status = 'done' AND f.done_at <= r.closed_at)`},
		{"compensation above the threshold decided by a manager", `SELECT COUNT(*) FROM compensations c
			LEFT JOIN users u ON u.id = c.decided_by_id WHERE c.amount > 50000 AND c.status <> 'pending' AND COALESCE(u.role, '') <> 'manager'`},
		{"done calls have their attempts", `SELECT COUNT(*) FROM followups f WHERE f.attempts <>
			(SELECT COUNT(*) FROM followup_attempts a WHERE a.followup_id = f.id)`},
	} {
		if n := count(t, st, c.query); n != 0 {
			t.Errorf("%s: %d rows break it", c.name, n)
		}
	}
	for _, c := range []struct {
		name  string
		query string
		min   int
	}{
		{"responses", "SELECT COUNT(*) FROM survey_responses", 100},
		{"phone responses", "SELECT COUNT(*) FROM survey_responses WHERE channel = 'phone'", 20},
		{"suppressed invitations", "SELECT COUNT(*) FROM survey_invitations WHERE status = 'suppressed'", 10},
		{"open survey links", "SELECT COUNT(*) FROM survey_invitations WHERE status = 'sent'", 1},
		{"commented responses with sentiment", "SELECT COUNT(*) FROM survey_responses WHERE comment <> '' AND sentiment_label IS NOT NULL", 20},
		{"compensation", "SELECT COUNT(*) FROM compensations", 5},
		{"escalated complaints", "SELECT COUNT(*) FROM complaints WHERE escalation_level > 0", 2},
	} {
		if n := count(t, st, c.query); n < c.min {
			t.Errorf("%s: got %d, want at least %d", c.name, n, c.min)
		}
	}
	// The story: the worst centre's share of satisfied customers (CSAT 4–5)
	// is clearly below every other centre's.
	share := func(where string) float64 {
		t.Helper()
		var n, happy int
		if err := st.Read().QueryRow(context.Background(), `SELECT COUNT(*), COALESCE(SUM(CASE WHEN csat >= 4 THEN 1 ELSE 0 END), 0)
			FROM survey_responses WHERE `+where).Scan(&n, &happy); err != nil || n == 0 {
			t.Fatalf("CSAT where %s: n %d, err %v", where, n, err)
		}
		return float64(happy) / float64(n)
	}
	worst := share("team_id = 5")
	for team := 1; team <= 6; team++ {
		if team == worstCentre+1 {
			continue
		}
		if other := share("team_id = " + strconv.Itoa(team)); other-worst < 0.15 {
			t.Errorf("CSAT share: centre %d %.2f, the worst centre %.2f; want it clearly worse", team, other, worst)
		}
	}
	mean := func(col, where string) float64 {
		t.Helper()
		var v float64
		if err := st.Read().QueryRow(context.Background(), "SELECT AVG(1.0 * "+col+") FROM survey_responses s WHERE "+where).Scan(&v); err != nil {
			t.Fatalf("mean %s where %s: %v", col, where, err)
		}
		return v
	}
	rework := "EXISTS (SELECT 1 FROM events e WHERE e.request_id = s.request_id AND e.kind = 'reopened')"
	if a, b := mean("technical", rework), mean("technical", "NOT "+rework); b-a < 1 {
		t.Errorf("technical competence: %.2f after rework, %.2f otherwise; want rework clearly worse", a, b)
	}
	if a, b := mean("process", "request_type = 'complaint'"), mean("process", "request_type <> 'complaint'"); b-a < 0.3 {
		t.Errorf("process: %.2f for complaints, %.2f otherwise; want complaints worse", a, b)
	}
	// The story needs the full volume: at the race detector's sample
	// (scale 0.1) a week holds about ten responses, too few for a p-chart
	// alert or a stable ranking. CI checks it in its run without -race.
	if scale >= 1 {
		checkAnalyticsStory(t, st, batch)
	}
}

// checkAnalyticsStory: the dashboard of the default period (the last 90
// days) tells the demo's story — efficiency is the dimension to
// concentrate on, the worst centre ranks last in the index, and the
// p-chart raises an alert on the weeks of the courier disruption.
func checkAnalyticsStory(t *testing.T, st *store.Store, batch FaultBatch) {
	t.Helper()
	ctx := context.Background()
	manager := model.Principal{Kind: model.KindStaff, ID: 1, Role: model.RoleManager}
	svc := analytics.New(st)
	period, err := model.ParsePeriod("", "", st.Location(), st.Now())
	if err != nil {
		t.Fatal(err)
	}
	d, err := svc.Drivers(ctx, manager, period)
	if err != nil {
		t.Fatalf("drivers: %v", err)
	}
	if fix := d.FixFirst(); len(fix) == 0 || fix[0].Name != "efficiency" {
		t.Errorf("concentrate here: %+v, want efficiency first", fix)
	}
	// By team: the demo's teams staff its centres (team i works at centre
	// i+1), and only repair requests have a repair order's centre — too
	// few answers a quarter for a ranking by centre.
	idx, err := svc.Index(ctx, manager, period, analytics.ByTeam, nil, "zh-CN")
	if err != nil {
		t.Fatalf("index: %v", err)
	}
	if last := idx.Rows[len(idx.Rows)-1]; last.Key != strconv.Itoa(worstCentre+1) {
		t.Errorf("index: last is %s (%s), want the worst centre %d", last.Label, last.Key, worstCentre+1)
	}
	tr, err := svc.Trend(ctx, manager, period, "week", analytics.ByNone, "", "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	alerted := false
	for _, p := range tr.Points {
		week, _ := time.ParseInLocation("2006-01-02", p.Key, st.Location())
		age := st.Now().Sub(week)
		if p.Alert == "below" && age <= courierFrom+14*24*time.Hour && age >= courierTo-7*24*time.Hour {
			alerted = true
		}
	}
	if !alerted {
		t.Errorf("p-chart: no alert below the limits in the weeks of the courier disruption: %+v", tr.Points)
	}
	// The faulty batch: one model's fault code spikes in its week, and
	// clearly. Other spikes happen by chance, some as clear (the demo
	// runs on today's date, so which repairs share a week changes from day
	// to day): the rule's design rate is at most SpikeP (0.135 %) a judged
	// point, but a baseline read off the few weeks the demo's repairs span
	// varies more than the Poisson limit counts, and over a week of dates
	// the demo's chance spikes stay near 1 % of the points. More than 2 %
	// means the rule or its baseline is off.
	fs, err := svc.FaultSpikes(ctx, manager, period, "week", "zh-CN")
	if err != nil {
		t.Fatal(err)
	}
	judged := 0
	var top *analytics.FaultSeries
	for i, s := range fs.Series {
		if s.SKU == batch.SKU && s.Code == batch.Code {
			top = &fs.Series[i]
		}
		for _, p := range s.Points {
			if p.Expected > 0 {
				judged++
			}
		}
	}
	if top == nil || top.Spikes != 1 {
		t.Fatalf("fault-code spikes: the faulty batch %+v has no series with one spike: %+v", batch, top)
	}
	for _, p := range top.Points {
		// Clear: at least five repairs, and ten times rarer than the
		// rule's limit (the batch's tail ranged from 2e-12 to 1e-5 over
		// the dates tried).
		if p.Spike && (p.Key != batch.Week || p.Count < 5 || p.PValue > fs.SpikeP/10) {
			t.Errorf("the faulty batch %+v: %s %s in %s: %d against %.2f (p %.2g), want a clear spike in its week",
				batch, top.Product, top.Code, p.Key, p.Count, p.Expected, p.PValue)
		}
	}
	if chance := judged / 50; fs.Spikes-1 > chance {
		t.Errorf("fault-code spikes: %d over %d judged points, want the faulty batch's and at most %d (2 %%) by chance", fs.Spikes, judged, chance)
	}
	t.Logf("fault-code spikes %d; the batch: %s %s (%s), %d repairs of %d", fs.Spikes, top.Product, top.Code, top.Name, top.Total, top.Repairs)
}
