package sla_test

import (
	"context"
	"testing"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
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
