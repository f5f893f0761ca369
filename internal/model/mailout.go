package model

import (
	"slices"
	"time"
)

// MailKind is what an outbound e-mail is for; each kind has a template
// in every language.
type MailKind string

// Outbound mail kinds. The first six and signup_code go to customers
// (or to someone becoming one), the other four to staff (notifications, each of which a staff user may turn off).
const (
	MailReply            MailKind = "reply"             // an agent's public reply
	MailRequestCreated   MailKind = "request_created"   // the acknowledgement of a new request
	MailStatusChanged    MailKind = "status_changed"    // the request moved (pending, resolved …)
	MailPasswordReset    MailKind = "password_reset"    // a portal password-reset link
	MailSurveyInvitation MailKind = "survey_invitation" // a satisfaction survey link
	MailSurveyReminder   MailKind = "survey_reminder"   // its one reminder
	MailSLAWarning       MailKind = "sla_warning"       // staff: a request's deadline is near
	MailAssigned         MailKind = "assigned"          // staff: a request was assigned to you
	MailMentioned        MailKind = "mentioned"         // staff: you were mentioned
	MailNewReply         MailKind = "new_reply"         // staff: the customer replied on your request
	MailSignupCode       MailKind = "signup_code"       // the verification code of a self-registration
)

// MailKinds lists every kind in the order pages show them.
func MailKinds() []MailKind {
	return []MailKind{MailReply, MailRequestCreated, MailStatusChanged, MailPasswordReset, MailSurveyInvitation,
		MailSurveyReminder, MailSLAWarning, MailAssigned, MailMentioned, MailNewReply, MailSignupCode}
}

// Valid reports whether k is a known kind.
func (k MailKind) Valid() bool { return slices.Contains(MailKinds(), k) }

// NotifyKinds are the staff notifications a user may turn on or off.
func NotifyKinds() []MailKind {
	return []MailKind{MailAssigned, MailMentioned, MailSLAWarning, MailNewReply}
}

// Auto reports whether mail of this kind is sent by a machine rather than
// written by a person: it carries Auto-Submitted: auto-generated.
func (k MailKind) Auto() bool { return k != MailReply }

// OutboundStatus is where an outbound e-mail stands.
type OutboundStatus string

// Outbound statuses.
const (
	OutQueued     OutboundStatus = "queued"     // waiting for the send job (retried with backoff)
	OutSent       OutboundStatus = "sent"       // the relay accepted it
	OutFailed     OutboundStatus = "failed"     // given up; LastError says why
	OutSuppressed OutboundStatus = "suppressed" // not sent: the address bounces
	// OutBounced is a sent mail that came back (a delivery-status
	// notification named it); the row keeps status sent and BouncedAt
	// says when, so State is where this shows.
	OutBounced OutboundStatus = "bounced"
)

// OutboundStatuses lists every status, for filters.
func OutboundStatuses() []OutboundStatus {
	return []OutboundStatus{OutQueued, OutSent, OutFailed, OutSuppressed, OutBounced}
}

// State is where the mail stands as people see it: Status, or bounced
// when a sent mail came back.
func (m *OutboundMail) State() OutboundStatus {
	if m.BouncedAt != nil {
		return OutBounced
	}
	return m.Status
}

// StateAt is when the mail reached its State (queued: when it was
// queued; failed, suppressed: the last change).
func (m *OutboundMail) StateAt() time.Time {
	switch {
	case m.BouncedAt != nil:
		return *m.BouncedAt
	case m.SentAt != nil && m.Status == OutSent:
		return *m.SentAt
	case m.Status == OutQueued:
		return m.CreatedAt
	}
	return m.UpdatedAt
}

// Valid reports whether s is a known status.
func (s OutboundStatus) Valid() bool { return slices.Contains(OutboundStatuses(), s) }

// OutboundMail is one row of the outbound mail log.
type OutboundMail struct {
	ID        int64
	CreatedAt time.Time
	UpdatedAt time.Time
	Kind      MailKind
	Auto      bool
	// Sensitive mail (a password-reset link) has its body hidden from the
	// log and cleared once sent; it cannot be resent.
	Sensitive     bool
	RequestID     *int64
	RequestNumber string // filled on reads when RequestID is set
	CustomerID    *int64
	UserID        *int64
	To            string
	ToName        string
	Locale        string
	Subject       string
	Body          string
	MessageID     string // without angle brackets
	InReplyTo     string
	References    string // space-separated, angle brackets included
	Status        OutboundStatus
	Attempts      int
	LastError     string
	SentAt        *time.Time
	ResendOf      *int64
	// BouncedAt is when a bounce of this mail arrived; BounceReason is
	// the bounce's diagnostic.
	BouncedAt    *time.Time
	BounceReason string
}

// OutboundFilter selects outbound mail, newest first.
type OutboundFilter struct {
	Status    OutboundStatus
	RequestID int64
	Limit     int
	Cursor    string
}

// OutboundPage is one page of the outbound mail log.
type OutboundPage struct {
	Items      []OutboundMail
	NextCursor string
}

// MailTemplate is the subject and body of one kind of mail in one
// language; Custom is false for the built-in text.
type MailTemplate struct {
	Kind      MailKind
	Locale    string
	Subject   string
	Body      string
	Custom    bool
	UpdatedAt *time.Time
}
