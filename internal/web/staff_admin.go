package web

import (
	"net/http"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// staffPage lists staff users with their team and skills (任职资格);
// admins change a user's skills in place.
type staffPage struct {
	Base
	Items   []staffRow
	CanEdit bool
	// EditID, Typed and Error re-render one user's skills form as typed,
	// with the message.
	EditID int64
	Typed  string
	Error  string
	// Teams are listed with how many staff each has; CanTeams offers the
	// add-a-team form, which TeamName and TeamError re-render as typed.
	Teams     []teamRow
	CanTeams  bool
	TeamName  string
	TeamError string
}

// teamRow is a team with its number of staff.
type teamRow struct {
	model.Team
	Members int
}

// staffRow is a user as the staff page shows it.
type staffRow struct {
	model.User
	TeamName string
	Skills   string // "skill:level, …", as the form takes them
}

func (s *server) loadStaffPage(r *http.Request) (*staffPage, error) {
	users, err := s.d.Store.ListUsers(r.Context())
	if err != nil {
		return nil, err
	}
	teams, err := s.d.Store.ListTeams(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, t := range teams {
		names[t.ID] = t.Name
	}
	p := principalOf(r)
	page := &staffPage{Base: s.base(r, "staff"), CanEdit: p.Can(model.PermUserManage), CanTeams: p.Can(model.PermTeamManage)}
	members := map[int64]int{}
	for _, u := range users {
		row := staffRow{User: u, Skills: model.SkillsString(u.Skills)}
		if u.TeamID != nil {
			row.TeamName = names[*u.TeamID]
			members[*u.TeamID]++
		}
		page.Items = append(page.Items, row)
	}
	for _, t := range teams {
		page.Teams = append(page.Teams, teamRow{Team: t, Members: members[t.ID]})
	}
	return page, nil
}

// staffList shows the staff and their skills.
func (s *server) staffList(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadStaffPage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "staff", page)
}

// staffSkills replaces a user's skills from "skill:level, …"; a bad
// entry brings the page back with what was typed and the message.
func (s *server) staffSkills(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	typed := strings.TrimSpace(vals.Get("skills"))
	ks, err := model.ParseSkills(typed)
	if err == nil {
		_, err = s.d.Auth.UpdateUser(r.Context(), *principalOf(r), id, model.UserPatch{Skills: &ks})
	}
	if err != nil {
		if code := model.ErrorCode(err); code != model.EINVALID {
			s.fail(w, r, err)
			return
		}
		page, lerr := s.loadStaffPage(r)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		page.EditID, page.Typed, page.Error = id, typed, s.errText(r, err)
		s.render(w, r, statusOf(err), "staff", page)
		return
	}
	s.flash(r, "flash.skills_saved")
	http.Redirect(w, r, "/admin/staff", http.StatusSeeOther)
}
