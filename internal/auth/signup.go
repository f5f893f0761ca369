package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Customer self-registration: someone gives a name and an e-mail address,
// a six-digit code goes to that address through the outbound mail
// channel, and whoever types the code back sets a password and is signed
// in. The code is a secret like a reset link: only its hash (salted with
// the address) is stored, it is never logged, and the mail carrying it is
// kept out of the outbound log and cannot be resent.
const (
	// SignupTTL is how long a verification code stays valid.
	SignupTTL = 15 * time.Minute
	// SignupTries is how many wrong codes kill a code.
	SignupTries = 5
	// SignupPerHour is how many codes one address may be sent in an hour.
	SignupPerHour = 3
	// signupCodeDigits is the length of a code.
	signupCodeDigits = 6
	// Codes sent from one client: a burst of 5, then one every 2 minutes.
	signupClientBurst    = 5
	signupClientInterval = 2 * time.Minute
)

// SignupMailer e-mails a verification code to someone registering. It is
// implemented by the outbound mail channel; without one, customers get
// portal accounts by invitation only.
type SignupMailer interface {
	SendSignupCode(ctx context.Context, email, name, locale, code string, expires time.Time) error
}

// SignupInput is what someone registering gives first.
type SignupInput struct {
	Name   string
	Email  string
	Locale string // zh-CN or en; "" is zh-CN
}

// CanSelfRegister reports whether customers may register themselves (an
// outbound mail channel carries the codes).
func (s *Service) CanSelfRegister() bool { return s.signup != nil }

func errSignupUnavailable() error {
	return model.Errorf(model.ECONFLICT, "self-registration needs outbound e-mail, which is not configured; ask customer service for an invitation")
}

func errSignupRate(after time.Duration) error {
	return model.Errorf(model.ERATELIMIT, "too many attempts; wait %s", max(after, time.Second).Round(time.Second))
}

// signupCodeHash is the stored form of a code: the SHA-256 of the address
// and the code, so that equal codes for two addresses differ.
func signupCodeHash(email, code string) []byte {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email)) + "\x00" + strings.TrimSpace(code)))
	return h[:]
}

// newSignupCode returns a random six-digit code.
func newSignupCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("signup code: %w", err)
	}
	return fmt.Sprintf("%0*d", signupCodeDigits, n.Int64()), nil
}

// checkSignup validates the first step's fields.
func checkSignup(in *SignupInput) error {
	in.Name, in.Email = strings.TrimSpace(in.Name), strings.ToLower(strings.TrimSpace(in.Email))
	switch {
	case in.Name == "":
		return model.FieldError("name", "is required")
	case utf8.RuneCountInString(in.Name) > 200:
		return model.FieldError("name", "must be at most %d characters", 200)
	case in.Email == "":
		return model.FieldError("email", "is required")
	}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 {
		return model.FieldError("email", "Enter a valid e-mail address, such as name@example.com.")
	}
	switch in.Locale {
	case "":
		in.Locale = "zh-CN"
	case "zh-CN", "en":
	default:
		return model.FieldError("locale", "must be zh-CN or en")
	}
	return nil
}

// StartSignup sends a verification code to in.Email. client identifies
// the caller (clientip.RateKey): one client may ask for a few codes, then
// one every two minutes; one address gets at most SignupPerHour codes an
// hour. The answer does not say whether the address already has an
// account: whoever proves they read its mail may set its password, as
// with a reset link.
func (s *Service) StartSignup(ctx context.Context, in SignupInput, client string) (time.Time, error) {
	if s.signup == nil {
		return time.Time{}, errSignupUnavailable()
	}
	if err := checkSignup(&in); err != nil {
		return time.Time{}, err
	}
	if ok, after, err := s.signupClients.Take(ctx, client); err != nil {
		return time.Time{}, err
	} else if !ok {
		return time.Time{}, errSignupRate(after)
	}
	code, err := newSignupCode()
	if err != nil {
		return time.Time{}, err
	}
	exp := s.now().Add(SignupTTL).UTC().Truncate(time.Second)
	err = s.store.CreateSignup(ctx, store.Signup{Email: in.Email, Name: in.Name, Locale: in.Locale,
		CodeHash: signupCodeHash(in.Email, code), Expires: exp}, SignupPerHour)
	if err != nil {
		return time.Time{}, err
	}
	if err := s.signup.SendSignupCode(ctx, in.Email, in.Name, in.Locale, code, exp); err != nil {
		return time.Time{}, err
	}
	return exp, nil
}

// CompleteSignup checks the code sent to email and, when it is right,
// sets the password of the customer with that address (creating the
// customer) and returns the customer's principal. Wrong codes are
// counted per code (SignupTries) and throttled per address and client
// like logins. A too-short password is refused before the code is
// looked at, so fixing it costs no try.
func (s *Service) CompleteSignup(ctx context.Context, email, code, password, client string) (model.Principal, error) {
	if s.signup == nil {
		return model.Principal{}, errSignupUnavailable()
	}
	email, code = normalLogin(email), strings.TrimSpace(code)
	switch {
	case email == "":
		return model.Principal{}, model.FieldError("email", "is required")
	case code == "":
		return model.Principal{}, model.FieldError("code", "is required")
	}
	hash, err := HashPassword(password)
	if err != nil {
		return model.Principal{}, model.FieldError("password", "must be at least %d characters", MinPasswordLength)
	}
	for _, try := range []struct {
		limiter RateLimiter
		key     string
	}{{s.throttle.client, client}, {s.throttle.pair, "signup:" + email + "\x00" + client}} {
		ok, after, err := try.limiter.Take(ctx, try.key)
		if err != nil {
			return model.Principal{}, err
		}
		if !ok {
			return model.Principal{}, errSignupRate(after)
		}
	}
	rec := model.Audit(ctx, model.Principal{Kind: model.KindCustomer}, model.AuditCustomerRegistered, "", "by e-mail code; other links, sessions and API tokens ended")
	id, err := s.store.CompleteSignup(ctx, email, signupCodeHash(email, code), hash, SignupTries, rec)
	if err != nil {
		return model.Principal{}, err
	}
	return s.customerPrincipal(ctx, id)
}
