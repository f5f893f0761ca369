package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Demo calendars: the centres in China work China's statutory calendar,
// the overseas team a US one.
const (
	cnCalendarName = "中国法定节假日 2025–2026"
	usCalendarName = "US Pacific – federal holidays"
)

// overseasTeam answers English-speaking customers from Los Angeles, on
// the US calendar.
const overseasTeam = "North America Support (Los Angeles)"

// makeCalendars stores the demo calendars and returns the ids of the
// Chinese and the US one. The US calendar has the federal holidays of the
// years around now; the Chinese one the preset's years, the only ones the
// State Council has announced.
func makeCalendars(ctx context.Context, st *store.Store, now time.Time) (cn, us int64, err error) {
	cnIn, err := calendar.Preset(calendar.PresetCN2025)
	if err != nil {
		return 0, 0, err
	}
	cnIn.Name = cnCalendarName
	usIn, err := calendar.Preset(calendar.PresetUS2025)
	if err != nil {
		return 0, 0, err
	}
	usIn.Name, usIn.TimeZone, usIn.Holidays = usCalendarName, "America/Los_Angeles", nil
	for y := min(2025, now.Year()-1); y <= now.Year()+1; y++ {
		usIn.Holidays = append(usIn.Holidays, calendar.USFederalHolidays(y)...)
	}
	ids := make([]int64, 2)
	for i, in := range []calendar.Input{cnIn, usIn} {
		c, _, err := calendar.Validate(in)
		if err != nil {
			return 0, 0, fmt.Errorf("calendar %s: %w", in.Name, err)
		}
		if err := st.CreateCalendar(ctx, c); err != nil {
			return 0, 0, fmt.Errorf("calendar %s: %w", in.Name, err)
		}
		ids[i] = c.ID
	}
	return ids[0], ids[1], nil
}

// addOverseasTeam adds the overseas team with two English-speaking
// agents. Their names are fixed, so the random draws (and with them every
// other row of the demo) stay as they were.
func (g *gen) addOverseasTeam() {
	st := &g.staff
	id := int64(len(st.teams) + 1)
	since := st.teams[0].CreatedAt
	st.teams = append(st.teams, model.Team{ID: id, Name: overseasTeam, CreatedAt: since})
	for _, a := range []struct{ name, email string }{
		{"Emily Carter", "emily.carter@" + staffDomain}, {"Daniel Brooks", "daniel.brooks@" + staffDomain},
	} {
		uid := int64(len(st.users) + 1)
		team := id
		st.users = append(st.users, model.User{ID: uid, Email: a.email, Name: a.name, Role: model.RoleAgent, TeamID: &team,
			Locale: "en", PasswordHash: st.users[0].PasswordHash, Active: true, CreatedAt: since.Add(time.Duration(uid) * time.Hour)})
	}
}

// setTeamCalendars gives the centres the Chinese calendar and the
// overseas team the US one.
func (g *gen) setTeamCalendars(cn, us int64) {
	for i := range g.staff.teams {
		t := &g.staff.teams[i]
		id := cn
		if t.Name == overseasTeam {
			id = us
		}
		t.CalendarID = &id
	}
}
