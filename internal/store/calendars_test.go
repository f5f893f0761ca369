package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/store/storetest"
)

// officeCalendar is a Shanghai office calendar with lunch breaks, a
// holiday and a make-up day with its own hours.
func officeCalendar(name string) *model.Calendar {
	c := &model.Calendar{Name: name, TimeZone: "Asia/Shanghai",
		Holidays: []string{"2026-10-01", "2026-10-02"}, Workdays: []string{"2026-10-10"},
		WorkdayHours: []model.WorkInterval{{Start: 600, End: 900}}}
	for wd := 1; wd <= 5; wd++ {
		c.Hours[wd] = []model.WorkInterval{{Start: 540, End: 720}, {Start: 780, End: 1080}}
	}
	c.Hours[0] = []model.WorkInterval{{Start: 0, End: 1440}}
	return c
}

var admin = model.Principal{Kind: model.KindStaff, ID: 0, Name: "admin", Role: model.RoleAdmin}

func TestCalendarRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := officeCalendar("Office")
		if err := s.CreateCalendar(ctx, c, model.Audit(ctx, admin, model.AuditCalendarCreated, "", "new")); err != nil {
			t.Fatal(err)
		}
		got, err := s.CalendarByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *c
		want.CreatedAt, want.UpdatedAt = got.CreatedAt, got.UpdatedAt
		if !got.CreatedAt.Equal(c.CreatedAt) {
			t.Errorf("created at: got %v, want %v", got.CreatedAt, c.CreatedAt)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("read back:\n got %+v\nwant %+v", *got, want)
		}

		// Without make-up hours (Monday's), nothing is stored for them.
		m := officeCalendar("Monday's hours")
		m.WorkdayHours = nil
		if err := s.CreateCalendar(ctx, m); err != nil {
			t.Fatal(err)
		}
		if got, err := s.CalendarByID(ctx, m.ID); err != nil || got.WorkdayHours != nil {
			t.Errorf("make-up hours: got %v, %v; want nil", got.WorkdayHours, err)
		}

		if err := s.CreateCalendar(ctx, officeCalendar("Office")); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("same name: got %v, want a conflict", err)
		}
		if _, err := s.CalendarByID(ctx, 999); !model.IsNotFound(err) {
			t.Errorf("unknown id: got %v, want not found", err)
		}
		page, err := s.ListAudit(ctx, model.AuditFilter{Action: model.AuditCalendarCreated})
		if err != nil || len(page.Items) != 1 || page.Items[0].Target != "calendar 1 (Office)" {
			t.Errorf("audit: got %+v, %v; want one entry on calendar 1 (Office)", page.Items, err)
		}
	})
}

func TestUpdateCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := officeCalendar("Office")
		if err := s.CreateCalendar(ctx, c); err != nil {
			t.Fatal(err)
		}
		// Replace the dates: a former holiday becomes a make-up day.
		c.Holidays = []string{"2026-10-02", "2026-10-03"}
		c.Workdays = []string{"2026-10-01"}
		c.WorkdayHours = nil
		c.Hours[6] = []model.WorkInterval{{Start: 600, End: 660}}
		if err := s.UpdateCalendar(ctx, c, model.Audit(ctx, admin, model.AuditCalendarUpdated, "", "dates")); err != nil {
			t.Fatal(err)
		}
		if c.Version != 2 {
			t.Errorf("version: got %d, want 2", c.Version)
		}
		got, err := s.CalendarByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Holidays, c.Holidays) || !reflect.DeepEqual(got.Workdays, c.Workdays) ||
			got.WorkdayHours != nil || !reflect.DeepEqual(got.Hours, c.Hours) || got.Version != 2 {
			t.Errorf("after update: got %+v", got)
		}

		stale := *c
		stale.Version = 1
		if err := s.UpdateCalendar(ctx, &stale); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("stale version: got %v, want a conflict", err)
		}
		missing := *c
		missing.ID = 999
		if err := s.UpdateCalendar(ctx, &missing); !model.IsNotFound(err) {
			t.Errorf("unknown id: got %v, want not found", err)
		}
		other := officeCalendar("Other")
		if err := s.CreateCalendar(ctx, other); err != nil {
			t.Fatal(err)
		}
		other.Name = "Office"
		if err := s.UpdateCalendar(ctx, other); model.ErrorCode(err) != model.ECONFLICT {
			t.Errorf("renamed to a taken name: got %v, want a conflict", err)
		}
	})
}

func TestListCalendars(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		for _, name := range []string{"A", "B", "C"} {
			if err := s.CreateCalendar(ctx, officeCalendar(name)); err != nil {
				t.Fatal(err)
			}
		}
		var names []string
		f := model.CalendarFilter{Limit: 2}
		for pages := 0; ; pages++ {
			page, err := s.ListCalendars(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.Items {
				names = append(names, c.Name)
				if len(c.Holidays) != 2 || len(c.Workdays) != 1 {
					t.Errorf("%s: got %d holidays, %d make-up days; want 2, 1", c.Name, len(c.Holidays), len(c.Workdays))
				}
			}
			if page.NextCursor == "" {
				if pages != 1 {
					t.Errorf("got %d pages, want 2", pages+1)
				}
				break
			}
			f.Cursor = page.NextCursor
		}
		if !reflect.DeepEqual(names, []string{"A", "B", "C"}) {
			t.Errorf("got %v, want A, B, C", names)
		}
		if _, err := s.ListCalendars(ctx, model.CalendarFilter{Cursor: "x"}); model.ErrorCode(err) != model.EINVALID {
			t.Errorf("bad cursor: got %v, want invalid", err)
		}
	})
}

func TestSetTeamCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		c := officeCalendar("Office")
		if err := s.CreateCalendar(ctx, c); err != nil {
			t.Fatal(err)
		}
		team := &model.Team{Name: "Shanghai"}
		if err := s.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
		got, err := s.SetTeamCalendar(ctx, team.ID, &c.ID, model.Audit(ctx, admin, model.AuditTeamCalendarSet, "", ""))
		if err != nil || got.CalendarID == nil || *got.CalendarID != c.ID {
			t.Fatalf("set: got %+v, %v", got, err)
		}
		teams, err := s.ListTeams(ctx)
		if err != nil || len(teams) != 1 || teams[0].CalendarID == nil || *teams[0].CalendarID != c.ID {
			t.Errorf("list teams: got %+v, %v", teams, err)
		}
		missing := int64(999)
		if _, err := s.SetTeamCalendar(ctx, team.ID, &missing); model.ErrorCode(err) != model.EINVALID {
			t.Errorf("unknown calendar: got %v, want invalid input on calendar_id", err)
		}
		if _, err := s.SetTeamCalendar(ctx, 999, &c.ID); !model.IsNotFound(err) {
			t.Errorf("unknown team: got %v, want not found", err)
		}
		if got, err := s.SetTeamCalendar(ctx, team.ID, nil); err != nil || got.CalendarID != nil {
			t.Errorf("clear: got %+v, %v", got, err)
		}
		page, err := s.ListAudit(ctx, model.AuditFilter{Action: model.AuditTeamCalendarSet})
		if err != nil || len(page.Items) != 1 || page.Items[0].Detail != "calendar: none → 1" {
			t.Errorf("audit: got %+v, %v", page.Items, err)
		}
	})
}
