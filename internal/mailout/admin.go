package mailout

import (
	"context"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// List returns one page of the outbound mail log, newest first (admins:
// model.PermMailRead). The bodies of sensitive mail are hidden.
func (s *Service) List(ctx context.Context, p model.Principal, f model.OutboundFilter) (model.OutboundPage, error) {
	if !p.Can(model.PermMailRead) {
		return model.OutboundPage{}, forbidden()
	}
	page, err := s.store.ListOutbound(ctx, f)
	for i := range page.Items {
		hide(&page.Items[i])
	}
	return page, err
}

// ForRequest returns the newest mail (at most store.MaxPageSize) sent
// about a request, without bodies, so that staff see on the request page
// whether each reply and notification was queued, sent, failed or
// bounced. The caller has loaded r with the principal's rights (any
// staff user who may see the request may see this); customers may not.
func (s *Service) ForRequest(ctx context.Context, p model.Principal, r *model.Request) ([]model.OutboundMail, error) {
	if !p.IsStaff() {
		return nil, forbidden()
	}
	page, err := s.store.ListOutbound(ctx, model.OutboundFilter{RequestID: r.ID, Limit: store.MaxPageSize})
	for i := range page.Items {
		page.Items[i].Body = ""
	}
	return page.Items, err
}

// Get returns one entry of the outbound mail log (model.PermMailRead).
func (s *Service) Get(ctx context.Context, p model.Principal, id int64) (*model.OutboundMail, error) {
	if !p.Can(model.PermMailRead) {
		return nil, forbidden()
	}
	m, err := s.store.OutboundByID(ctx, id)
	if err != nil {
		return nil, err
	}
	hide(m)
	return m, nil
}

// hide blanks what an admin must not read: a reset link is the key to a
// customer's account.
func hide(m *model.OutboundMail) {
	if m.Sensitive {
		m.Body = ""
	}
}

// Resend queues a copy of a logged mail (same recipient, subject and
// body; a new Message-ID, threaded like the original) and returns it. A
// password-reset mail cannot be resent (the customer asks for a new
// link), nor can anything without a relay (ECONFLICT).
func (s *Service) Resend(ctx context.Context, p model.Principal, id int64) (*model.OutboundMail, error) {
	if !p.Can(model.PermMailRead) {
		return nil, forbidden()
	}
	if !s.Enabled() {
		return nil, model.Conflict("relay", "no SMTP relay is configured (--smtp-relay): nothing can be sent")
	}
	orig, err := s.store.OutboundByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if orig.Sensitive {
		return nil, model.Conflict("kind", "a password-reset link cannot be resent; the customer asks for a new one")
	}
	if orig.Status == model.OutQueued {
		return nil, model.Conflict("status", "this mail is still queued; it will be tried again")
	}
	m := &model.OutboundMail{Kind: orig.Kind, Auto: orig.Auto, RequestID: orig.RequestID, CustomerID: orig.CustomerID,
		UserID: orig.UserID, To: orig.To, ToName: orig.ToName, Locale: orig.Locale, Subject: orig.Subject,
		Body: orig.Body, MessageID: s.newMessageID(), Status: model.OutQueued, ResendOf: &orig.ID}
	err = s.store.Tx(ctx, func(q store.Querier) error {
		if err := s.store.QueueOutbound(ctx, q, m); err != nil {
			return err
		}
		return s.opts.Enqueue(ctx, q, m.ID)
	})
	if err != nil {
		return nil, err
	}
	return s.store.OutboundByID(ctx, m.ID)
}

// Templates returns every kind's template in every language, the admins'
// text where there is one, else the built-in one (model.PermMailTemplate).
func (s *Service) Templates(ctx context.Context, p model.Principal) ([]model.MailTemplate, error) {
	if !p.Can(model.PermMailTemplate) {
		return nil, forbidden()
	}
	custom, err := s.store.MailTemplates(ctx)
	if err != nil {
		return nil, err
	}
	byKey := map[string]model.MailTemplate{}
	for _, t := range custom {
		byKey[string(t.Kind)+"/"+t.Locale] = t
	}
	var out []model.MailTemplate
	for _, k := range model.MailKinds() {
		for _, l := range Locales() {
			if t, ok := byKey[string(k)+"/"+l]; ok {
				out = append(out, t)
			} else {
				out = append(out, Default(k, l))
			}
		}
	}
	return out, nil
}

// Template returns one kind's template in one language.
func (s *Service) Template(ctx context.Context, p model.Principal, kind model.MailKind, locale string) (model.MailTemplate, error) {
	if !p.Can(model.PermMailTemplate) {
		return model.MailTemplate{}, forbidden()
	}
	if err := checkKey(kind, locale); err != nil {
		return model.MailTemplate{}, err
	}
	t, ok, err := s.store.MailTemplateIn(ctx, s.store.Read(), kind, locale)
	if err != nil || ok {
		return t, err
	}
	return Default(kind, locale), nil
}

func checkKey(kind model.MailKind, locale string) error {
	if !kind.Valid() {
		return model.Errorf(model.ENOTFOUND, "There is no mail template “%s”.", kind)
	}
	if locale != "zh-CN" && locale != "en" {
		return model.Errorf(model.ENOTFOUND, "There is no mail template in “%s”; the languages are zh-CN and en.", locale)
	}
	return nil
}

// SaveTemplate checks an admin's template (it must parse and render with
// sample data; reset and survey mail must keep {{.Link}}) and stores it,
// with an audit entry.
func (s *Service) SaveTemplate(ctx context.Context, p model.Principal, t model.MailTemplate) (model.MailTemplate, error) {
	if !p.Can(model.PermMailTemplate) {
		return model.MailTemplate{}, forbidden()
	}
	if err := checkKey(t.Kind, t.Locale); err != nil {
		return model.MailTemplate{}, err
	}
	if err := Check(t); err != nil {
		return model.MailTemplate{}, err
	}
	var by *int64
	if p.IsStaff() && p.ID != 0 {
		id := p.ID
		by = &id
	}
	if err := s.store.SaveMailTemplate(ctx, &t, by, model.Audit(ctx, p, model.AuditMailTemplate, "", "")); err != nil {
		return model.MailTemplate{}, err
	}
	return t, nil
}

// ResetTemplate goes back to the built-in text and returns it.
func (s *Service) ResetTemplate(ctx context.Context, p model.Principal, kind model.MailKind, locale string) (model.MailTemplate, error) {
	if !p.Can(model.PermMailTemplate) {
		return model.MailTemplate{}, forbidden()
	}
	if err := checkKey(kind, locale); err != nil {
		return model.MailTemplate{}, err
	}
	if err := s.store.DeleteMailTemplate(ctx, kind, locale, model.Audit(ctx, p, model.AuditMailTemplate, "", "")); err != nil {
		return model.MailTemplate{}, err
	}
	return Default(kind, locale), nil
}
