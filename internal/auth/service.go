package auth

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Service authenticates staff and customers.
type Service struct {
	store    *store.Store
	throttle *loginThrottle
	now      func() time.Time
	mailer   ResetMailer
	baseURL  string
	// signup sends self-registration codes (nil: invitations only);
	// signupClients limits how many codes one client asks for.
	signup        SignupMailer
	signupClients RateLimiter
	// verify checks a password against an argon2id hash; every failed
	// login calls it exactly once (tests count the calls).
	verify func(hash, password string) bool

	mu      sync.Mutex
	touched map[int64]time.Time // last recorded use per token
	dummy   string              // hash checked when there is no real one, so timing does not tell
}

// Options configures a Service.
type Options struct {
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Mailer sends password-reset links to customers; nil until outbound
	// mail is configured, in which case the portal offers no "forgot
	// password" and operators issue links with "aftercare customer
	// reset-link".
	Mailer ResetMailer
	// BaseURL is the public URL that links point to.
	BaseURL string
	// Signup sends the verification codes of customer self-registration;
	// nil (no outbound mail) leaves the portal to invitations.
	Signup SignupMailer
}

// NewService returns an auth service over st.
func NewService(st *store.Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	dummy, _ := HashPassword("not-a-real-password")
	return &Service{store: st, throttle: newLoginThrottle(st, opts.Now), now: opts.Now, mailer: opts.Mailer,
		baseURL: strings.TrimRight(opts.BaseURL, "/"), verify: CheckPassword, touched: map[int64]time.Time{}, dummy: dummy,
		signup: opts.Signup, signupClients: NewRateLimiter(st, "signup-client", signupClientBurst, signupClientInterval, limiterKeys, opts.Now)}
}

// ErrBadCredentials is the one answer for any failed login, whatever
// failed, so that it does not tell which accounts exist.
var ErrBadCredentials = model.Errorf(model.EUNAUTHORIZED, "The login or the password is wrong; check both and try again.")

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
	switch {
	case t.Device != "":
		// A device token may post device events and nothing else: a
		// device principal holds no permission.
		p = model.Principal{Kind: model.KindDevice, ID: t.ID, Name: t.Device}
	case t.UserID != nil:
		p, err = s.staffPrincipal(ctx, *t.UserID)
	default:
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
	p := model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, Locale: u.Locale}
	if u.CentreID != nil {
		p.CentreID = *u.CentreID
	}
	return p, nil
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
	return model.Errorf(model.ERATELIMIT, "Too many login attempts; wait %s and try again.", after.Round(time.Second))
}

// checkPassword verifies password against hash with exactly one argon2
// verification: when there is no usable hash (unknown login, no password
// set yet, a malformed hash) it verifies against a dummy hash instead, so
// that how long a failed login takes does not tell why it failed.
func (s *Service) checkPassword(hash, password string) bool {
	if !wellFormedHash(hash) {
		s.verify(s.dummy, password)
		return false
	}
	return s.verify(hash, password)
}

// LoginStaff checks a staff e-mail and password. client identifies the
// caller (see clientip.RateKey) for rate limiting.
func (s *Service) LoginStaff(ctx context.Context, email, password, client string) (model.Principal, error) {
	if err := s.throttle.allow(ctx, normalLogin(email), client); err != nil {
		return model.Principal{}, err
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !model.IsNotFound(err) {
		return model.Principal{}, err
	}
	hash := ""
	if u != nil {
		hash = u.PasswordHash
	}
	if !s.checkPassword(hash, password) || !u.Active {
		return model.Principal{}, ErrBadCredentials
	}
	p := model.Principal{Kind: model.KindStaff, ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role, Locale: u.Locale}
	if u.CentreID != nil {
		p.CentreID = *u.CentreID
	}
	return p, nil
}

// LoginCustomer checks a customer's e-mail or mobile number and password.
func (s *Service) LoginCustomer(ctx context.Context, login, password, client string) (model.Principal, error) {
	if err := s.throttle.allow(ctx, normalLogin(login), client); err != nil {
		return model.Principal{}, err
	}
	c, err := s.store.CustomerByLogin(ctx, login)
	if err != nil && !model.IsNotFound(err) {
		return model.Principal{}, err
	}
	hash := ""
	if c != nil {
		hash = c.PasswordHash
	}
	if !s.checkPassword(hash, password) {
		return model.Principal{}, ErrBadCredentials
	}
	return model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: c.Name, Email: c.Email, Locale: c.Locale}, nil
}

// normalLogin is the form of a login used as a rate-limiting key.
func normalLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// TokenOwner says whom a new token is for.
type TokenOwner struct {
	Email string
	// Customer forces a customer token when a staff user has the same
	// e-mail (staff wins otherwise).
	Customer bool
	// Device, when set, makes a device token instead (Email is ignored):
	// it may only post device events.
	Device string
}

// CreateToken issues an API token for the staff user or customer with the
// e-mail and returns the secret, which is shown once and never stored.
// by is who issues it (an operator at the command line), for the audit
// log.
func (s *Service) CreateToken(ctx context.Context, by model.Principal, owner TokenOwner, name string, ttl time.Duration) (string, *model.APIToken, error) {
	t := &model.APIToken{Name: name}
	if owner.Device != "" {
		owner.Device = strings.TrimSpace(owner.Device)
		if utf8.RuneCountInString(owner.Device) > 100 {
			return "", nil, model.FieldError("device", "must be at most 100 characters")
		}
		t.Device = owner.Device
	}
	if !owner.Customer && t.Device == "" {
		if u, err := s.store.UserByEmail(ctx, owner.Email); err == nil {
			t.UserID = &u.ID
		} else if !model.IsNotFound(err) {
			return "", nil, err
		}
	}
	if t.UserID == nil && t.Device == "" {
		c, err := s.store.CustomerByLogin(ctx, owner.Email)
		if err != nil {
			if model.IsNotFound(err) {
				return "", nil, model.FieldError("email", "There is no staff member or customer with the e-mail address “%s”.", owner.Email)
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
	kind, who := "staff", owner.Email
	if t.CustomerID != nil {
		kind = "customer"
	}
	if t.Device != "" {
		kind, who = "device", t.Device
	}
	exp := "never expires"
	if t.ExpiresAt != nil {
		exp = "expires " + t.ExpiresAt.Format(time.RFC3339)
	}
	rec := model.Audit(ctx, by, model.AuditTokenCreated, "for "+kind+" "+who, strings.TrimSpace(name+" "+exp))
	if err := s.store.CreateToken(ctx, t, rec); err != nil {
		return "", nil, err
	}
	t.Owner = who
	return secret, t, nil
}

// RevokeToken revokes an API token; by is who does it, for the audit log.
func (s *Service) RevokeToken(ctx context.Context, by model.Principal, id int64) error {
	return s.store.RevokeToken(ctx, id, model.Audit(ctx, by, model.AuditTokenRevoked, fmt.Sprintf("token %d", id), ""))
}
