// Package webhook runs outgoing webhooks: subscriptions of a URL to event
// types (admin only), the signed delivery of each event with its retries,
// the log of every attempt, and redelivery by hand.
//
// Events are published by the store inside the transaction of the change
// (store.EventSink), so a delivery is queued exactly when the change
// commits; a River job (internal/jobs) then calls Deliver for each
// attempt. Webhook URLs may not reach the server's own network unless
// private addresses are allowed (Guard).
package webhook

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Limits on webhook fields.
const (
	MaxURL         = 2048
	MaxSecret      = 256
	MaxDescription = 200
)

// Options configures a Service.
type Options struct {
	// AllowPrivate lets webhooks reach loopback and private addresses
	// (--webhook-allow-private).
	AllowPrivate bool
	// Resolver looks up host names (nil: the system's).
	Resolver Resolver
	// Timeout bounds each attempt (0: DefaultTimeout).
	Timeout time.Duration
	// Now is the clock of timestamps and the attempt log (nil: time.Now).
	Now    func() time.Time
	Logger *slog.Logger
}

// Service is the webhook domain logic.
type Service struct {
	store   *store.Store
	guard   *Guard
	client  *http.Client
	timeout time.Duration
	now     func() time.Time
	log     *slog.Logger
}

// NewService returns a webhook service on st.
func NewService(st *store.Store, opts Options) *Service {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	g := NewGuard(opts.AllowPrivate, opts.Resolver)
	return &Service{store: st, guard: g, client: newClient(g, opts.Timeout), timeout: opts.Timeout, now: opts.Now,
		log: opts.Logger}
}

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// Input is a new webhook as submitted.
type Input struct {
	URL    string
	Events []string
	// Secret signs every delivery; empty means generate one (returned once
	// by Create).
	Secret      string
	Description string
	// Active defaults to true.
	Active *bool
}

// Create validates and stores a webhook, recording it in the audit log.
// It returns the secret when it generated one: the only time it is shown.
func (s *Service) Create(ctx context.Context, p model.Principal, in Input) (*model.Webhook, string, error) {
	if !p.Can(model.PermWebhookManage) {
		return nil, "", forbidden()
	}
	w := &model.Webhook{Active: in.Active == nil || *in.Active}
	var err error
	if w.Events, err = checkEvents(in.Events); err != nil {
		return nil, "", err
	}
	if w.Description, err = checkDescription(in.Description); err != nil {
		return nil, "", err
	}
	generated := ""
	if in.Secret == "" {
		generated = "whsec_" + rand.Text()
		in.Secret = generated
	}
	if err := checkSecret(in.Secret); err != nil {
		return nil, "", err
	}
	w.Secret = in.Secret
	// The URL last: checking it may take a DNS lookup.
	if w.URL, err = s.checkURL(ctx, in.URL); err != nil {
		return nil, "", err
	}
	if err := s.store.CreateWebhook(ctx, w, model.Audit(ctx, p, model.AuditWebhookCreated, "", "")); err != nil {
		return nil, "", err
	}
	w.Secret = ""
	return w, generated, nil
}

// checkURL returns the URL to store or an error naming the url field.
func (s *Service) checkURL(ctx context.Context, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", model.FieldError("url", "is required")
	}
	if len(raw) > MaxURL {
		return "", model.FieldError("url", "must be at most %d characters", MaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return "", model.FieldError("url", "must be an http:// or https:// URL")
	}
	if u.User != nil {
		return "", model.FieldError("url", "must not contain a user name or password; the signature authenticates deliveries")
	}
	if err := s.guard.Check(ctx, u.Hostname()); err != nil {
		if r, ok := err.(*RefusedError); ok {
			return "", model.FieldError("url", "%s resolves to %s, which is not a public address (loopback, private, link-local …); set --webhook-allow-private to allow it",
				u.Hostname(), r.Addr.String())
		}
		return "", err
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String(), nil
}

// checkEvents returns the event types, without repeats, in the order of
// model.EventTypes, or an error naming the first bad one.
func checkEvents(in []string) ([]model.EventType, error) {
	if len(in) == 0 {
		return nil, model.FieldError("events", "choose at least one event")
	}
	seen := map[model.EventType]bool{}
	for i, e := range in {
		t := model.EventType(strings.TrimSpace(e))
		if !t.Valid() {
			return nil, model.FieldError(fmt.Sprintf("events[%d]", i), "unknown event %q; choose among %s", e, model.EventTypeList())
		}
		seen[t] = true
	}
	var out []model.EventType
	for _, t := range model.EventTypes() {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out, nil
}

func checkSecret(secret string) error {
	switch {
	case strings.TrimSpace(secret) == "":
		return model.FieldError("secret", "must not be blank")
	case len(secret) > MaxSecret:
		return model.FieldError("secret", "must be at most %d characters", MaxSecret)
	}
	return nil
}

func checkDescription(d string) (string, error) {
	d = strings.TrimSpace(d)
	if utf8.RuneCountInString(d) > MaxDescription {
		return "", model.FieldError("description", "must be at most %d characters", MaxDescription)
	}
	return d, nil
}

// Get returns a webhook (never its secret).
func (s *Service) Get(ctx context.Context, p model.Principal, id int64) (*model.Webhook, error) {
	if !p.Can(model.PermWebhookManage) {
		return nil, forbidden()
	}
	return s.store.Webhook(ctx, id)
}

// List returns one page of webhooks, oldest first.
func (s *Service) List(ctx context.Context, p model.Principal, limit int, cursor string) (model.WebhookPage, error) {
	if !p.Can(model.PermWebhookManage) {
		return model.WebhookPage{}, forbidden()
	}
	return s.store.ListWebhooks(ctx, limit, cursor)
}

// PatchInput changes a webhook; nil fields stay as they are.
type PatchInput struct {
	URL         *string
	Events      []string // nil: unchanged
	Secret      *string
	Description *string
	Active      *bool
}

// Update changes a webhook, recording what changed in the audit log (a
// new secret is mentioned, never shown). A new URL is checked like a new
// webhook's.
func (s *Service) Update(ctx context.Context, p model.Principal, id int64, in PatchInput) (*model.Webhook, error) {
	if !p.Can(model.PermWebhookManage) {
		return nil, forbidden()
	}
	patch := model.WebhookPatch{Active: in.Active, Secret: in.Secret}
	if in.Events != nil {
		ev, err := checkEvents(in.Events)
		if err != nil {
			return nil, err
		}
		patch.Events = ev
	}
	if in.Description != nil {
		d, err := checkDescription(*in.Description)
		if err != nil {
			return nil, err
		}
		patch.Description = &d
	}
	if in.Secret != nil {
		if err := checkSecret(*in.Secret); err != nil {
			return nil, err
		}
	}
	if in.URL != nil {
		u, err := s.checkURL(ctx, *in.URL)
		if err != nil {
			return nil, err
		}
		patch.URL = &u
	}
	return s.store.UpdateWebhook(ctx, id, patch, model.Audit(ctx, p, model.AuditWebhookUpdated, "", ""))
}

// Delete removes a webhook with its delivery log, recording it in the
// audit log.
func (s *Service) Delete(ctx context.Context, p model.Principal, id int64) error {
	if !p.Can(model.PermWebhookManage) {
		return forbidden()
	}
	return s.store.DeleteWebhook(ctx, id, model.Audit(ctx, p, model.AuditWebhookDeleted, "", ""))
}

// Attempts returns one page of a webhook's delivery attempts, newest first.
func (s *Service) Attempts(ctx context.Context, p model.Principal, f model.AttemptFilter) (model.AttemptPage, error) {
	if !p.Can(model.PermWebhookManage) {
		return model.AttemptPage{}, forbidden()
	}
	return s.store.ListAttempts(ctx, f)
}

// Recent returns a webhook's newest deliveries with their attempts, for
// the admin page; before pages back (a delivery id, 0 for the newest).
func (s *Service) Recent(ctx context.Context, p model.Principal, id int64, limit int, before int64) ([]model.Delivery, error) {
	if !p.Can(model.PermWebhookManage) {
		return nil, forbidden()
	}
	return s.store.RecentDeliveries(ctx, id, limit, before)
}

// Redeliver queues one more attempt at a delivery, sent once whatever its
// status (for a receiver that was down, or lost what it got).
func (s *Service) Redeliver(ctx context.Context, p model.Principal, webhookID, deliveryID int64) error {
	if !p.Can(model.PermWebhookManage) {
		return forbidden()
	}
	return s.store.Redeliver(ctx, webhookID, deliveryID)
}
