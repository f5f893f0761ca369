package mailout

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/mention"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Notify e-mails staff user userID a notification of kind (one of
// model.NotifyKinds) about a request, in its own transaction, if the user
// wants that kind (NotificationPrefs), is active and has an address.
// Other capabilities call it: the SLA engine with kind sla_warning and
// extra.DueAt, mentions with extra.Message and extra.AuthorName. Without
// a relay it does nothing.
func (s *Service) Notify(ctx context.Context, userID int64, kind model.MailKind, requestID int64, extra Data) error {
	if !s.Enabled() {
		return nil
	}
	return s.store.Tx(ctx, func(q store.Querier) error {
		return s.NotifyIn(ctx, q, userID, kind, requestID, extra)
	})
}

// NotifyIn is Notify inside the caller's transaction q: the notification
// is queued exactly when the change that causes it commits.
func (s *Service) NotifyIn(ctx context.Context, q store.Querier, userID int64, kind model.MailKind, requestID int64, extra Data) error {
	if !s.Enabled() {
		return nil
	}
	r, err := s.store.MailRequestIn(ctx, q, requestID)
	if err != nil {
		return err
	}
	return s.notifyIn(ctx, q, userID, kind, r, extra)
}

func (s *Service) notifyIn(ctx context.Context, q store.Querier, userID int64, kind model.MailKind, r *store.MailRequest, d Data) error {
	if !isNotifyKind(kind) {
		return fmt.Errorf("mail: %q is not a notification", kind)
	}
	want, err := s.store.NotificationWantedIn(ctx, q, userID, kind)
	if err != nil || !want {
		return err
	}
	to, err := s.store.UserRecipientIn(ctx, q, userID)
	if err != nil || !to.Active {
		return err
	}
	d.RequestNumber, d.RequestSubject, d.Link = r.Number, r.Subject, s.requestLink(r.Number, true)
	return s.queue(ctx, q, outgoing{Kind: kind, RequestID: &r.ID, UserID: &userID, To: to, Data: d})
}

func isNotifyKind(k model.MailKind) bool {
	for _, n := range model.NotifyKinds() {
		if n == k {
			return true
		}
	}
	return false
}

// Preferences returns the principal's own notification choices (staff:
// model.PermNotifyPrefs).
func (s *Service) Preferences(ctx context.Context, p model.Principal) (map[model.MailKind]bool, error) {
	if !p.Can(model.PermNotifyPrefs) || !p.IsStaff() {
		return nil, forbidden()
	}
	return s.store.NotificationPrefs(ctx, p.ID)
}

// SetPreferences changes the principal's own notification choices; a
// kind that is not a notification is an error naming it.
func (s *Service) SetPreferences(ctx context.Context, p model.Principal, prefs map[model.MailKind]bool) (map[model.MailKind]bool, error) {
	if !p.Can(model.PermNotifyPrefs) || !p.IsStaff() {
		return nil, forbidden()
	}
	for k := range prefs {
		if !isNotifyKind(k) {
			return nil, model.FieldError(string(k), "unknown notification; choose among assigned, mentioned, sla_warning, new_reply")
		}
	}
	if err := s.store.SetNotificationPrefs(ctx, p.ID, prefs); err != nil {
		return nil, err
	}
	return s.store.NotificationPrefs(ctx, p.ID)
}

// NotifySLAWarningIn tells the assignee of request requestID, in q, that
// its deadline due is near (kind sla_warning, if they want it). The SLA
// engine calls it when it records a warning, exactly once per warning.
// A request without an assignee notifies nobody.
func (s *Service) NotifySLAWarningIn(ctx context.Context, q store.Querier, requestID int64, due time.Time) error {
	if !s.Enabled() {
		return nil
	}
	r, err := s.store.MailRequestIn(ctx, q, requestID)
	if err != nil || r.AssigneeID == nil {
		return err
	}
	return s.notifyIn(ctx, q, *r.AssigneeID, model.MailSLAWarning, r, Data{DueAt: s.when(due)})
}

// NotifyRuleIn tells staff user userID, in q, that the automation rule
// named rule wants them to look at request requestID. It is sent as a
// mention by the rule (kind mentioned, if they want it).
func (s *Service) NotifyRuleIn(ctx context.Context, q store.Querier, userID, requestID int64, rule string) error {
	return s.NotifyIn(ctx, q, userID, model.MailMentioned, requestID,
		Data{AuthorName: rule, Message: "[rule / 规则] " + rule})
}

// OnMessage is the store's MessageHook: an internal note notifies every
// active staff user it mentions ("@Wang Fang", "@周杰", "@wang"), except
// its author and those who turned mentions off, inside the note's
// transaction q (a note that rolls back mails nobody).
func (s *Service) OnMessage(ctx context.Context, q store.Querier, added store.MessageAdded) error {
	m := added.Message
	if !s.Enabled() || m == nil || m.Visibility != model.VisibilityInternal || m.AuthorKind != model.AuthorStaff ||
		!strings.Contains(m.Body, "@") {
		return nil
	}
	requestID := m.RequestID
	users, err := s.store.UsersForMessage(ctx, q, added)
	if err != nil {
		return err
	}
	found := mention.Find(m.Body, mention.Staff(users))
	if len(found) == 0 {
		return nil
	}
	r, err := s.store.MailRequestIn(ctx, q, requestID)
	if err != nil {
		return err
	}
	for _, p := range found {
		if m.AuthorID != nil && *m.AuthorID == p.ID {
			continue
		}
		if err := s.notifyIn(ctx, q, p.ID, model.MailMentioned, r, Data{Message: m.Body, AuthorName: m.AuthorName}); err != nil {
			return err
		}
	}
	return nil
}
