package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// Actor is who made a change and through which channel; it goes on the
// timeline.
type Actor struct {
	Kind    model.AuthorKind
	ID      *int64
	Name    string
	Channel model.Channel
}

// NewRequest is what CreateRequest needs; the store fills the number,
// status, version and times.
type NewRequest struct {
	Type        model.RequestType
	Priority    model.Priority
	Channel     model.Channel
	Subject     string
	Description string
	CustomerID  int64
	Serial      string // optional; must name a unit of the customer
	CategoryID  *int64
	TeamID      *int64
	AssigneeID  *int64
}

// CreateRequest inserts a service request with a new human-readable number
// (SR-<year>-<6 digits>, the year in the store's time zone) and its
// "created" timeline event, in one transaction.
func (s *Store) CreateRequest(ctx context.Context, in NewRequest, by Actor) (*model.Request, error) {
	return s.createRequestWith(ctx, in, by, nil)
}

// CreateRequestWithFiles is CreateRequest with the files sent along with
// it (already in the file store): they come on a first public message of
// the creator, without text, in the same transaction and under the upload
// limits lim; if anything fails, neither the request nor a file row is
// written (the caller removes the files from the file store).
func (s *Store) CreateRequestWithFiles(ctx context.Context, in NewRequest, files []*model.Attachment, by Actor, lim UploadLimits) (*model.Request, error) {
	if len(files) == 0 {
		return s.CreateRequest(ctx, in, by)
	}
	return s.createRequestWith(ctx, in, by, func(q Querier, r *model.Request, now time.Time) error {
		m := &model.Message{RequestID: r.ID, AuthorKind: by.Kind, AuthorID: by.ID, AuthorName: by.Name,
			Visibility: model.VisibilityPublic, Channel: by.Channel, CreatedAt: now}
		return s.insertMessage(ctx, q, m, r.Status, nil, files, by, lim)
	})
}

// createRequestWith is CreateRequest that lets then write what belongs
// with the new request (its repair, its return) in the same transaction.
func (s *Store) createRequestWith(ctx context.Context, in NewRequest, by Actor, then func(q Querier, r *model.Request, now time.Time) error) (*model.Request, error) {
	now := s.Now()
	r := &model.Request{
		Type: in.Type, Status: model.StatusNew, Priority: in.Priority, Channel: in.Channel,
		Subject: in.Subject, Description: in.Description, CustomerID: in.CustomerID,
		CategoryID: in.CategoryID, TeamID: in.TeamID, AssigneeID: in.AssigneeID,
		Version: 1, CreatedAt: now, UpdatedAt: now, Serial: strings.TrimSpace(in.Serial),
	}
	text := requestTextTerms(r.Subject, r.Description) // before the writer's queue: see request_index.go
	err := s.Tx(ctx, func(q Querier) error {
		if err := s.insertRequest(ctx, q, r, in, by, text); err != nil {
			return err
		}
		if then != nil {
			return then(q, r, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(s.openedHooks) == 0 {
		return r, nil
	}
	// What the opened hooks (automation rules) changed is read back.
	return s.RequestByNumber(ctx, r.Number)
}

// insertRequest inserts r (filled from in, times set) with its "created"
// event, number and search document, inside the caller's transaction;
// text is requestTextTerms of r's subject and description.
func (s *Store) insertRequest(ctx context.Context, q Querier, r *model.Request, in NewRequest, by Actor, text []string) error {
	now := r.CreatedAt
	if r.Serial != "" {
		var unitID, owner int64
		err := q.QueryRow(ctx, "SELECT id, customer_id FROM units WHERE serial = $1", r.Serial).Scan(&unitID, &owner)
		if model.IsNotFound(notFound(err, "unit")) || (err == nil && owner != in.CustomerID) {
			return model.FieldError("serial", "No registered product has the serial number “%s”; check the number, or register the product first.", r.Serial)
		} else if err != nil {
			return err
		}
		r.UnitID = &unitID
	}
	if err := s.checkRefs(ctx, q, r.CategoryID, r.TeamID, r.AssigneeID); err != nil {
		return err
	}
	// The counter row is the one hot spot on PostgreSQL: insert the
	// request first and take the number last, so the row lock is held
	// only until commit. SQLite has no such lock (one writer) and inserts
	// the request with its number.
	year := now.In(s.loc).Year()
	number := "tmp-" + rand.Text()
	if s.dialect == SQLite {
		var err error
		if number, err = nextNumber(ctx, q, year); err != nil {
			return err
		}
	}
	err := q.QueryRow(ctx, `INSERT INTO requests (number, type, status, priority, priority_rank, channel, subject,
		description, customer_id, unit_id, category_id, assignee_id, team_id, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id`,
		number, r.Type, r.Status, r.Priority, r.Priority.Rank(), r.Channel, r.Subject,
		r.Description, r.CustomerID, r.UnitID, r.CategoryID, r.AssigneeID, r.TeamID, now).Scan(&r.ID)
	if isForeignKey(err) {
		// The other references were checked above; the customer is
		// left to the foreign key, saving a round trip.
		return model.FieldError("customer_id", "There is no customer with id %d; choose the customer again.", in.CustomerID)
	} else if err != nil {
		return err
	}
	if err := insertEvent(ctx, q, r.ID, by, "created", "", string(r.Status), now); err != nil {
		return err
	}
	if err := s.runCreateHooks(ctx, q, r); err != nil {
		return err
	}
	hooks, err := s.subscribers(ctx, q, model.EventRequestCreated)
	if err != nil {
		return err
	}
	r.Number = number
	if s.dialect == Postgres {
		if r.Number, err = s.assignNumber(ctx, q, r.ID, year); err != nil {
			return err
		}
	}
	if err := s.indexNewRequestTx(ctx, q, r, text); err != nil {
		return err
	}
	err = s.publishTo(ctx, q, hooks, model.DomainEvent{Type: model.EventRequestCreated, At: now, ByKind: by.Kind, ByID: by.ID}, r.ID)
	if err != nil {
		return err
	}
	for _, h := range s.openedHooks {
		if err := h(ctx, q, r); err != nil {
			return err
		}
	}
	return nil
}

// checkRefs verifies that optional references exist, naming the field
// that does not.
func (s *Store) checkRefs(ctx context.Context, q Querier, categoryID, teamID, assigneeID *int64) error {
	checks := []struct {
		id    *int64
		table string
		field string
	}{{categoryID, "categories", "category_id"}, {teamID, "teams", "team_id"}, {assigneeID, "users", "assignee_id"}}
	for _, c := range checks {
		if c.id == nil {
			continue
		}
		var one int
		err := q.QueryRow(ctx, "SELECT 1 FROM "+c.table+" WHERE id = $1", *c.id).Scan(&one)
		if model.IsNotFound(notFound(err, c.field)) {
			return noSuchRef(c.field, c.table, *c.id)
		} else if err != nil {
			return err
		}
	}
	return nil
}

func insertEvent(ctx context.Context, q Querier, requestID int64, by Actor, kind, oldV, newV string, at time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO events (request_id, actor_kind, actor_id, actor_name, channel, kind, old_value, new_value, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, requestID, by.Kind, by.ID, by.Name, by.Channel, kind, oldV, newV, at)
	return err
}

// requestColumns and requestJoins read a request with the names of its
// customer, unit, assignee and team, from requests r.
const (
	requestColumns = `SELECT r.id, r.number, r.type, r.status, r.priority, r.channel, r.subject, r.description,
	r.customer_id, r.unit_id, COALESCE(un.serial, ''), r.category_id, r.assignee_id, r.team_id, r.version,
	r.created_at, r.updated_at, r.resolved_at, r.closed_at, c.name, COALESCE(a.name, ''), COALESCE(t.name, ''),
	r.sla_due_at, r.merged_into_id
	`
	requestJoins = `
	JOIN customers c ON c.id = r.customer_id
	LEFT JOIN units un ON un.id = r.unit_id
	LEFT JOIN users a ON a.id = r.assignee_id
	LEFT JOIN teams t ON t.id = r.team_id `
)

// requestSelect reads requests (scanRequest) from the whole table: for
// one request or a short list of them.
const requestSelect = requestColumns + "FROM requests r" + requestJoins

// requestPageSelect reads the requests that sub (a SELECT of requests
// rows, aliased r, with its ORDER BY and LIMIT) picks: the page is cut
// before the joins. Joined to the whole table and cut after, PostgreSQL
// sizes the join for a million rows — at that size it memoizes each
// lookup in hash tables it allocates and zeroes on every execution,
// about 40 ms of a 26-row page.
func requestPageSelect(sub string) string {
	return requestColumns + "FROM (" + sub + ") r" + requestJoins
}

func scanRequest(row Row, r *model.Request) error {
	return row.Scan(&r.ID, &r.Number, &r.Type, &r.Status, &r.Priority, &r.Channel, &r.Subject, &r.Description,
		&r.CustomerID, &r.UnitID, &r.Serial, &r.CategoryID, &r.AssigneeID, &r.TeamID, &r.Version,
		&r.CreatedAt, &r.UpdatedAt, &r.ResolvedAt, &r.ClosedAt, &r.CustomerName, &r.AssigneeName, &r.TeamName,
		&r.SLADueAt, &r.MergedIntoID)
}

// RequestByNumber returns one request with display names filled in.
func (s *Store) RequestByNumber(ctx context.Context, number string) (*model.Request, error) {
	var r model.Request
	if err := scanRequest(s.Read().QueryRow(ctx, requestSelect+"WHERE r.number = $1", number), &r); err != nil {
		return nil, notFound(err, "request")
	}
	var err error
	if r.Tags, err = requestTags(ctx, s.Read(), r.ID); err != nil {
		return nil, err
	}
	if r.MergedIntoID != nil {
		if r.MergedInto, err = s.RequestNumberByID(ctx, *r.MergedIntoID); err != nil {
			return nil, err
		}
	}
	return &r, nil
}

// lockRequest reads a request's mutable fields inside a transaction,
// locking its row on PostgreSQL.
func (s *Store) lockRequest(ctx context.Context, q Querier, number string) (*model.Request, error) {
	var r model.Request
	err := q.QueryRow(ctx, `SELECT id, type, status, priority, customer_id, unit_id, category_id, assignee_id, team_id,
		version, created_at, resolved_at, closed_at
		FROM requests WHERE number = $1`+s.forUpdate(), number).
		Scan(&r.ID, &r.Type, &r.Status, &r.Priority, &r.CustomerID, &r.UnitID, &r.CategoryID, &r.AssigneeID, &r.TeamID,
			&r.Version, &r.CreatedAt, &r.ResolvedAt, &r.ClosedAt)
	if err != nil {
		return nil, notFound(err, "request")
	}
	r.Number = number
	return &r, nil
}

// StatusCheck may veto a transition after the workflow allowed it (for
// example a reopen after the reopen period).
type StatusCheck func(current *model.Request, to model.Status) error

// ChangeStatus moves a request to status to, if the workflow allows it
// from the current status (ECONFLICT otherwise), and records the event.
// The row is locked, so two concurrent changes are applied one after the
// other, each checked against the status the other left.
func (s *Store) ChangeStatus(ctx context.Context, number string, to model.Status, by Actor, check StatusCheck) (*model.Request, error) {
	err := s.Tx(ctx, func(q Querier) error {
		cur, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		if cur.Status == to {
			return nil // already there (set meanwhile by someone else): nothing to do
		}
		if !model.CanTransition(cur.Status, to) {
			return model.Conflict("status", "cannot change status from %s to %s", cur.Status, to)
		}
		if check != nil {
			if err := check(cur, to); err != nil {
				return err
			}
		}
		from, now := cur.Status, s.Now()
		if err := s.setStatus(ctx, q, cur, to, by, now); err != nil {
			return err
		}
		cur.Status = to
		return s.runStatusHooks(ctx, q, StatusChange{Request: cur, From: from, To: to, At: now, By: by})
	})
	if err != nil {
		return nil, err
	}
	return s.RequestByNumber(ctx, number)
}

func (s *Store) setStatus(ctx context.Context, q Querier, cur *model.Request, to model.Status, by Actor, now time.Time) error {
	set := "status = $1, version = version + 1, updated_at = $2"
	switch to {
	case model.StatusResolved:
		set += ", resolved_at = $2"
	case model.StatusClosed:
		set += ", closed_at = $2"
	case model.StatusOpen:
		set += ", closed_at = NULL"
	}
	if _, err := q.Exec(ctx, "UPDATE requests SET "+set+" WHERE id = $3", to, now, cur.ID); err != nil {
		return err
	}
	kind := "status"
	if model.IsReopen(cur.Status, to) {
		kind = "reopened"
	}
	if err := insertEvent(ctx, q, cur.ID, by, kind, string(cur.Status), string(to), now); err != nil {
		return err
	}
	return s.publish(ctx, q, model.DomainEvent{Type: model.EventRequestStatusChanged, At: now, From: cur.Status, To: to,
		ByKind: by.Kind, ByID: by.ID}, cur.ID)
}

// PatchRequest applies patch if patch.Version is the current version
// (ECONFLICT otherwise: someone else changed the request meanwhile), bumps
// the version and records one event per changed field.
func (s *Store) PatchRequest(ctx context.Context, number string, patch model.RequestPatch, by Actor) (*model.Request, error) {
	err := s.Tx(ctx, func(q Querier) error {
		cur, err := s.lockRequest(ctx, q, number)
		if err != nil {
			return err
		}
		if cur.Version != patch.Version {
			return model.StaleVersion(cur.Version, "the request was changed meanwhile by someone else; reload it and make your change again")
		}
		return s.patchTx(ctx, q, cur, patch, by)
	})
	if err != nil {
		return nil, err
	}
	return s.RequestByNumber(ctx, number)
}

// patchTx applies patch to the locked request cur inside the caller's
// transaction (the version already checked): one event per changed field,
// the patch hooks and one request.updated.
func (s *Store) patchTx(ctx context.Context, q Querier, cur *model.Request, patch model.RequestPatch, by Actor) error {
	clear0 := func(p *int64) *int64 {
		if p != nil && *p == 0 {
			return nil
		}
		return p
	}
	next := *cur
	if patch.Priority != nil {
		next.Priority = *patch.Priority
	}
	if patch.CategoryID != nil {
		next.CategoryID = clear0(patch.CategoryID)
	}
	if patch.TeamID != nil {
		next.TeamID = clear0(patch.TeamID)
	}
	if patch.AssigneeID != nil {
		next.AssigneeID = clear0(patch.AssigneeID)
	}
	return s.applyPatch(ctx, q, cur, &next, by)
}

// applyPatch writes next (cur with some of priority, type, category, team
// and assignee changed) in the transaction q: one event per changed
// field, the patch hooks and the request.updated webhook event. cur is
// the locked row.
func (s *Store) applyPatch(ctx context.Context, q Querier, cur, next *model.Request, by Actor) error {
	if err := s.checkRefs(ctx, q, next.CategoryID, next.TeamID, next.AssigneeID); err != nil {
		return err
	}
	now := s.Now()
	if _, err := q.Exec(ctx, `UPDATE requests SET priority = $1, priority_rank = $2, category_id = $3, team_id = $4,
		assignee_id = $5, type = $6, version = version + 1, updated_at = $7 WHERE id = $8`,
		next.Priority, next.Priority.Rank(), next.CategoryID, next.TeamID, next.AssigneeID, next.Type, now, cur.ID); err != nil {
		return err
	}
	changes := []struct {
		kind     string
		old, new string
	}{
		{"priority", string(cur.Priority), string(next.Priority)},
		{"type", string(cur.Type), string(next.Type)},
		{"category", idString(cur.CategoryID), idString(next.CategoryID)},
		{"team", idString(cur.TeamID), idString(next.TeamID)},
		{"assignee", idString(cur.AssigneeID), idString(next.AssigneeID)},
	}
	var changed []model.FieldChange
	for _, c := range changes {
		if c.old != c.new {
			if err := insertEvent(ctx, q, cur.ID, by, c.kind, c.old, c.new, now); err != nil {
				return err
			}
			field := c.kind // the API's name: priority, category_id, team_id, assignee_id
			if field != "priority" && field != "type" {
				field += "_id"
			}
			changed = append(changed, model.FieldChange{Field: field, From: c.old, To: c.new})
		}
	}
	if len(changed) == 0 {
		return nil
	}
	for _, h := range s.patchHooks {
		if err := h(ctx, q, PatchChange{Before: cur, After: next, At: now, By: by}); err != nil {
			return err
		}
	}
	return s.publish(ctx, q, model.DomainEvent{Type: model.EventRequestUpdated, At: now, Changes: changed,
		ByKind: by.Kind, ByID: by.ID}, cur.ID)
}

func idString(p *int64) string {
	if p == nil {
		return ""
	}
	return fmt.Sprint(*p)
}

// AutoClose closes resolved requests resolved before cutoff and returns
// how many it closed. Each close is an event by the system.
func (s *Store) AutoClose(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	// A complaint waits for its follow-up call (ComplaintClosableTx):
	// leaving it out here keeps such complaints from filling every batch.
	rows, err := s.Read().Query(ctx, `SELECT number FROM requests WHERE status = $1 AND resolved_at < $2
		AND (type <> 'complaint' OR EXISTS (SELECT 1 FROM followups f WHERE f.request_id = requests.id AND f.status = 'done'))
		ORDER BY resolved_at LIMIT $3`, model.StatusResolved, cutoff, limit)
	if err != nil {
		return 0, err
	}
	var numbers []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return 0, err
		}
		numbers = append(numbers, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	closed := 0
	system := Actor{Kind: model.AuthorSystem, Name: "auto-close", Channel: model.ChannelAPI}
	for _, n := range numbers {
		_, err := s.ChangeStatus(ctx, n, model.StatusClosed, system, func(cur *model.Request, _ model.Status) error {
			if cur.Status != model.StatusResolved {
				return model.Errorf(model.ECONFLICT, "no longer resolved")
			}
			return nil
		})
		if err == nil {
			closed++
		} else if model.ErrorCode(err) != model.ECONFLICT {
			return closed, err
		}
	}
	return closed, nil
}
