package model

import (
	"strings"
	"time"
)

// EventType names a change that other systems (an order system, a CRM, a
// chat bot) can subscribe to with an outgoing webhook.
type EventType string

// Event types. Request and message events are published today; the SLA,
// repair and survey events are accepted in subscriptions so that
// receivers can subscribe ahead, and are published by those capabilities
// through the same seam (the store's publish, inside the transaction of
// the change).
const (
	EventRequestCreated       EventType = "request.created"
	EventRequestUpdated       EventType = "request.updated"
	EventRequestStatusChanged EventType = "request.status_changed"
	EventMessageCreated       EventType = "message.created"
	EventSLAWarning           EventType = "sla.warning"
	EventSLABreached          EventType = "sla.breached"
	EventRepairStageChanged   EventType = "repair.stage_changed"
	EventSurveyAnswered       EventType = "survey.answered"
)

// EventTypes lists every event type a webhook may subscribe to, in the
// order forms and documents show them.
func EventTypes() []EventType {
	return []EventType{EventRequestCreated, EventRequestUpdated, EventRequestStatusChanged, EventMessageCreated,
		EventSLAWarning, EventSLABreached, EventRepairStageChanged, EventSurveyAnswered}
}

// EventTypeList is the event types joined with ", ", for error messages
// and documentation.
func EventTypeList() string {
	names := make([]string, 0, 8)
	for _, e := range EventTypes() {
		names = append(names, string(e))
	}
	return strings.Join(names, ", ")
}

// Valid reports whether e is a known event type.
func (e EventType) Valid() bool {
	for _, x := range EventTypes() {
		if x == e {
			return true
		}
	}
	return false
}

// DomainEvent is a change published to webhook subscribers. It is
// published inside the transaction that makes the change, so that a
// delivery exists exactly when the change commits. The fields its type
// needs are set; the payload renders them as the API shows them.
type DomainEvent struct {
	Type EventType
	At   time.Time
	// Request is the request after the change (every request.* and
	// message.* event).
	Request *Request
	// Message is the new public message (message.created). Internal notes
	// publish nothing.
	Message *Message
	// From and To are the statuses of request.status_changed.
	From, To Status
	// Changes are the fields request.updated changed.
	Changes []FieldChange
	// SLAClock and SLADueAt are the clock and its due time of sla.warning
	// and sla.breached.
	SLAClock string
	SLADueAt time.Time
	// Data is the payload of events whose subject has no field above
	// (later capabilities); it is rendered as JSON as it is.
	Data any
}

// FieldChange is one field a request.updated event changed; references
// are ids as text, "" for none.
type FieldChange struct {
	Field    string
	From, To string
}

// Webhook is a subscription of a URL to event types. Its secret signs
// every delivery; it is kept to sign, and never shown after creation.
type Webhook struct {
	ID          int64
	URL         string
	Events      []EventType
	Description string
	Active      bool
	// Secret is set when creating and when sending; lists and pages never
	// read it.
	Secret    string
	CreatedAt time.Time
	UpdatedAt time.Time
	// LastStatus and LastAt summarise the newest delivery ("" and nil when
	// there is none yet).
	LastStatus DeliveryStatus
	LastAt     *time.Time
}

// WebhookPatch changes a webhook; nil fields stay as they are.
type WebhookPatch struct {
	URL         *string
	Events      []EventType // nil: unchanged
	Secret      *string
	Description *string
	Active      *bool
}

// DeliveryStatus is where a delivery stands.
type DeliveryStatus string

// Delivery statuses.
const (
	// DeliveryPending: queued, or failed and waiting for its next attempt.
	DeliveryPending DeliveryStatus = "pending"
	// DeliveryDelivered: the last attempt got a 2xx answer.
	DeliveryDelivered DeliveryStatus = "delivered"
	// DeliveryFailed: every attempt failed; only a redelivery sends it again.
	DeliveryFailed DeliveryStatus = "failed"
)

// Delivery is one event sent (or to be sent) to one webhook. Retries and
// redeliveries are attempts of the same delivery and carry its id in
// X-Aftercare-Delivery, so a receiver can recognise a repeat.
type Delivery struct {
	ID             int64
	WebhookID      int64
	EventID        int64
	Event          EventType
	Status         DeliveryStatus
	Attempts       int
	LastStatusCode *int
	LastError      string
	NextAttemptAt  *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	// AttemptLog is filled by the queries that say so, newest first.
	AttemptLog []DeliveryAttempt
}

// AttemptError classifies why an attempt failed, for people reading the
// log in their language; the Error text keeps the details.
type AttemptError string

// Attempt errors.
const (
	AttemptOK      AttemptError = ""        // a 2xx answer
	AttemptStatus  AttemptError = "status"  // an answer that is not 2xx (redirects included: never followed)
	AttemptTimeout AttemptError = "timeout" // no answer in time
	AttemptRefused AttemptError = "refused" // the address is loopback, private or otherwise not allowed
	AttemptConnect AttemptError = "connect" // the connection (DNS, TCP, TLS) failed
	AttemptPaused  AttemptError = "paused"  // not sent: the webhook is paused
)

// DeliveryAttempt is one try at sending a delivery, kept for people to see.
type DeliveryAttempt struct {
	ID         int64
	DeliveryID int64
	WebhookID  int64
	Event      EventType
	// Attempt counts from 1 over the delivery's life, retries and
	// redeliveries alike.
	Attempt int
	// Manual is set for redeliveries asked for by hand.
	Manual     bool
	StatusCode *int
	ErrorKind  AttemptError
	Error      string
	At         time.Time
	Duration   time.Duration
}

// OK reports whether the attempt got a 2xx answer.
func (a DeliveryAttempt) OK() bool {
	return a.ErrorKind == AttemptOK && a.StatusCode != nil && *a.StatusCode >= 200 && *a.StatusCode < 300
}

// Outbound is what a delivery attempt needs: where to, the secret, and
// the event to put in the body.
type Outbound struct {
	DeliveryID int64
	WebhookID  int64
	URL        string
	Secret     string
	Active     bool
	Status     DeliveryStatus
	EventID    int64
	Event      EventType
	OccurredAt time.Time
	// Data is the event's JSON data as published.
	Data []byte
}

// AttemptFilter selects delivery attempts of one webhook, newest first.
type AttemptFilter struct {
	WebhookID  int64
	DeliveryID int64 // 0: every delivery
	Limit      int
	Cursor     string
}

// AttemptPage is one page of delivery attempts.
type AttemptPage struct {
	Items      []DeliveryAttempt
	NextCursor string
}

// WebhookPage is one page of webhooks, oldest first.
type WebhookPage struct {
	Items      []Webhook
	NextCursor string
}
