package store

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// Signup is a pending self-registration: who signs up, in which language,
// and the hash of the code e-mailed to the address.
type Signup struct {
	Email    string
	Name     string
	Locale   string
	CodeHash []byte
	Expires  time.Time
}

// ErrSignupCode says a verification code is wrong, used up, expired or
// has had too many wrong tries; the answer is the same for each so that
// it tells a guesser nothing.
func ErrSignupCode() error {
	return model.FieldError("code", "this code is not valid; check it, or ask for a new one")
}

// CreateSignup stores a pending self-registration. At most perHour codes
// go to one address in an hour (counted in the database, so on every
// node): more is ERATELIMIT. A new code ends the address's earlier ones.
func (s *Store) CreateSignup(ctx context.Context, in Signup, perHour int) error {
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	return s.Tx(ctx, func(q Querier) error {
		now := s.Now()
		var n int
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM customer_signups WHERE email = $1 AND created_at > $2",
			in.Email, now.Add(-time.Hour)).Scan(&n); err != nil {
			return err
		}
		if n >= perHour {
			return model.Errorf(model.ERATELIMIT, "too many codes were sent to this address; wait an hour")
		}
		if _, err := q.Exec(ctx, "UPDATE customer_signups SET used_at = $1 WHERE email = $2 AND used_at IS NULL", now, in.Email); err != nil {
			return err
		}
		_, err := q.Exec(ctx, `INSERT INTO customer_signups (email, name, locale, code_hash, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, in.Email, in.Name, in.Locale, in.CodeHash, in.Expires.UTC(), now)
		return err
	})
}

// CompleteSignup checks a verification code and, when it is right, makes
// the account in one transaction: the code is used up, the customer with
// this e-mail gets the password (a new customer is created with the name
// and language given at sign-up), and an existing customer's other
// links, sessions and API tokens end, as after a password reset. A wrong
// code counts a try (kept even though the answer is an error); after
// maxTries wrong ones the code is dead. It returns the customer's id.
func (s *Store) CompleteSignup(ctx context.Context, email string, codeHash []byte, passwordHash string, maxTries int,
	audit ...model.AuditEntry) (int64, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var id int64
	wrong := false
	err := s.Tx(ctx, func(q Querier) error {
		now := s.Now()
		var (
			sid      int64
			name     string
			locale   string
			hash     []byte
			attempts int
		)
		err := q.QueryRow(ctx, `SELECT id, name, locale, code_hash, attempts FROM customer_signups
			WHERE email = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 1`+s.forUpdate(),
			email, now).Scan(&sid, &name, &locale, &hash, &attempts)
		if model.IsNotFound(notFound(err, "signup")) {
			wrong = true
			return nil
		} else if err != nil {
			return err
		}
		if attempts >= maxTries || subtle.ConstantTimeCompare(hash, codeHash) != 1 {
			wrong = true
			_, err := q.Exec(ctx, "UPDATE customer_signups SET attempts = attempts + 1 WHERE id = $1", sid)
			return err
		}
		if _, err := q.Exec(ctx, "UPDATE customer_signups SET used_at = $1 WHERE email = $2 AND used_at IS NULL", now, email); err != nil {
			return err
		}
		err = q.QueryRow(ctx, "SELECT id FROM customers WHERE email = $1"+s.forUpdate(), email).Scan(&id)
		switch {
		case model.IsNotFound(notFound(err, "customer")):
			c := &model.Customer{Name: name, Email: email, Locale: locale, PasswordHash: passwordHash, CreatedAt: now}
			if err := insertCustomer(ctx, q, c); err != nil {
				return err
			}
			id = c.ID
		case err != nil:
			return err
		default:
			if err := setCustomerPasswordIn(ctx, q, id, passwordHash, now); err != nil {
				return err
			}
		}
		for i := range audit {
			cid := id
			audit[i].ActorID = &cid
			if audit[i].ActorName == "" {
				audit[i].ActorName = name
			}
			audit[i].Target = fmt.Sprintf("customer %d (%s)", id, email)
		}
		return s.insertAudit(ctx, q, audit...)
	})
	if err != nil {
		return 0, err
	}
	if wrong {
		return 0, ErrSignupCode()
	}
	return id, nil
}

// CustomerIDByEmailIn returns the id of the customer with this e-mail
// (case-insensitive) inside q, or ENOTFOUND.
func (s *Store) CustomerIDByEmailIn(ctx context.Context, q Querier, email string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM customers WHERE email = $1", strings.ToLower(strings.TrimSpace(email))).Scan(&id)
	return id, notFound(err, "customer")
}
