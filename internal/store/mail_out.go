package store

import (
	"context"
	"strconv"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// The outbound mail log: every e-mail queued for the relay is a row,
// written in the transaction of the change that caused it (a reply, a
// status change, a reset link asked for) together with its send job, and
// updated by the job as it is sent or fails.

// QueueOutbound inserts m (Status queued, or suppressed; times set here)
// inside the caller's transaction q, and records its Message-ID as sent
// for its request, so that replies to it thread and its bounces are
// recognised even before it leaves.
func (s *Store) QueueOutbound(ctx context.Context, q Querier, m *model.OutboundMail) error {
	now := s.Now()
	m.CreatedAt, m.UpdatedAt = now, now
	err := q.QueryRow(ctx, `INSERT INTO mail_outbound (created_at, updated_at, kind, auto, sensitive, request_id,
		customer_id, user_id, to_addr, to_name, locale, subject, body, message_id, status, last_error, resend_of)
		VALUES ($1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		now, m.Kind, m.Auto, m.Sensitive, m.RequestID, m.CustomerID, m.UserID, m.To, m.ToName, m.Locale, m.Subject,
		m.Body, m.MessageID, m.Status, m.LastError, m.ResendOf).Scan(&m.ID)
	if err != nil {
		return err
	}
	if m.RequestID != nil && m.Status != model.OutSuppressed {
		return s.recordMessageID(ctx, q, m.MessageID, *m.RequestID, MailOut, nil)
	}
	return nil
}

const outboundColumns = `o.id, o.created_at, o.updated_at, o.kind, o.auto, o.sensitive, o.request_id, COALESCE(r.number, ''),
	o.customer_id, o.user_id, o.to_addr, o.to_name, o.locale, o.subject, o.body, o.message_id, o.in_reply_to,
	o.references_hdr, o.status, o.attempts, o.last_error, o.sent_at, o.resend_of, o.bounced_at, o.bounce_reason`

const outboundFrom = ` FROM mail_outbound o LEFT JOIN requests r ON r.id = o.request_id `

func scanOutbound(row Row, m *model.OutboundMail) error {
	return row.Scan(&m.ID, &m.CreatedAt, &m.UpdatedAt, &m.Kind, &m.Auto, &m.Sensitive, &m.RequestID, &m.RequestNumber,
		&m.CustomerID, &m.UserID, &m.To, &m.ToName, &m.Locale, &m.Subject, &m.Body, &m.MessageID, &m.InReplyTo,
		&m.References, &m.Status, &m.Attempts, &m.LastError, &m.SentAt, &m.ResendOf, &m.BouncedAt, &m.BounceReason)
}

// OutboundByID returns one row of the outbound mail log.
func (s *Store) OutboundByID(ctx context.Context, id int64) (*model.OutboundMail, error) {
	var m model.OutboundMail
	if err := scanOutbound(s.Read().QueryRow(ctx, "SELECT "+outboundColumns+outboundFrom+"WHERE o.id = $1", id), &m); err != nil {
		return nil, notFound(err, "mail")
	}
	return &m, nil
}

// ListOutbound returns one page of the outbound mail log, newest first,
// optionally of one status or one request; the cursor is the id of the
// last row of the previous page.
func (s *Store) ListOutbound(ctx context.Context, f model.OutboundFilter) (model.OutboundPage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultPageSize
	}
	if limit > MaxPageSize {
		return model.OutboundPage{}, model.FieldError("limit", "must be between 1 and %d", MaxPageSize)
	}
	if f.Status != "" && !f.Status.Valid() {
		return model.OutboundPage{}, model.FieldError("status", "The status filter names an unknown mail status, “%s”.", f.Status)
	}
	query := "SELECT " + outboundColumns + outboundFrom + "WHERE 1 = 1"
	var args []any
	switch f.Status {
	case "":
	case model.OutBounced:
		query += " AND o.bounced_at IS NOT NULL"
	case model.OutSent:
		query += " AND o.status = 'sent' AND o.bounced_at IS NULL"
	default:
		args = append(args, f.Status)
		query += " AND o.status = $" + strconv.Itoa(len(args))
	}
	if f.RequestID != 0 {
		args = append(args, f.RequestID)
		query += " AND o.request_id = $" + strconv.Itoa(len(args))
	}
	if f.Cursor != "" {
		before, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || before <= 0 {
			return model.OutboundPage{}, model.FieldError("cursor", "invalid cursor")
		}
		args = append(args, before)
		query += " AND o.id < $" + strconv.Itoa(len(args))
	}
	query += " ORDER BY o.id DESC LIMIT " + strconv.Itoa(limit+1)
	rows, err := s.Read().Query(ctx, query, args...)
	if err != nil {
		return model.OutboundPage{}, err
	}
	defer rows.Close()
	var page model.OutboundPage
	for rows.Next() {
		var m model.OutboundMail
		if err := scanOutbound(rows, &m); err != nil {
			return model.OutboundPage{}, err
		}
		page.Items = append(page.Items, m)
	}
	if err := rows.Err(); err != nil {
		return model.OutboundPage{}, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextCursor = strconv.FormatInt(page.Items[limit-1].ID, 10)
	}
	return page, nil
}

// OutboundSent records that the relay accepted mail id with these
// threading headers; a sensitive mail's body is cleared.
func (s *Store) OutboundSent(ctx context.Context, id int64, inReplyTo, references string) error {
	now := s.Now()
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `UPDATE mail_outbound SET status = 'sent', attempts = attempts + 1, last_error = '',
			sent_at = $1, updated_at = $1, in_reply_to = $2, references_hdr = $3,
			body = CASE WHEN sensitive THEN '' ELSE body END WHERE id = $4 AND status = 'queued'`,
			now, inReplyTo, references, id)
		return err
	})
}

// OutboundFailed records a failed attempt at sending mail id; final gives
// up (status failed, a sensitive body cleared), otherwise it stays queued
// for the next attempt.
func (s *Store) OutboundFailed(ctx context.Context, id int64, reason string, final bool) error {
	status := model.OutQueued
	if final {
		status = model.OutFailed
	}
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `UPDATE mail_outbound SET status = $1, attempts = attempts + 1, last_error = $2, updated_at = $3,
			body = CASE WHEN sensitive AND $1 = 'failed' THEN '' ELSE body END WHERE id = $4 AND status = 'queued'`,
			status, reason, s.Now(), id)
		return err
	})
}

// Thread returns the threading headers of a new mail about a request:
// the Message-ID of the customer's last mail (In-Reply-To), and the
// request's Message-IDs, received and sent, oldest first, at most the
// last 20 and never self (References).
func (s *Store) Thread(ctx context.Context, requestID int64, self string) (inReplyTo string, refs []string, err error) {
	rows, err := s.Read().Query(ctx, `SELECT message_id, direction FROM mail_message_ids WHERE request_id = $1
		ORDER BY created_at, message_id`, requestID)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, dir string
		if err := rows.Scan(&id, &dir); err != nil {
			return "", nil, err
		}
		if id == self {
			continue
		}
		refs = append(refs, id)
		if dir == MailIn {
			inReplyTo = id
		}
	}
	if len(refs) > 20 {
		refs = refs[len(refs)-20:]
	}
	if inReplyTo == "" && len(refs) > 0 {
		inReplyTo = refs[len(refs)-1]
	}
	return inReplyTo, refs, rows.Err()
}

// MailRequest is what outbound mail needs to know about a request and
// its customer.
type MailRequest struct {
	ID             int64
	Number         string
	Subject        string
	Status         model.Status
	AssigneeID     *int64
	CustomerID     int64
	CustomerName   string
	CustomerEmail  string
	CustomerLocale string
	// Bouncing is true when the customer's current address bounced mail.
	Bouncing bool
}

// MailRequestIn reads a request for outbound mail inside q.
func (s *Store) MailRequestIn(ctx context.Context, q Querier, requestID int64) (*MailRequest, error) {
	var m MailRequest
	var bounced *string
	err := q.QueryRow(ctx, `SELECT r.id, r.number, r.subject, r.status, r.assignee_id, c.id, c.name, COALESCE(c.email, ''),
		c.locale, b.email FROM requests r JOIN customers c ON c.id = r.customer_id
		LEFT JOIN mail_bounces b ON b.customer_id = c.id AND b.email = c.email WHERE r.id = $1`, requestID).
		Scan(&m.ID, &m.Number, &m.Subject, &m.Status, &m.AssigneeID, &m.CustomerID, &m.CustomerName, &m.CustomerEmail,
			&m.CustomerLocale, &bounced)
	if err != nil {
		return nil, notFound(err, "request")
	}
	m.Bouncing = bounced != nil
	return &m, nil
}

// RequestIDIn returns the id of the request with this number inside q.
func (s *Store) RequestIDIn(ctx context.Context, q Querier, number string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM requests WHERE number = $1", number).Scan(&id)
	return id, notFound(err, "request")
}

// MailRecipient is a person mail goes to: a customer or a staff user.
type MailRecipient struct {
	Name, Email, Locale string
	Active              bool
	// Bouncing is true for a customer whose address bounced mail.
	Bouncing bool
}

// CustomerRecipientIn reads a customer as a mail recipient inside q.
func (s *Store) CustomerRecipientIn(ctx context.Context, q Querier, id int64) (*MailRecipient, error) {
	r := MailRecipient{Active: true}
	var bounced *string
	err := q.QueryRow(ctx, `SELECT c.name, COALESCE(c.email, ''), c.locale, b.email FROM customers c
		LEFT JOIN mail_bounces b ON b.customer_id = c.id AND b.email = c.email WHERE c.id = $1`, id).
		Scan(&r.Name, &r.Email, &r.Locale, &bounced)
	if err != nil {
		return nil, notFound(err, "customer")
	}
	r.Bouncing = bounced != nil
	return &r, nil
}

// UserRecipientIn reads a staff user as a mail recipient inside q.
func (s *Store) UserRecipientIn(ctx context.Context, q Querier, id int64) (*MailRecipient, error) {
	var r MailRecipient
	err := q.QueryRow(ctx, "SELECT name, email, locale, active FROM users WHERE id = $1", id).
		Scan(&r.Name, &r.Email, &r.Locale, &r.Active)
	if err != nil {
		return nil, notFound(err, "user")
	}
	return &r, nil
}

// MailTemplates returns the templates admins edited (the built-in texts
// are the mail package's).
func (s *Store) MailTemplates(ctx context.Context) ([]model.MailTemplate, error) {
	rows, err := s.Read().Query(ctx, "SELECT kind, locale, subject, body, updated_at FROM mail_templates ORDER BY kind, locale")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.MailTemplate
	for rows.Next() {
		t := model.MailTemplate{Custom: true}
		var at time.Time
		if err := rows.Scan(&t.Kind, &t.Locale, &t.Subject, &t.Body, &at); err != nil {
			return nil, err
		}
		t.UpdatedAt = &at
		out = append(out, t)
	}
	return out, rows.Err()
}

// MailTemplateIn returns the edited template of kind in locale inside q;
// ok is false when there is none.
func (s *Store) MailTemplateIn(ctx context.Context, q Querier, kind model.MailKind, locale string) (t model.MailTemplate, ok bool, err error) {
	var at time.Time
	err = q.QueryRow(ctx, "SELECT subject, body, updated_at FROM mail_templates WHERE kind = $1 AND locale = $2", kind, locale).
		Scan(&t.Subject, &t.Body, &at)
	if model.IsNotFound(notFound(err, "")) {
		return t, false, nil
	} else if err != nil {
		return t, false, err
	}
	t.Kind, t.Locale, t.Custom, t.UpdatedAt = kind, locale, true, &at
	return t, true, nil
}

// SaveMailTemplate stores an admin's text for a kind and locale, with
// its audit entry.
func (s *Store) SaveMailTemplate(ctx context.Context, t *model.MailTemplate, by *int64, audit ...model.AuditEntry) error {
	now := s.Now()
	t.Custom, t.UpdatedAt = true, &now
	return s.Tx(ctx, func(q Querier) error {
		_, err := q.Exec(ctx, `INSERT INTO mail_templates (kind, locale, subject, body, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kind, locale) DO UPDATE SET subject = excluded.subject,
			body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			t.Kind, t.Locale, t.Subject, t.Body, now, by)
		if err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = string(t.Kind) + " (" + t.Locale + ")"
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// DeleteMailTemplate goes back to the built-in text of a kind and locale.
func (s *Store) DeleteMailTemplate(ctx context.Context, kind model.MailKind, locale string, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		if _, err := q.Exec(ctx, "DELETE FROM mail_templates WHERE kind = $1 AND locale = $2", kind, locale); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target, audit[i].Detail = string(kind)+" ("+locale+")", "back to the built-in text"
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// NotificationPrefs returns a staff user's notification choices: every
// kind of model.NotifyKinds, on unless turned off.
func (s *Store) NotificationPrefs(ctx context.Context, userID int64) (map[model.MailKind]bool, error) {
	return s.notificationPrefs(ctx, s.Read(), userID)
}

func (s *Store) notificationPrefs(ctx context.Context, q Querier, userID int64) (map[model.MailKind]bool, error) {
	out := map[model.MailKind]bool{}
	for _, k := range model.NotifyKinds() {
		out[k] = true
	}
	rows, err := q.Query(ctx, "SELECT kind, enabled FROM notification_prefs WHERE user_id = $1", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k model.MailKind
		var on bool
		if err := rows.Scan(&k, &on); err != nil {
			return nil, err
		}
		if _, ok := out[k]; ok {
			out[k] = on
		}
	}
	return out, rows.Err()
}

// NotificationWantedIn reports inside q whether the user wants mail of
// kind (no row: yes).
func (s *Store) NotificationWantedIn(ctx context.Context, q Querier, userID int64, kind model.MailKind) (bool, error) {
	prefs, err := s.notificationPrefs(ctx, q, userID)
	if err != nil {
		return false, err
	}
	return prefs[kind], nil
}

// SetNotificationPrefs stores a staff user's choices (kinds not named
// stay as they are), in one transaction.
func (s *Store) SetNotificationPrefs(ctx context.Context, userID int64, prefs map[model.MailKind]bool) error {
	return s.Tx(ctx, func(q Querier) error {
		for k, on := range prefs {
			if _, err := q.Exec(ctx, `INSERT INTO notification_prefs (user_id, kind, enabled) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, kind) DO UPDATE SET enabled = excluded.enabled`, userID, k, on); err != nil {
				return err
			}
		}
		return nil
	})
}
