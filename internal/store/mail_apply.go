package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// Message-ID directions in mail_message_ids.
const (
	MailIn  = "in"  // received by Aftercare
	MailOut = "out" // sent by Aftercare
)

// InboundSender is who wrote an inbound e-mail.
type InboundSender struct {
	Email  string // lower-case address
	Name   string // display name, or the address's local part
	Locale string // for a customer created from this mail
}

// InboundPlan is what to do with one processed inbound message, applied
// in one transaction by ApplyInbound.
type InboundPlan struct {
	InboundID int64
	// Outcome is created (meaning: create or join, see ThreadRequestID),
	// or one that writes nothing but the log: duplicate, auto_reply,
	// rejected. Bounces use Bounce instead.
	Outcome model.MailOutcome
	Reason  string
	// MessageID is recorded with the request, so that replies thread to
	// it and the same message is a duplicate next time.
	MessageID string
	Sender    InboundSender
	// ThreadRequestID is the request the mail replies to (0: none).
	ThreadRequestID int64
	// Subject, Body and Type make a new request; Body is also the message.
	Subject string
	Body    string
	Type    model.RequestType
	Files   []*model.Attachment
	Limits  UploadLimits
	// Bounce, when set, records a delivery-status notification.
	Bounce *BounceReport
}

// BounceReport is what a delivery-status notification says.
type BounceReport struct {
	// OriginalIDs are the Message-IDs the bounce names (the mail that
	// could not be delivered).
	OriginalIDs []string
	// Recipients are the addresses that failed (Final-Recipient).
	Recipients []string
	// Permanent is true for a failure (5.x.x, Action: failed), false for a
	// delay or an unclear report.
	Permanent  bool
	Diagnostic string
}

// InboundResult is what ApplyInbound did.
type InboundResult struct {
	Outcome       model.MailOutcome
	RequestID     int64
	RequestNumber string
	Reason        string
}

// ErrProcessed is returned by ApplyInbound when the message was already
// processed (by another node, or an earlier attempt that committed).
var ErrProcessed = errors.New("mail: message already processed")

// ErrMessageIDRace is returned by ApplyInbound when a concurrent
// transaction recorded the same Message-ID first; trying again finds the
// message a duplicate.
var ErrMessageIDRace = errors.New("mail: Message-ID recorded concurrently")

// ApplyInbound records the outcome of an inbound message, and what it
// does, in one transaction with the log row (locked, so that a message is
// applied once however many nodes process it): a new request with the
// mail as its first message, or the mail appended to its request, with
// its files and its Message-ID; the sender becomes a customer if no
// customer has the address. A reply joins ThreadRequestID unless that
// request is closed or cancelled (model.MailJoins): then it opens a
// follow-up request. The reply is public, from the customer, when the
// sender is the request's customer, and otherwise an internal note
// naming the sender, so that nobody writes into another customer's
// conversation by knowing a request number. A Message-ID recorded before
// makes the message a duplicate.
func (s *Store) ApplyInbound(ctx context.Context, p InboundPlan) (InboundResult, error) {
	var res InboundResult
	err := s.Tx(ctx, func(q Querier) error {
		var outcome model.MailOutcome
		if err := q.QueryRow(ctx, "SELECT outcome FROM mail_inbound WHERE id = $1"+s.forUpdate(), p.InboundID).Scan(&outcome); err != nil {
			return notFound(err, "message")
		}
		if outcome != model.MailReceived && outcome != model.MailFailed {
			return ErrProcessed
		}
		res = InboundResult{Outcome: p.Outcome, Reason: p.Reason}
		var err error
		switch {
		case p.Bounce != nil:
			err = s.applyBounce(ctx, q, p, &res)
		case p.Outcome == model.MailCreated:
			err = s.applyRequestMail(ctx, q, p, &res)
		}
		if err != nil {
			return err
		}
		var reqID *int64
		if res.RequestID != 0 {
			reqID = &res.RequestID
		}
		_, err = q.Exec(ctx, `UPDATE mail_inbound SET outcome = $1, reason = $2, request_id = $3, attempts = attempts + 1,
			next_attempt_at = NULL, processed_at = $4 WHERE id = $5`, res.Outcome, res.Reason, reqID, s.Now(), p.InboundID)
		return err
	})
	return res, err
}

// applyRequestMail creates or joins a request (see ApplyInbound).
func (s *Store) applyRequestMail(ctx context.Context, q Querier, p InboundPlan, res *InboundResult) error {
	if p.MessageID != "" {
		var known int64
		err := q.QueryRow(ctx, "SELECT request_id FROM mail_message_ids WHERE message_id = $1", p.MessageID).Scan(&known)
		if err == nil {
			res.Outcome, res.RequestID = model.MailDuplicate, known
			res.RequestNumber, err = requestNumber(ctx, q, known)
			return err
		} else if !model.IsNotFound(notFound(err, "")) {
			return err
		}
	}
	cust, err := s.customerForMail(ctx, q, p.Sender)
	if err != nil {
		return err
	}
	now := s.Now()
	by := Actor{Kind: model.AuthorCustomer, ID: &cust.ID, Name: cust.Name, Channel: model.ChannelEmail}
	msg := &model.Message{AuthorKind: model.AuthorCustomer, AuthorID: &cust.ID, AuthorName: cust.Name,
		Visibility: model.VisibilityPublic, Channel: model.ChannelEmail, Body: p.Body, CreatedAt: now}
	followUp := ""
	if p.ThreadRequestID != 0 {
		var r model.Request
		err := q.QueryRow(ctx, "SELECT id, number, status, customer_id FROM requests WHERE id = $1"+s.forUpdate(),
			p.ThreadRequestID).Scan(&r.ID, &r.Number, &r.Status, &r.CustomerID)
		if err != nil {
			return notFound(err, "request")
		}
		if model.MailJoins(r.Status) {
			if r.CustomerID != cust.ID {
				// Not the request's customer: staff see it, the customer does not.
				msg.AuthorKind, msg.AuthorID, msg.Visibility = model.AuthorSystem, nil, model.VisibilityInternal
				msg.AuthorName = p.Sender.Name + " <" + p.Sender.Email + ">"
				by = Actor{Kind: model.AuthorSystem, Name: msg.AuthorName, Channel: model.ChannelEmail}
			}
			msg.RequestID = r.ID
			if err := s.insertMessage(ctx, q, msg, r.Status, nil, p.Files, by, p.Limits); err != nil {
				return err
			}
			if r.Status == model.StatusResolved && msg.Visibility == model.VisibilityPublic {
				// A reopen like any other: the status hooks rewind the
				// SLA clocks (and run the rules) as ChangeStatus does.
				cur, err := s.LockRequestByID(ctx, q, r.ID)
				if err != nil {
					return err
				}
				if err := s.setStatus(ctx, q, &r, model.StatusOpen, by, msg.CreatedAt); err != nil {
					return err
				}
				cur.Status = model.StatusOpen
				if err := s.runStatusHooks(ctx, q, StatusChange{Request: cur, From: model.StatusResolved, To: model.StatusOpen,
					At: msg.CreatedAt, By: by}); err != nil {
					return err
				}
			}
			res.Outcome, res.RequestID, res.RequestNumber = model.MailAppended, r.ID, r.Number
			return s.recordMessageID(ctx, q, p.MessageID, r.ID, MailIn, &p.InboundID)
		}
		followUp = r.Number
	}
	r := &model.Request{Type: p.Type, Status: model.StatusNew, Priority: model.PriorityNormal, Channel: model.ChannelEmail,
		Subject: p.Subject, Description: p.Body, CustomerID: cust.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if followUp != "" {
		r.Description = "Follow-up to " + followUp + "\n\n" + p.Body
		res.Reason = strings.TrimSpace(res.Reason + " follow-up to " + followUp)
	}
	if err := s.insertRequest(ctx, q, r, NewRequest{CustomerID: cust.ID}, by, requestTextTerms(r.Subject, r.Description)); err != nil {
		return err
	}
	msg.RequestID = r.ID
	if err := s.insertMessage(ctx, q, msg, r.Status, nil, p.Files, by, p.Limits); err != nil {
		return err
	}
	res.Outcome, res.RequestID, res.RequestNumber = model.MailCreated, r.ID, r.Number
	return s.recordMessageID(ctx, q, p.MessageID, r.ID, MailIn, &p.InboundID)
}

// customerForMail finds the customer with the sender's address, or
// creates one (a concurrent creation of the same address is found).
func (s *Store) customerForMail(ctx context.Context, q Querier, snd InboundSender) (*model.Customer, error) {
	email := strings.ToLower(strings.TrimSpace(snd.Email))
	var c model.Customer
	err := q.QueryRow(ctx, "SELECT id, name FROM customers WHERE email = $1", email).Scan(&c.ID, &c.Name)
	if err == nil {
		return &c, nil
	} else if !model.IsNotFound(notFound(err, "")) {
		return nil, err
	}
	c = model.Customer{Name: snd.Name, Email: email, Locale: snd.Locale, CreatedAt: s.Now()}
	err = q.QueryRow(ctx, `INSERT INTO customers (name, email, locale, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (email) DO NOTHING RETURNING id`, c.Name, c.Email, c.Locale, c.CreatedAt).Scan(&c.ID)
	if model.IsNotFound(notFound(err, "")) {
		err = q.QueryRow(ctx, "SELECT id, name FROM customers WHERE email = $1", email).Scan(&c.ID, &c.Name)
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// recordMessageID remembers that messageID belongs to request requestID.
func (s *Store) recordMessageID(ctx context.Context, q Querier, messageID string, requestID int64, direction string, inboundID *int64) error {
	if messageID == "" {
		return nil
	}
	_, err := q.Exec(ctx, `INSERT INTO mail_message_ids (message_id, request_id, direction, inbound_id, created_at)
		VALUES ($1, $2, $3, $4, $5)`, messageID, requestID, direction, inboundID, s.Now())
	var ue *uniqueError
	if errors.As(err, &ue) {
		return fmt.Errorf("%w: %w", ErrMessageIDRace, err)
	}
	return err
}

// applyBounce records a delivery-status notification: when it reports a
// permanent failure of a mail Aftercare sent (its Message-ID is recorded
// as sent), the request's customer's address is marked as bouncing.
func (s *Store) applyBounce(ctx context.Context, q Querier, p InboundPlan, res *InboundResult) error {
	res.Outcome = model.MailBounce
	b := p.Bounce
	reqID, err := s.threadLookup(ctx, q, b.OriginalIDs, MailOut)
	if err != nil || reqID == 0 {
		if err == nil && res.Reason == "" {
			res.Reason = "not a reply to a mail Aftercare sent"
		}
		return err
	}
	res.RequestID = reqID
	if res.RequestNumber, err = requestNumber(ctx, q, reqID); err != nil {
		return err
	}
	var custID int64
	var email string
	if err := q.QueryRow(ctx, `SELECT c.id, COALESCE(c.email, '') FROM requests r JOIN customers c ON c.id = r.customer_id
		WHERE r.id = $1`, reqID).Scan(&custID, &email); err != nil {
		return err
	}
	matches := len(b.Recipients) == 0
	for _, rc := range b.Recipients {
		matches = matches || strings.EqualFold(rc, email)
	}
	reason := b.Diagnostic
	if len(reason) > 500 {
		reason = reason[:500]
	}
	if b.Permanent {
		if err := markBounced(ctx, q, b.OriginalIDs, reason, s.Now()); err != nil {
			return err
		}
	}
	if !b.Permanent || !matches || email == "" {
		if res.Reason == "" {
			res.Reason = "delivery delayed or not to the customer's address; nothing marked"
		}
		return nil
	}
	res.Reason = strings.TrimSpace("address " + email + " bounces: " + reason)
	_, err = q.Exec(ctx, `INSERT INTO mail_bounces (customer_id, email, reason, bounced_at, inbound_id) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (customer_id) DO UPDATE SET email = excluded.email, reason = excluded.reason,
		bounced_at = excluded.bounced_at, inbound_id = excluded.inbound_id`, custID, email, reason, s.Now(), p.InboundID)
	return err
}

// markBounced marks the sent mail with these Message-IDs as bounced.
func markBounced(ctx context.Context, q Querier, ids []string, reason string, at time.Time) error {
	for _, id := range ids {
		if _, err := q.Exec(ctx, `UPDATE mail_outbound SET bounced_at = $1, bounce_reason = $2, updated_at = $1
			WHERE message_id = $3 AND status = 'sent' AND bounced_at IS NULL`, at, reason, id); err != nil {
			return err
		}
	}
	return nil
}

// threadLookup returns the request of the first of ids (in order) that is
// recorded, in the given direction ("" for either); 0 when none is.
func (s *Store) threadLookup(ctx context.Context, q Querier, ids []string, direction string) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	args := make([]any, 0, len(ids)+1)
	marks := make([]string, 0, len(ids))
	for _, id := range ids {
		args = append(args, id)
		marks = append(marks, "$"+strconv.Itoa(len(args)))
	}
	query := "SELECT message_id, request_id FROM mail_message_ids WHERE message_id IN (" + strings.Join(marks, ", ") + ")"
	if direction != "" {
		args = append(args, direction)
		query += " AND direction = $" + strconv.Itoa(len(args))
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	found := map[string]int64{}
	for rows.Next() {
		var mid string
		var rid int64
		if err := rows.Scan(&mid, &rid); err != nil {
			return 0, err
		}
		found[mid] = rid
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range ids {
		if rid, ok := found[id]; ok {
			return rid, nil
		}
	}
	return 0, nil
}

func requestNumber(ctx context.Context, q Querier, id int64) (string, error) {
	var n string
	err := q.QueryRow(ctx, "SELECT number FROM requests WHERE id = $1", id).Scan(&n)
	return n, notFound(err, "request")
}

// ThreadRequest returns the request that one of ids (Message-IDs from
// In-Reply-To and References, most relevant first) belongs to, sent or
// received; 0 when none is known.
func (s *Store) ThreadRequest(ctx context.Context, ids []string) (int64, error) {
	return s.threadLookup(ctx, s.Read(), ids, "")
}

// RequestIDByNumber returns the id of the request with this number, 0
// when there is none.
func (s *Store) RequestIDByNumber(ctx context.Context, number string) (int64, error) {
	var id int64
	err := s.Read().QueryRow(ctx, "SELECT id FROM requests WHERE number = $1", number).Scan(&id)
	if model.IsNotFound(notFound(err, "")) {
		return 0, nil
	}
	return id, err
}

// RecordMessageID remembers a Message-ID Aftercare sent (direction
// MailOut) or received (MailIn) for a request, so that replies to it
// thread into the request and its bounces are recognised. Outbound mail
// calls it for every message it sends; a Message-ID recorded twice is
// ECONFLICT.
func (s *Store) RecordMessageID(ctx context.Context, requestID int64, messageID, direction string) error {
	if direction != MailIn && direction != MailOut {
		return fmt.Errorf("mail: direction %q", direction)
	}
	return s.Tx(ctx, func(q Querier) error {
		err := s.recordMessageID(ctx, q, messageID, requestID, direction, nil)
		if errors.Is(err, ErrMessageIDRace) {
			return model.Conflict("message_id", "this Message-ID is already recorded")
		}
		return err
	})
}

// RequestMessageIDs lists every Message-ID sent or received for a
// request, oldest first: outbound mail puts them in References.
func (s *Store) RequestMessageIDs(ctx context.Context, requestID int64) ([]string, error) {
	rows, err := s.Read().Query(ctx, "SELECT message_id FROM mail_message_ids WHERE request_id = $1 ORDER BY created_at, message_id", requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// CustomerEmailBounce returns the bounce recorded for a customer's
// current e-mail address; ok is false when it has none (or the address
// has changed since).
func (s *Store) CustomerEmailBounce(ctx context.Context, customerID int64) (b model.EmailBounce, ok bool, err error) {
	err = s.Read().QueryRow(ctx, `SELECT b.customer_id, b.email, b.reason, b.bounced_at FROM mail_bounces b
		JOIN customers c ON c.id = b.customer_id AND c.email = b.email WHERE b.customer_id = $1`, customerID).
		Scan(&b.CustomerID, &b.Email, &b.Reason, &b.BouncedAt)
	if model.IsNotFound(notFound(err, "")) {
		return b, false, nil
	}
	return b, err == nil, err
}
