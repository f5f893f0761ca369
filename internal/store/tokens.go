package store

import (
	"context"

	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// CreateToken stores an API token (its hash only).
func (s *Store) CreateToken(ctx context.Context, t *model.APIToken) error {
	t.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		return q.QueryRow(ctx, `INSERT INTO api_tokens (name, prefix, hash, user_id, customer_id, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			t.Name, t.Prefix, t.Hash, t.UserID, t.CustomerID, t.ExpiresAt, t.CreatedAt).Scan(&t.ID)
	})
}

const tokenSelect = `SELECT t.id, t.name, t.prefix, t.hash, t.user_id, t.customer_id, t.expires_at, t.last_used_at,
	t.revoked_at, t.created_at, COALESCE(u.email, c.email, c.phone, '')
	FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id LEFT JOIN customers c ON c.id = t.customer_id `

func scanToken(r Row, t *model.APIToken) error {
	return r.Scan(&t.ID, &t.Name, &t.Prefix, &t.Hash, &t.UserID, &t.CustomerID, &t.ExpiresAt, &t.LastUsedAt,
		&t.RevokedAt, &t.CreatedAt, &t.Owner)
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

// RevokeToken marks a token revoked; revoking twice is not an error.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2", s.Now(), id)
		if err == nil && n == 0 {
			return model.Errorf(model.ENOTFOUND, "token %d not found", id)
		}
		return err
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

// CreateInvite stores a portal invite for a customer (its token hash).
func (s *Store) CreateInvite(ctx context.Context, customerID int64, hash []byte, expires time.Time) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "INSERT INTO customer_invites (token_hash, customer_id, expires_at, created_at) VALUES ($1, $2, $3, $4)",
			hash, customerID, expires, s.Now())
		return err
	})
}

// ErrInviteInvalid says an invite link is unknown, used or expired.
var ErrInviteInvalid = model.FieldError("token", "this invite link is invalid, used or expired")

// InviteCustomer returns the customer an unused, unexpired invite is for.
func (s *Store) InviteCustomer(ctx context.Context, hash []byte) (int64, error) {
	var id int64
	err := s.Read().QueryRow(ctx, "SELECT customer_id FROM customer_invites WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
		hash, s.Now()).Scan(&id)
	if model.IsNotFound(notFound(err, "invite")) {
		return 0, ErrInviteInvalid
	}
	return id, err
}

// AcceptInvite sets the customer's password and uses up the invite, in
// one transaction; a second use fails.
func (s *Store) AcceptInvite(ctx context.Context, hash []byte, passwordHash string) (int64, error) {
	var id int64
	err := s.Tx(ctx, func(q Querier) error {
		now := s.Now()
		err := q.QueryRow(ctx, `UPDATE customer_invites SET used_at = $1
			WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING customer_id`, now, hash).Scan(&id)
		if model.IsNotFound(notFound(err, "invite")) {
			return ErrInviteInvalid
		} else if err != nil {
			return err
		}
		_, err = q.Exec(ctx, "UPDATE customers SET password_hash = $1 WHERE id = $2", passwordHash, id)
		return err
	})
	return id, err
}

// SessionFind returns a session's data, or found=false when missing or
// expired. It implements scs.Store together with SessionCommit and
// SessionDelete (see auth.SessionStore).
func (s *Store) SessionFind(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.Read().QueryRow(ctx, "SELECT data FROM sessions WHERE token = $1 AND expiry > $2", token, s.Now()).Scan(&data)
	if err != nil {
		if model.IsNotFound(notFound(err, "session")) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return data, true, nil
}

// SessionCommit saves a session.
func (s *Store) SessionCommit(ctx context.Context, token string, data []byte, expiry time.Time) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, data, expiry)
		return err
	})
}

// SessionDelete removes a session.
func (s *Store) SessionDelete(ctx context.Context, token string) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, "DELETE FROM sessions WHERE token = $1", token)
		return err
	})
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
