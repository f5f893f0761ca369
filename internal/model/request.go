package model

import (
	"slices"
	"time"
)

// RequestType is what the customer needs.
type RequestType string

// Request types.
const (
	TypeRepair       RequestType = "repair"
	TypeReturn       RequestType = "return"
	TypeExchange     RequestType = "exchange"
	TypeRefund       RequestType = "refund"
	TypeSupport      RequestType = "support"
	TypeInstallation RequestType = "installation"
	TypeMaintenance  RequestType = "maintenance"
	TypeComplaint    RequestType = "complaint"
	TypeInquiry      RequestType = "inquiry"
)

// RequestTypes lists every request type.
var RequestTypes = []RequestType{TypeRepair, TypeReturn, TypeExchange, TypeRefund, TypeSupport,
	TypeInstallation, TypeMaintenance, TypeComplaint, TypeInquiry}

// Valid reports whether t is a known type.
func (t RequestType) Valid() bool { return slices.Contains(RequestTypes, t) }

// Channel is where a request or message came from.
type Channel string

// Channels.
const (
	ChannelWeb    Channel = "web"
	ChannelEmail  Channel = "email"
	ChannelPhone  Channel = "phone"
	ChannelAPI    Channel = "api"
	ChannelDevice Channel = "device"
)

// Channels lists every channel.
var Channels = []Channel{ChannelWeb, ChannelEmail, ChannelPhone, ChannelAPI, ChannelDevice}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Priority orders work in the queue.
type Priority string

// Priorities, lowest first.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists every priority, lowest first.
var Priorities = []Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool { return slices.Contains(Priorities, p) }

// Rank returns 0 for low … 3 for urgent; used for sorting.
func (p Priority) Rank() int { return slices.Index(Priorities, p) }

// Status is where a request stands in its workflow.
type Status string

// Statuses.
const (
	StatusNew       Status = "new"
	StatusOpen      Status = "open"
	StatusPending   Status = "pending"
	StatusOnHold    Status = "on_hold"
	StatusResolved  Status = "resolved"
	StatusClosed    Status = "closed"
	StatusCancelled Status = "cancelled"
)

// Statuses lists every status in workflow order.
var Statuses = []Status{StatusNew, StatusOpen, StatusPending, StatusOnHold, StatusResolved,
	StatusClosed, StatusCancelled}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// transitions is the workflow: from → allowed targets.
var transitions = map[Status][]Status{
	StatusNew:      {StatusOpen, StatusPending, StatusResolved, StatusCancelled},
	StatusOpen:     {StatusPending, StatusOnHold, StatusResolved, StatusCancelled},
	StatusPending:  {StatusOpen, StatusResolved, StatusCancelled},
	StatusOnHold:   {StatusOpen, StatusResolved, StatusCancelled},
	StatusResolved: {StatusClosed, StatusOpen},
	StatusClosed:   {StatusOpen},
	// Staff may take a cancelled request back (a mistaken cancel);
	// customers cannot (request.Service).
	StatusCancelled: {StatusOpen},
}

// CanTransition reports whether the workflow allows from → to. Reopening a
// closed request is further limited by a configurable period, which the
// caller checks (see request.Service).
func CanTransition(from, to Status) bool { return slices.Contains(transitions[from], to) }

// NextStatuses returns the statuses reachable from s.
func NextStatuses(s Status) []Status { return slices.Clone(transitions[s]) }

// IsReopen reports whether from → to is a reopen.
func IsReopen(from, to Status) bool {
	return to == StatusOpen && (from == StatusResolved || from == StatusClosed)
}

// Request is a service request (工单).
type Request struct {
	ID          int64
	Number      string // SR-2026-000123
	Type        RequestType
	Status      Status
	Priority    Priority
	Channel     Channel
	Subject     string
	Description string
	CustomerID  int64
	UnitID      *int64
	Serial      string // filled on reads when UnitID is set
	CategoryID  *int64
	AssigneeID  *int64
	TeamID      *int64
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ResolvedAt  *time.Time
	ClosedAt    *time.Time
	// SLADueAt is the nearest due time of the request's open SLA clocks
	// (nil: none running, or paused).
	SLADueAt *time.Time
	// Tags are the request's tags, sorted (filled on reads).
	Tags []string
	// MergedIntoID is the request this one was merged into (closed as a
	// duplicate); MergedInto is its number, filled by RequestByNumber.
	MergedIntoID *int64
	MergedInto   string
	// Filled on reads for display.
	CustomerName string
	AssigneeName string
	TeamName     string
}

// Visibility of a message.
type Visibility string

// Visibilities.
const (
	VisibilityPublic   Visibility = "public"
	VisibilityInternal Visibility = "internal"
)

// Valid reports whether v is known.
func (v Visibility) Valid() bool { return v == VisibilityPublic || v == VisibilityInternal }

// AuthorKind tells who wrote a message.
type AuthorKind string

// Author kinds.
const (
	AuthorStaff    AuthorKind = "staff"
	AuthorCustomer AuthorKind = "customer"
	AuthorSystem   AuthorKind = "system"
)

// Message is a public reply or internal note on a request.
type Message struct {
	ID          int64
	RequestID   int64
	AuthorKind  AuthorKind
	AuthorID    *int64
	AuthorName  string
	Visibility  Visibility
	Channel     Channel
	Body        string
	CreatedAt   time.Time
	Attachments []Attachment
}

// Attachment is a file attached to a message (or to a request before a
// message exists). Content lives under the data directory.
type Attachment struct {
	ID          int64
	RequestID   int64
	MessageID   *int64
	Filename    string
	ContentType string
	Size        int64
	SHA256      string
	Path        string `json:"-"` // relative to the attachments directory
	CreatedAt   time.Time
	// UploaderKind and UploaderID say who uploaded the file: a customer
	// may download and link only its own uploads (and files on public
	// messages).
	UploaderKind AuthorKind
	UploaderID   *int64
}

// Event is one entry of a request's append-only timeline.
type Event struct {
	ID        int64
	RequestID int64
	ActorKind AuthorKind
	ActorID   *int64
	ActorName string
	Channel   Channel
	Kind      string // created, status, priority, assignee, team, category, message, note, attachment
	OldValue  string
	NewValue  string
	CreatedAt time.Time
}

// RequestFilter selects requests for queues and lists. Zero fields do not
// filter.
type RequestFilter struct {
	Statuses   []Status
	Type       RequestType
	Priority   Priority
	CustomerID int64
	AssigneeID int64
	TeamID     int64
	Unassigned bool
	// Tag keeps requests carrying this (normalised) tag.
	Tag   string
	Query string // search: the request number, or words of the search index (ranked)
	// SearchPublic keeps internal notes out of the search (customers).
	SearchPublic bool
	Sort         string // "created" (newest first, default), "updated", "priority", "due" (nearest SLA due first)
	// DueBefore keeps requests with an open SLA clock due before it.
	DueBefore *time.Time
	// DueAfter keeps requests whose nearest open SLA due time is after it.
	DueAfter *time.Time
	Limit    int
	Cursor   string // opaque, from the previous or the next page
	// CountUpTo, when positive, asks for RequestPage.Count: the matches
	// are counted up to this many (a count stays cheap at any size).
	CountUpTo int
}

// RequestPage is one page of a keyset-paginated list.
type RequestPage struct {
	Items      []Request
	NextCursor string
	// PrevCursor leads to the page before this one; "" on the first page.
	PrevCursor string
	// Count is how many requests match (when the filter asked for it);
	// CountMore says there are more than Count (it reached CountUpTo).
	Count     int
	CountMore bool
}

// RequestPatch changes fields of a request. Nil fields are left alone; a
// pointer to 0 clears an optional reference.
type RequestPatch struct {
	Priority   *Priority
	CategoryID *int64
	AssigneeID *int64
	TeamID     *int64
	Version    int64
}

// Live event types, as server-sent events name them.
const (
	LiveRequestUpdated = "request.updated" // a request changed (fields, status, messages, tags)
	LiveRequestTyping  = "request.typing"  // a staff user is writing a reply (staff only)
	LiveInboxChanged   = "inbox.changed"   // a staff user's notifications changed (that user only)
)

// LiveEvent tells open pages that a request changed or that someone is
// replying to it. It carries no content: a page that cares reloads what
// it shows, with its own permissions.
type LiveEvent struct {
	Type       string
	Number     string
	RequestID  int64
	CustomerID int64 // whose request: customers hear only of their own
	ByKind     AuthorKind
	ByID       int64
	ByName     string
	At         time.Time
	// StaffOnly marks a change customers do not see (an internal note).
	StaffOnly bool
	// UserID is, for LiveInboxChanged, the one staff user who hears it,
	// and Unread their unread count after the change (for the header).
	UserID int64 `json:",omitempty"`
	Unread int   `json:",omitempty"`
}
