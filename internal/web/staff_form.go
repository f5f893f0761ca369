package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// staffForm adds a staff user or changes one (name, role, team, language,
// centre, whether they may sign in). A bad field brings the form back as
// typed with the message beside the field; nothing is saved then.
type staffForm struct {
	Base
	ID    int64 // 0 for a new user
	Email string
	In    staffInput
	Roles []model.Role
	Teams []model.Team
	// Self is true when admins edit themselves: they cannot deactivate
	// themselves here (the domain keeps the last admin in any case).
	Self   bool
	Errors FieldErrors
}

// staffInput is the form as typed.
type staffInput struct {
	Name, Email, Role, Team, Locale, Centre, Password string
	Active                                            bool
}

func staffInputFrom(v url.Values) staffInput {
	return staffInput{Name: strings.TrimSpace(v.Get("name")), Email: strings.TrimSpace(v.Get("email")), Role: v.Get("role"),
		Team: v.Get("team_id"), Locale: v.Get("locale"), Centre: strings.TrimSpace(v.Get("centre")),
		Password: v.Get("password"), Active: v.Get("active") == "on"}
}

func (s *server) newStaffForm(r *http.Request, id int64, in staffInput) (*staffForm, error) {
	teams, err := s.d.Store.ListTeams(r.Context())
	if err != nil {
		return nil, err
	}
	p := principalOf(r)
	return &staffForm{Base: s.base(r, "staff"), ID: id, In: in, Roles: model.Roles, Teams: teams,
		Self: id != 0 && p != nil && p.ID == id}, nil
}

func (s *server) renderStaffForm(w http.ResponseWriter, r *http.Request, status int, f *staffForm) {
	s.render(w, r, status, "staff_form", f)
}

// staffFormError re-renders the form with err beside its field, or fails.
func (s *server) staffFormError(w http.ResponseWriter, r *http.Request, id int64, in staffInput, err error) {
	switch model.ErrorCode(err) {
	case model.EINVALID, model.ECONFLICT:
		in.Password = ""
		f, ferr := s.newStaffForm(r, id, in)
		if ferr != nil {
			s.fail(w, r, ferr)
			return
		}
		f.Errors = s.errorsFrom(r, err, "name", "email", "role", "team_id", "locale", "centre", "password", "active")
		if id != 0 {
			if u, uerr := s.d.Store.UserByID(r.Context(), id); uerr == nil {
				f.Email = u.Email
			}
		}
		s.renderStaffForm(w, r, statusOf(err), f)
	default:
		s.fail(w, r, err)
	}
}

// teamPatch reads the team select: "" is no team (0 clears it).
func teamPatch(v string) (*int64, error) {
	if v == "" {
		var none int64
		return &none, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return nil, model.FieldError("team_id", "There is no team with id %d; choose one of the teams.", int64(0))
	}
	return &id, nil
}

// staffNewForm shows the empty form.
func (s *server) staffNewForm(w http.ResponseWriter, r *http.Request) {
	f, err := s.newStaffForm(r, 0, staffInput{Role: string(model.RoleAgent), Locale: langOf(r), Active: true})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderStaffForm(w, r, http.StatusOK, f)
}

// staffNewSubmit creates the user with a first password (given to them
// by the admin; they change it) and goes back to the staff list.
func (s *server) staffNewSubmit(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := staffInputFrom(vals)
	// Every empty field is flagged at once, before the domain's checks.
	missing := FieldErrors{Fields: map[string]string{}}
	for field, v := range map[string]string{"name": in.Name, "email": in.Email, "password": in.Password} {
		if strings.TrimSpace(v) == "" {
			missing.Fields[field] = s.tr(r, "form.required")
		}
	}
	if missing.Any() {
		in.Password = ""
		f, err := s.newStaffForm(r, 0, in)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f.Errors = missing
		s.renderStaffForm(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	team, err := teamPatch(in.Team)
	if err == nil {
		if *team == 0 {
			team = nil
		}
		_, err = s.d.Auth.CreateUser(r.Context(), *principalOf(r), auth.UserInput{Email: in.Email, Name: in.Name,
			Role: model.ParseRole(in.Role), Password: in.Password, TeamID: team, Locale: in.Locale, Centre: in.Centre})
	}
	if err != nil {
		s.staffFormError(w, r, 0, in, err)
		return
	}
	s.flash(r, "flash.staff_created")
	http.Redirect(w, r, "/admin/staff", http.StatusSeeOther)
}

// staffEditForm shows a user's settings to change.
func (s *server) staffEditForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	u, err := s.d.Store.UserByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := staffInput{Name: u.Name, Role: string(u.Role), Locale: u.Locale, Active: u.Active}
	if u.TeamID != nil {
		in.Team = strconv.FormatInt(*u.TeamID, 10)
	}
	if u.CentreID != nil {
		if c, err := s.d.Store.CentreByID(r.Context(), *u.CentreID); err == nil {
			in.Centre = c.Code
		}
	}
	f, err := s.newStaffForm(r, id, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Email = u.Email
	s.renderStaffForm(w, r, http.StatusOK, f)
}

// staffEditSubmit saves the changes; "saved" is said only when something
// changed. Admins cannot deactivate themselves from here.
func (s *server) staffEditSubmit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	in := staffInputFrom(vals)
	before, err := s.d.Store.UserByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := principalOf(r)
	if p.ID == id {
		in.Active = true
	}
	role := model.ParseRole(in.Role)
	patch := model.UserPatch{Name: &in.Name, Role: &role, Locale: &in.Locale, Active: &in.Active}
	patch.TeamID, err = teamPatch(in.Team)
	if err == nil {
		patch.CentreID, err = s.d.Auth.CentrePatch(r.Context(), in.Centre)
	}
	var after *model.User
	if err == nil {
		after, err = s.d.Auth.UpdateUser(r.Context(), *p, id, patch)
	}
	if err != nil {
		s.staffFormError(w, r, id, in, err)
		return
	}
	if userChanged(before, after) {
		s.flash(r, "flash.staff_saved")
	} else {
		s.flash(r, "flash.nothing_changed")
	}
	http.Redirect(w, r, "/admin/staff#user-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// userChanged reports whether the form changed anything a person sees.
func userChanged(a, b *model.User) bool {
	eq := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.Name != b.Name || a.Role != b.Role || a.Locale != b.Locale || a.Active != b.Active ||
		!eq(a.TeamID, b.TeamID) || !eq(a.CentreID, b.CentreID)
}

// teamCreate adds a team from the staff page; a bad or taken name comes
// back beside the field on the staff page, as typed.
func (s *server) teamCreate(w http.ResponseWriter, r *http.Request) {
	vals, ok := s.readForm(w, r)
	if !ok {
		return
	}
	name := strings.TrimSpace(vals.Get("name"))
	var err error
	switch {
	case name == "":
		err = model.FieldError("name", "is required")
	case len([]rune(name)) > 100:
		err = model.FieldError("name", "must be at most %d characters", 100)
	default:
		err = s.d.Store.CreateTeam(r.Context(), &model.Team{Name: name})
	}
	if err != nil {
		if c := model.ErrorCode(err); c != model.EINVALID && c != model.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		page, perr := s.loadStaffPage(r)
		if perr != nil {
			s.fail(w, r, perr)
			return
		}
		page.TeamName, page.TeamError = name, s.errText(r, err)
		s.render(w, r, statusOf(err), "staff", page)
		return
	}
	s.flash(r, "flash.team_created")
	http.Redirect(w, r, "/admin/staff#teams", http.StatusSeeOther)
}
