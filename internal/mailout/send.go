package mailout

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/auth"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/survey"
)

// DefaultSchedule is how long after a failed attempt the next one is
// made: 1, 5, 15 and 30 minutes, 1, 2, 4 and 8 hours — 9 attempts over
// about 16 hours before a mail is given up as failed.
func DefaultSchedule() []time.Duration {
	return []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
		2 * time.Hour, 4 * time.Hour, 8 * time.Hour}
}

// ErrGiveUp wraps a send error that no retry will fix (a 5xx answer):
// the job runner should not try again.
var ErrGiveUp = errors.New("mail: permanent failure")

// Send makes one attempt at sending outbound mail id; final is the last
// attempt the job will make. It returns nil when the mail was sent or
// there is nothing to send (sent already, suppressed, failed), an error
// wrapping ErrGiveUp when the relay refused it for good (recorded as
// failed), and another error to be retried (recorded on the row).
func (s *Service) Send(ctx context.Context, id int64, final bool) error {
	m, err := s.store.OutboundByID(ctx, id)
	if model.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	if m.Status != model.OutQueued {
		return nil
	}
	if !s.Enabled() {
		// Queued while a relay was configured; this node has none.
		err := errors.New("not sent: no relay configured on this node")
		if ferr := s.store.OutboundFailed(ctx, id, err.Error(), final); ferr != nil {
			return ferr
		}
		return err
	}
	var inReplyTo string
	var refs []string
	if m.RequestID != nil && m.CustomerID != nil {
		// Threading is decided when sending, so that the acknowledgement of
		// a mailed request answers the mail itself.
		if inReplyTo, refs, err = s.store.Thread(ctx, *m.RequestID, m.MessageID); err != nil {
			return err
		}
	}
	msg := compose(&composed{From: s.opts.From, To: mail.Address{Name: m.ToName, Address: m.To}, Subject: m.Subject,
		Date: s.opts.Now(), MessageID: m.MessageID, InReplyTo: inReplyTo, References: refs, Auto: m.Auto,
		Request: m.RequestNumber, Body: m.Body, Locale: m.Locale})
	helo := "localhost"
	if _, d, ok := strings.Cut(s.opts.From.Address, "@"); ok && d != "" {
		helo = d
	}
	sendErr := s.opts.Relay.Send(ctx, helo, s.opts.From.Address, m.To, msg)
	if sendErr == nil {
		if err := s.store.OutboundSent(context.WithoutCancel(ctx), id, inReplyTo, bracketed(refs)); err != nil {
			return err
		}
		s.log.Info("mail sent", "id", id, "kind", m.Kind, "request", m.RequestNumber)
		return nil
	}
	var perm *PermanentError
	giveUp := errors.As(sendErr, &perm)
	reason := sendErr.Error()
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	if err := s.store.OutboundFailed(context.WithoutCancel(ctx), id, reason, final || giveUp); err != nil {
		return errors.Join(sendErr, err)
	}
	s.log.Warn("mail not sent", "id", id, "kind", m.Kind, "err", reason, "final", final || giveUp)
	if giveUp {
		return errors.Join(ErrGiveUp, sendErr)
	}
	return sendErr
}

// SendPasswordReset e-mails a customer the link that sets a new portal
// password (auth.ResetMailer). The link is a secret: the log hides the
// body and clears it once sent, and the mail cannot be resent.
func (s *Service) SendPasswordReset(ctx context.Context, c *model.Customer, link string, expires time.Time) error {
	if !s.Enabled() {
		return model.Errorf(model.ECONFLICT, "password reset by e-mail is not available; please contact customer service")
	}
	to := &store.MailRecipient{Name: c.Name, Email: c.Email, Locale: c.Locale, Active: true}
	return s.store.Tx(ctx, func(q store.Querier) error {
		r, err := s.store.CustomerRecipientIn(ctx, q, c.ID)
		if err != nil {
			return err
		}
		to.Bouncing = r.Bouncing
		id := c.ID
		return s.queue(ctx, q, outgoing{Kind: model.MailPasswordReset, CustomerID: &id, To: to, Sensitive: true,
			Data: Data{Link: link, ExpiresAt: s.when(expires)}})
	})
}

// SendSignupCode e-mails the verification code of a self-registration
// (auth.SignupMailer) to an address that may belong to no customer yet.
// The code is a secret like a reset link: the log hides the body and
// clears it once sent, and the mail cannot be resent.
func (s *Service) SendSignupCode(ctx context.Context, email, name, locale, code string, expires time.Time) error {
	if !s.Enabled() {
		return model.Errorf(model.ECONFLICT, "self-registration needs outbound e-mail, which is not configured; ask customer service for an invitation")
	}
	to := &store.MailRecipient{Name: name, Email: email, Locale: locale, Active: true}
	return s.store.Tx(ctx, func(q store.Querier) error {
		var cid *int64
		if id, err := s.store.CustomerIDByEmailIn(ctx, q, email); err == nil {
			cid = &id
			if r, err := s.store.CustomerRecipientIn(ctx, q, id); err == nil {
				to.Bouncing = r.Bouncing
			}
		} else if !model.IsNotFound(err) {
			return err
		}
		return s.queue(ctx, q, outgoing{Kind: model.MailSignupCode, CustomerID: cid, To: to, Sensitive: true,
			Data: Data{Code: code, ExpiresAt: s.when(expires)}})
	})
}

// QueueSurveyMail queues a survey invitation or reminder inside the
// transaction q that marks it sent (survey.Mailer).
func (s *Service) QueueSurveyMail(ctx context.Context, q store.Querier, m survey.Message) error {
	if !s.Enabled() {
		return nil
	}
	to, err := s.store.CustomerRecipientIn(ctx, q, m.CustomerID)
	if err != nil {
		return err
	}
	kind := model.MailSurveyInvitation
	if m.Kind == survey.MailReminder {
		kind = model.MailSurveyReminder
	}
	d := Data{RequestNumber: m.RequestNumber, Link: m.URL, ExpiresAt: s.when(m.ExpiresAt)}
	var reqID *int64
	if m.RequestNumber != "" {
		id, err := s.store.RequestIDIn(ctx, q, m.RequestNumber)
		if err != nil {
			return err
		}
		r, err := s.store.MailRequestIn(ctx, q, id)
		if err != nil {
			return err
		}
		reqID, d.RequestSubject = &id, r.Subject
	}
	cid := m.CustomerID
	return s.queue(ctx, q, outgoing{Kind: kind, RequestID: reqID, CustomerID: &cid, To: to, Data: d})
}

// The seams this package fills.
var (
	_ auth.ResetMailer  = (*Service)(nil)
	_ auth.SignupMailer = (*Service)(nil)
	_ survey.Mailer     = (*Service)(nil)
)
