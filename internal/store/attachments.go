package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

const attachmentColumns = `id, request_id, message_id, filename, content_type, size, sha256, path, created_at,
	uploader_kind, uploader_id`

func scanAttachment(r Row, a *model.Attachment) error {
	return r.Scan(&a.ID, &a.RequestID, &a.MessageID, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.Path,
		&a.CreatedAt, &a.UploaderKind, &a.UploaderID)
}

// UploadLimits bound what may be uploaded, checked in the transaction
// that records the files so that concurrent uploads cannot pass a limit
// together. Zero fields do not limit.
type UploadLimits struct {
	// MaxFiles is the most files one request may hold.
	MaxFiles int
	// MaxRequestBytes is the most bytes of files one request may hold.
	MaxRequestBytes int64
	// MaxCustomerDayBytes is the most bytes one customer may upload per
	// day, counted from DayStart (the start of today in the store's zone).
	MaxCustomerDayBytes int64
	DayStart            time.Time
}

// Upload-limit errors. Their messages are shown to users (translated).
func errCancelledUpload() error {
	return model.Conflict("status", "this request is cancelled; no more files can be added")
}

func errTooManyFiles(n int) error {
	return model.FieldError("file", "a request can hold at most %d files", n)
}

func errRequestBytes(mib int64) error {
	return model.FieldError("file", "a request can hold at most %d MiB of files", mib).WithField(model.ETOOLARGE, "file")
}

func errCustomerBytes(mib int64) error {
	return model.FieldError("file", "you can upload at most %d MiB of files a day", mib).WithField(model.ETOOLARGE, "file")
}

// CheckUpload says, before a file is received, whether one more file of
// up to maxSize bytes could be added to the request by uploader; it spares
// reading a large body that would be refused. CreateAttachment and
// AddMessage check again, exactly, under lock.
func (s *Store) CheckUpload(ctx context.Context, requestID int64, uploader Actor, lim UploadLimits) error {
	return s.checkUploads(ctx, s.Read(), requestID, uploader, 1, 1, lim)
}

// checkUploads checks that files more files of bytes in total may be added
// to request requestID by uploader.
func (s *Store) checkUploads(ctx context.Context, q Querier, requestID int64, uploader Actor, files int, bytes int64, lim UploadLimits) error {
	var status model.Status
	if err := q.QueryRow(ctx, "SELECT status FROM requests WHERE id = $1"+s.forUpdate(), requestID).Scan(&status); err != nil {
		return notFound(err, "request")
	}
	if status == model.StatusCancelled {
		return errCancelledUpload()
	}
	var n, total int64
	if err := q.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(size), 0) FROM attachments WHERE request_id = $1",
		requestID).Scan(&n, &total); err != nil {
		return err
	}
	if lim.MaxFiles > 0 && n+int64(files) > int64(lim.MaxFiles) {
		return errTooManyFiles(lim.MaxFiles)
	}
	if lim.MaxRequestBytes > 0 && total+bytes > lim.MaxRequestBytes {
		return errRequestBytes(lim.MaxRequestBytes >> 20)
	}
	if uploader.Kind != model.AuthorCustomer || uploader.ID == nil || lim.MaxCustomerDayBytes <= 0 {
		return nil
	}
	if s.dialect == Postgres {
		// Serialise one customer's concurrent uploads to different requests.
		if _, err := q.Exec(ctx, "SELECT id FROM customers WHERE id = $1 FOR UPDATE", *uploader.ID); err != nil {
			return err
		}
	}
	var today int64
	if err := q.QueryRow(ctx, `SELECT COALESCE(SUM(size), 0) FROM attachments
		WHERE uploader_kind = 'customer' AND uploader_id = $1 AND created_at >= $2`, *uploader.ID, lim.DayStart).Scan(&today); err != nil {
		return err
	}
	if today+bytes > lim.MaxCustomerDayBytes {
		return errCustomerBytes(lim.MaxCustomerDayBytes >> 20)
	}
	return nil
}

// CreateAttachment records a file uploaded to a request (its content is
// already stored under a.Path), not yet linked to a message, with its
// timeline event; by is the uploader. The limits are checked in the same
// transaction; a cancelled request takes no files.
func (s *Store) CreateAttachment(ctx context.Context, number string, a *model.Attachment, by Actor, lim UploadLimits) error {
	a.CreatedAt = s.Now()
	return s.Tx(ctx, func(q Querier) error {
		if err := q.QueryRow(ctx, "SELECT id FROM requests WHERE number = $1", number).Scan(&a.RequestID); err != nil {
			return notFound(err, "request")
		}
		if err := s.checkUploads(ctx, q, a.RequestID, by, 1, a.Size, lim); err != nil {
			return err
		}
		return insertAttachment(ctx, q, a, by)
	})
}

// insertAttachment inserts a (RequestID, MessageID and CreatedAt set) as
// uploaded by by, and its timeline event.
func insertAttachment(ctx context.Context, q Querier, a *model.Attachment, by Actor) error {
	a.UploaderKind, a.UploaderID = by.Kind, by.ID
	err := q.QueryRow(ctx, `INSERT INTO attachments (request_id, message_id, filename, content_type, size, sha256, path,
		created_at, uploader_kind, uploader_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		a.RequestID, a.MessageID, a.Filename, a.ContentType, a.Size, a.SHA256, a.Path, a.CreatedAt,
		a.UploaderKind, a.UploaderID).Scan(&a.ID)
	if err != nil {
		return err
	}
	// old_value holds the attachment's id, so that reads can tell which
	// message (public or internal) the file ended up on.
	return insertEvent(ctx, q, a.RequestID, by, "attachment", fmt.Sprint(a.ID), a.Filename, a.CreatedAt)
}

// mergedRequests selects request $1 and the requests merged into it. As
// one IN list it is an index lookup per request; written "request_id = $1
// OR request_id IN (…)" PostgreSQL cannot use the request_id index for the
// OR and scanned every message of the store to open one request (1.0 s at
// 200,000 requests and a million messages, 0.35 ms now).
const mergedRequests = "SELECT CAST($1 AS BIGINT) UNION ALL SELECT id FROM requests WHERE merged_into_id = $1"

// Attachments lists a request's attachments in upload order, with those
// of the requests merged into it.
func (s *Store) Attachments(ctx context.Context, requestID int64) ([]model.Attachment, error) {
	rows, err := s.Read().Query(ctx, "SELECT "+attachmentColumns+
		" FROM attachments WHERE request_id IN ("+mergedRequests+") ORDER BY id", requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Attachment
	for rows.Next() {
		var a model.Attachment
		if err := scanAttachment(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttachmentByID returns one attachment.
func (s *Store) AttachmentByID(ctx context.Context, id int64) (*model.Attachment, error) {
	var a model.Attachment
	if err := scanAttachment(s.Read().QueryRow(ctx, "SELECT "+attachmentColumns+" FROM attachments WHERE id = $1", id), &a); err != nil {
		return nil, notFound(err, "attachment")
	}
	return &a, nil
}

// AttachmentOnPublicMessage says whether attachment a's message is public;
// false when it is on an internal note or on no message.
func (s *Store) AttachmentOnPublicMessage(ctx context.Context, a *model.Attachment) (bool, error) {
	if a.MessageID == nil {
		return false, nil
	}
	var vis model.Visibility
	if err := s.Read().QueryRow(ctx, "SELECT visibility FROM messages WHERE id = $1", *a.MessageID).Scan(&vis); err != nil {
		return false, notFound(err, "message")
	}
	return vis == model.VisibilityPublic, nil
}

// DeleteUnlinkedAttachments removes up to limit uploads created before
// cutoff that were never linked to a message; it returns how many it
// removed and the stored paths no other attachment uses any more (the
// caller deletes the files once the rows are gone). Their timeline events
// stay: the upload happened.
func (s *Store) DeleteUnlinkedAttachments(ctx context.Context, cutoff time.Time, limit int) (int, []string, error) {
	var paths []string
	var n int
	err := s.Tx(ctx, func(q Querier) error {
		rows, err := q.Query(ctx, `SELECT id, request_id, path FROM attachments WHERE message_id IS NULL AND created_at < $1
			ORDER BY created_at LIMIT $2`+s.forUpdate(), cutoff, limit)
		if err != nil {
			return err
		}
		type file struct {
			id, request int64
			path        string
		}
		var found []file
		for rows.Next() {
			var f file
			if err := rows.Scan(&f.id, &f.request, &f.path); err != nil {
				rows.Close()
				return err
			}
			found = append(found, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, f := range found {
			if _, err := q.Exec(ctx, "DELETE FROM attachments WHERE id = $1 AND message_id IS NULL", f.id); err != nil {
				return err
			}
		}
		n = len(found)
		// Files of earlier versions are named by content within their
		// request's folder, so another upload may share one.
		for _, f := range found {
			var n int
			if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM attachments WHERE request_id = $1 AND path = $2",
				f.request, f.path).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				paths = append(paths, f.path)
			}
		}
		return nil
	})
	return n, paths, err
}
