package sla

import (
	"context"
	"fmt"
	"sync"

	"github.com/aftercare/aftercare/internal/calendar"
)

// engineCache keeps the calendars compiled so far with the version each
// was compiled from. Every new request's clocks need their calendar:
// reading it with its holidays and compiling it again each time was a
// tenth of the server's CPU at a few hundred creations a second. A
// calendar changes rarely, and every change raises its version (in the
// database, so a change made through another node counts too): engine
// asks only for the version and compiles again when it moved.
type engineCache struct {
	mu sync.Mutex
	m  map[int64]compiled
}

// compiled is one calendar's engine and the version it came from.
type compiled struct {
	version int64
	k       *calendar.Calendar // immutable once compiled
}

// engine compiles calendar id (nil: none), or returns the engine compiled
// from its current version before.
func (s *Service) engine(ctx context.Context, id *int64) (*calendar.Calendar, error) {
	if id == nil {
		return nil, nil
	}
	v, err := s.store.CalendarVersion(ctx, *id)
	if err != nil {
		return nil, fmt.Errorf("sla calendar %d: %w", *id, err)
	}
	s.engines.mu.Lock()
	e, ok := s.engines.m[*id]
	s.engines.mu.Unlock()
	if ok && e.version == v {
		return e.k, nil
	}
	c, err := s.store.CalendarByID(ctx, *id)
	if err != nil {
		return nil, fmt.Errorf("sla calendar %d: %w", *id, err)
	}
	k, err := s.cals.Compile(c)
	if err != nil {
		return nil, err
	}
	s.engines.mu.Lock()
	if s.engines.m == nil {
		s.engines.m = map[int64]compiled{}
	}
	s.engines.m[*id] = compiled{version: c.Version, k: k}
	s.engines.mu.Unlock()
	return k, nil
}
