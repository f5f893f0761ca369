// Package inbox keeps staff users' in-app notifications: an internal note
// that names a colleague with "@" leaves them a notice, in the note's own
// transaction, whether or not outbound mail is configured (mail, when a
// relay exists, is internal/mailout's business and independent of this).
// Each person reads and marks only their own notices.
package inbox

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/mention"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Service is the in-app notification domain logic.
type Service struct {
	store *store.Store
}

// New returns the service over st. Register OnMessage with st.OnMessage
// for mentions to leave notices.
func New(st *store.Store) *Service { return &Service{store: st} }

// PageSize is how many notices List returns at most.
const PageSize = 100

// excerptRunes bounds a notice's excerpt of the note.
const excerptRunes = 140

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "only staff have notifications") }

// OnMessage is the store's MessageHook: an internal note by a staff user
// leaves a notice for every active staff user it mentions, except its
// author, inside the note's transaction q (a note that rolls back leaves
// none). Public replies and customers' messages notify nobody.
func (s *Service) OnMessage(ctx context.Context, q store.Querier, added store.MessageAdded) error {
	m := added.Message
	if m == nil || m.Visibility != model.VisibilityInternal || m.AuthorKind != model.AuthorStaff ||
		!strings.Contains(m.Body, "@") {
		return nil
	}
	users, err := s.store.UsersForMessage(ctx, q, added)
	if err != nil {
		return err
	}
	excerpt := Excerpt(m.Body)
	for _, p := range mention.Find(m.Body, mention.Staff(users)) {
		if m.AuthorID != nil && *m.AuthorID == p.ID {
			continue
		}
		n := &model.Notice{UserID: p.ID, Kind: model.NoticeMentioned, RequestID: m.RequestID,
			ActorName: m.AuthorName, Excerpt: excerpt}
		if err := s.store.AddNoticeIn(ctx, q, n); err != nil {
			return err
		}
	}
	return nil
}

// Excerpt is the start of a note on one line: runs of white space become
// one space, and a note longer than excerptRunes is cut with "…".
func Excerpt(body string) string {
	one := strings.Join(strings.Fields(body), " ")
	if utf8.RuneCountInString(one) <= excerptRunes {
		return one
	}
	r := []rune(one)
	return strings.TrimSpace(string(r[:excerptRunes])) + "…"
}

// List returns the principal's own notices, newest first (at most
// PageSize), and how many of theirs are unread.
func (s *Service) List(ctx context.Context, p model.Principal) ([]model.Notice, int, error) {
	if !p.IsStaff() {
		return nil, 0, forbidden()
	}
	return s.store.Notices(ctx, p.ID, PageSize)
}

// Unread counts the principal's unread notices (0 for customers, who
// have none).
func (s *Service) Unread(ctx context.Context, p model.Principal) (int, error) {
	if !p.IsStaff() {
		return 0, nil
	}
	return s.store.UnreadNotices(ctx, p.ID)
}

// MarkRead marks the principal's notices ids read (none: all of theirs)
// and returns how many changed; another person's ids change nothing.
func (s *Service) MarkRead(ctx context.Context, p model.Principal, ids []int64) (int64, error) {
	if !p.IsStaff() {
		return 0, forbidden()
	}
	return s.store.MarkNoticesRead(ctx, p.ID, ids)
}

// Open returns the principal's notice id, marked read; another person's
// is ENOTFOUND.
func (s *Service) Open(ctx context.Context, p model.Principal, id int64) (*model.Notice, error) {
	if !p.IsStaff() {
		return nil, forbidden()
	}
	return s.store.OpenNotice(ctx, p.ID, id)
}
