package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Portal links are single-use secrets (only their SHA-256 is stored) with
// which a customer sets a portal password: an invite for a customer who
// has none yet, a reset for one who forgot it. Setting a password through
// either ends the customer's other links, sessions and API tokens.
const (
	// InviteTTL is how long an invite link stays valid.
	InviteTTL = 7 * 24 * time.Hour
	// ResetTTL is how long a password-reset link stays valid.
	ResetTTL = 24 * time.Hour
)

// ResetMailer sends a customer the link that sets a new portal password.
// It is implemented by the outbound mail channel; until one is
// configured, operators issue links with "aftercare customer reset-link".
type ResetMailer interface {
	SendPasswordReset(ctx context.Context, c *model.Customer, link string, expires time.Time) error
}

// Link is a portal link just issued. URL holds the secret: it is shown
// once, to whoever passes it on, and never logged or stored.
type Link struct {
	URL       string
	ExpiresAt time.Time
}

func customerTarget(c *model.Customer) string {
	login := c.Email
	if login == "" {
		login = c.Phone
	}
	return fmt.Sprintf("customer %d (%s)", c.ID, login)
}

// issue stores a new link for c and returns it.
func (s *Service) issue(ctx context.Context, c *model.Customer, purpose store.LinkPurpose, ttl time.Duration, rec model.AuditEntry) (Link, error) {
	secret, hash := NewSecret()
	exp := s.now().Add(ttl).UTC().Truncate(time.Second)
	rec.Target, rec.Detail = customerTarget(c), "expires "+exp.Format(time.RFC3339)
	if err := s.store.CreateCustomerLink(ctx, c.ID, purpose, hash, exp, rec); err != nil {
		return Link{}, err
	}
	path := "/portal/invite/"
	if purpose == store.LinkReset {
		path = "/portal/reset/"
	}
	return Link{URL: s.baseURL + path + secret, ExpiresAt: exp}, nil
}

// Invite issues a portal invite for a customer who has no password yet
// (model.PermCustomerInvite: admins, managers and agents). A customer who
// already has one is ECONFLICT: an invite would let whoever issues it
// take over the account; such customers reset their password themselves.
func (s *Service) Invite(ctx context.Context, by model.Principal, customerID int64) (Link, error) {
	if !by.Can(model.PermCustomerInvite) || !by.IsStaff() {
		return Link{}, model.Errorf(model.EFORBIDDEN, "your role may not do this")
	}
	c, err := s.store.CustomerByID(ctx, customerID)
	if err != nil {
		return Link{}, err
	}
	return s.issue(ctx, c, store.LinkInvite, InviteTTL, model.Audit(ctx, by, model.AuditInviteIssued, "", ""))
}

// ResetLink issues a password-reset link for the customer with this
// e-mail or mobile number, for an operator at the command line (by).
func (s *Service) ResetLink(ctx context.Context, by model.Principal, login string) (Link, error) {
	c, err := s.store.CustomerByLogin(ctx, login)
	if err != nil {
		if model.IsNotFound(err) {
			return Link{}, model.FieldError("email", "There is no customer with the e-mail address or mobile number “%s”; check it, or create the customer first.", login)
		}
		return Link{}, err
	}
	return s.issue(ctx, c, store.LinkReset, ResetTTL, model.Audit(ctx, by, model.AuditResetIssued, "", ""))
}

// CanMailResets reports whether customers can ask for a reset link by
// e-mail (outbound mail is configured).
func (s *Service) CanMailResets() bool { return s.mailer != nil }

// RequestReset sends a reset link to the customer with this e-mail, if
// there is one. The answer is the same whether or not there is (nil), so
// the form does not tell which addresses have accounts; attempts are
// throttled like logins.
func (s *Service) RequestReset(ctx context.Context, email, client string) error {
	if s.mailer == nil {
		return model.Errorf(model.ECONFLICT, "password reset by e-mail is not available; please contact customer service")
	}
	if err := s.throttle.allow(ctx, "reset:"+normalLogin(email), client); err != nil {
		return err
	}
	c, err := s.store.CustomerByLogin(ctx, normalLogin(email))
	if model.IsNotFound(err) || (err == nil && c.Email == "") {
		return nil
	}
	if err != nil {
		return err
	}
	visitor := model.Principal{Kind: model.KindCustomer, ID: c.ID, Name: c.Name}
	link, err := s.issue(ctx, c, store.LinkReset, ResetTTL, model.Audit(ctx, visitor, model.AuditResetRequested, "", ""))
	if err != nil {
		return err
	}
	return s.mailer.SendPasswordReset(ctx, c, link.URL, link.ExpiresAt)
}

// LinkCustomer returns the customer and purpose of a valid link secret;
// an unknown, used or expired one is EINVALID (store.ErrLinkInvalid).
func (s *Service) LinkCustomer(ctx context.Context, secret string) (*model.Customer, store.LinkPurpose, error) {
	id, purpose, err := s.store.CustomerLink(ctx, HashSecret(secret))
	if err != nil {
		return nil, "", err
	}
	c, err := s.store.CustomerByID(ctx, id)
	return c, purpose, err
}

// UseLink sets the customer's password from a link and returns the
// customer's principal. The link and the customer's other links are used
// up, and the customer's sessions and API tokens end, in one
// transaction.
func (s *Service) UseLink(ctx context.Context, secret, password string) (model.Principal, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return model.Principal{}, model.FieldError("password", "must be at least %d characters", MinPasswordLength)
	}
	rec := model.Audit(ctx, model.Principal{Kind: model.KindCustomer}, model.AuditPasswordSet, "", "other links, sessions and API tokens ended")
	id, err := s.store.UseCustomerLink(ctx, HashSecret(secret), hash, rec)
	if err != nil {
		return model.Principal{}, err
	}
	return s.customerPrincipal(ctx, id)
}
