package model

import (
	"slices"
	"time"
)

// MailOutcome is what became of an inbound e-mail. Every message the SMTP
// listener accepts or the IMAP poller fetches is logged with one, so that
// no mail is ever silently lost.
type MailOutcome string

// Mail outcomes. Received is the state between storing a message and
// processing it; Failed messages are retried while attempts remain.
const (
	MailReceived  MailOutcome = "received"
	MailCreated   MailOutcome = "created"    // a new request
	MailAppended  MailOutcome = "appended"   // joined its request
	MailDuplicate MailOutcome = "duplicate"  // its Message-ID was seen before
	MailAutoReply MailOutcome = "auto_reply" // out-of-office and other automatic mail
	MailBounce    MailOutcome = "bounce"     // a delivery-status notification
	MailRejected  MailOutcome = "rejected"   // no usable sender, or too large
	MailFailed    MailOutcome = "failed"     // processing failed; see Reason
)

// MailOutcomes lists every outcome, for filters.
func MailOutcomes() []MailOutcome {
	return []MailOutcome{MailReceived, MailCreated, MailAppended, MailDuplicate, MailAutoReply, MailBounce,
		MailRejected, MailFailed}
}

// Valid reports whether o is a known outcome.
func (o MailOutcome) Valid() bool { return slices.Contains(MailOutcomes(), o) }

// Mail sources.
const (
	MailSourceSMTP = "smtp"
	MailSourceIMAP = "imap"
)

// InboundMail is one row of the inbound mail log. The raw message is read
// separately (it may be megabytes).
type InboundMail struct {
	ID            int64
	ReceivedAt    time.Time
	Source        string // smtp or imap
	EnvelopeFrom  string // SMTP MAIL FROM ("" for the null sender <>)
	MessageID     string // without angle brackets; "" when the mail had none
	From          string // the From address
	Subject       string // decoded, shortened for display
	Outcome       MailOutcome
	Reason        string
	RequestID     *int64
	RequestNumber string // filled on reads when RequestID is set
	Attempts      int
	NextAttemptAt *time.Time
	ProcessedAt   *time.Time
	RawSize       int64
}

// InboundFilter selects inbound mail, newest first.
type InboundFilter struct {
	Outcome MailOutcome
	Limit   int
	Cursor  string
}

// InboundPage is one page of the inbound mail log.
type InboundPage struct {
	Items      []InboundMail
	NextCursor string
}

// EmailBounce records that mail Aftercare sent to a customer's address
// bounced: the address is shown as bouncing on the customer and their
// requests, so that staff reach the customer another way.
type EmailBounce struct {
	CustomerID int64
	Email      string
	Reason     string
	BouncedAt  time.Time
}

// MailJoins reports whether an e-mail reply joins a request in status st.
// A closed or cancelled request takes no more mail: the reply opens a
// follow-up request instead (a resolved one is reopened by the customer's
// reply, a pending one goes back to open).
func MailJoins(st Status) bool { return st != StatusClosed && st != StatusCancelled }
