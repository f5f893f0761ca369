package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/aftercare/aftercare/internal/model"
)

const slaPolicyColumns = `id, name, position, conditions, calendar_id, first_response_minutes, next_response_minutes,
	resolution_minutes, pause_statuses, warn_before_minutes, version, created_at, updated_at`

func scanSLAPolicy(r Row, p *model.SLAPolicy) error {
	var cond, pauses string
	if err := r.Scan(&p.ID, &p.Name, &p.Position, &cond, &p.CalendarID, &p.FirstResponseMinutes, &p.NextResponseMinutes,
		&p.ResolutionMinutes, &pauses, &p.WarnBeforeMinutes, &p.Version, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(cond), &p.Conditions); err != nil {
		return fmt.Errorf("sla policy %d conditions: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(pauses), &p.PauseStatuses); err != nil {
		return fmt.Errorf("sla policy %d pause statuses: %w", p.ID, err)
	}
	return nil
}

func policyArgs(p *model.SLAPolicy) (string, string) {
	cond, _ := json.Marshal(p.Conditions)
	pauses := p.PauseStatuses
	if pauses == nil {
		pauses = []model.Status{}
	}
	ps, _ := json.Marshal(pauses)
	return string(cond), string(ps)
}

// checkPolicyRefs names the field of a reference that does not exist.
func checkPolicyRefs(ctx context.Context, q Querier, p *model.SLAPolicy) error {
	var one int
	if err := q.QueryRow(ctx, "SELECT 1 FROM calendars WHERE id = $1", p.CalendarID).Scan(&one); err != nil {
		if model.IsNotFound(notFound(err, "calendar")) {
			return model.FieldError("calendar_id", "There is no business calendar with id %d; choose one of the calendars.", p.CalendarID)
		}
		return err
	}
	if t := p.Conditions.Tier; t != "" {
		if err := q.QueryRow(ctx, "SELECT 1 FROM customer_tiers WHERE key = $1", t).Scan(&one); err != nil {
			if model.IsNotFound(notFound(err, "tier")) {
				return model.FieldError("conditions.tier", "There is no customer tier with the key “%s”; choose one of the tiers.", t)
			}
			return err
		}
	}
	checks := []struct {
		id           int64
		table, field string
	}{{p.Conditions.CategoryID, "categories", "conditions.category_id"}, {p.Conditions.TeamID, "teams", "conditions.team_id"}}
	for _, c := range checks {
		if c.id == 0 {
			continue
		}
		if err := q.QueryRow(ctx, "SELECT 1 FROM "+c.table+" WHERE id = $1", c.id).Scan(&one); err != nil {
			if model.IsNotFound(notFound(err, c.field)) {
				return noSuchRef(c.field, c.table, c.id)
			}
			return err
		}
	}
	return nil
}

func policyTarget(p *model.SLAPolicy) string { return fmt.Sprintf("SLA policy %d (%s)", p.ID, p.Name) }

// CreateSLAPolicy stores a validated policy; a duplicate name is
// ECONFLICT, an unknown calendar, tier, category or team names its field.
func (s *Store) CreateSLAPolicy(ctx context.Context, p *model.SLAPolicy, audit ...model.AuditEntry) error {
	p.CreatedAt = s.Now()
	p.UpdatedAt, p.Version = p.CreatedAt, 1
	cond, pauses := policyArgs(p)
	return s.Tx(ctx, func(q Querier) error {
		if err := checkPolicyRefs(ctx, q, p); err != nil {
			return err
		}
		err := q.QueryRow(ctx, `INSERT INTO sla_policies (name, position, conditions, calendar_id, first_response_minutes,
			next_response_minutes, resolution_minutes, pause_statuses, warn_before_minutes, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id`,
			p.Name, p.Position, cond, p.CalendarID, p.FirstResponseMinutes, p.NextResponseMinutes, p.ResolutionMinutes,
			pauses, p.WarnBeforeMinutes, p.CreatedAt).Scan(&p.ID)
		if err != nil {
			return conflict(err, "name", "an SLA policy with this name already exists")
		}
		if err := newSLAPoliciesVersion(ctx, q); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = policyTarget(p)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// UpdateSLAPolicy replaces policy p.ID with p when its stored version is
// still p.Version (ECONFLICT otherwise). Requests keep the targets they
// were given.
func (s *Store) UpdateSLAPolicy(ctx context.Context, p *model.SLAPolicy, audit ...model.AuditEntry) error {
	now := s.Now()
	cond, pauses := policyArgs(p)
	return s.Tx(ctx, func(q Querier) error {
		if err := checkPolicyRefs(ctx, q, p); err != nil {
			return err
		}
		n, err := q.Exec(ctx, `UPDATE sla_policies SET name = $1, position = $2, conditions = $3, calendar_id = $4,
			first_response_minutes = $5, next_response_minutes = $6, resolution_minutes = $7, pause_statuses = $8,
			warn_before_minutes = $9, version = version + 1, updated_at = $10 WHERE id = $11 AND version = $12`,
			p.Name, p.Position, cond, p.CalendarID, p.FirstResponseMinutes, p.NextResponseMinutes, p.ResolutionMinutes,
			pauses, p.WarnBeforeMinutes, now, p.ID, p.Version)
		if err != nil {
			return conflict(err, "name", "an SLA policy with this name already exists")
		}
		if n == 0 {
			return model.Conflict("version", "the SLA policy was changed meanwhile; reload and try again")
		}
		if err := newSLAPoliciesVersion(ctx, q); err != nil {
			return err
		}
		p.Version++
		p.UpdatedAt = now
		for i := range audit {
			audit[i].Target = policyTarget(p)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// DeleteSLAPolicy removes a policy; requests that had it keep their
// clocks and its name.
func (s *Store) DeleteSLAPolicy(ctx context.Context, id int64, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		var p model.SLAPolicy
		if err := scanSLAPolicy(q.QueryRow(ctx, "SELECT "+slaPolicyColumns+" FROM sla_policies WHERE id = $1", id), &p); err != nil {
			return notFound(err, "SLA policy")
		}
		if _, err := q.Exec(ctx, "DELETE FROM sla_policies WHERE id = $1", id); err != nil {
			return err
		}
		if err := newSLAPoliciesVersion(ctx, q); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = policyTarget(&p)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// SLAPolicyByID returns one policy.
func (s *Store) SLAPolicyByID(ctx context.Context, id int64) (*model.SLAPolicy, error) {
	var p model.SLAPolicy
	if err := scanSLAPolicy(s.Read().QueryRow(ctx, "SELECT "+slaPolicyColumns+" FROM sla_policies WHERE id = $1", id), &p); err != nil {
		return nil, notFound(err, "SLA policy")
	}
	return &p, nil
}

// SLAPolicies returns every policy in matching order (position, then id).
// There are a handful; q is the caller's transaction or s.Read().
func (s *Store) SLAPolicies(ctx context.Context, q Querier) ([]model.SLAPolicy, error) {
	if q == nil {
		q = s.Read()
	}
	rows, err := q.Query(ctx, "SELECT "+slaPolicyColumns+" FROM sla_policies ORDER BY position, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.SLAPolicy
	for rows.Next() {
		var p model.SLAPolicy
		if err := scanSLAPolicy(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const tierColumns = `key, name, name_zh, position, response_minutes, resolution_minutes, compensation, compensation_zh,
	created_at, updated_at`

func scanTier(r Row, t *model.Tier) error {
	return r.Scan(&t.Key, &t.Name, &t.NameZH, &t.Position, &t.ResponseMinutes, &t.ResolutionMinutes,
		&t.Compensation, &t.CompensationZH, &t.CreatedAt, &t.UpdatedAt)
}

// SaveTier creates tier t.Key or replaces its fields.
func (s *Store) SaveTier(ctx context.Context, t *model.Tier, audit ...model.AuditEntry) error {
	now := s.Now()
	return s.Tx(ctx, func(q Querier) error {
		err := scanTier(q.QueryRow(ctx, `INSERT INTO customer_tiers (key, name, name_zh, position, response_minutes,
			resolution_minutes, compensation, compensation_zh, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
			ON CONFLICT (key) DO UPDATE SET name = excluded.name, name_zh = excluded.name_zh, position = excluded.position,
			response_minutes = excluded.response_minutes, resolution_minutes = excluded.resolution_minutes,
			compensation = excluded.compensation, compensation_zh = excluded.compensation_zh, updated_at = excluded.updated_at
			RETURNING `+tierColumns, t.Key, t.Name, t.NameZH, t.Position, t.ResponseMinutes, t.ResolutionMinutes,
			t.Compensation, t.CompensationZH, now), t)
		if err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = "tier " + t.Key
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// DeleteTier removes a tier no customer and no policy uses (ECONFLICT
// otherwise).
func (s *Store) DeleteTier(ctx context.Context, key string, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		var n int
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM customers WHERE tier = $1", key).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return model.Conflict("key", "%d customers have this tier; move them first", n)
		}
		pols, err := s.SLAPolicies(ctx, q)
		if err != nil {
			return err
		}
		for _, p := range pols {
			if p.Conditions.Tier == key {
				return model.Conflict("key", "SLA policy %q matches this tier; change it first", p.Name)
			}
		}
		res, err := q.Exec(ctx, "DELETE FROM customer_tiers WHERE key = $1", key)
		if err != nil {
			return err
		}
		if res == 0 {
			return model.Errorf(model.ENOTFOUND, "tier not found")
		}
		for i := range audit {
			audit[i].Target = "tier " + key
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// Tiers returns every customer tier in display order.
func (s *Store) Tiers(ctx context.Context) ([]model.Tier, error) {
	rows, err := s.Read().Query(ctx, "SELECT "+tierColumns+" FROM customer_tiers ORDER BY position, key")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Tier
	for rows.Next() {
		var t model.Tier
		if err := scanTier(rows, &t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TierByKey returns one tier.
func (s *Store) TierByKey(ctx context.Context, key string) (*model.Tier, error) {
	var t model.Tier
	if err := scanTier(s.Read().QueryRow(ctx, "SELECT "+tierColumns+" FROM customer_tiers WHERE key = $1", key), &t); err != nil {
		return nil, notFound(err, "tier")
	}
	return &t, nil
}

// CustomerTier returns a customer's tier key ("" for none); q may be a
// transaction or nil (s.Read()).
func (s *Store) CustomerTier(ctx context.Context, q Querier, customerID int64) (string, error) {
	if q == nil {
		q = s.Read()
	}
	var tier *string
	if err := q.QueryRow(ctx, "SELECT tier FROM customers WHERE id = $1", customerID).Scan(&tier); err != nil {
		return "", notFound(err, "customer")
	}
	if tier == nil {
		return "", nil
	}
	return *tier, nil
}

// SetCustomerTier gives a customer a tier ("" for none); an unknown tier
// is an error on the field tier. Requests already open keep their
// targets.
func (s *Store) SetCustomerTier(ctx context.Context, customerID int64, tier string, audit ...model.AuditEntry) error {
	return s.Tx(ctx, func(q Querier) error {
		old, err := s.CustomerTier(ctx, q, customerID)
		if err != nil {
			return err
		}
		if tier != "" {
			var one int
			if err := q.QueryRow(ctx, "SELECT 1 FROM customer_tiers WHERE key = $1", tier).Scan(&one); err != nil {
				if model.IsNotFound(notFound(err, "tier")) {
					return model.FieldError("tier", "There is no customer tier with the key “%s”; choose one of the tiers.", tier)
				}
				return err
			}
		}
		if old == tier {
			return nil
		}
		if _, err := q.Exec(ctx, "UPDATE customers SET tier = $1 WHERE id = $2", nullable(tier), customerID); err != nil {
			return err
		}
		for i := range audit {
			audit[i].Target = fmt.Sprintf("customer %d", customerID)
			audit[i].Detail = fmt.Sprintf("tier: %q → %q", old, tier)
		}
		return s.insertAudit(ctx, q, audit...)
	})
}

// SLAPoliciesVersion returns the SLA policies' version, read in q (nil:
// the read pool): every policy created, changed or deleted writes a new
// one, so the SLA service reads the policies again only when it moved.
func (s *Store) SLAPoliciesVersion(ctx context.Context, q Querier) (int64, error) {
	if q == nil {
		q = s.Read()
	}
	var v int64
	err := q.QueryRow(ctx, "SELECT version FROM sla_policies_version WHERE id = 1").Scan(&v)
	return v, err
}

// newSLAPoliciesVersion writes a new SLA policies version in q: a random
// number rather than the next one, for the reason newRulesVersion gives.
func newSLAPoliciesVersion(ctx context.Context, q Querier) error {
	_, err := q.Exec(ctx, "UPDATE sla_policies_version SET version = $1 WHERE id = 1", rand.Int64())
	return err
}
