package auth

import (
	"context"
	"time"

	"github.com/aftercare/aftercare/internal/store"
)

// RateLimiter takes attempts per key and says whether each is allowed
// (when not, how long to wait). Limiter keeps its buckets in memory (one
// node); Shared keeps them in the database, where every node counts
// against one limit.
type RateLimiter interface {
	Take(ctx context.Context, key string) (ok bool, retryAfter time.Duration, err error)
}

// Shared is a RateLimiter whose token buckets live in the database (one
// UPSERT per attempt, see store.TakeToken): on PostgreSQL, attempts
// spread over many nodes hit one limit.
type Shared struct {
	st       *store.Store
	name     string
	burst    int
	interval time.Duration
	now      func() time.Time
}

// Take implements RateLimiter.
func (l *Shared) Take(ctx context.Context, key string) (bool, time.Duration, error) {
	return l.st.TakeToken(ctx, l.name, key, l.burst, l.interval, l.now())
}

// NewRateLimiter returns the limiter named name (burst attempts per key,
// then one per interval) for st: Shared on PostgreSQL, where many nodes
// serve, and an in-memory Limiter of at most max keys on SQLite (one
// node, and no write for a check) or without a store.
func NewRateLimiter(st *store.Store, name string, burst int, interval time.Duration, max int, now func() time.Time) RateLimiter {
	if now == nil {
		now = time.Now
	}
	if st != nil && st.Dialect() == store.Postgres {
		return &Shared{st: st, name: name, burst: burst, interval: interval, now: now}
	}
	return NewLimiter(burst, interval, max, now)
}
