package rules

import (
	"context"
	"sync"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// ruleCache keeps the active rules of each trigger read so far with the
// rules' version they were read at. Every change runs the rules of its
// trigger: reading and decoding them each time was about a tenth of the
// server's CPU at a few hundred creations a second. Rules change rarely,
// and every change writes a new version (in the database, so a change made
// through another node counts too): active asks only for the version and
// reads the rules again when it moved, as the SLA service does with
// calendars.
type ruleCache struct {
	mu      sync.Mutex
	version int64
	active  map[model.Trigger][]model.Rule // read-only once stored
}

// active returns the active rules of trigger t in evaluation order, read
// in q (nil: the read pool), or those read before at the current version.
// The caller must not change them.
func (s *Service) active(ctx context.Context, q store.Querier, t model.Trigger) ([]model.Rule, error) {
	v, err := s.store.RulesVersion(ctx, q)
	if err != nil {
		return nil, err
	}
	c := &s.cache
	c.mu.Lock()
	rules, ok := c.active[t]
	if c.version != v {
		ok = false
	}
	c.mu.Unlock()
	if ok {
		return rules, nil
	}
	if rules, err = s.store.ActiveRulesIn(ctx, q, t); err != nil {
		return nil, err
	}
	// Kept only when no change came between the two reads of the version
	// (on PostgreSQL each statement may see a later commit).
	if again, err := s.store.RulesVersion(ctx, q); err != nil || again != v {
		return rules, err
	}
	c.mu.Lock()
	if c.version != v || c.active == nil {
		c.version, c.active = v, map[model.Trigger][]model.Rule{}
	}
	c.active[t] = rules
	c.mu.Unlock()
	return rules, nil
}
