package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
)

// Team is a team of staff.
type Team struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	CalendarID *int64    `json:"calendar_id" nullable:"true" doc:"The business calendar its time targets count in."`
	CreatedAt  time.Time `json:"created_at"`
}

func toTeam(t *model.Team) Team {
	return Team{ID: t.ID, Name: t.Name, CalendarID: t.CalendarID, CreatedAt: t.CreatedAt}
}

// User is a staff user for pickers; never with its password hash.
type User struct {
	ID     int64      `json:"id"`
	Email  string     `json:"email"`
	Name   string     `json:"name"`
	Role   model.Role `json:"role" enum:"admin,manager,agent,technician,centre_manager"`
	TeamID *int64     `json:"team_id" nullable:"true"`
	Centre string     `json:"centre,omitempty" doc:"Code of the service centre a technician or centre manager works at."`
	Locale string     `json:"locale"`
	Active bool       `json:"active"`
	Skills []Skill    `json:"skills" doc:"Qualifications (任职资格), by skill name; skill routing picks by them."`
}

// Skill is a staff qualification: a product category, a language or a
// request type, at a level from 1 to 5.
type Skill struct {
	Skill string `json:"skill" minLength:"1" maxLength:"50"`
	Level int    `json:"level" doc:"1 (basic) to 5 (expert)."`
}

func toSkills(ks []model.Skill) []Skill {
	out := make([]Skill, len(ks))
	for i, k := range ks {
		out[i] = Skill(k)
	}
	return out
}

func fromSkills(ks []Skill) []model.Skill {
	out := make([]model.Skill, len(ks))
	for i, k := range ks {
		out[i] = model.Skill(k)
	}
	return out
}

// Principal is the caller as the API shows it.
type Principal struct {
	Kind   model.PrincipalKind `json:"kind" enum:"staff,customer"`
	ID     int64               `json:"id"`
	Name   string              `json:"name"`
	Email  string              `json:"email"`
	Role   model.Role          `json:"role,omitempty" doc:"Staff only."`
	Locale string              `json:"locale"`
}

type teamListOutput struct {
	Body struct {
		Items []Team `json:"items"`
	}
}

type userListOutput struct {
	Body struct {
		Items []User `json:"items"`
	}
}

type createTeamInput struct {
	Body struct {
		Name string `json:"name" minLength:"1" maxLength:"200"`
	}
}

type teamOutput struct {
	Body Team
}

type createUserInput struct {
	Body struct {
		Email    string  `json:"email" maxLength:"254"`
		Name     string  `json:"name" maxLength:"200"`
		Role     string  `json:"role" enum:"admin,manager,agent,technician,centre_manager,center_manager" doc:"center_manager is read as centre_manager."`
		Password string  `json:"password" doc:"At least 8 characters; stored as an argon2id hash."`
		TeamID   *int64  `json:"team_id,omitempty"`
		Centre   string  `json:"centre,omitempty" doc:"Technicians and centre managers: the code of their service centre (required for centre managers)."`
		Locale   string  `json:"locale,omitempty" enum:"zh-CN,en"`
		Skills   []Skill `json:"skills,omitempty" maxItems:"50"`
	}
}

type userOutput struct {
	Body User
}

type updateUserInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Name   *string  `json:"name,omitempty" maxLength:"200"`
		Role   *string  `json:"role,omitempty" enum:"admin,manager,agent,technician,centre_manager,center_manager"`
		TeamID *int64   `json:"team_id,omitempty" minimum:"0" doc:"0 clears."`
		Centre *string  `json:"centre,omitempty" doc:"A centre code attaches a technician or centre manager; \"\" detaches."`
		Locale *string  `json:"locale,omitempty" enum:"zh-CN,en"`
		Active *bool    `json:"active,omitempty" doc:"false: the user can no longer log in."`
		Skills *[]Skill `json:"skills,omitempty" maxItems:"50" doc:"Replaces all skills ([] removes them)."`
	}
}

func toUser(u *model.User) User {
	return User{ID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role, TeamID: u.TeamID, Centre: u.CentreCode, Locale: u.Locale,
		Active: u.Active, Skills: toSkills(u.Skills)}
}

type meOutput struct {
	Body Principal
}

func (s *server) registerPeople() {
	register(s, huma.Operation{
		OperationID: "list-teams", Method: http.MethodGet, Path: "/api/v1/teams",
		Summary: "List teams", Tags: []string{"people"},
	}, can(model.PermDirectoryRead), func(ctx context.Context, _ *struct{}) (*teamListOutput, error) {
		ts, err := s.d.Store.ListTeams(ctx)
		if err != nil {
			return nil, err
		}
		out := &teamListOutput{}
		out.Body.Items = make([]Team, len(ts))
		for i := range ts {
			out.Body.Items[i] = toTeam(&ts[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "list-users", Method: http.MethodGet, Path: "/api/v1/users",
		Summary: "List staff users (for assignee pickers)", Tags: []string{"people"},
	}, can(model.PermDirectoryRead), func(ctx context.Context, _ *struct{}) (*userListOutput, error) {
		us, err := s.d.Store.ListUsers(ctx)
		if err != nil {
			return nil, err
		}
		out := &userListOutput{}
		out.Body.Items = make([]User, len(us))
		for i := range us {
			out.Body.Items[i] = toUser(&us[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "create-team", Method: http.MethodPost, Path: "/api/v1/teams",
		Summary: "Add a team (a service centre or queue)", Tags: []string{"people"}, DefaultStatus: http.StatusCreated,
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermTeamManage), func(ctx context.Context, in *createTeamInput) (*teamOutput, error) {
		t := &model.Team{Name: in.Body.Name}
		if err := s.d.Store.CreateTeam(ctx, t); err != nil {
			return nil, err
		}
		return &teamOutput{Body: toTeam(t)}, nil
	})

	register(s, huma.Operation{
		OperationID: "create-user", Method: http.MethodPost, Path: "/api/v1/users",
		Summary: "Add a staff user (admins only)", Tags: []string{"people"}, DefaultStatus: http.StatusCreated,
		Description: "Technicians and centre managers may be attached to a service centre (centre: its code); a centre " +
			"manager must be. Other roles work at no centre (422).",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermUserManage), func(ctx context.Context, in *createUserInput) (*userOutput, error) {
		b := in.Body
		u, err := s.d.Auth.CreateUser(ctx, principalFrom(ctx), auth.UserInput{Email: b.Email, Name: b.Name,
			Role: model.ParseRole(b.Role), Password: b.Password, TeamID: b.TeamID, Locale: b.Locale, Centre: b.Centre,
			Skills: fromSkills(b.Skills)})
		if err != nil {
			return nil, err
		}
		return &userOutput{Body: toUser(u)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-user", Method: http.MethodPatch, Path: "/api/v1/users/{id}",
		Summary: "Change a staff user's name, role, team, language or access (admins only)", Tags: []string{"people"},
		Description: "Send only the fields to change; team_id 0 clears the team; active false stops the user's " +
			"logins, sessions and tokens. The last active admin cannot be demoted or deactivated (409). " +
			"Every change is recorded in the audit log.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermUserManage), func(ctx context.Context, in *updateUserInput) (*userOutput, error) {
		b := in.Body
		patch := model.UserPatch{Name: b.Name, TeamID: b.TeamID, Locale: b.Locale, Active: b.Active}
		if b.Skills != nil {
			ks := fromSkills(*b.Skills)
			patch.Skills = &ks
		}
		if b.Role != nil {
			r := model.ParseRole(*b.Role)
			patch.Role = &r
		}
		if b.Centre != nil {
			id, err := s.d.Auth.CentrePatch(ctx, *b.Centre)
			if err != nil {
				return nil, err
			}
			patch.CentreID = id
		}
		u, err := s.d.Auth.UpdateUser(ctx, principalFrom(ctx), in.ID, patch)
		if err != nil {
			return nil, err
		}
		return &userOutput{Body: toUser(u)}, nil
	})

	register(s, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/api/v1/me",
		Summary: "The authenticated caller", Tags: []string{"people"},
	}, anyone(), func(ctx context.Context, _ *struct{}) (*meOutput, error) {
		p := principalFrom(ctx)
		return &meOutput{Body: Principal{Kind: p.Kind, ID: p.ID, Name: p.Name, Email: p.Email, Role: p.Role, Locale: p.Locale}}, nil
	})
}
