package auth

import (
	"container/list"
	"context"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/aftercare/aftercare/internal/store"
)

// Limiter is a set of token buckets: burst attempts at once per key, then
// one per interval. Its memory is bounded whatever callers send: a key is
// kept as 16 bytes of its SHA-256 (a login string may be a megabyte), the
// table holds at most max buckets, and when it is full the bucket used
// least recently is dropped. Dropping a bucket only forgets attempts, so
// callers check a coarse key (the client) before a fine one (login and
// client) and create fine buckets only for callers the coarse one lets
// through. It is per node: NewRateLimiter chooses it on SQLite (one
// node) and the database's buckets on PostgreSQL.
type Limiter struct {
	mu       sync.Mutex
	burst    float64
	interval time.Duration
	max      int
	now      func() time.Time
	index    map[[16]byte]*list.Element
	order    *list.List // most recently used at the front
}

type bucket struct {
	key    [16]byte
	tokens float64
	last   time.Time
}

// NewLimiter returns a limiter allowing burst attempts per key, refilled
// at one per interval, holding at most max keys.
func NewLimiter(burst int, interval time.Duration, max int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{burst: float64(burst), interval: interval, max: max, now: now,
		index: map[[16]byte]*list.Element{}, order: list.New()}
}

// Allow takes one attempt for key and reports whether it is allowed; when
// not, retryAfter says how long to wait.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	sum := sha256.Sum256([]byte(key))
	var k [16]byte
	copy(k[:], sum[:16])
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var b *bucket
	if e, found := l.index[k]; found {
		l.order.MoveToFront(e)
		b = e.Value.(*bucket)
		b.tokens = min(l.burst, b.tokens+float64(now.Sub(b.last))/float64(l.interval))
	} else {
		if l.order.Len() >= l.max {
			oldest := l.order.Back()
			l.order.Remove(oldest)
			delete(l.index, oldest.Value.(*bucket).key)
		}
		b = &bucket{key: k, tokens: l.burst}
		l.index[k] = l.order.PushFront(b)
	}
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(l.interval))
	}
	b.tokens--
	return true, 0
}

// Take implements RateLimiter.
func (l *Limiter) Take(_ context.Context, key string) (bool, time.Duration, error) {
	ok, after := l.Allow(key)
	return ok, after, nil
}

// Len is the number of keys held.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.order.Len()
}

// Login throttling: per client address, then per (login, client). There
// is deliberately no limit per login alone: it would let anyone lock a
// known staff member out from everywhere by guessing wrong on purpose.
// Guessing one account from many addresses costs each guess an argon2
// verification and each address its own budget.
const (
	clientBurst    = 60
	clientInterval = time.Second
	pairBurst      = 10
	pairInterval   = 6 * time.Second
	limiterKeys    = 100_000
)

// loginThrottle holds the two login limiters.
type loginThrottle struct {
	client RateLimiter
	pair   RateLimiter
}

func newLoginThrottle(st *store.Store, now func() time.Time) *loginThrottle {
	return &loginThrottle{client: NewRateLimiter(st, "login-client", clientBurst, clientInterval, limiterKeys, now),
		pair: NewRateLimiter(st, "login-pair", pairBurst, pairInterval, limiterKeys, now)}
}

// allow takes an attempt for login from client (an address, already
// reduced to what identifies a client: see clientip.RateKey).
func (t *loginThrottle) allow(ctx context.Context, login, client string) error {
	if ok, after, err := t.client.Take(ctx, client); err != nil {
		return err
	} else if !ok {
		return errRateLimited(after)
	}
	if ok, after, err := t.pair.Take(ctx, login+"\x00"+client); err != nil {
		return err
	} else if !ok {
		return errRateLimited(after)
	}
	return nil
}
