package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/aftercare/aftercare/internal/model"
)

const ruleColumns = `id, name, position, active, trigger_event, conditions, actions, idle_minutes, version, created_at, updated_at`

func scanRule(r Row, x *model.Rule) error {
	var cond, acts string
	if err := r.Scan(&x.ID, &x.Name, &x.Position, &x.Active, &x.Trigger, &cond, &acts, &x.IdleMinutes, &x.Version,
		&x.CreatedAt, &x.UpdatedAt); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(cond), &x.Conditions); err != nil {
		return fmt.Errorf("rule %d conditions: %w", x.ID, err)
	}
	if err := json.Unmarshal([]byte(acts), &x.Actions); err != nil {
		return fmt.Errorf("rule %d actions: %w", x.ID, err)
	}
	return nil
}

func ruleArgs(x *model.Rule) (string, string) {
	cond, _ := json.Marshal(x.Conditions)
	acts := x.Actions
	if acts == nil {
		acts = []model.RuleAction{}
	}
	a, _ := json.Marshal(acts)
	return string(cond), string(a)
}

func ruleTarget(x *model.Rule) string { return fmt.Sprintf("rule %d (%s)", x.ID, x.Name) }

// CreateRule stores a validated rule; a duplicate name is ECONFLICT.
func (s *Store) CreateRule(ctx context.Context, x *model.Rule, audit ...model.AuditEntry) error {
	x.CreatedAt = s.Now()
	x.UpdatedAt, x.Version = x.CreatedAt, 1
	cond, acts := ruleArgs(x)
	return s.Tx(ctx, func(q Querier) error {
		err := q.QueryRow(ctx, `INSERT INTO rules (name, position, active, trigger_event, conditions, actions, idle_minutes,
			version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8) RETURNING id`,
			x.Name, x.Position, x.Active, x.Trigger, cond, acts, x.IdleMinutes, x.CreatedAt).Scan(&x.ID)
		if err != nil {
			return conflict(err, "name", "a rule with this name already exists")
		}
		if err := newRulesVersion(ctx, q); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = ruleTarget(x)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// UpdateRule replaces rule x.ID with x when its stored version is still
// x.Version (ECONFLICT otherwise).
func (s *Store) UpdateRule(ctx context.Context, x *model.Rule, audit ...model.AuditEntry) error {
	now := s.Now()
	cond, acts := ruleArgs(x)
	return s.Tx(ctx, func(q Querier) error {
		n, err := q.Exec(ctx, `UPDATE rules SET name = $1, position = $2, active = $3, trigger_event = $4, conditions = $5,
			actions = $6, idle_minutes = $7, version = version + 1, updated_at = $8 WHERE id = $9 AND version = $10`,
			x.Name, x.Position, x.Active, x.Trigger, cond, acts, x.IdleMinutes, now, x.ID, x.Version)
		if err != nil {
			return conflict(err, "name", "a rule with this name already exists")
		}
		if n == 0 {
			var one int
			if err := q.QueryRow(ctx, "SELECT 1 FROM rules WHERE id = $1", x.ID).Scan(&one); err != nil {
				return notFound(err, "rule")
			}
			return model.Conflict("version", "the rule was changed meanwhile; reload and try again")
		}
		if err := newRulesVersion(ctx, q); err != nil {
			return err
		}
		x.Version++
		x.UpdatedAt = now
		for i := range audit {
			audit[i].Target = ruleTarget(x)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// DeleteRule removes a rule; what it did stays on the timelines.
func (s *Store) DeleteRule(ctx context.Context, id int64, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		var x model.Rule
		if err := scanRule(q.QueryRow(ctx, "SELECT "+ruleColumns+" FROM rules WHERE id = $1", id), &x); err != nil {
			return notFound(err, "rule")
		}
		if _, err := q.Exec(ctx, "DELETE FROM rules WHERE id = $1", id); err != nil {
			return err
		}
		if err := newRulesVersion(ctx, q); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = ruleTarget(&x)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// Rule returns one rule.
func (s *Store) Rule(ctx context.Context, id int64) (*model.Rule, error) {
	var x model.Rule
	if err := scanRule(s.Read().QueryRow(ctx, "SELECT "+ruleColumns+" FROM rules WHERE id = $1", id), &x); err != nil {
		return nil, notFound(err, "rule")
	}
	return &x, nil
}

// Rules returns every rule in evaluation order.
func (s *Store) Rules(ctx context.Context) ([]model.Rule, error) {
	return s.queryRules(ctx, s.Read(), "SELECT "+ruleColumns+" FROM rules ORDER BY position, id")
}

// ActiveRulesIn returns the active rules of trigger t in evaluation
// order, read in q (nil: the read pool).
func (s *Store) ActiveRulesIn(ctx context.Context, q Querier, t model.Trigger) ([]model.Rule, error) {
	if q == nil {
		q = s.Read()
	}
	return s.queryRules(ctx, q, "SELECT "+ruleColumns+" FROM rules WHERE trigger_event = $1 AND active ORDER BY position, id", t)
}

func (s *Store) queryRules(ctx context.Context, q Querier, query string, args ...any) ([]model.Rule, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Rule
	for rows.Next() {
		var x model.Rule
		if err := scanRule(rows, &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// RulesVersion returns the automation rules' version, read in q (nil: the
// read pool): every rule created, changed or deleted writes a new one, so
// the rules engine reads the active rules again only when it moved.
func (s *Store) RulesVersion(ctx context.Context, q Querier) (int64, error) {
	if q == nil {
		q = s.Read()
	}
	var v int64
	err := q.QueryRow(ctx, "SELECT version FROM rules_version WHERE id = 1").Scan(&v)
	return v, err
}

// newRulesVersion writes a new rules version in q: a random number rather
// than the next one, so that a version a rolled-back change wrote (and a
// node may have read in a shared SQLite transaction that then failed to
// commit) is not written again by a later change with other rules.
func newRulesVersion(ctx context.Context, q Querier) error {
	_, err := q.Exec(ctx, "UPDATE rules_version SET version = $1 WHERE id = 1", rand.Int64())
	return err
}
