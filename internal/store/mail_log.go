package store

import (
	"context"
	"strconv"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// The inbound mail log: every message the SMTP listener accepts or the
// IMAP poller fetches is a row, raw message included, written before the
// message is acknowledged (SMTP 250, IMAP \Seen). Processing then records
// the outcome on the row (mail_apply.go).

// NewInbound is a received message to log before it is acknowledged.
type NewInbound struct {
	Source string // model.MailSourceSMTP or model.MailSourceIMAP
	// SourceRef names an IMAP message (server, mailbox, UIDVALIDITY, UID);
	// a second row with the same SourceRef is not stored. Empty for SMTP.
	SourceRef    string
	EnvelopeFrom string
	// MessageID, From and Subject are read from the headers before the
	// message is processed, for the log's display.
	MessageID, From, Subject string
	// Outcome is model.MailReceived for a message to process, or a final
	// outcome (rejected: too large) with Reason.
	Outcome model.MailOutcome
	Reason  string
	// RetryAt is when the retry sweep takes up a received message that was
	// not processed by then (the node that received it crashed).
	RetryAt time.Time
	Raw     []byte
}

// LogInbound stores a received message and returns its id; it commits
// before returning, so the caller may acknowledge the message. stored is
// false, and nothing is written, when SourceRef names a message stored
// before (another node took it).
func (s *Store) LogInbound(ctx context.Context, in NewInbound) (id int64, stored bool, err error) {
	var ref any
	if in.SourceRef != "" {
		ref = in.SourceRef
	}
	var next *time.Time
	if in.Outcome == model.MailReceived {
		next = &in.RetryAt
	}
	now := s.Now()
	err = s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO mail_inbound (received_at, source, source_ref, envelope_from, message_id, from_addr,
			subject, outcome, reason, next_attempt_at, raw_size, raw)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (source_ref) DO NOTHING RETURNING id`,
			now, in.Source, ref, in.EnvelopeFrom, in.MessageID, in.From, in.Subject, in.Outcome, in.Reason, next,
			int64(len(in.Raw)), in.Raw).Scan(&id)
		if model.IsNotFound(notFound(err, "")) {
			return nil
		}
		stored = err == nil
		return err
	})
	return id, stored, err
}

const inboundColumns = `m.id, m.received_at, m.source, m.envelope_from, m.message_id, m.from_addr, m.subject, m.outcome,
	m.reason, m.request_id, COALESCE(r.number, ''), m.attempts, m.next_attempt_at, m.processed_at, m.raw_size`

const inboundFrom = ` FROM mail_inbound m LEFT JOIN requests r ON r.id = m.request_id `

func scanInbound(row Row, m *model.InboundMail) error {
	return row.Scan(&m.ID, &m.ReceivedAt, &m.Source, &m.EnvelopeFrom, &m.MessageID, &m.From, &m.Subject, &m.Outcome,
		&m.Reason, &m.RequestID, &m.RequestNumber, &m.Attempts, &m.NextAttemptAt, &m.ProcessedAt, &m.RawSize)
}

// InboundByID returns one row of the inbound mail log, without the raw
// message.
func (s *Store) InboundByID(ctx context.Context, id int64) (*model.InboundMail, error) {
	var m model.InboundMail
	if err := scanInbound(s.Read().QueryRow(ctx, "SELECT "+inboundColumns+inboundFrom+"WHERE m.id = $1", id), &m); err != nil {
		return nil, notFound(err, "message")
	}
	return &m, nil
}

// InboundRaw returns the raw message of one row, as received.
func (s *Store) InboundRaw(ctx context.Context, id int64) ([]byte, error) {
	var raw []byte
	if err := s.Read().QueryRow(ctx, "SELECT raw FROM mail_inbound WHERE id = $1", id).Scan(&raw); err != nil {
		return nil, notFound(err, "message")
	}
	return raw, nil
}

// ListInbound returns one page of the inbound mail log, newest first,
// optionally of one outcome; the cursor is the id of the last row of the
// previous page (an index range scan at any depth).
func (s *Store) ListInbound(ctx context.Context, f model.InboundFilter) (model.InboundPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return model.InboundPage{}, model.FieldError("limit", "must be between 1 and %d", MaxPageSize)
	}
	if f.Outcome != "" && !f.Outcome.Valid() {
		return model.InboundPage{}, model.FieldError("outcome", "unknown outcome %q", f.Outcome)
	}
	query := "SELECT " + inboundColumns + inboundFrom + "WHERE 1 = 1"
	var args []any
	if f.Outcome != "" {
		args = append(args, f.Outcome)
		query += " AND m.outcome = $" + strconv.Itoa(len(args))
	}
	if f.Cursor != "" {
		before, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || before <= 0 {
			return model.InboundPage{}, model.FieldError("cursor", "invalid cursor")
		}
		args = append(args, before)
		query += " AND m.id < $" + strconv.Itoa(len(args))
	}
	query += " ORDER BY m.id DESC LIMIT " + strconv.Itoa(limit+1)
	rows, err := s.Read().Query(ctx, query, args...)
	if err != nil {
		return model.InboundPage{}, err
	}
	defer rows.Close()
	var page model.InboundPage
	for rows.Next() {
		var m model.InboundMail
		if err := scanInbound(rows, &m); err != nil {
			return model.InboundPage{}, err
		}
		page.Items = append(page.Items, m)
	}
	if err := rows.Err(); err != nil {
		return model.InboundPage{}, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = strconv.FormatInt(page.Items[limit-1].ID, 10)
	}
	return page, nil
}

// DueInbound returns up to limit messages waiting for a (new) attempt at
// now: failed ones whose retry time has come, and received ones that the
// node which stored them never processed.
func (s *Store) DueInbound(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	rows, err := s.Read().Query(ctx, `SELECT id FROM mail_inbound WHERE outcome IN ('received', 'failed')
		AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`, now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// FailInbound records a failed attempt at processing message id: its
// reason and when to try again (nil: no more attempts). A message that
// was processed meanwhile (by another node) is left alone.
func (s *Store) FailInbound(ctx context.Context, id int64, reason string, retryAt *time.Time) error {
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `UPDATE mail_inbound SET outcome = 'failed', reason = $1, attempts = attempts + 1,
			next_attempt_at = $2, processed_at = $3 WHERE id = $4 AND outcome IN ('received', 'failed')`,
			reason, retryAt, s.Now(), id)
		return err
	})
}

// RetryInbound makes a failed message due for another attempt now (an
// admin's "retry"); other outcomes are ECONFLICT.
func (s *Store) RetryInbound(ctx context.Context, id int64) error {
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `UPDATE mail_inbound SET next_attempt_at = $1 WHERE id = $2 AND outcome = 'failed'`, s.Now(), id)
		if err == nil && n == 0 {
			var outcome string
			if err := q.QueryRow(ctx, "SELECT outcome FROM mail_inbound WHERE id = $1", id).Scan(&outcome); err != nil {
				return notFound(err, "message")
			}
			return model.Conflict("outcome", "only failed messages can be retried")
		}
		return err
	})
}
