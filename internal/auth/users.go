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
}

// CreateUser validates a new staff user, hashes the password with
// argon2id and stores the user. Errors name the field (email, name, role,
// password, team_id, locale); who may call it is the caller's check
// (admins in the API; anyone with the server's data in the CLI).
func (s *Service) CreateUser(ctx context.Context, in UserInput) (*model.User, error) {
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
		return nil, model.FieldError("role", "must be one of admin, manager, agent, technician")
	}
	switch u.Locale {
	case "", "zh-CN", "en":
	default:
		return nil, model.FieldError("locale", "must be zh-CN or en")
	}
	if len(in.Password) < MinPasswordLength {
		return nil, model.FieldError("password", "must be at least %d characters", MinPasswordLength)
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u.PasswordHash = hash
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}
