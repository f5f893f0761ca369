package sla_test

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/sla"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// A change to a calendar counts for the next request's clocks, although
// the SLA service compiled that calendar for an earlier request.
func TestCalendarChangeCountsForTheNextRequest(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			e := setup(t, d)
			// Monday 11:30, 240 business minutes: 30 before lunch, 210 after.
			wantDue(t, e.sla(t, e.create(t, e.plain)), model.ClockFirstResponse, "2026-03-02T16:30:00+08:00")
			if _, err := e.cals.Update(context.Background(), admin, e.cal, calendar.Patch{Holidays: []string{"2026-03-02"}}); err != nil {
				t.Fatal(err)
			}
			// Monday is now a holiday: Tuesday 09:00–12:00 and 13:00–14:00.
			wantDue(t, e.sla(t, e.create(t, e.plain)), model.ClockFirstResponse, "2026-03-03T14:00:00+08:00")
		})
	}
}

// The policies are kept between requests, yet a policy changed, deleted
// or created through another handle on the same database (another node)
// is what the very next request is matched against.
func TestPolicyChangedElsewhereUsedNext(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			e := setup(t, d)
			other, err := store.Open(ctx, e.opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			elsewhere := sla.New(other, calendar.NewService(other), nil) // the other node's service
			// Monday 11:30, the default policy's 240 business minutes.
			wantDue(t, e.sla(t, e.create(t, e.plain)), model.ClockFirstResponse, "2026-03-02T16:30:00+08:00")
			pols, err := elsewhere.Policies(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			def := pols[len(pols)-1]
			in := sla.PolicyToInput(&def)
			in.FirstResponseMinutes = 120
			if _, err := elsewhere.UpdatePolicy(ctx, admin, def.ID, def.Version, in); err != nil {
				t.Fatal(err)
			}
			for range 2 { // the second from the kept policies
				// 30 minutes before lunch, 90 after.
				wantDue(t, e.sla(t, e.create(t, e.plain)), model.ClockFirstResponse, "2026-03-02T14:30:00+08:00")
			}
			if err := elsewhere.DeletePolicy(ctx, admin, def.ID); err != nil {
				t.Fatal(err)
			}
			if c := e.sla(t, e.create(t, e.plain)).Clock(model.ClockFirstResponse); c != nil {
				t.Errorf("after the policy was deleted elsewhere: a first-response clock due %v", c.DueAt)
			}
			in.Name, in.FirstResponseMinutes = "Again", 60
			if _, err := elsewhere.CreatePolicy(ctx, admin, in); err != nil {
				t.Fatal(err)
			}
			wantDue(t, e.sla(t, e.create(t, e.plain)), model.ClockFirstResponse, "2026-03-02T13:30:00+08:00")
		})
	}
}
