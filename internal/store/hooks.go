package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aftercare/aftercare/internal/model"
)

// Hooks let a capability act inside the transaction of a request change
// (the survey scheduled when a request is resolved, a complaint's
// deadline when it is created) without the request code knowing about
// it: what the hook writes commits or rolls back with the change, and an
// error from a hook refuses the change. Hooks are registered while the
// app is assembled, before it serves anything; they run in registration
// order.

// StatusChange is a status change being made, seen by a StatusHook after
// the new status and its timeline event are written.
type StatusChange struct {
	Request *model.Request // the locked row, with the new status
	From    model.Status
	To      model.Status
	At      time.Time
	By      Actor
}

// StatusHook runs inside the transaction of a status change; q is that
// transaction. Returning an error (ECONFLICT, say) refuses the change.
type StatusHook func(ctx context.Context, q Querier, c StatusChange) error

// CreateHook runs inside the transaction that creates a request, after
// the request and its "created" event are written (the number is given
// last, so r.Number is still empty).
type CreateHook func(ctx context.Context, q Querier, r *model.Request) error

// MessageAdded is a message being added to a request, seen by a
// MessageHook after it and its timeline event are written. From and To
// are the request's status before and after (a customer's reply moves a
// pending request back to open).
type MessageAdded struct {
	Message  *model.Message
	From, To model.Status
	// users is the user list the hooks of this one message share (see
	// Store.UsersForMessage); nil outside runMessageHooks.
	users *messageUsers
}

// messageUsers is the user list of one message's hooks, read at most once.
type messageUsers struct {
	list []model.User
	read bool
}

// MessageHook runs inside the transaction that adds a message (public
// replies and internal notes alike).
type MessageHook func(ctx context.Context, q Querier, m MessageAdded) error

// OnMessage registers h for every message added through AddMessage and
// the inbound channels that share its insert.
func (s *Store) OnMessage(h MessageHook) { s.messageHooks = append(s.messageHooks, h) }

func (s *Store) runMessageHooks(ctx context.Context, q Querier, m MessageAdded) error {
	m.users = &messageUsers{}
	for _, h := range s.messageHooks {
		if err := h(ctx, q, m); err != nil {
			return err
		}
	}
	return nil
}

// UsersForMessage is ListUsersIn(q) for the hooks of message m: the
// first hook that asks (the inbox or the mail, finding the people a note
// mentions) reads the users, and the others of the same message get that
// list without a second query. The list is shared: do not change it.
func (s *Store) UsersForMessage(ctx context.Context, q Querier, m MessageAdded) ([]model.User, error) {
	if m.users == nil {
		return s.ListUsersIn(ctx, q)
	}
	if !m.users.read {
		list, err := s.ListUsersIn(ctx, q)
		if err != nil {
			return nil, err
		}
		m.users.list, m.users.read = list, true
	}
	return m.users.list, nil
}

// PatchChange is a change of a request's priority, category, team or
// assignee, seen by a PatchHook after the row is updated: Before and
// After hold the mutable fields.
type PatchChange struct {
	Before, After *model.Request
	At            time.Time
	By            Actor
}

// PatchHook runs inside the transaction of a PatchRequest that changed
// something.
type PatchHook func(ctx context.Context, q Querier, c PatchChange) error

// OnRequestPatched registers h for every PatchRequest that changes a
// field.
func (s *Store) OnRequestPatched(h PatchHook) { s.patchHooks = append(s.patchHooks, h) }

// OnStatusChange registers h for every status change made through
// ChangeStatus, whoever makes it (a person, the API, auto-close). The one
// implicit change, a customer's reply moving a pending request back to
// open, runs no hooks.
func (s *Store) OnStatusChange(h StatusHook) { s.statusHooks = append(s.statusHooks, h) }

// OnRequestCreated registers h for every request created through
// CreateRequest (bulk inserts of demo data do not run hooks).
func (s *Store) OnRequestCreated(h CreateHook) { s.createHooks = append(s.createHooks, h) }

// OnRequestOpened registers h to run last in the transaction that
// creates a request, after its number is given and its creation
// published: what h changes (automation rules assigning it) follows the
// creation as changes of their own. CreateRequest then returns the
// request as read back after commit.
func (s *Store) OnRequestOpened(h CreateHook) { s.openedHooks = append(s.openedHooks, h) }

func (s *Store) runStatusHooks(ctx context.Context, q Querier, c StatusChange) error {
	for _, h := range s.statusHooks {
		if err := h(ctx, q, c); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) runCreateHooks(ctx context.Context, q Querier, r *model.Request) error {
	for _, h := range s.createHooks {
		if err := h(ctx, q, r); err != nil {
			return err
		}
	}
	return nil
}

// TxOf returns the database driver's transaction behind q — *sql.Tx on
// SQLite, pgx.Tx on PostgreSQL — so that River can insert a job in the
// same transaction as the change that needs it; nil when q is not a
// transaction.
func TxOf(q Querier) any {
	switch v := q.(type) {
	case sqlQuerier:
		if tx, ok := v.q.(*sql.Tx); ok {
			return tx
		}
	case pgQuerier:
		if tx, ok := v.q.(pgx.Tx); ok {
			return tx
		}
	}
	return nil
}

// TagsChange is a change of a request's tags (a person's, the bulk
// bar's, a rule's add_tag), seen by a TagsHook after the tags and the
// timeline event are written.
type TagsChange struct {
	RequestID     int64
	Before, After []string
	At            time.Time
	By            Actor
}

// TagsHook runs inside the transaction of a tag change that changed
// something.
type TagsHook func(ctx context.Context, q Querier, c TagsChange) error

// OnTagsChanged registers h for every tag change made through
// ChangeTagsTx (so ChangeTags, bulk add_tags and AddTagIn).
func (s *Store) OnTagsChanged(h TagsHook) { s.tagsHooks = append(s.tagsHooks, h) }

func (s *Store) runTagsHooks(ctx context.Context, q Querier, c TagsChange) error {
	for _, h := range s.tagsHooks {
		if err := h(ctx, q, c); err != nil {
			return err
		}
	}
	return nil
}
