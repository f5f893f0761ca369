package model

import (
	"encoding/json"
	"slices"
	"time"
)

// Trigger is the event an automation rule waits for.
type Trigger string

// Triggers.
const (
	TriggerRequestCreated  Trigger = "request.created"
	TriggerRequestUpdated  Trigger = "request.updated"
	TriggerMessageReceived Trigger = "message.received"
	TriggerSLAWarning      Trigger = "sla.warning"
	TriggerSLABreached     Trigger = "sla.breached"
	TriggerRequestIdle     Trigger = "request.idle"
	TriggerDeviceEvent     Trigger = "device.event"
)

// Triggers lists every trigger.
var Triggers = []Trigger{TriggerRequestCreated, TriggerRequestUpdated, TriggerMessageReceived,
	TriggerSLAWarning, TriggerSLABreached, TriggerRequestIdle, TriggerDeviceEvent}

// Valid reports whether t is a known trigger.
func (t Trigger) Valid() bool { return slices.Contains(Triggers, t) }

// Condition operators.
const (
	OpEquals      = "equals"
	OpNotEquals   = "not_equals"
	OpIn          = "in"
	OpContains    = "contains"
	OpGreaterThan = "greater_than"
	OpLessThan    = "less_than"
)

// RuleOps lists every condition operator.
var RuleOps = []string{OpEquals, OpNotEquals, OpIn, OpContains, OpGreaterThan, OpLessThan}

// RuleFields lists the request fields a condition may test; DeviceFields
// are added for device.event.
var RuleFields = []string{"type", "priority", "channel", "status", "category_id", "team_id", "assignee_id",
	"tags", "subject", "customer.tier", "product.category"}

// DeviceFields are the fields of a device event.
var DeviceFields = []string{"code", "value", "count_24h", "serial"}

// RuleCondition is one test {field, op, value}; value is any JSON value
// (a list for "in").
type RuleCondition struct {
	Field string          `json:"field"`
	Op    string          `json:"op"`
	Value json.RawMessage `json:"value"`
}

// RuleConditions match when all of All and at least one of Any hold (an
// empty list holds); empty conditions match everything.
type RuleConditions struct {
	All []RuleCondition `json:"all,omitempty"`
	Any []RuleCondition `json:"any,omitempty"`
}

// Action types.
const (
	ActAssignTeam    = "assign_team"
	ActAssignAgent   = "assign_agent"
	ActSet           = "set"
	ActAddTag        = "add_tag"
	ActNotify        = "notify"
	ActReply         = "reply"
	ActCreateTask    = "create_task"
	ActCreateRequest = "create_request"
)

// ActionTypes lists every action type.
var ActionTypes = []string{ActAssignTeam, ActAssignAgent, ActSet, ActAddTag, ActNotify, ActReply, ActCreateTask,
	ActCreateRequest}

// Assignment strategies of assign_agent.
const (
	StrategyRoundRobin  = "round_robin"
	StrategyLeastLoaded = "least_loaded"
	StrategySkill       = "skill"
)

// SetFields are the fields a "set" action may change.
var SetFields = []string{"priority", "type", "category_id", "tier"}

// RuleAction is one action; which fields matter depends on Type.
type RuleAction struct {
	Type         string `json:"type"`
	TeamID       int64  `json:"team_id,omitempty"`
	Strategy     string `json:"strategy,omitempty"`
	Field        string `json:"field,omitempty"`
	Value        any    `json:"value,omitempty"`
	Tag          string `json:"tag,omitempty"`
	UserID       int64  `json:"user_id,omitempty"`
	Template     string `json:"template,omitempty"`
	Title        string `json:"title,omitempty"`
	DueInMinutes *int   `json:"due_in_minutes,omitempty"`
	RequestType  string `json:"request_type,omitempty"`
	Priority     string `json:"priority,omitempty"`
	// Skill and MinLevel narrow the "skill" strategy (default: the
	// request's product category name, level 1).
	Skill    string `json:"skill,omitempty"`
	MinLevel int    `json:"min_level,omitempty"`
}

// Rule is an automation rule: when Trigger happens and Conditions hold,
// Actions run in order.
type Rule struct {
	ID         int64
	Name       string
	Position   int
	Active     bool
	Trigger    Trigger
	Conditions RuleConditions
	Actions    []RuleAction
	// IdleMinutes is the business minutes without an update after which
	// request.idle fires.
	IdleMinutes *int
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Audited rule changes.
const (
	AuditRuleCreated = "rule.created"
	AuditRuleUpdated = "rule.updated"
	AuditRuleDeleted = "rule.deleted"
)

// Skill is a staff member's qualification (任职资格): a product category,
// a language or a request type, at a level from 1 to 5.
type Skill struct {
	Skill string `json:"skill"`
	Level int    `json:"level"`
}

// DeviceEvent is an event a device reported.
type DeviceEvent struct {
	ID         int64
	Serial     string
	Code       string
	Value      *float64
	At         time.Time
	Device     string
	ReceivedAt time.Time
	// Count24h is the events with this serial and code in the 24 hours up
	// to and including this one.
	Count24h int
}

// RequestTask is a follow-up task on a request.
type RequestTask struct {
	ID        int64
	RequestID int64
	Title     string
	DueAt     *time.Time
	DoneAt    *time.Time
	CreatedBy string
	CreatedAt time.Time
}
