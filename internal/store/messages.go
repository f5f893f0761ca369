package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// AddMessage appends a public reply or internal note to a request with
// its files, in one transaction: the message, the new files (already
// stored under their Path, checked against lim and recorded as uploaded
// by by), the earlier uploads linked to it, and the timeline events. An
// earlier upload may be linked only if it belongs to this request, is
// not on a message yet, and was uploaded by by: a customer links only its
// own uploads, staff only staff uploads. m.Attachments is filled. It never
// conflicts with concurrent edits: the request's version is not bumped. A
// customer's public reply to a request pending on them moves it back to
// open.
func (s *Store) AddMessage(ctx context.Context, number string, m *model.Message, link []int64, files []*model.Attachment, by Actor, lim UploadLimits) error {
	m.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		var status model.Status
		var version int64
		err := q.QueryRow(ctx, "SELECT id, status, version FROM requests WHERE number = $1", number).Scan(&m.RequestID, &status, &version)
		if err != nil {
			return notFound(err, "request")
		}
		return s.insertMessage(ctx, q, m, status, link, files, by, lim)
	})
}

// AddReplyReopening is AddMessage for a customer's public reply: on a
// resolved or closed request it also reopens it, in the same transaction
// (the status hooks run as for any reopen), after check allows the
// reopen; when check refuses, nothing is written and its error is
// returned. It reports whether the request was reopened.
func (s *Store) AddReplyReopening(ctx context.Context, number string, m *model.Message, link []int64, files []*model.Attachment, by Actor, lim UploadLimits, check StatusCheck) (bool, error) {
	m.CreatedAt = s.Now()
	reopened := false
	err := s.Tx(ctx, func(q Querier) error {
		cur, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		m.RequestID = cur.ID
		from := cur.Status
		reopen := from == model.StatusResolved || from == model.StatusClosed
		if reopen && check != nil {
			if err := check(cur, model.StatusOpen); err != nil {
				return err
			}
		}
		if err := s.insertMessage(ctx, q, m, from, link, files, by, lim); err != nil || !reopen {
			return err
		}
		if err := s.setStatus(ctx, q, cur, model.StatusOpen, by, m.CreatedAt); err != nil {
			return err
		}
		cur.Status, reopened = model.StatusOpen, true
		return s.runStatusHooks(ctx, q, StatusChange{Request: cur, From: from, To: model.StatusOpen, At: m.CreatedAt, By: by})
	})
	return reopened, err
}

// insertMessage is AddMessage inside the caller's transaction, for the
// request m.RequestID whose current status is status.
func (s *Store) insertMessage(ctx context.Context, q Querier, m *model.Message, status model.Status, link []int64, files []*model.Attachment, by Actor, lim UploadLimits) error {
	if len(files) > 0 {
		var bytes int64
		for _, f := range files {
			bytes += f.Size
		}
		if err := s.checkUploads(ctx, q, m.RequestID, by, len(files), bytes, lim); err != nil {
			return err
		}
	}
	err := q.QueryRow(ctx, `INSERT INTO messages (request_id, author_kind, author_id, author_name, visibility, channel, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		m.RequestID, m.AuthorKind, m.AuthorID, m.AuthorName, m.Visibility, m.Channel, m.Body, m.CreatedAt).Scan(&m.ID)
	if err != nil {
		return err
	}
	if err := s.indexMessageTx(ctx, q, m); err != nil {
		return err
	}
	m.Attachments = m.Attachments[:0]
	for i, id := range link {
		var a model.Attachment
		err := scanAttachment(q.QueryRow(ctx, `UPDATE attachments SET message_id = $1
			WHERE id = $2 AND request_id = $3 AND message_id IS NULL AND uploader_kind = $4 AND ($4 = 'staff' OR uploader_id = $5)
			RETURNING `+attachmentColumns, m.ID, id, m.RequestID, by.Kind, by.ID), &a)
		if model.IsNotFound(notFound(err, "attachment")) {
			return model.FieldError(fmt.Sprintf("attachment_ids[%d]", i), "attachment %d is not an unused upload of yours on this request", id)
		} else if err != nil {
			return err
		}
		m.Attachments = append(m.Attachments, a)
	}
	for _, f := range files {
		f.RequestID, f.MessageID, f.CreatedAt = m.RequestID, &m.ID, m.CreatedAt
		if err := insertAttachment(ctx, q, f, by); err != nil {
			return err
		}
		m.Attachments = append(m.Attachments, *f)
	}
	kind := "message"
	if m.Visibility == model.VisibilityInternal {
		kind = "note"
	}
	if err := insertEvent(ctx, q, m.RequestID, by, kind, "", fmt.Sprint(m.ID), m.CreatedAt); err != nil {
		return err
	}
	to := status
	if m.AuthorKind == model.AuthorCustomer && status == model.StatusPending {
		to = model.StatusOpen
		err = s.setStatus(ctx, q, &model.Request{ID: m.RequestID, Status: status}, model.StatusOpen, by, m.CreatedAt)
	} else {
		_, err = q.Exec(ctx, "UPDATE requests SET updated_at = $1 WHERE id = $2", m.CreatedAt, m.RequestID)
	}
	if err == nil {
		err = s.runMessageHooks(ctx, q, MessageAdded{Message: m, From: status, To: to})
	}
	if err == nil {
		noteChange(q, m.RequestID, by.Kind, by.ID, m.Visibility != model.VisibilityPublic) // notes too, for staff
	}
	if err != nil || m.Visibility != model.VisibilityPublic { // internal notes are never published
		return err
	}
	return s.publish(ctx, q, model.DomainEvent{Type: model.EventMessageCreated, At: m.CreatedAt, Message: m,
		ByKind: by.Kind, ByID: by.ID}, m.RequestID)
}

// Messages returns a request's messages in order, with their attachments;
// internal notes only when includeInternal.
func (s *Store) Messages(ctx context.Context, requestID int64, includeInternal bool) ([]model.Message, error) {
	query := `SELECT id, request_id, author_kind, author_id, author_name, visibility, channel, body, created_at
		FROM messages WHERE request_id IN (` + mergedRequests + `)`
	if !includeInternal {
		query += " AND visibility = 'public'"
	}
	// In time order: the demo seeder adds repair and return steps after
	// the rest of a request's events.
	rows, err := s.Read().Query(ctx, query+" ORDER BY created_at, id", requestID)
	if err != nil {
		return nil, err
	}
	var out []model.Message
	index := map[int64]int{}
	for rows.Next() {
		var m model.Message
		if err := rows.Scan(&m.ID, &m.RequestID, &m.AuthorKind, &m.AuthorID, &m.AuthorName, &m.Visibility, &m.Channel, &m.Body, &m.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		index[m.ID] = len(out)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	atts, err := s.Attachments(ctx, requestID)
	if err != nil {
		return nil, err
	}
	for _, a := range atts {
		if a.MessageID == nil {
			continue
		}
		if i, ok := index[*a.MessageID]; ok {
			out[i].Attachments = append(out[i].Attachments, a)
		}
	}
	return out, nil
}

// Events returns a request's timeline in order. Unless includeInternal,
// events about internal notes are left out, and so are staff uploads that
// are not (or not yet) attached to a public message: a file on an internal
// note stays internal, name included, and so do SLA warnings and
// breaches. A customer's own uploads show.
func (s *Store) Events(ctx context.Context, requestID int64, includeInternal bool) ([]model.Event, error) {
	query := `SELECT id, request_id, actor_kind, actor_id, actor_name, channel, kind, old_value, new_value, created_at
		FROM events WHERE request_id = $1`
	if !includeInternal {
		// SLA warnings and breaches, automation rules and customer
		// tiers and follow-up tasks are the staff's business.
		query += ` AND kind NOT IN ('note', 'sla_warning', 'sla_breached', 'rule', 'tier', 'task') AND NOT (kind = 'attachment' AND actor_kind <> 'customer' AND NOT EXISTS (
			SELECT 1 FROM attachments a JOIN messages m ON m.id = a.message_id
			WHERE a.request_id = events.request_id AND CAST(a.id AS TEXT) = events.old_value AND m.visibility = 'public'))`
	}
	// In time order: the demo seeder adds repair and return steps after
	// the rest of a request's events.
	rows, err := s.Read().Query(ctx, query+" ORDER BY created_at, id", requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Event
	for rows.Next() {
		var e model.Event
		if err := rows.Scan(&e.ID, &e.RequestID, &e.ActorKind, &e.ActorID, &e.ActorName, &e.Channel, &e.Kind, &e.OldValue, &e.NewValue, &e.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// RequestNumberByID returns the number of a request (for attachment links).
func (s *Store) RequestNumberByID(ctx context.Context, id int64) (string, error) {
	var n string
	err := s.Read().QueryRow(ctx, "SELECT number FROM requests WHERE id = $1", id).Scan(&n)
	return strings.TrimSpace(n), notFound(err, "request")
}
