package store

import (
	"context"
	"fmt"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// What automation rules read and write inside the transaction of the
// change that triggered them (internal/rules): the request's fields, its
// changes (through the same patch as a person's, so its hooks and
// webhooks run), agents to assign, tasks, replies and timeline entries.

// RuleSubject is what a rule's conditions look at: the request's fields
// and what they point to.
type RuleSubject struct {
	Request *model.Request
	// Tier is the customer's tier key ("" when none).
	Tier string
	// ProductCategory is the category of the unit's product model ("" when
	// the request names no unit); CategoryName the request category's
	// English name.
	ProductCategory string
	CategoryName    string
	Tags            []string
}

// ruleSubjectSelect reads a request (scanRequest) followed by its
// customer's tier, its product's category and its category's name.
const ruleSubjectSelect = requestColumns + `, COALESCE(c.tier, ''), COALESCE(p.category, ''), COALESCE(cat.name_en, '')
	FROM requests r` + requestJoins + `LEFT JOIN products p ON p.id = un.product_id
	LEFT JOIN categories cat ON cat.id = r.category_id
	WHERE r.id = $1`

// RuleSubjectIn reads request id with what its conditions need, in q: the
// request and the rest in one query, then its tags.
func (s *Store) RuleSubjectIn(ctx context.Context, q Querier, id int64) (*RuleSubject, error) {
	var r model.Request
	x := &RuleSubject{Request: &r}
	row := rowWith{row: q.QueryRow(ctx, ruleSubjectSelect, id), extra: []any{&x.Tier, &x.ProductCategory, &x.CategoryName}}
	if err := scanRequest(row, &r); err != nil {
		return nil, notFound(err, "request")
	}
	var err error
	x.Tags, err = s.requestTagsIn(ctx, q, id)
	return x, err
}

// rowWith scans row into the destinations it is given followed by extra.
type rowWith struct {
	row   Row
	extra []any
}

// Scan implements Row.
func (w rowWith) Scan(dest ...any) error { return w.row.Scan(append(dest, w.extra...)...) }

// RulePatchIn changes request id as change says, in q, through the same
// path as a person's change (events, hooks, webhooks); nothing is written
// when change leaves the request as it was. It reports whether anything
// changed.
func (s *Store) RulePatchIn(ctx context.Context, q Querier, id int64, change func(next *model.Request), by Actor) (bool, error) {
	cur, err := s.LockRequestByID(ctx, q, id)
	if err != nil {
		return false, err
	}
	next := *cur
	change(&next)
	if next.Priority == cur.Priority && next.Type == cur.Type && eqPtr(next.CategoryID, cur.CategoryID) &&
		eqPtr(next.TeamID, cur.TeamID) && eqPtr(next.AssigneeID, cur.AssigneeID) {
		return false, nil
	}
	return true, s.applyPatch(ctx, q, cur, &next, by)
}

func eqPtr(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// SetCustomerTierIn sets the tier of request id's customer in q and
// records it on the request's timeline; an unknown tier names the field
// "value". It reports whether the tier changed.
func (s *Store) SetCustomerTierIn(ctx context.Context, q Querier, id int64, tier string, by Actor) (bool, error) {
	var customerID int64
	var old string
	if err := q.QueryRow(ctx, `SELECT c.id, COALESCE(c.tier, '') FROM requests r JOIN customers c ON c.id = r.customer_id
		WHERE r.id = $1`, id).Scan(&customerID, &old); err != nil {
		return false, notFound(err, "request")
	}
	if old == tier {
		return false, nil
	}
	var one int
	if err := q.QueryRow(ctx, "SELECT 1 FROM customer_tiers WHERE key = $1", tier).Scan(&one); err != nil {
		if model.IsNotFound(notFound(err, "tier")) {
			return false, model.FieldError("value", "There is no customer tier with the key “%s”; choose one of the tiers.", tier)
		}
		return false, err
	}
	if _, err := q.Exec(ctx, "UPDATE customers SET tier = $1 WHERE id = $2", tier, customerID); err != nil {
		return false, err
	}
	return true, insertEvent(ctx, q, id, by, "tier", old, tier, s.Now())
}

// RuleEventIn puts what a rule did on request id's timeline: the rule's
// name and a summary of the action.
func (s *Store) RuleEventIn(ctx context.Context, q Querier, id int64, rule, summary string) error {
	by := Actor{Kind: model.AuthorSystem, Name: rule, Channel: model.ChannelAPI}
	return insertEvent(ctx, q, id, by, "rule", rule, summary, s.Now())
}

// openStatuses are the statuses of work still to do (least_loaded).
const openStatuses = "('new', 'open', 'pending', 'on_hold')"

// PickAgentIn chooses an active member of team to assign a request to:
// round_robin takes the member after the one chosen last (by id, per
// team); least_loaded the member with the fewest open requests;
// skill the member whose level in skill is highest (at least minLevel),
// then the least loaded. The team's round-robin row is locked, so
// concurrent picks for one team take turns. It returns 0 when nobody
// qualifies.
func (s *Store) PickAgentIn(ctx context.Context, q Querier, team int64, strategy, skill string, minLevel int) (int64, error) {
	if _, err := q.Exec(ctx, `INSERT INTO round_robin (team_id, last_user_id) VALUES ($1, 0)
		ON CONFLICT (team_id) DO NOTHING`, team); err != nil {
		if isForeignKey(err) {
			return 0, model.FieldError("team_id", "There is no team with id %d; choose one of the teams.", team)
		}
		return 0, err
	}
	var last int64
	if err := q.QueryRow(ctx, "SELECT last_user_id FROM round_robin WHERE team_id = $1"+s.forUpdate(), team).Scan(&last); err != nil {
		return 0, err
	}
	load := `(SELECT COUNT(*) FROM requests r WHERE r.assignee_id = u.id AND r.status IN ` + openStatuses + `)`
	var id int64
	var err error
	switch strategy {
	case model.StrategyRoundRobin:
		err = q.QueryRow(ctx, `SELECT id FROM users u WHERE team_id = $1 AND active
			ORDER BY CASE WHEN id > $2 THEN 0 ELSE 1 END, id LIMIT 1`, team, last).Scan(&id)
	case model.StrategyLeastLoaded:
		err = q.QueryRow(ctx, `SELECT u.id FROM users u WHERE u.team_id = $1 AND u.active
			ORDER BY `+load+`, u.id LIMIT 1`, team).Scan(&id)
	case model.StrategySkill:
		if minLevel < 1 {
			minLevel = 1
		}
		err = q.QueryRow(ctx, `SELECT u.id FROM users u JOIN user_skills k ON k.user_id = u.id
			WHERE u.team_id = $1 AND u.active AND lower(k.skill) = lower($2) AND k.level >= $3
			ORDER BY k.level DESC, `+load+`, u.id LIMIT 1`, team, skill, minLevel).Scan(&id)
	default:
		return 0, fmt.Errorf("store: unknown assignment strategy %q", strategy)
	}
	if model.IsNotFound(notFound(err, "agent")) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	_, err = q.Exec(ctx, "UPDATE round_robin SET last_user_id = $1 WHERE team_id = $2", id, team)
	return id, err
}

// TeamMembersIn returns the ids of team's active members.
func (s *Store) TeamMembersIn(ctx context.Context, q Querier, team int64) ([]int64, error) {
	rows, err := q.Query(ctx, "SELECT id FROM users WHERE team_id = $1 AND active ORDER BY id", team)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// RuleReplyIn adds a public reply by the system to request id in q, as
// AddMessage does (hooks, webhooks, the customer's e-mail).
func (s *Store) RuleReplyIn(ctx context.Context, q Querier, id int64, body string, by Actor) (*model.Message, error) {
	var status model.Status
	if err := q.QueryRow(ctx, "SELECT status FROM requests WHERE id = $1", id).Scan(&status); err != nil {
		return nil, notFound(err, "request")
	}
	m := &model.Message{RequestID: id, AuthorKind: model.AuthorSystem, AuthorName: by.Name,
		Visibility: model.VisibilityPublic, Channel: by.Channel, Body: body, CreatedAt: s.Now()}
	return m, s.insertMessage(ctx, q, m, status, nil, nil, by, UploadLimits{})
}

// CreateTaskIn stores a follow-up task on a request in q.
func (s *Store) CreateTaskIn(ctx context.Context, q Querier, t *model.RequestTask) error {
	t.CreatedAt = s.Now()
	return q.QueryRow(ctx, `INSERT INTO request_tasks (request_id, title, due_at, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, t.RequestID, t.Title, t.DueAt, t.CreatedBy, t.CreatedAt).Scan(&t.ID)
}

// RequestTasks returns a request's follow-up tasks in order.
func (s *Store) RequestTasks(ctx context.Context, requestID int64) ([]model.RequestTask, error) {
	rows, err := s.Read().Query(ctx, `SELECT id, request_id, title, due_at, done_at, created_by, created_at
		FROM request_tasks WHERE request_id = $1 ORDER BY id`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.RequestTask
	for rows.Next() {
		var t model.RequestTask
		if err := rows.Scan(&t.ID, &t.RequestID, &t.Title, &t.DueAt, &t.DoneAt, &t.CreatedBy, &t.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// IdleCandidate is an open request that has not been updated since
// UpdatedAt, with the calendar its business time is counted in.
type IdleCandidate struct {
	RequestID  int64
	UpdatedAt  time.Time
	CalendarID *int64
}

// IdleCandidates returns up to limit open requests not updated since
// before, oldest first, for which rule has not fired since their last
// update (requests_updated serves the range).
func (s *Store) IdleCandidates(ctx context.Context, rule int64, before time.Time, limit int) ([]IdleCandidate, error) {
	rows, err := s.Read().Query(ctx, `SELECT r.id, r.updated_at, COALESCE(rs.calendar_id, t.calendar_id)
		FROM requests r LEFT JOIN request_sla rs ON rs.request_id = r.id LEFT JOIN teams t ON t.id = r.team_id
		WHERE r.updated_at <= $1 AND r.status IN `+openStatuses+`
		AND NOT EXISTS (SELECT 1 FROM rule_idle_fires f WHERE f.rule_id = $2 AND f.request_id = r.id AND f.updated_at = r.updated_at)
		ORDER BY r.updated_at, r.id LIMIT $3`, before, rule, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IdleCandidate
	for rows.Next() {
		var c IdleCandidate
		if err := rows.Scan(&c.RequestID, &c.UpdatedAt, &c.CalendarID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MarkIdleIn records in q that rule fires for c's quiet stretch, with
// the request locked; false when the request was updated meanwhile or
// the rule fired for this stretch already.
func (s *Store) MarkIdleIn(ctx context.Context, q Querier, rule int64, c IdleCandidate) (bool, error) {
	var updated time.Time
	if err := q.QueryRow(ctx, "SELECT updated_at FROM requests WHERE id = $1"+s.forUpdate(), c.RequestID).Scan(&updated); err != nil {
		return false, notFound(err, "request")
	}
	if !updated.Equal(c.UpdatedAt) {
		return false, nil
	}
	n, err := q.Exec(ctx, `INSERT INTO rule_idle_fires (rule_id, request_id, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, rule, c.RequestID, c.UpdatedAt)
	return n == 1, err
}

// KeepIdleIn records in q that rule has fired for the request's quiet
// stretch as it stands now, after the rule's own actions ran: a change the
// rule made itself (a tag, a priority) does not start a new stretch for the
// same rule, which would otherwise fire again every idle_minutes.
func (s *Store) KeepIdleIn(ctx context.Context, q Querier, rule, requestID int64) error {
	_, err := q.Exec(ctx, `INSERT INTO rule_idle_fires (rule_id, request_id, updated_at)
		SELECT $1, id, updated_at FROM requests WHERE id = $2
		ON CONFLICT DO NOTHING`, rule, requestID)
	return err
}
