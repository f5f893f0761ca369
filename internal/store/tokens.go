package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// CreateToken stores an API token (its hash only) and the audit entries
// that record it, in one transaction. An entry's Target gets the token's
// id appended.
func (s *Store) CreateToken(ctx context.Context, t *model.APIToken, audit ...model.AuditEntry) error {
	t.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO api_tokens (name, prefix, hash, user_id, customer_id, expires_at, created_at, device)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			t.Name, t.Prefix, t.Hash, t.UserID, t.CustomerID, t.ExpiresAt, t.CreatedAt, nullable(t.Device)).Scan(&t.ID)
		if err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = strings.TrimSpace(fmt.Sprintf("token %d %s", t.ID, audit[i].Target))
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

const tokenSelect = `SELECT t.id, t.name, t.prefix, t.hash, t.user_id, t.customer_id, t.expires_at, t.last_used_at,
	t.revoked_at, t.created_at, COALESCE(u.email, c.email, c.phone, t.device, ''), COALESCE(t.device, '')
	FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id LEFT JOIN customers c ON c.id = t.customer_id `

func scanToken(r Row, t *model.APIToken) error {
	return r.Scan(&t.ID, &t.Name, &t.Prefix, &t.Hash, &t.UserID, &t.CustomerID, &t.ExpiresAt, &t.LastUsedAt,
		&t.RevokedAt, &t.CreatedAt, &t.Owner, &t.Device)
}

// TokenByHash returns the token with this SHA-256 hash.
func (s *Store) TokenByHash(ctx context.Context, hash []byte) (*model.APIToken, error) {
	var t model.APIToken
	if err := scanToken(s.Read().QueryRow(ctx, tokenSelect+"WHERE t.hash = $1", hash), &t); err != nil {
		return nil, notFound(err, "token")
	}
	return &t, nil
}

// ListTokens returns every token, newest first.
func (s *Store) ListTokens(ctx context.Context) ([]model.APIToken, error) {
	rows, err := s.Read().Query(ctx, tokenSelect+"ORDER BY t.id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.APIToken
	for rows.Next() {
		var t model.APIToken
		if err := scanToken(rows, &t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked, with its audit entries; revoking
// twice is not an error.
func (s *Store) RevokeToken(ctx context.Context, id int64, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2", s.Now(), id)
		if err == nil && n == 0 {
			return model.Errorf(model.ENOTFOUND, "token %d not found", id)
		}
		if err != nil {
			return err
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// TouchToken records the last use of a token. Callers throttle it (once a
// minute per token) so that API reads do not each cost a write.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", at, id)
		return err
	})
}

// LinkPurpose says what a single-use customer link is for.
type LinkPurpose string

// Link purposes: an invite sets a first portal password; a reset replaces
// a forgotten one.
const (
	LinkInvite LinkPurpose = "invite"
	LinkReset  LinkPurpose = "reset"
)

// ErrLinkInvalid says a portal link is unknown, used or expired.
var ErrLinkInvalid = model.FieldError("token", "this link is invalid, used or expired")

// errHasPassword refuses an invite for a customer who already has a
// portal password: an invite would be a password reset in disguise.
func errHasPassword() error {
	return model.Conflict("customer", "this customer already has a portal password; they can reset it themselves with \"Forgot password\" on the portal login page")
}

// CreateCustomerLink stores a single-use portal link for a customer (its
// token hash only) with its audit entries. An invite is refused (409)
// when the customer already has a password.
func (s *Store) CreateCustomerLink(ctx context.Context, customerID int64, purpose LinkPurpose, hash []byte, expires time.Time, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		var pw string
		if err := q.QueryRow(ctx, "SELECT password_hash FROM customers WHERE id = $1"+s.forUpdate(), customerID).Scan(&pw); err != nil {
			return notFound(err, "customer")
		}
		if purpose == LinkInvite && pw != "" {
			return errHasPassword()
		}
		_, err := q.Exec(ctx, "INSERT INTO customer_invites (token_hash, customer_id, expires_at, created_at, purpose) VALUES ($1, $2, $3, $4, $5)",
			hash, customerID, expires, s.Now(), string(purpose))
		if err != nil {
			return err
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// CustomerLink returns the customer and purpose of an unused, unexpired
// link; an invite for a customer who has set a password since is invalid.
func (s *Store) CustomerLink(ctx context.Context, hash []byte) (int64, LinkPurpose, error) {
	var id int64
	var purpose LinkPurpose
	var pw string
	err := s.Read().QueryRow(ctx, `SELECT l.customer_id, l.purpose, c.password_hash FROM customer_invites l
		JOIN customers c ON c.id = l.customer_id WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2`,
		hash, s.Now()).Scan(&id, &purpose, &pw)
	if model.IsNotFound(notFound(err, "link")) || (err == nil && purpose == LinkInvite && pw != "") {
		return 0, "", ErrLinkInvalid
	}
	return id, purpose, err
}

// UseCustomerLink sets the customer's password from a link, in one
// transaction: the link is used up, and so are the customer's other
// links; every session of the customer ends and its API tokens are
// revoked, so whoever held the old password or a leaked link is out.
func (s *Store) UseCustomerLink(ctx context.Context, hash []byte, passwordHash string, audit ...model.AuditEntry) (int64, error) {
	var id int64
	err := s.Tx(ctx, func(q Querier) error {
		now := s.Now()
		var purpose LinkPurpose
		err := q.QueryRow(ctx, `UPDATE customer_invites SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING customer_id, purpose`, now, hash).Scan(&id, &purpose)
		if model.IsNotFound(notFound(err, "link")) {
			return ErrLinkInvalid
		} else if err != nil {
			return err
		}
		var pw string
		if err := q.QueryRow(ctx, "SELECT password_hash FROM customers WHERE id = $1"+s.forUpdate(), id).Scan(&pw); err != nil {
			return notFound(err, "customer")
		}
		if purpose == LinkInvite && pw != "" {
			return ErrLinkInvalid
		}
		if err := setCustomerPasswordIn(ctx, q, id, passwordHash, now); err != nil {
			return err
		}
		for i := range audit {
			if audit[i].ActorID == nil {
				cid := id
				audit[i].ActorID = &cid
			}
			if audit[i].Target == "" {
				audit[i].Target = fmt.Sprintf("customer %d", id)
			}
		}
		return s.insertAudit(ctx, q, audit...)
	})
	return id, err
}

// SessionFind returns the data of the session whose token has this
// SHA-256 hash, or found=false when missing or expired. Only hashes are
// stored, so a copy of the database holds no usable session (see
// auth.SessionStore).
func (s *Store) SessionFind(ctx context.Context, hash []byte) ([]byte, bool, error) {
	var data []byte
	err := s.Read().QueryRow(ctx, "SELECT data FROM sessions WHERE token_hash = $1 AND expiry > $2", hash, s.Now()).Scan(&data)
	if err != nil {
		if model.IsNotFound(notFound(err, "session")) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return data, true, nil
}

// SessionCommit saves a session under its token's hash, with the
// principal it belongs to (kind "" and id 0 for a visitor), so that all
// of a principal's sessions can be ended at once.
func (s *Store) SessionCommit(ctx context.Context, hash, data []byte, expiry time.Time, kind model.PrincipalKind, id int64) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO sessions (token_hash, data, expiry, principal_kind, principal_id) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (token_hash) DO UPDATE SET data = excluded.data, expiry = excluded.expiry,
			principal_kind = excluded.principal_kind, principal_id = excluded.principal_id`, hash, data, expiry, string(kind), id)
		return err
	})
}

// SessionDelete removes a session by its token's hash.
func (s *Store) SessionDelete(ctx context.Context, hash []byte) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", hash)
		return err
	})
}

// deleteSessionsOf ends every session of a principal.
func deleteSessionsOf(ctx context.Context, q Querier, kind model.PrincipalKind, id int64) error {
	_, err := q.Exec(ctx, "DELETE FROM sessions WHERE principal_kind = $1 AND principal_id = $2", string(kind), id)
	return err
}

// SessionsOf counts the live sessions of a principal.
func (s *Store) SessionsOf(ctx context.Context, kind model.PrincipalKind, id int64) (int, error) {
	var n int
	err := s.Read().QueryRow(ctx, "SELECT COUNT(*) FROM sessions WHERE principal_kind = $1 AND principal_id = $2 AND expiry > $3",
		string(kind), id, s.Now()).Scan(&n)
	return n, err
}

// DeleteExpiredSessions removes expired sessions (a periodic job).
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(q Querier) error {
		var err error
		n, err = q.Exec(ctx, "DELETE FROM sessions WHERE expiry < $1", s.Now())
		return err
	})
	return n, err
}

// setCustomerPasswordIn sets customer id's password in q and ends every
// other way in: links not yet used, sessions and API tokens.
func setCustomerPasswordIn(ctx context.Context, q Querier, id int64, passwordHash string, now time.Time) error {
	if _, err := q.Exec(ctx, "UPDATE customers SET password_hash = $1 WHERE id = $2", passwordHash, id); err != nil {
		return err
	}
	if _, err := q.Exec(ctx, "UPDATE customer_invites SET used_at = $1 WHERE customer_id = $2 AND used_at IS NULL", now, id); err != nil {
		return err
	}
	if err := deleteSessionsOf(ctx, q, model.KindCustomer, id); err != nil {
		return err
	}
	_, err := q.Exec(ctx, "UPDATE api_tokens SET revoked_at = $1 WHERE customer_id = $2 AND revoked_at IS NULL", now, id)
	return err
}
