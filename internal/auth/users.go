package auth

import (
	"context"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// UserInput is a new staff user as submitted by the CLI or the API.
type UserInput struct {
	Email    string
	Name     string
	Role     model.Role
	Password string
	TeamID   *int64
	Locale   string
	// Centre is the code of the service centre a technician or centre
	// manager works at.
	Centre string
	// Skills are the user's qualifications (checked, see model.CheckSkills).
	Skills []model.Skill
}

// CreateUser validates a new staff user, hashes the password with
// argon2id and stores the user, recording by (an admin, or an operator at
// the command line) in the audit log. Errors name the field (email, name,
// role, password, team_id, locale).
func (s *Service) CreateUser(ctx context.Context, by model.Principal, in UserInput) (*model.User, error) {
	if by.Kind != model.KindOperator && !by.Can(model.PermUserManage) {
		return nil, model.Errorf(model.EFORBIDDEN, "your role may not do this")
	}
	u := &model.User{Email: strings.ToLower(strings.TrimSpace(in.Email)), Name: strings.TrimSpace(in.Name),
		Role: in.Role, TeamID: in.TeamID, Locale: in.Locale, Active: true}
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		return nil, model.FieldError("email", "is not a valid e-mail address")
	}
	switch {
	case u.Name == "":
		return nil, model.FieldError("name", "is required")
	case utf8.RuneCountInString(u.Name) > 200:
		return nil, model.FieldError("name", "must be at most %d characters", 200)
	case !u.Role.Valid():
		return nil, model.FieldError("role", "must be one of admin, manager, agent, technician, centre_manager")
	}
	if code := strings.TrimSpace(in.Centre); code != "" {
		id, err := s.centreID(ctx, code)
		if err != nil {
			return nil, err
		}
		u.CentreID = &id
	}
	ks, err := model.CheckSkills(in.Skills)
	if err != nil {
		return nil, err
	}
	u.Skills = ks
	if err := u.CheckCentre(); err != nil {
		return nil, err
	}
	if err := checkLocale(u.Locale); err != nil {
		return nil, err
	}
	if len(in.Password) < MinPasswordLength {
		return nil, model.FieldError("password", "must be at least %d characters", MinPasswordLength)
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	rec := model.Audit(ctx, by, model.AuditUserCreated, "", "role "+string(u.Role))
	if err := s.store.CreateUser(ctx, u, rec); err != nil {
		return nil, err
	}
	return u, nil
}

func checkLocale(l string) error {
	switch l {
	case "", "zh-CN", "en":
		return nil
	}
	return model.FieldError("locale", "must be zh-CN or en")
}

// UpdateUser changes a staff user's name, role, team, language or whether
// they may log in (admins only), recording the change in the audit log.
// A deactivated user's sessions end at their next request (the web UI
// reloads the principal every time) and their API tokens stop working.
func (s *Service) UpdateUser(ctx context.Context, by model.Principal, id int64, patch model.UserPatch) (*model.User, error) {
	if !by.Can(model.PermUserManage) {
		return nil, model.Errorf(model.EFORBIDDEN, "your role may not do this")
	}
	if patch.Name != nil {
		n := strings.TrimSpace(*patch.Name)
		switch {
		case n == "":
			return nil, model.FieldError("name", "is required")
		case utf8.RuneCountInString(n) > 200:
			return nil, model.FieldError("name", "must be at most %d characters", 200)
		}
		patch.Name = &n
	}
	if patch.Role != nil && !patch.Role.Valid() {
		return nil, model.FieldError("role", "must be one of admin, manager, agent, technician, centre_manager")
	}
	if patch.Locale != nil {
		if err := checkLocale(*patch.Locale); err != nil {
			return nil, err
		}
	}
	if patch.Skills != nil {
		ks, err := model.CheckSkills(*patch.Skills)
		if err != nil {
			return nil, err
		}
		patch.Skills = &ks
	}
	if patch.TeamID != nil && *patch.TeamID < 0 {
		return nil, model.FieldError("team_id", "no team with id %d", *patch.TeamID)
	}
	_, after, err := s.store.UpdateUser(ctx, id, patch, model.Audit(ctx, by, model.AuditUserUpdated, "", ""))
	return after, err
}

// CentrePatch turns a centre code into the UserPatch field: "" detaches,
// a code attaches (an unknown code is a field error on centre).
func (s *Service) CentrePatch(ctx context.Context, code string) (*int64, error) {
	var id int64
	if code = strings.TrimSpace(code); code != "" {
		var err error
		if id, err = s.centreID(ctx, code); err != nil {
			return nil, err
		}
	}
	return &id, nil
}

func (s *Service) centreID(ctx context.Context, code string) (int64, error) {
	c, err := s.store.CentreByCode(ctx, code)
	if model.IsNotFound(err) {
		return 0, model.FieldError("centre", "no service centre %q", code)
	} else if err != nil {
		return 0, err
	}
	return c.ID, nil
}
