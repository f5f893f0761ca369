package auth

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Service authenticates staff and customers.
type Service struct {
	store   *store.Store
	limiter *Limiter
	now     func() time.Time

	mu      sync.Mutex
	touched map[int64]time.Time // last recorded use per token
	dummy   string              // hash checked when the login is unknown, so timing does not tell
}

// NewService returns an auth service over st. Logins are limited to 10
// attempts at once per key, then one every 6 seconds.
func NewService(st *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	dummy, _ := HashPassword("not-a-real-password")
	return &Service{store: st, limiter: NewLimiter(10, 6*time.Second, now), now: now,
		touched: map[int64]time.Time{}, dummy: dummy}
}

// ErrBadCredentials is the one answer for any failed login, whatever
// failed, so that it does not tell which accounts exist.
var ErrBadCredentials = model.Errorf(model.EUNAUTHORIZED, "wrong login or password")

// Authenticate resolves an API token secret into its principal.
func (s *Service) Authenticate(ctx context.Context, secret string) (model.Principal, error) {
	unauth := model.Errorf(model.EUNAUTHORIZED, "invalid or expired token")
	if !strings.HasPrefix(secret, TokenPrefix) {
		return model.Principal{}, unauth
	}
	t, err := s.store.TokenByHash(ctx, HashSecret(secret))
	if err != nil {
		if model.IsNotFound(err) {
			return model.Principal{}, unauth
		}
		return model.Principal{}, err
	}
	now := s.now()
	if t.RevokedAt != nil || (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) {
		return model.Principal{}, unauth
	}
	var p model.Principal
	if t.UserID != nil {
		p, err = s.staffPrincipal(ctx, *t.UserID)
	} else {
		p, err = s.customerPrincipal(ctx, *t.CustomerID)
	}
	if err != nil {
		if model.IsNotFound(err) {
			return model.Principal{}, unauth
		}
		return model.Principal{}, err
	}
	s.touch(ctx, t.ID, now)
	return p, nil
}

// touch records a token's last use at most once a minute per token, so
// that reads do not each cost a write.
func (s *Service) touch(ctx context.Context, id int64, now time.Time) {
	s.mu.Lock()
	last, ok := s.touched[id]
	due := !ok || now.Sub(last) >= time.Minute
	if due {
		s.touched[id] = now
	}
	s.mu.Unlock()
	if due {
		_ = s.store.TouchToken(context.WithoutCancel(ctx), id, now.UTC())
	}
}

// Principal loads the principal of a session (kind and id).
func (s *Service) Principal(ctx context.Context, kind model.PrincipalKind, id int64) (model.Principal, error) {
	if kind == model.KindStaff {
		return s.staffPrincipal(ctx, id)
	}
	return s.customerPrincipal(ctx, id)
}

func (s *Service) staffPrincipal(ctx context.Context, id int64) (model.Principal, error) {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return model.Principal{}, err
	}
	if !u.Active {
		return model.Principal{}, model.Errorf(model.ENOTFOUND, "user not found")
	}
	return model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, Locale: u.Locale}, nil
}

func (s *Service) customerPrincipal(ctx context.Context, id int64) (model.Principal, error) {
	c, err := s.store.CustomerByID(ctx, id)
	if err != nil {
		return model.Principal{}, err
	}
	return model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: c.Name, Email: c.Email, Locale: c.Locale}, nil
}

// errRateLimited says too many attempts were made.
func errRateLimited(after time.Duration) error {
	return model.Errorf(model.ERATELIMIT, "too many login attempts; wait %s", after.Round(time.Second))
}

// LoginStaff checks a staff e-mail and password. client identifies the
// caller (its address) for rate limiting, alongside the login itself.
func (s *Service) LoginStaff(ctx context.Context, email, password, client string) (model.Principal, error) {
	if err := s.allow(email, client); err != nil {
		return model.Principal{}, err
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil {
		CheckPassword(s.dummy, password)
		if model.IsNotFound(err) {
			return model.Principal{}, ErrBadCredentials
		}
		return model.Principal{}, err
	}
	if !CheckPassword(u.PasswordHash, password) || !u.Active {
		return model.Principal{}, ErrBadCredentials
	}
	return model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, Locale: u.Locale}, nil
}

// LoginCustomer checks a customer's e-mail or mobile number and password.
func (s *Service) LoginCustomer(ctx context.Context, login, password, client string) (model.Principal, error) {
	if err := s.allow(login, client); err != nil {
		return model.Principal{}, err
	}
	c, err := s.store.CustomerByLogin(ctx, login)
	if err != nil {
		CheckPassword(s.dummy, password)
		if model.IsNotFound(err) {
			return model.Principal{}, ErrBadCredentials
		}
		return model.Principal{}, err
	}
	if !CheckPassword(c.PasswordHash, password) {
		return model.Principal{}, ErrBadCredentials
	}
	return model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: c.Name, Email: c.Email, Locale: c.Locale}, nil
}

func (s *Service) allow(login, client string) error {
	if ok, after := s.limiter.Allow("login:" + strings.ToLower(strings.TrimSpace(login))); !ok {
		return errRateLimited(after)
	}
	if client != "" {
		if ok, after := s.limiter.Allow("client:" + client); !ok {
			return errRateLimited(after)
		}
	}
	return nil
}

// TokenOwner says whom a new token is for.
type TokenOwner struct {
	Email string
	// Customer forces a customer token when a staff user has the same
	// e-mail (staff wins otherwise).
	Customer bool
}

// CreateToken issues an API token for the staff user or customer with the
// e-mail and returns the secret, which is shown once and never stored.
func (s *Service) CreateToken(ctx context.Context, owner TokenOwner, name string, ttl time.Duration) (string, *model.APIToken, error) {
	t := &model.APIToken{Name: name}
	if !owner.Customer {
		if u, err := s.store.UserByEmail(ctx, owner.Email); err == nil {
			t.UserID = &u.ID
		} else if !model.IsNotFound(err) {
			return "", nil, err
		}
	}
	if t.UserID == nil {
		c, err := s.store.CustomerByLogin(ctx, owner.Email)
		if err != nil {
			if model.IsNotFound(err) {
				return "", nil, model.FieldError("email", "no staff user or customer with e-mail %q", owner.Email)
			}
			return "", nil, err
		}
		t.CustomerID = &c.ID
	}
	if ttl > 0 {
		exp := s.now().Add(ttl).UTC()
		t.ExpiresAt = &exp
	}
	secret, hash := NewSecret()
	t.Hash = hash
	t.Prefix = secret[:len(TokenPrefix)+6]
	if err := s.store.CreateToken(ctx, t); err != nil {
		return "", nil, err
	}
	t.Owner = owner.Email
	return secret, t, nil
}

// InviteTTL is how long a portal invite link stays valid.
const InviteTTL = 7 * 24 * time.Hour

// Invite creates a single-use portal invite for a customer and returns the
// secret to put in the link.
func (s *Service) Invite(ctx context.Context, customerID int64) (string, error) {
	if _, err := s.store.CustomerByID(ctx, customerID); err != nil {
		return "", err
	}
	secret, hash := NewSecret()
	if err := s.store.CreateInvite(ctx, customerID, hash, s.now().Add(InviteTTL).UTC()); err != nil {
		return "", err
	}
	return secret, nil
}

// InviteCustomer returns the customer an invite secret is for, if valid.
func (s *Service) InviteCustomer(ctx context.Context, secret string) (*model.Customer, error) {
	id, err := s.store.InviteCustomer(ctx, HashSecret(secret))
	if err != nil {
		return nil, err
	}
	return s.store.CustomerByID(ctx, id)
}

// AcceptInvite sets the customer's password from an invite and returns
// the customer's principal.
func (s *Service) AcceptInvite(ctx context.Context, secret, password string) (model.Principal, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return model.Principal{}, model.FieldError("password", "%s", err.Error())
	}
	id, err := s.store.AcceptInvite(ctx, HashSecret(secret), hash)
	if err != nil {
		return model.Principal{}, err
	}
	return s.customerPrincipal(ctx, id)
}

// SessionStore keeps scs sessions in the Aftercare database, so sessions
// work across nodes on PostgreSQL.
type SessionStore struct{ Store *store.Store }

// FindCtx implements scs.CtxStore.
func (s SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	return s.Store.SessionFind(ctx, token)
}

// CommitCtx implements scs.CtxStore.
func (s SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return s.Store.SessionCommit(ctx, token, b, expiry.UTC())
}

// DeleteCtx implements scs.CtxStore.
func (s SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return s.Store.SessionDelete(ctx, token)
}

// Find implements scs.Store.
func (s SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (s SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (s SessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }
