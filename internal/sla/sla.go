// Package sla holds Aftercare's service-level agreements: policies that
// give requests targets in business minutes (matched in order by type,
// priority, channel, customer tier, category and team), customer tiers
// with their published commitments, and each request's live clocks —
// first response, next response, resolution — with their pauses, due
// times, warnings and breaches, and the stored time metrics of
// evaluation.md section 4.
//
// Every due time comes from the one business-time engine,
// internal/calendar. The clocks change inside the transaction of the
// request change that moves them (store hooks), which also schedules the
// request's timer (a River job at its nearest warning or due instant,
// which leaves one for the next instant when it fires; see
// internal/jobs); a timer or the sweeper records a warning or breach
// exactly once.
package sla

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/calendar"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Scheduler inserts a request's timer job, due at at, in the caller's
// transaction q, so that it exists exactly when the change that moved the
// clocks commits; the job calls Service.FireRequest. Timers with the same
// request and instant are one job. internal/jobs implements it.
type Scheduler interface {
	ScheduleSLA(ctx context.Context, q store.Querier, requestID int64, at time.Time) error
}

// Service is the SLA domain logic.
type Service struct {
	store *store.Store
	cals  *calendar.Service
	jobs  Scheduler
	log   *slog.Logger
	// alertHooks run when a warning or breach is recorded.
	alertHooks []AlertHook
	// engines are the calendars compiled so far (engine.go).
	engines engineCache
	// policyCache keeps the policies by their version (policy_cache.go).
	policyCache policyCache
	// horizon is how far ahead a change schedules an instant's timer
	// (ahead.go; 0: DefaultTimerHorizon).
	horizon time.Duration
}

// Alert is a warning or breach just recorded, once: the SLA warning
// notification and the sla.warning / sla.breached rules act on it.
type Alert struct {
	RequestID int64
	Clock     model.ClockKind
	Alert     model.SLAAlert
	DueAt     time.Time
}

// AlertHook runs in the transaction that records an alert; an error
// rolls the record back (the timer retries).
type AlertHook func(ctx context.Context, q store.Querier, a Alert) error

// OnAlert registers h for every warning and breach recorded; register
// while the app is assembled, before timers run.
func (s *Service) OnAlert(h AlertHook) { s.alertHooks = append(s.alertHooks, h) }

// New returns the SLA service. It moves clocks only once Start has hooked
// it into request changes.
func New(st *store.Store, cals *calendar.Service, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: st, cals: cals, log: log}
}

// Start hooks the service into request changes (created, status changed,
// message added, priority, category or team changed) with jobs as the timers' scheduler (nil: no timers, the
// sweeper alone records breaches). The command-line tools never call it.
func (s *Service) Start(jobs Scheduler) {
	s.jobs = jobs
	s.store.OnRequestCreated(s.onCreate)
	s.store.OnStatusChange(s.onStatus)
	s.store.OnMessage(s.onMessage)
	s.store.OnRequestPatched(s.onPatch)
}

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// PolicyInput is a policy as an admin gives it.
type PolicyInput struct {
	Name                 string
	Position             int
	Conditions           model.SLAConditions
	CalendarID           int64
	FirstResponseMinutes int
	NextResponseMinutes  *int
	ResolutionMinutes    int
	PauseStatuses        []model.Status // nil: pending
	WarnBeforeMinutes    *int
}

// validate checks a policy; errors name the API's field.
func validate(in PolicyInput) (*model.SLAPolicy, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" || len([]rune(name)) > 200 {
		return nil, model.FieldError("name", "must be 1 to 200 characters")
	}
	if in.Position < 0 || in.Position > 1_000_000 {
		return nil, model.FieldError("position", "must be between 0 and 1000000")
	}
	c := in.Conditions
	c.Tier = strings.TrimSpace(c.Tier)
	switch {
	case c.Type != "" && !c.Type.Valid():
		return nil, model.FieldError("conditions.type", "unknown request type %q", c.Type)
	case c.Priority != "" && !c.Priority.Valid():
		return nil, model.FieldError("conditions.priority", "The policy's priority condition names an unknown priority, “%s”.", c.Priority)
	case c.Channel != "" && !c.Channel.Valid():
		return nil, model.FieldError("conditions.channel", "unknown channel %q", c.Channel)
	case c.CategoryID < 0:
		return nil, model.FieldError("conditions.category_id", "must be a category id")
	case c.TeamID < 0:
		return nil, model.FieldError("conditions.team_id", "must be a team id")
	case in.CalendarID <= 0:
		return nil, model.FieldError("calendar_id", "is required")
	}
	target := func(field string, v int) error {
		if v < 0 || v > calendar.MaxTargetMinutes {
			return model.FieldError(field, "must be between 0 and %d business minutes", calendar.MaxTargetMinutes)
		}
		return nil
	}
	if err := target("first_response_minutes", in.FirstResponseMinutes); err != nil {
		return nil, err
	}
	if err := target("resolution_minutes", in.ResolutionMinutes); err != nil {
		return nil, err
	}
	if in.NextResponseMinutes != nil {
		if err := target("next_response_minutes", *in.NextResponseMinutes); err != nil {
			return nil, err
		}
	}
	if in.WarnBeforeMinutes != nil {
		if err := target("warn_before_minutes", *in.WarnBeforeMinutes); err != nil {
			return nil, err
		}
	}
	pauses := in.PauseStatuses
	if pauses == nil {
		pauses = []model.Status{model.StatusPending}
	}
	var ps []model.Status
	for i, st := range pauses {
		switch {
		case !st.Valid():
			return nil, model.FieldError(fmt.Sprintf("pause_statuses[%d]", i), "The pause statuses name an unknown status, “%s”.", st)
		case st == model.StatusNew || st == model.StatusOpen || st == model.StatusResolved ||
			st == model.StatusClosed || st == model.StatusCancelled:
			return nil, model.FieldError(fmt.Sprintf("pause_statuses[%d]", i), "%s cannot pause the clock (pending and on_hold can)", st)
		}
		if !slices.Contains(ps, st) {
			ps = append(ps, st)
		}
	}
	if ps == nil {
		ps = []model.Status{}
	}
	return &model.SLAPolicy{Name: name, Position: in.Position, Conditions: c, CalendarID: in.CalendarID,
		FirstResponseMinutes: in.FirstResponseMinutes, NextResponseMinutes: in.NextResponseMinutes,
		ResolutionMinutes: in.ResolutionMinutes, PauseStatuses: ps, WarnBeforeMinutes: in.WarnBeforeMinutes}, nil
}

// CreatePolicy validates and stores a policy (model.PermSLAManage).
func (s *Service) CreatePolicy(ctx context.Context, p model.Principal, in PolicyInput) (*model.SLAPolicy, error) {
	if !p.Can(model.PermSLAManage) {
		return nil, forbidden()
	}
	pol, err := validate(in)
	if err != nil {
		return nil, err
	}
	err = s.store.CreateSLAPolicy(ctx, pol, model.Audit(ctx, p, model.AuditSLAPolicyCreated, "", describe(pol)))
	return pol, err
}

// UpdatePolicy replaces policy id with in when version (if not 0) is the
// one stored (model.PermSLAManage). Requests keep the targets they got.
func (s *Service) UpdatePolicy(ctx context.Context, p model.Principal, id, version int64, in PolicyInput) (*model.SLAPolicy, error) {
	if !p.Can(model.PermSLAManage) {
		return nil, forbidden()
	}
	cur, err := s.store.SLAPolicyByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && version != cur.Version {
		return nil, model.StaleVersion(cur.Version, "the SLA policy was changed meanwhile by someone else; reload it and make your change again")
	}
	pol, err := validate(in)
	if err != nil {
		return nil, err
	}
	pol.ID, pol.Version, pol.CreatedAt = cur.ID, cur.Version, cur.CreatedAt
	err = s.store.UpdateSLAPolicy(ctx, pol, model.Audit(ctx, p, model.AuditSLAPolicyUpdated, "", describe(pol)))
	return pol, err
}

// PolicyToInput returns the input that gives pol (for partial updates).
func PolicyToInput(pol *model.SLAPolicy) PolicyInput {
	return PolicyInput{Name: pol.Name, Position: pol.Position, Conditions: pol.Conditions, CalendarID: pol.CalendarID,
		FirstResponseMinutes: pol.FirstResponseMinutes, NextResponseMinutes: pol.NextResponseMinutes,
		ResolutionMinutes: pol.ResolutionMinutes, PauseStatuses: pol.PauseStatuses, WarnBeforeMinutes: pol.WarnBeforeMinutes}
}

// DeletePolicy removes a policy (model.PermSLAManage).
func (s *Service) DeletePolicy(ctx context.Context, p model.Principal, id int64) error {
	if !p.Can(model.PermSLAManage) {
		return forbidden()
	}
	return s.store.DeleteSLAPolicy(ctx, id, model.Audit(ctx, p, model.AuditSLAPolicyDeleted, "", ""))
}

// Policy returns one policy (model.PermSLARead).
func (s *Service) Policy(ctx context.Context, p model.Principal, id int64) (*model.SLAPolicy, error) {
	if !p.Can(model.PermSLARead) {
		return nil, forbidden()
	}
	return s.store.SLAPolicyByID(ctx, id)
}

// Policies returns every policy in matching order (model.PermSLARead).
func (s *Service) Policies(ctx context.Context, p model.Principal) ([]model.SLAPolicy, error) {
	if !p.Can(model.PermSLARead) {
		return nil, forbidden()
	}
	return s.store.SLAPolicies(ctx, nil)
}

func describe(p *model.SLAPolicy) string {
	d := fmt.Sprintf("position %d; calendar %d; first response %d min, resolution %d min", p.Position, p.CalendarID,
		p.FirstResponseMinutes, p.ResolutionMinutes)
	if p.NextResponseMinutes != nil {
		d += fmt.Sprintf(", next response %d min", *p.NextResponseMinutes)
	}
	return d
}

// Tiers returns the customer tiers; anyone signed in may read them (the
// portal publishes their commitments).
func (s *Service) Tiers(ctx context.Context) ([]model.Tier, error) { return s.store.Tiers(ctx) }

// SaveTier creates or replaces a tier (model.PermSLAManage).
func (s *Service) SaveTier(ctx context.Context, p model.Principal, t model.Tier) (*model.Tier, error) {
	if !p.Can(model.PermSLAManage) {
		return nil, forbidden()
	}
	t.Key = strings.TrimSpace(t.Key)
	t.Name = strings.TrimSpace(t.Name)
	t.NameZH = strings.TrimSpace(t.NameZH)
	if !validKey(t.Key) {
		return nil, model.FieldError("key", "must be 1 to 40 lower-case letters, digits, - or _")
	}
	if t.Name == "" || len([]rune(t.Name)) > 100 {
		return nil, model.FieldError("name", "must be 1 to 100 characters")
	}
	if len([]rune(t.NameZH)) > 100 {
		return nil, model.FieldError("name_zh", "must be at most 100 characters")
	}
	for _, c := range []struct {
		field string
		v     *int
	}{{"response_minutes", t.ResponseMinutes}, {"resolution_minutes", t.ResolutionMinutes}} {
		if c.v != nil && (*c.v < 0 || *c.v > calendar.MaxTargetMinutes) {
			return nil, model.FieldError(c.field, "must be between 0 and %d", calendar.MaxTargetMinutes)
		}
	}
	if len(t.Compensation) > 2000 || len(t.CompensationZH) > 2000 {
		return nil, model.FieldError("compensation", "must be at most 2000 bytes")
	}
	if err := s.store.SaveTier(ctx, &t, model.Audit(ctx, p, model.AuditTierSaved, "", t.Name)); err != nil {
		return nil, err
	}
	return &t, nil
}

// DeleteTier removes a tier nobody uses (model.PermSLAManage).
func (s *Service) DeleteTier(ctx context.Context, p model.Principal, key string) error {
	if !p.Can(model.PermSLAManage) {
		return forbidden()
	}
	return s.store.DeleteTier(ctx, key, model.Audit(ctx, p, model.AuditTierDeleted, "", ""))
}

// SetCustomerTier gives a customer a tier, "" for none
// (model.PermCustomerTier). New requests match policies by it.
func (s *Service) SetCustomerTier(ctx context.Context, p model.Principal, customerID int64, tier string) error {
	if !p.Can(model.PermCustomerTier) {
		return forbidden()
	}
	return s.store.SetCustomerTier(ctx, customerID, strings.TrimSpace(tier), model.Audit(ctx, p, model.AuditCustomerTierSet, "", ""))
}

func validKey(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// now is the store's clock (tests move it).
func (s *Service) now() time.Time { return s.store.Now() }
