package model

import "time"

// NoticeKind is what an in-app notification tells a staff user.
type NoticeKind string

// NoticeMentioned: someone named the user with "@" in an internal note.
const NoticeMentioned NoticeKind = "mentioned"

// Notice is an in-app notification of one staff user: who did what on
// which request, with a short excerpt. ReadAt is nil while it is unread.
type Notice struct {
	ID     int64
	UserID int64
	Kind   NoticeKind
	// RequestID, RequestNumber and RequestSubject name the request.
	RequestID      int64
	RequestNumber  string
	RequestSubject string
	// ActorName is who caused it (the note's author).
	ActorName string
	Excerpt   string
	CreatedAt time.Time
	ReadAt    *time.Time
}
