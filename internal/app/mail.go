package app

import (
	"fmt"
	"net/mail"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/jobs"
	"github.com/aftercare/aftercare/internal/mailout"
	"github.com/aftercare/aftercare/internal/model"
)

// openMail builds outbound mail on the open store: the relay of
// --smtp-relay (none: nothing is queued), the store's mail hook, and the
// reset-link and survey mailers when a relay exists and the caller did
// not set its own.
func (m *Main) openMail(enq *jobs.Enqueuer) error {
	opts := mailout.Options{BaseURL: m.Config.BaseURL, Location: m.Config.Location(), Now: m.Now, Logger: m.Logger,
		Enqueue: enq.EnqueueMail}
	if m.Config.MailFrom != "" {
		from, err := mail.ParseAddress(m.Config.MailFrom)
		if err != nil {
			return fmt.Errorf("--mail-from: %w", err)
		}
		opts.From = *from
	}
	if m.Config.SMTPRelay != "" {
		password, err := m.Config.RelayPassword()
		if err != nil {
			return err
		}
		if opts.Relay, err = mailout.ParseRelay(m.Config.SMTPRelay, m.Config.SMTPRelayUser, password); err != nil {
			return fmt.Errorf("--smtp-relay: %w", err)
		}
	}
	bundle, err := i18n.Load()
	if err != nil {
		return err
	}
	opts.StatusName = func(locale string, s model.Status) string { return bundle.T(locale, "status."+string(s)) }
	m.Mail = mailout.New(m.Store, opts)
	m.Store.SetMailHook(m.Mail.Hook)
	m.Store.OnMessage(m.Mail.OnMessage)
	if m.Mail.Enabled() {
		m.Logger.Info("outbound mail", "relay", m.Mail.RelayName(), "from", opts.From.Address)
		if m.ResetMailer == nil {
			m.ResetMailer = m.Mail
		}
		if m.SignupMailer == nil {
			m.SignupMailer = m.Mail
		}
		if m.SurveyMailer == nil {
			m.SurveyMailer = m.Mail
		}
	}
	return nil
}
