// Package mailout sends Aftercare's e-mail: agents' replies to customers,
// acknowledgements and status changes, password-reset links, survey
// invitations, and staff notifications, through the SMTP relay of
// --smtp-relay.
//
// Mail is queued in the transaction of the change that causes it (a row
// in the outbound log and a River job), rendered from the recipient's
// language's template, and sent by the job with retries. Every mail has a
// Message-ID recorded for its request, so that the customer's answer
// threads into it, and In-Reply-To/References naming the customer's last
// mail; automatic mail says so (Auto-Submitted). Without a relay nothing
// is queued at all: the log holds only mail that was really handed on to
// be sent.
package mailout

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Options configures a Service.
type Options struct {
	// Relay is where mail is sent; nil: no relay, nothing is queued.
	Relay *Relay
	// From is the sender of every mail (--mail-from); replies to it must
	// reach the inbound listener or mailbox so that they thread.
	From mail.Address
	// BaseURL starts the links in mail.
	BaseURL string
	// Enqueue inserts the send job of outbound mail id in the transaction
	// q (internal/jobs).
	Enqueue func(ctx context.Context, q store.Querier, id int64) error
	// StatusName is a status in a language (the web catalog's words).
	StatusName func(locale string, s model.Status) string
	// Location is the time zone of times in mail.
	Location *time.Location
	Now      func() time.Time
	Logger   *slog.Logger
}

// Service is outbound mail.
type Service struct {
	store *store.Store
	opts  Options
	log   *slog.Logger
}

// New returns the outbound mail service.
func New(st *store.Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.StatusName == nil {
		opts.StatusName = func(_ string, s model.Status) string { return string(s) }
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	return &Service{store: st, opts: opts, log: opts.Logger}
}

// Enabled reports whether a relay is configured: without one, nothing is
// queued (and the portal does not offer reset links by e-mail).
func (s *Service) Enabled() bool { return s != nil && s.opts.Relay != nil && s.opts.Enqueue != nil }

// RelayName names the relay without its password ("" without one).
func (s *Service) RelayName() string {
	if !s.Enabled() {
		return ""
	}
	return s.opts.Relay.String()
}

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// outgoing is one mail to queue.
type outgoing struct {
	Kind       model.MailKind
	RequestID  *int64
	CustomerID *int64
	UserID     *int64
	To         *store.MailRecipient
	Data       Data
	Sensitive  bool
}

// queue renders o from its template (the admins' text, else the
// built-in one) in the recipient's language and queues it inside q with
// its send job. A recipient without an address gets nothing; one whose
// address bounces gets a suppressed row and no job.
func (s *Service) queue(ctx context.Context, q store.Querier, o outgoing) error {
	if !s.Enabled() || o.To == nil || strings.TrimSpace(o.To.Email) == "" {
		return nil
	}
	locale := Locale(o.To.Locale)
	t, ok, err := s.store.MailTemplateIn(ctx, q, o.Kind, locale)
	if err != nil {
		return err
	}
	if !ok {
		t = Default(o.Kind, locale)
	}
	o.Data.RecipientName = o.To.Name
	subject, body, err := render(t, o.Data)
	if err != nil && t.Custom {
		// A custom template that fails on real data: send the built-in
		// text rather than nothing, and say so.
		s.log.Warn("mail template failed; using the built-in text", "kind", o.Kind, "locale", locale, "err", err)
		subject, body, err = render(Default(o.Kind, locale), o.Data)
	}
	if err != nil {
		return fmt.Errorf("mail %s: %w", o.Kind, err)
	}
	if n := o.Data.RequestNumber; n != "" && !strings.Contains(subject, "["+n+"]") {
		subject = "[" + n + "] " + subject
	}
	m := &model.OutboundMail{Kind: o.Kind, Auto: o.Kind.Auto(), Sensitive: o.Sensitive, RequestID: o.RequestID,
		CustomerID: o.CustomerID, UserID: o.UserID, To: strings.TrimSpace(o.To.Email), ToName: o.To.Name,
		Locale: locale, Subject: subject, Body: body, MessageID: s.newMessageID(), Status: model.OutQueued}
	if o.To.Bouncing {
		m.Status, m.LastError = model.OutSuppressed, "not sent: this address bounced mail before"
	}
	if err := s.store.QueueOutbound(ctx, q, m); err != nil {
		return err
	}
	if m.Status != model.OutQueued {
		return nil
	}
	return s.opts.Enqueue(ctx, q, m.ID)
}

// newMessageID is a fresh Message-ID (without brackets) in the domain of
// the sender's address.
func (s *Service) newMessageID() string {
	domain := "aftercare.invalid"
	if _, d, ok := strings.Cut(s.opts.From.Address, "@"); ok && d != "" {
		domain = d
	}
	return "ac-" + strings.ToLower(rand.Text()) + "@" + domain
}

// requestLink is the page of a request for a customer (portal) or staff.
func (s *Service) requestLink(number string, staff bool) string {
	if staff {
		return s.opts.BaseURL + "/requests/" + number
	}
	return s.opts.BaseURL + "/portal/requests/" + number
}

// when formats a time for mail, in the service's time zone.
func (s *Service) when(t time.Time) string {
	return t.In(s.opts.Location).Format("2006-01-02 15:04 MST")
}

// Hook is the store's MailHook: inside the transaction of a change it
// queues the mail the change causes. A staff user's public reply goes to
// the customer (internal notes never do); a new request is acknowledged;
// a status change made by staff or by the system is announced (never one
// the customer made); a customer's reply and an assignment notify the
// assignee, as their preferences allow. (Internal notes are not
// published: their mentions come through OnMessage.)
func (s *Service) Hook(ctx context.Context, q store.Querier, ev model.DomainEvent, requestID int64) error {
	if !s.Enabled() || requestID == 0 {
		return nil
	}
	switch ev.Type {
	case model.EventMessageCreated:
		m := ev.Message
		if m == nil || m.Visibility != model.VisibilityPublic {
			return nil
		}
		switch m.AuthorKind {
		case model.AuthorStaff:
			return s.customerMail(ctx, q, requestID, model.MailReply, func(d *Data) {
				d.Message, d.AuthorName = m.Body, m.AuthorName
			})
		case model.AuthorCustomer:
			r, err := s.store.MailRequestIn(ctx, q, requestID)
			if err != nil || r.AssigneeID == nil {
				return err
			}
			return s.notifyIn(ctx, q, *r.AssigneeID, model.MailNewReply, r, Data{Message: m.Body, AuthorName: m.AuthorName})
		}
	case model.EventRequestCreated:
		if err := s.customerMail(ctx, q, requestID, model.MailRequestCreated, nil); err != nil {
			return err
		}
		r, err := s.store.MailRequestIn(ctx, q, requestID)
		if err != nil || r.AssigneeID == nil || (ev.ByID != nil && *ev.ByID == *r.AssigneeID && ev.ByKind == model.AuthorStaff) {
			return err
		}
		return s.notifyIn(ctx, q, *r.AssigneeID, model.MailAssigned, r, Data{})
	case model.EventRequestStatusChanged:
		if ev.ByKind == model.AuthorCustomer || !announced(ev.To) {
			return nil
		}
		return s.customerMail(ctx, q, requestID, model.MailStatusChanged, func(d *Data) {
			d.Status, d.PreviousStatus = s.opts.StatusName(d.locale, ev.To), s.opts.StatusName(d.locale, ev.From)
		})
	case model.EventRequestUpdated:
		for _, c := range ev.Changes {
			if c.Field != "assignee_id" || c.To == "" {
				continue
			}
			var to int64
			if _, err := fmt.Sscan(c.To, &to); err != nil {
				return nil
			}
			if ev.ByKind == model.AuthorStaff && ev.ByID != nil && *ev.ByID == to {
				return nil // took it themselves
			}
			r, err := s.store.MailRequestIn(ctx, q, requestID)
			if err != nil {
				return err
			}
			return s.notifyIn(ctx, q, to, model.MailAssigned, r, Data{})
		}
	}
	return nil
}

// announced are the statuses a customer is told about by mail.
func announced(to model.Status) bool {
	switch to {
	case model.StatusPending, model.StatusOnHold, model.StatusResolved, model.StatusClosed, model.StatusCancelled:
		return true
	}
	return false
}

// customerMail queues mail of kind about a request to its customer;
// fill adds kind-specific data (d.locale is the recipient's language).
func (s *Service) customerMail(ctx context.Context, q store.Querier, requestID int64, kind model.MailKind, fill func(d *Data)) error {
	r, err := s.store.MailRequestIn(ctx, q, requestID)
	if err != nil {
		return err
	}
	to := &store.MailRecipient{Name: r.CustomerName, Email: r.CustomerEmail, Locale: r.CustomerLocale,
		Active: true, Bouncing: r.Bouncing}
	d := Data{RequestNumber: r.Number, RequestSubject: r.Subject, Link: s.requestLink(r.Number, false),
		locale: Locale(r.CustomerLocale)}
	if fill != nil {
		fill(&d)
	}
	return s.queue(ctx, q, outgoing{Kind: kind, RequestID: &r.ID, CustomerID: &r.CustomerID, To: to, Data: d})
}
