package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"
)

// TakeToken takes one attempt from the token bucket of key in limiter
// name (burst attempts at once, refilled at one per interval) and reports
// whether it was allowed; when not, retryAfter says how long to wait. One
// UPSERT reads and writes the bucket, so attempts on every node sharing
// the database count against one limit. The key is stored as 16 bytes of
// its SHA-256.
func (s *Store) TakeToken(ctx context.Context, name, key string, burst int, interval time.Duration, now time.Time) (ok bool, retryAfter time.Duration, err error) {
	sum := sha256.Sum256([]byte(name + "\x00" + key))
	per := interval.Seconds()
	at := float64(now.UnixMicro()) / 1e6
	// refill is the bucket's tokens now, before this attempt.
	const refill = `CASE WHEN rate_limits.tokens + ($3 - rate_limits.last) / $4 > $2 THEN $2
		ELSE rate_limits.tokens + ($3 - rate_limits.last) / $4 END`
	var tokens float64
	err = s.Tx(ctx, func(q Querier) error {
		if s.dialect == Postgres {
			// A bucket lost to a crash only forgets attempts: do not wait
			// for the disk.
			if _, err := q.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
				return err
			}
		}
		return q.QueryRow(ctx, `INSERT INTO rate_limits (key, tokens, last, allowed)
			VALUES ($1, CAST($2 AS DOUBLE PRECISION) - 1, CAST($3 AS DOUBLE PRECISION), CAST($2 AS DOUBLE PRECISION) >= 1)
			ON CONFLICT (key) DO UPDATE SET
				tokens = CASE WHEN `+refill+` >= 1 THEN `+refill+` - 1 ELSE `+refill+` END,
				last = $3,
				allowed = (`+refill+` >= 1)
			RETURNING tokens, allowed`, sum[:16], float64(burst), at, per).Scan(&tokens, &ok)
	})
	if err != nil {
		return false, 0, fmt.Errorf("rate limit: %w", err)
	}
	if ok {
		return true, 0, nil
	}
	return false, time.Duration((1 - tokens) * float64(interval)), nil
}

// PruneRateLimits forgets buckets unused since before: a bucket idle for
// longer than it takes to refill is full again, the same as no bucket.
func (s *Store) PruneRateLimits(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(q Querier) error {
		var err error
		n, err = q.Exec(ctx, "DELETE FROM rate_limits WHERE last < $1", float64(before.UnixMicro())/1e6)
		return err
	})
	return n, err
}
