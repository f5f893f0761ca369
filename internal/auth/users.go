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
	// The fields a person types, all flagged at once.
	var bad []*model.Error
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email {
		bad = append(bad, model.FieldError("email", "Enter a valid e-mail address, such as name@example.com."))
	}
	if e := checkStaffName(u.Name); e != nil {
		bad = append(bad, e)
	}
	if !u.Role.Valid() {
		bad = append(bad, roleError())
	}
	if e := checkLocale(u.Locale); e != nil {
		bad = append(bad, e)
	}
	if len(in.Password) < MinPasswordLength {
		bad = append(bad, model.FieldError("password", "Choose a password of at least %d characters.", MinPasswordLength))
	}
	if err := model.Invalid(bad); err != nil {
		return nil, err
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

// checkLocale refuses a staff user's language other than zh-CN or en
// ("" follows the browser).
func checkLocale(l string) *model.Error {
	switch l {
	case "", "zh-CN", "en":
		return nil
	}
	return model.FieldError("locale", "Choose Chinese or English as the language.")
}

// maxStaffName bounds a staff user's name.
const maxStaffName = 200

// checkStaffName refuses an empty or overlong staff user's name.
func checkStaffName(n string) *model.Error {
	switch {
	case n == "":
		return model.FieldError("name", "Enter the person's name.")
	case utf8.RuneCountInString(n) > maxStaffName:
		return model.FieldError("name", "The name is too long: keep it to %d characters or fewer.", maxStaffName)
	}
	return nil
}

// roleError refuses a role that is not one of the staff roles.
func roleError() *model.Error {
	return model.FieldError("role", "Choose one of the roles in the list.")
}

// UpdateUser changes a staff user's name, role, team, language or whether
// they may log in (admins only), recording the change in the audit log.
// A deactivated user's sessions end at their next request (the web UI
// reloads the principal every time) and their API tokens stop working.
func (s *Service) UpdateUser(ctx context.Context, by model.Principal, id int64, patch model.UserPatch) (*model.User, error) {
	if !by.Can(model.PermUserManage) {
		return nil, model.Errorf(model.EFORBIDDEN, "your role may not do this")
	}
	var bad []*model.Error
	if patch.Name != nil {
		n := strings.TrimSpace(*patch.Name)
		if e := checkStaffName(n); e != nil {
			bad = append(bad, e)
		}
		patch.Name = &n
	}
	if patch.Role != nil && !patch.Role.Valid() {
		bad = append(bad, roleError())
	}
	if patch.Locale != nil {
		if e := checkLocale(*patch.Locale); e != nil {
			bad = append(bad, e)
		}
	}
	if err := model.Invalid(bad); err != nil {
		return nil, err
	}
	if patch.Skills != nil {
		ks, err := model.CheckSkills(*patch.Skills)
		if err != nil {
			return nil, err
		}
		patch.Skills = &ks
	}
	if patch.TeamID != nil && *patch.TeamID < 0 {
		return nil, model.FieldError("team_id", "There is no team with id %d; choose one of the teams.", *patch.TeamID)
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
		return 0, model.FieldError("centre", "There is no service centre with the code “%s”; choose one of the centres.", code)
	} else if err != nil {
		return 0, err
	}
	return c.ID, nil
}
