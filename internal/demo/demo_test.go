package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/aftercare/aftercare/internal/api"
	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// testScale is the volume tests seed: full, except under the race
// detector or -short.
func testScale() float64 {
	if raceEnabled || testing.Short() {
		return 0.1
	}
	return 1
}

func TestSeedSQLite(t *testing.T) { testSeed(t, store.SQLite) }

func TestSeedPostgres(t *testing.T) { testSeed(t, store.Postgres) }

func testSeed(t *testing.T, d store.Dialect) {
	ctx := context.Background()
	st := storetest.Open(t, d)
	scale := testScale()
	start := time.Now()
	res, err := Seed(ctx, st, Options{Scale: scale, EventData: api.EventJSON})
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	t.Logf("%s: seeded %+v in %v (scale %v)", d, res.Counts, time.Since(start).Round(time.Millisecond), scale)
	if !res.Seeded {
		t.Fatal("Seed on an empty store: got Seeded false")
	}
	checkSeeded(t, st, scale)
	checkSearch(t, st)
	checkRepairStory(t, st)
	checkWebhooks(t, st, res.Counts)
	checkFeedback(t, st, scale, res.Batch)
	checkSLA(t, st)
	checkAutomation(t, st)
	checkMacros(t, st)
	checkProduced(t, st, res.Produced) // registers one: last, so the checks above see the demo as seeded

	again, err := Seed(ctx, st, Options{Scale: scale})
	if err != nil {
		t.Fatalf("second Seed: %v", err)
	}
	if again.Seeded {
		t.Error("second Seed: got Seeded true, want a no-op")
	}
	// +3: the SLA showcase request, the proactive one and the one checkNumbers created
	if got, want := count(t, st, "SELECT COUNT(*) FROM requests"), scaled(Requests, scale)+3; got != want {
		t.Errorf("after the second Seed: got %d requests, want %d", got, want)
	}
}

func count(t *testing.T, st *store.Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := st.Read().QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func strs(t *testing.T, st *store.Store, query string) []string {
	t.Helper()
	rows, err := st.Read().Query(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func checkSeeded(t *testing.T, st *store.Store, scale float64) {
	t.Helper()
	counts := []struct {
		query string
		want  int
	}{
		{"SELECT COUNT(*) FROM teams", 7},
		// The centres work China's statutory calendar, the overseas team a
		// US one.
		{"SELECT COUNT(*) FROM teams t JOIN calendars c ON c.id = t.calendar_id WHERE c.time_zone = 'Asia/Shanghai'", 6},
		{"SELECT COUNT(*) FROM teams t JOIN calendars c ON c.id = t.calendar_id WHERE c.time_zone = 'America/Los_Angeles'", 1},
		{"SELECT COUNT(*) FROM calendar_days d JOIN calendars c ON c.id = d.calendar_id WHERE c.time_zone = 'Asia/Shanghai' AND d.kind = 'workday'", 11},
		{"SELECT COUNT(*) FROM users u JOIN teams t ON t.id = u.team_id WHERE t.calendar_id = (SELECT id FROM calendars WHERE time_zone = 'America/Los_Angeles') AND u.locale = 'en'", 2},
		{"SELECT COUNT(*) FROM products", 40},
		{"SELECT COUNT(*) FROM warranty_policies", 40},
		{"SELECT COUNT(DISTINCT category) FROM products", 5},
		{"SELECT COUNT(*) FROM users WHERE role = 'admin'", 1},
		{"SELECT COUNT(*) FROM users WHERE role = 'manager'", 6},
		{"SELECT COUNT(*) FROM customers", scaled(Customers, scale)},
		{"SELECT COUNT(*) FROM units", scaled(Units, scale)},
		{"SELECT COUNT(*) FROM requests", scaled(Requests, scale) + 2}, // + the SLA showcase and the proactive request
		{"SELECT COUNT(DISTINCT type) FROM requests", len(model.RequestTypes)},
		{"SELECT COUNT(DISTINCT status) FROM requests", len(model.Statuses)},
		{"SELECT COUNT(DISTINCT number) FROM requests", scaled(Requests, scale) + 2},
		{"SELECT COUNT(*) FROM categories WHERE parent_id IS NULL", len(categoryTree)},
		// every request's timeline starts with "created"
		{`SELECT COUNT(*) FROM requests r WHERE COALESCE((SELECT kind FROM events e WHERE e.request_id = r.id
			ORDER BY e.id LIMIT 1), '') <> 'created'`, 0},
		{"SELECT COUNT(*) FROM requests WHERE status IN ('resolved', 'closed') AND resolved_at IS NULL", 0},
		{"SELECT COUNT(*) FROM requests WHERE status = 'closed' AND closed_at IS NULL", 0},
		{"SELECT COUNT(*) FROM requests WHERE status <> 'closed' AND closed_at IS NOT NULL", 0},
		{"SELECT COUNT(*) FROM requests WHERE status <> 'new' AND (team_id IS NULL OR assignee_id IS NULL)", 0},
		{"SELECT COUNT(*) FROM requests WHERE status = 'new' AND (team_id IS NOT NULL OR assignee_id IS NOT NULL)", 0},
		// (A rule's log line is not an update: request.idle counts from
		// the last one that was.)
		{"SELECT COUNT(*) FROM requests r WHERE r.updated_at <> (SELECT MAX(created_at) FROM events e WHERE e.request_id = r.id AND e.kind <> 'rule')", 0},
		{"SELECT COUNT(*) FROM requests r WHERE r.status <> (SELECT new_value FROM events e WHERE e.request_id = r.id AND e.kind IN ('created', 'status', 'reopened') ORDER BY e.id DESC LIMIT 1)", 0},
		// The repair seeder adds the repairs' and returns' steps after a
		// request's other events; the timeline reads in time order.
		{`SELECT COUNT(*) FROM events a JOIN events b ON b.request_id = a.request_id AND b.id > a.id
			WHERE b.created_at < a.created_at AND b.kind NOT IN ('repair', 'return')`, 0},
		{`SELECT COUNT(*) FROM messages a JOIN messages b ON b.request_id = a.request_id AND b.id > a.id
			WHERE b.created_at < a.created_at`, 0},
		{"SELECT COUNT(*) FROM requests r JOIN customers c ON c.id = r.customer_id WHERE c.created_at > r.created_at", 0},
		{"SELECT COUNT(*) FROM requests r JOIN units u ON u.id = r.unit_id WHERE u.customer_id <> r.customer_id", 0},
		// The service network: centres in real cities, staff attached.
		{"SELECT COUNT(*) FROM service_centres", len(centreSpecs)},
		{"SELECT COUNT(*) FROM service_centres WHERE lat < 18 OR lat > 54 OR lng < 73 OR lng > 135", 0},
		{"SELECT COUNT(*) FROM users WHERE role = 'centre_manager' AND centre_id IS NOT NULL", len(centreSpecs)},
		{"SELECT COUNT(*) FROM users WHERE role = 'technician' AND centre_id IS NULL", 0},
		{"SELECT COUNT(*) FROM users WHERE role NOT IN ('technician', 'centre_manager') AND centre_id IS NOT NULL", 0},
		// Every product model has parts; every ledger adds up to its line.
		{"SELECT COUNT(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM part_skus s WHERE s.sku = p.sku)", 0},
		{`SELECT COUNT(*) FROM stock_levels l WHERE l.on_hand <> (SELECT COALESCE(SUM(on_hand_delta), 0) FROM stock_movements m
			WHERE m.centre_id = l.centre_id AND m.part_id = l.part_id) OR l.reserved <> (SELECT COALESCE(SUM(reserved_delta), 0)
			FROM stock_movements m WHERE m.centre_id = l.centre_id AND m.part_id = l.part_id)`, 0},
		{"SELECT COUNT(*) FROM stock_movements WHERE on_hand_after < 0 OR reserved_after < 0 OR reserved_after > on_hand_after", 0},
		{`SELECT COUNT(*) FROM stock_movements a JOIN stock_movements b ON b.centre_id = a.centre_id AND b.part_id = a.part_id
			AND b.id > a.id WHERE b.created_at < a.created_at`, 0},
		// No technician is double-booked; no centre's day is over capacity.
		{`SELECT COUNT(*) FROM appointments a JOIN appointments b ON b.technician_id = a.technician_id AND b.id > a.id
			AND b.starts_at < a.ends_at AND b.ends_at > a.starts_at`, 0},
		{`SELECT COUNT(*) FROM (SELECT a.centre_id, a.local_day, COUNT(*) AS n FROM appointments a GROUP BY a.centre_id, a.local_day) d
			JOIN service_centres c ON c.id = d.centre_id WHERE d.n > c.daily_capacity`, 0},
		{`SELECT COUNT(*) FROM appointments a JOIN users u ON u.id = a.technician_id WHERE u.centre_id <> a.centre_id`, 0},
		{`SELECT COUNT(*) FROM appointments a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.request_id = a.request_id
			AND e.kind = 'appointment')`, 0},
		// Plans start after the base warranty (or on their sale) and end after they start.
		{`SELECT COUNT(*) FROM unit_plans up WHERE up.ends_on < up.starts_on OR up.starts_on < up.sold_at`, 0},
		{`SELECT COUNT(*) FROM unit_plans up JOIN units u ON u.id = up.unit_id WHERE up.sold_at < u.purchased_at`, 0},
		{"SELECT COUNT(*) FROM units WHERE delivered_at < purchased_at", 0},
		// Repairs: every stage shown, each at the end of its history, free
		// quotes need no approval, completed repairs are dated.
		{"SELECT COUNT(DISTINCT stage) FROM repairs", 12},
		{`SELECT COUNT(*) FROM repairs rp WHERE NOT EXISTS (SELECT 1 FROM repair_history h WHERE h.repair_id = rp.id
			AND h.stage = rp.stage)`, 0},
		{"SELECT COUNT(*) FROM repairs WHERE (quote_total = 0 AND approval = 'pending') OR (quote_total > 0 AND approval = 'not_needed')", 0},
		{"SELECT COUNT(*) FROM repairs WHERE (stage = 'completed') <> (completed_at IS NOT NULL)", 0},
		{"SELECT COUNT(*) FROM repairs WHERE stage = 'repairing' AND approval NOT IN ('approved', 'not_needed')", 0},
	}
	for _, c := range counts {
		if got := count(t, st, c.query); got != c.want {
			t.Errorf("%s: got %d, want %d", strings.Join(strings.Fields(c.query), " "), got, c.want)
		}
	}
	if n := count(t, st, "SELECT COUNT(*) FROM messages"); n < scaled(Requests, scale) {
		t.Errorf("got %d messages for %d requests, want at least one each on average", n, scaled(Requests, scale))
	}
	for _, q := range []string{"SELECT COUNT(*) FROM parts", "SELECT COUNT(*) FROM stock_movements WHERE kind = 'consume'",
		"SELECT COUNT(*) FROM stock_movements WHERE kind = 'transfer'", "SELECT COUNT(*) FROM unit_plans",
		"SELECT COUNT(*) FROM appointments", "SELECT COUNT(*) FROM appointments WHERE technician_id IS NOT NULL",
		"SELECT COUNT(*) FROM stock_levels WHERE reorder_point > 0 AND on_hand - reserved <= reorder_point",
		"SELECT COUNT(*) FROM returns WHERE decision = 'approved'", "SELECT COUNT(*) FROM returns WHERE status = 'refunded'",
		"SELECT COUNT(*) FROM stock_movements WHERE kind = 'consume' AND repair_id IN (SELECT id FROM repairs)",
		"SELECT COUNT(*) FROM repairs WHERE approval = 'declined' AND inspection_fee > 0",
		"SELECT COUNT(DISTINCT fault_codes) FROM repairs WHERE fault_codes <> ''"} {
		if count(t, st, q) == 0 {
			t.Errorf("%s: got 0, want some", q)
		}
	}
	checkNumbers(t, st)
	checkLogins(t, st)
}

// checkNumbers: SR-<year>-<6 digits>, sequential per year in creation
// order, and a new request continues the sequence.
func checkNumbers(t *testing.T, st *store.Store) {
	t.Helper()
	last := map[int]int{}
	var prev string
	for _, row := range strs(t, st, "SELECT number FROM requests ORDER BY created_at, id") {
		var year, seq int
		if _, err := fmt.Sscanf(row, "SR-%d-%d", &year, &seq); err != nil || len(row) != len("SR-2026-000001") {
			t.Fatalf("number %q: want SR-<year>-<6 digits>", row)
		}
		if seq != last[year]+1 {
			t.Fatalf("number %q after %q: want sequence %d", row, prev, last[year]+1)
		}
		last[year], prev = seq, row
	}
	ctx := context.Background()
	year := st.Now().In(st.Location()).Year()
	r, err := st.CreateRequest(ctx, store.NewRequest{Type: model.TypeInquiry, Priority: model.PriorityNormal,
		Channel: model.ChannelWeb, Subject: "after the seed", CustomerID: 1}, store.Actor{Kind: model.AuthorSystem, Channel: model.ChannelAPI})
	if err != nil {
		t.Fatalf("CreateRequest after the seed: %v", err)
	}
	if want := fmt.Sprintf("SR-%d-%06d", year, last[year]+1); r.Number != want {
		t.Errorf("new request after the seed: got number %s, want %s", r.Number, want)
	}
	if got := strconv.FormatInt(r.ID, 10); got != strconv.Itoa(count(t, st, "SELECT MAX(id) FROM requests")) {
		t.Errorf("new request id %s is not the largest", got)
	}
}

func checkLogins(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, l := range Logins() {
		var hash string
		if l.Where == "portal" {
			c, err := st.CustomerByLogin(ctx, l.Email)
			if err != nil {
				t.Fatalf("demo customer %s: %v", l.Email, err)
			}
			hash = c.PasswordHash
			if n := count(t, st, "SELECT COUNT(*) FROM requests WHERE customer_id = $1", c.ID); n < 3 {
				t.Errorf("demo customer has %d requests, want at least 3", n)
			}
		} else {
			u, err := st.UserByEmail(ctx, l.Email)
			if err != nil {
				t.Fatalf("demo %s %s: %v", l.Role, l.Email, err)
			}
			if string(u.Role) != l.Role {
				t.Errorf("%s: got role %s, want %s", l.Email, u.Role, l.Role)
			}
			hash = u.PasswordHash
		}
		if l.Role == "admin" || l.Role == "customer" {
			if !auth.CheckPassword(hash, Password) {
				t.Errorf("%s: password %q does not match", l.Email, Password)
			}
		}
	}
}

func TestSeedTinyScale(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	res, err := Seed(context.Background(), st, Options{Scale: 0.001, PasswordHash: "x"})
	if err != nil {
		t.Fatalf("Seed at scale 0.001: %v", err)
	}
	if c := res.Counts; c.Customers != 3 || c.Units != 4 || c.Requests != 12 {
		t.Errorf("scale 0.001: got %+v, want 3 customers, 4 units, 12 requests", c)
	}
}

func TestSeedReproducible(t *testing.T) {
	// Two generators with the same seed and clock plan the same requests.
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	plan := func() []spec {
		g := &gen{rnd: newRand(DefaultSeed), now: now, loc: time.UTC, counters: map[int]int64{}}
		g.makeStaff("x")
		g.makeProducts()
		g.makeCategories()
		g.makeCustomers(100, "x")
		g.makeUnits(150)
		return g.planRequests(300)
	}
	a, b := plan(), plan()
	// An empty or short plan would make the comparison below vacuous.
	if len(a) != 300 || len(b) != 300 {
		t.Fatalf("planRequests(300): got %d and %d requests, want 300 each", len(a), len(b))
	}
	for i := range a {
		if a[i].created != b[i].created || a[i].sc != b[i].sc || a[i].unit != b[i].unit ||
			a[i].cust != b[i].cust || a[i].force != b[i].force || a[i].noCancel != b[i].noCancel {
			t.Fatalf("request %d differs between two runs with the same seed", i)
		}
	}
}

func TestEnglishName(t *testing.T) {
	for in, want := range map[string]string{
		"Orbis R8 全画幅无反相机":         "Orbis R8",
		"Meike 3匹 变频立式空调 KFR-72LW": "Meike KFR-72LW",
		"Sonique WH-9 头戴式降噪耳机":     "Sonique WH-9",
	} {
		if got := englishName(in); got != want {
			t.Errorf("englishName(%q): got %q, want %q", in, got, want)
		}
	}
}

// checkMacros: the demo agent has canned replies to use, shared ones
// (the desk's) and personal ones, each written in Chinese and in English
// with placeholders the macro service accepts, one of them also setting
// the request to wait on the customer and tagging it.
func checkMacros(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	agent, err := st.UserByEmail(ctx, agentEmail)
	if err != nil {
		t.Fatal(err)
	}
	list, err := st.MacrosFor(ctx, agent.ID)
	if err != nil {
		t.Fatal(err)
	}
	var shared, personal, changes int
	for _, m := range list {
		if m.Shared && m.OwnerID != agent.ID {
			shared++
		}
		if !m.Shared && m.OwnerID == agent.ID {
			personal++
		}
		if m.Status == model.StatusPending && len(m.AddTags) > 0 {
			changes++
		}
		for lang, body := range map[string]string{"en": m.BodyEN, "zh-CN": m.BodyZH} {
			if !strings.Contains(body, "{{customer.name}}") || !strings.Contains(body, "{{request.number}}") {
				t.Errorf("macro %q in %s: no {{customer.name}} or {{request.number}}: %q", m.Name, lang, body)
			}
			if bad := model.UnknownPlaceholder(body); bad != "" {
				t.Errorf("macro %q in %s: unknown placeholder %s", m.Name, lang, bad)
			}
		}
		if !hasHan(m.BodyZH) || hasHan(m.BodyEN) {
			t.Errorf("macro %q: the Chinese body must be Chinese and the English one English", m.Name)
		}
	}
	if shared == 0 || personal == 0 || changes == 0 {
		t.Errorf("the demo agent's macros: %d shared, %d personal, %d waiting on the customer with a tag; want each ≥ 1", shared, personal, changes)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
