package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/phone"
)

const userColumns = `id, email, name, role, team_id, locale, password_hash, active, created_at, centre_id,
	COALESCE((SELECT sc.code FROM service_centres sc WHERE sc.id = users.centre_id), '')`

func scanUser(r Row, u *model.User) error {
	return r.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.TeamID, &u.Locale, &u.PasswordHash, &u.Active, &u.CreatedAt,
		&u.CentreID, &u.CentreCode)
}

// CreateUser inserts a staff user with the audit entries that record it,
// in one transaction; a taken e-mail is ECONFLICT. An entry's Target gets
// the new user's id and e-mail appended.
func (s *Store) CreateUser(ctx context.Context, u *model.User, audit ...model.AuditEntry) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO users (email, name, role, team_id, locale, password_hash, active, created_at, centre_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			u.Email, u.Name, u.Role, u.TeamID, u.Locale, u.PasswordHash, u.Active, u.CreatedAt, u.CentreID).Scan(&u.ID)
		if isForeignKey(err) {
			if u.TeamID == nil {
				return model.FieldError("centre", "no such service centre")
			}
			return model.FieldError("team_id", "There is no team with id %d; choose one of the teams.", *u.TeamID)
		}
		if err != nil {
			return conflict(err, "email", "Another staff user already has this e-mail address.")
		}
		if err := replaceSkills(ctx, q, u.ID, u.Skills); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = userTarget(u)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// userTarget names a user in the audit log.
func userTarget(u *model.User) string { return fmt.Sprintf("user %d (%s)", u.ID, u.Email) }

// UpdateUser applies patch to staff user id under a row lock and returns
// the user before and after, with the audit entries (their Target and
// Detail filled from the change) in the same transaction. The last active
// admin can be neither demoted nor deactivated.
func (s *Store) UpdateUser(ctx context.Context, id int64, patch model.UserPatch, audit ...model.AuditEntry) (before, after *model.User, err error) {
	err = s.Tx(ctx, func(q Querier) error {
		var u model.User
		if err := scanUser(q.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1"+s.forUpdate(), id), &u); err != nil {
			return notFound(err, "user")
		}
		ks, err := skillsOf(ctx, q, id)
		if err != nil {
			return err
		}
		u.Skills = ks[id]
		old := u
		before = &old
		changes := patch.Apply(&u)
		if err := u.CheckCentre(); err != nil {
			return err
		}
		if len(changes) == 0 {
			after = &u
			return nil
		}
		if old.Role == model.RoleAdmin && old.Active && (u.Role != model.RoleAdmin || !u.Active) {
			// Lock the admins so two concurrent demotions cannot both pass.
			var n int
			if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM (SELECT id FROM users WHERE role = 'admin' AND active"+s.forUpdate()+") a").Scan(&n); err != nil {
				return err
			}
			if n <= 1 {
				return model.Conflict("role", "this is the last active admin; make another user admin first")
			}
		}
		_, err = q.Exec(ctx, "UPDATE users SET name = $1, role = $2, team_id = $3, locale = $4, active = $5, centre_id = $6 WHERE id = $7",
			u.Name, u.Role, u.TeamID, u.Locale, u.Active, u.CentreID, u.ID)
		if isForeignKey(err) {
			return model.FieldError("team_id", "There is no team with id %d; choose one of the teams.", *u.TeamID)
		}
		if err != nil {
			return err
		}
		if patch.Skills != nil {
			if err := replaceSkills(ctx, q, u.ID, u.Skills); err != nil {
				return err
			}
		}
		after = &u
		for i := range audit {
			audit[i].Target, audit[i].Detail = userTarget(&u), strings.Join(changes, "; ")
		}
		return s.insertAudit(ctx, q, audit...)
	})
	return before, after, err
}

// UserByID returns one staff user.
func (s *Store) UserByID(ctx context.Context, id int64) (*model.User, error) {
	var u model.User
	err := scanUser(s.Read().QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id), &u)
	if err != nil {
		return nil, notFound(err, "user")
	}
	ks, err := skillsOf(ctx, s.Read(), id)
	if err != nil {
		return nil, err
	}
	u.Skills = ks[id]
	return &u, nil
}

// UserByEmail returns the staff user with this e-mail (case-insensitive).
func (s *Store) UserByEmail(ctx context.Context, email string) (*model.User, error) {
	var u model.User
	err := scanUser(s.Read().QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = $1",
		strings.ToLower(strings.TrimSpace(email))), &u)
	if err != nil {
		return nil, notFound(err, "user")
	}
	return &u, nil
}

// ListUsers returns every staff user ordered by name.
func (s *Store) ListUsers(ctx context.Context) ([]model.User, error) {
	return s.ListUsersIn(ctx, s.Read())
}

// ListUsersIn is ListUsers inside the caller's transaction q (mentions
// are found while the note that makes them is being written).
func (s *Store) ListUsersIn(ctx context.Context, q Querier) ([]model.User, error) {
	rows, err := q.Query(ctx, "SELECT "+userColumns+" FROM users ORDER BY name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.User
	for rows.Next() {
		var u model.User
		if err := scanUser(rows, &u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	ks, err := skillsOf(ctx, s.Read())
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Skills = ks[out[i].ID]
	}
	return out, nil
}

// SetUserPassword replaces a user's password hash.
func (s *Store) SetUserPassword(ctx context.Context, id int64, hash string) error {
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, "UPDATE users SET password_hash = $1 WHERE id = $2", hash, id)
		if err == nil && n == 0 {
			return model.Errorf(model.ENOTFOUND, "user not found")
		}
		return err
	})
}

// SetUserLocale remembers a user's language choice.
func (s *Store) SetUserLocale(ctx context.Context, id int64, locale string) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "UPDATE users SET locale = $1 WHERE id = $2", locale, id)
		return err
	})
}

// CreateTeam inserts a team; a taken name is ECONFLICT.
func (s *Store) CreateTeam(ctx context.Context, t *model.Team) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return model.FieldError("name", "is required")
	}
	t.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, "INSERT INTO teams (name, created_at) VALUES ($1, $2) RETURNING id",
			t.Name, t.CreatedAt).Scan(&t.ID)
		return conflict(err, "name", "a team with this name already exists")
	})
}

// ListTeams returns every team ordered by name.
func (s *Store) ListTeams(ctx context.Context) ([]model.Team, error) {
	rows, err := s.Read().Query(ctx, "SELECT id, name, calendar_id, created_at FROM teams ORDER BY name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Team
	for rows.Next() {
		var t model.Team
		if err := rows.Scan(&t.ID, &t.Name, &t.CalendarID, &t.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

const customerColumns = "id, name, COALESCE(email, ''), COALESCE(phone, ''), locale, password_hash, address, city, created_at"

func scanCustomer(r Row, c *model.Customer) error {
	return r.Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.Locale, &c.PasswordHash, &c.Address, &c.City, &c.CreatedAt)
}

// nullable maps "" to SQL NULL so that unique columns allow many unknowns.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateCustomer inserts a customer. E-mail and mobile number are each
// unique among customers; a duplicate is ECONFLICT naming the field. The
// number is stored in its canonical form (phone.Normalize), so that
// "+86 138-0013-8000" and 13800138000 are one number.
func (s *Store) CreateCustomer(ctx context.Context, c *model.Customer) error {
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
	c.Phone = phone.Normalize(c.Phone)
	c.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error { return insertCustomer(ctx, q, c) })
}

func insertCustomer(ctx context.Context, q Querier, c *model.Customer) error {
	err := q.QueryRow(ctx, `INSERT INTO customers (name, email, phone, locale, password_hash, address, city, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		c.Name, nullable(c.Email), nullable(c.Phone), c.Locale, c.PasswordHash, c.Address, c.City, c.CreatedAt).Scan(&c.ID)
	var ue *uniqueError
	if errors.As(err, &ue) {
		if strings.Contains(ue.constraint, "phone") {
			return model.Conflict("phone", "This mobile number is already used by another customer.")
		}
		return model.Conflict("email", "This e-mail address is already used by another customer.")
	}
	return err
}

// CustomerByID returns one customer.
func (s *Store) CustomerByID(ctx context.Context, id int64) (*model.Customer, error) {
	var c model.Customer
	err := scanCustomer(s.Read().QueryRow(ctx, "SELECT "+customerColumns+" FROM customers WHERE id = $1", id), &c)
	if err != nil {
		return nil, notFound(err, "customer")
	}
	return &c, nil
}

// CustomerByLogin finds a customer by e-mail (case-insensitive) or by
// mobile number in any form phone.Normalize accepts (13800138000,
// +8613800138000, "+86 138-0013-8000", 0086…).
func (s *Store) CustomerByLogin(ctx context.Context, login string) (*model.Customer, error) {
	login = strings.TrimSpace(login)
	var c model.Customer
	var err error
	if strings.Contains(login, "@") {
		err = scanCustomer(s.Read().QueryRow(ctx, "SELECT "+customerColumns+" FROM customers WHERE email = $1",
			strings.ToLower(login)), &c)
	} else {
		err = scanCustomer(s.Read().QueryRow(ctx, "SELECT "+customerColumns+" FROM customers WHERE phone = $1",
			phone.Normalize(login)), &c)
	}
	if err != nil {
		return nil, notFound(err, "customer")
	}
	return &c, nil
}

// SetCustomerPassword sets a customer's portal password hash.
func (s *Store) SetCustomerPassword(ctx context.Context, id int64, hash string) error {
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, "UPDATE customers SET password_hash = $1 WHERE id = $2", hash, id)
		if err == nil && n == 0 {
			return model.Errorf(model.ENOTFOUND, "customer not found")
		}
		return err
	})
}

// SetCustomerLocale remembers a customer's language choice.
func (s *Store) SetCustomerLocale(ctx context.Context, id int64, locale string) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "UPDATE customers SET locale = $1 WHERE id = $2", locale, id)
		return err
	})
}

// notFound maps sql.ErrNoRows to ENOTFOUND naming what was looked for.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return model.Errorf(model.ENOTFOUND, "%s not found", what)
	}
	return err
}

// noSuchRef is the EINVALID at field for an id that names no row of
// table (categories, teams or users), in a sentence that says what it
// should have named.
func noSuchRef(field, table string, id int64) error {
	switch table {
	case "categories":
		return model.FieldError(field, "There is no category with id %d; choose one of the categories.", id)
	case "teams":
		return model.FieldError(field, "There is no team with id %d; choose one of the teams.", id)
	}
	return model.FieldError(field, "There is no staff member with id %d; choose one of the staff.", id)
}

// conflict maps a unique violation to ECONFLICT on field.
func conflict(err error, field, msg string) error {
	var ue *uniqueError
	if errors.As(err, &ue) {
		return &model.Error{Code: model.ECONFLICT, Field: field, Message: msg, Format: msg}
	}
	return err
}
