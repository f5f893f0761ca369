package model

import (
	"slices"
	"time"
)

// Audited SLA actions: policies and tiers decide every customer's promised
// times.
const (
	AuditSLAPolicyCreated = "sla_policy.created"
	AuditSLAPolicyUpdated = "sla_policy.updated"
	AuditSLAPolicyDeleted = "sla_policy.deleted"
	AuditTierSaved        = "tier.saved"
	AuditTierDeleted      = "tier.deleted"
	AuditCustomerTierSet  = "customer.tier_set"
)

// ClockKind names one of a request's SLA clocks.
type ClockKind string

// SLA clocks.
const (
	ClockFirstResponse ClockKind = "first_response"
	ClockNextResponse  ClockKind = "next_response"
	ClockResolution    ClockKind = "resolution"
)

// ClockKinds lists the clocks in display order.
var ClockKinds = []ClockKind{ClockFirstResponse, ClockNextResponse, ClockResolution}

// Valid reports whether k is a known clock.
func (k ClockKind) Valid() bool { return slices.Contains(ClockKinds, k) }

// SLAAlert is what a timer records: the warning before a due time, or the
// breach at it.
type SLAAlert string

// Alerts.
const (
	AlertWarning SLAAlert = "warning"
	AlertBreach  SLAAlert = "breach"
)

// SLAConditions select the requests a policy applies to; an empty field
// matches everything, so a policy without conditions is a catch-all.
type SLAConditions struct {
	Type       RequestType `json:"type,omitempty"`
	Priority   Priority    `json:"priority,omitempty"`
	Channel    Channel     `json:"channel,omitempty"`
	Tier       string      `json:"tier,omitempty"`
	CategoryID int64       `json:"category_id,omitempty"`
	TeamID     int64       `json:"team_id,omitempty"`
}

// SLASubject is what a policy's conditions look at.
type SLASubject struct {
	Type       RequestType
	Priority   Priority
	Channel    Channel
	Tier       string
	CategoryID *int64
	TeamID     *int64
}

// Matches reports whether the conditions hold for r.
func (c SLAConditions) Matches(r SLASubject) bool {
	eq := func(p *int64, want int64) bool { return want == 0 || (p != nil && *p == want) }
	return (c.Type == "" || c.Type == r.Type) && (c.Priority == "" || c.Priority == r.Priority) &&
		(c.Channel == "" || c.Channel == r.Channel) && (c.Tier == "" || c.Tier == r.Tier) &&
		eq(r.CategoryID, c.CategoryID) && eq(r.TeamID, c.TeamID)
}

// SLAPolicy holds targets in business minutes of a calendar for the
// requests its conditions select; the first policy by Position (then id)
// whose conditions match applies.
type SLAPolicy struct {
	ID                   int64
	Name                 string
	Position             int
	Conditions           SLAConditions
	CalendarID           int64
	FirstResponseMinutes int
	NextResponseMinutes  *int
	ResolutionMinutes    int
	// PauseStatuses stop the clocks while the request is in them
	// (default: pending).
	PauseStatuses     []Status
	WarnBeforeMinutes *int
	Version           int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Tier is a customer tier (basic, standard, premium, …): the key SLA
// policies match on, and the commitments published on the portal.
type Tier struct {
	Key               string
	Name, NameZH      string
	Position          int
	ResponseMinutes   *int // promised first response, in business minutes
	ResolutionMinutes *int // promised resolution
	// Compensation says what the customer gets when a promise is broken.
	Compensation, CompensationZH string
	CreatedAt, UpdatedAt         time.Time
}

// SLAClock is one of a request's clocks as it stands.
type SLAClock struct {
	Kind          ClockKind
	Cycle         int // next_response counts its rounds
	StartedAt     time.Time
	TargetMinutes int
	DueAt         *time.Time // nil while paused
	WarnAt        *time.Time
	MetAt         *time.Time
	StoppedAt     *time.Time // the request was cancelled with the clock running
}

// Breached reports whether the clock missed its due time by now: met
// after it, or still running past it.
func (c SLAClock) Breached(now time.Time) bool {
	if c.DueAt == nil {
		return false
	}
	if c.MetAt != nil {
		return c.MetAt.After(*c.DueAt)
	}
	return c.StoppedAt == nil && !now.Before(*c.DueAt)
}

// Open reports whether the clock still runs (or stands paused).
func (c SLAClock) Open() bool { return c.MetAt == nil && c.StoppedAt == nil }

// RequestSLA is a request's SLA state and its stored time metrics
// (evaluation.md section 4). Business times are counted in CalendarID's
// working time (nil: no calendar, so no business times).
type RequestSLA struct {
	RequestID   int64
	PolicyID    *int64
	PolicyName  string
	Tier        string // the customer's tier when the request was created
	CalendarID  *int64
	PausedSince *time.Time
	Clocks      []SLAClock
	// PauseStatuses and the warning lead copied from the policy.
	PauseStatuses       []Status
	WarnBeforeMinutes   *int
	NextResponseMinutes *int
	Metrics             SLAMetrics
}

// Clock returns the clock of kind k, or nil.
func (r *RequestSLA) Clock(k ClockKind) *SLAClock {
	for i := range r.Clocks {
		if r.Clocks[i].Kind == k {
			return &r.Clocks[i]
		}
	}
	return nil
}

// Pauses reports whether status stops the request's clocks.
func (r *RequestSLA) Pauses(status Status) bool { return slices.Contains(r.PauseStatuses, status) }

// SLAMetrics are a request's stored time metrics: first response, first
// and full (last) resolution from creation, in business seconds (working
// time of the calendar, pauses included, as evaluation.md defines them)
// and calendar seconds; time paused in both.
type SLAMetrics struct {
	FirstResponseAt         *time.Time
	FirstResponseBusiness   *float64
	FirstResponseCalendar   *float64
	FirstResolvedAt         *time.Time
	FirstResolutionBusiness *float64
	FirstResolutionCalendar *float64
	LastResolvedAt          *time.Time
	FullResolutionBusiness  *float64
	FullResolutionCalendar  *float64
	PausedBusiness          float64
	PausedCalendar          float64
}

// SLAPause is a stretch in which a request's clocks stood still; To is
// nil while it lasts.
type SLAPause struct {
	From time.Time
	To   *time.Time
}

// SLADue is a request whose nearest open due time is DueAt (the agent
// console's "breaching soon").
type SLADue struct {
	RequestID int64
	Number    string
	Subject   string
	Status    Status
	DueAt     time.Time
}
