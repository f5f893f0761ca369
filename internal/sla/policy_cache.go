package sla

import (
	"context"
	"sync"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// policyCache keeps the SLA policies read last with the policies' version
// they were read at. Every new request is matched against them: reading
// and decoding them each time was about a twentieth of the server's CPU at
// a few hundred creations a second. Policies change rarely, and every
// change writes a new version (in the database, so a change made through
// another node counts too): policies asks only for the version and reads
// them again when it moved, as the rules engine does with its rules.
type policyCache struct {
	mu       sync.Mutex
	version  int64
	read     bool
	policies []model.SLAPolicy // read-only once stored
}

// policies returns every SLA policy in matching order, read in q, or
// those read before at the current version. The caller must not change
// them (their slices are shared).
func (s *Service) policies(ctx context.Context, q store.Querier) ([]model.SLAPolicy, error) {
	v, err := s.store.SLAPoliciesVersion(ctx, q)
	if err != nil {
		return nil, err
	}
	c := &s.policyCache
	c.mu.Lock()
	pols, ok := c.policies, c.read && c.version == v
	c.mu.Unlock()
	if ok {
		return pols, nil
	}
	if pols, err = s.store.SLAPolicies(ctx, q); err != nil {
		return nil, err
	}
	// Kept only when no change came between the two reads of the version
	// (on PostgreSQL each statement may see a later commit).
	if again, err := s.store.SLAPoliciesVersion(ctx, q); err != nil || again != v {
		return pols, err
	}
	c.mu.Lock()
	c.version, c.read, c.policies = v, true, pols
	c.mu.Unlock()
	return pols, nil
}
