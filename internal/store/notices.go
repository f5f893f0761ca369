package store

import (
	"context"
	"fmt"

	"github.com/aftercare/aftercare/internal/model"
)

// AddNoticeIn stores an in-app notification inside the caller's
// transaction q (it commits or rolls back with the change that causes
// it) and sets its id and time.
func (s *Store) AddNoticeIn(ctx context.Context, q Querier, n *model.Notice) error {
	n.CreatedAt, n.ReadAt = s.Now(), nil
	noteInbox(q, n.UserID) // the header's count follows on the user's open pages
	return q.QueryRow(ctx, `INSERT INTO staff_notices (user_id, kind, request_id, actor_name, excerpt, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		n.UserID, string(n.Kind), n.RequestID, n.ActorName, n.Excerpt, n.CreatedAt).Scan(&n.ID)
}

const noticeSelect = `SELECT n.id, n.user_id, n.kind, n.request_id, r.number, r.subject, n.actor_name, n.excerpt,
	n.created_at, n.read_at FROM staff_notices n JOIN requests r ON r.id = n.request_id `

func scanNotice(row Row, n *model.Notice) error {
	var kind string
	if err := row.Scan(&n.ID, &n.UserID, &kind, &n.RequestID, &n.RequestNumber, &n.RequestSubject, &n.ActorName,
		&n.Excerpt, &n.CreatedAt, &n.ReadAt); err != nil {
		return err
	}
	n.Kind = model.NoticeKind(kind)
	return nil
}

// Notices returns user userID's notifications, newest first, at most
// limit of them, and how many of all of them are unread.
func (s *Store) Notices(ctx context.Context, userID int64, limit int) ([]model.Notice, int, error) {
	rows, err := s.Read().Query(ctx, noticeSelect+"WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2", userID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("notices: %w", err)
	}
	defer rows.Close()
	out := []model.Notice{}
	for rows.Next() {
		var n model.Notice
		if err := scanNotice(rows, &n); err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	unread, err := s.UnreadNotices(ctx, userID)
	return out, unread, err
}

// UnreadNotices counts user userID's unread notifications.
func (s *Store) UnreadNotices(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.Read().QueryRow(ctx, "SELECT COUNT(*) FROM staff_notices WHERE user_id = $1 AND read_at IS NULL", userID).Scan(&n)
	return n, err
}

// MarkNoticesRead marks user userID's notifications ids read (none: all
// of them) and returns how many changed. Ids of someone else's
// notifications change nothing.
func (s *Store) MarkNoticesRead(ctx context.Context, userID int64, ids []int64) (int64, error) {
	var changed int64
	err := s.Tx(ctx, func(q Querier) error {
		noteInbox(q, userID) // the user's other open pages count again
		if len(ids) == 0 {
			n, err := q.Exec(ctx, "UPDATE staff_notices SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL",
				s.Now(), userID)
			changed = n
			return err
		}
		for _, id := range ids {
			n, err := q.Exec(ctx, "UPDATE staff_notices SET read_at = $1 WHERE user_id = $2 AND id = $3 AND read_at IS NULL",
				s.Now(), userID, id)
			if err != nil {
				return err
			}
			changed += n
		}
		return nil
	})
	return changed, err
}

// OpenNotice returns user userID's notification id, marked read; someone
// else's or none is ENOTFOUND.
func (s *Store) OpenNotice(ctx context.Context, userID, id int64) (*model.Notice, error) {
	if _, err := s.MarkNoticesRead(ctx, userID, []int64{id}); err != nil {
		return nil, err
	}
	var n model.Notice
	if err := scanNotice(s.Read().QueryRow(ctx, noticeSelect+"WHERE n.id = $1 AND n.user_id = $2", id, userID), &n); err != nil {
		return nil, notFound(err, "notification")
	}
	return &n, nil
}
