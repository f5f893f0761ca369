package sla

import (
	"context"
	"time"

	"github.com/aftercare/aftercare/internal/store"
)

// DefaultTimerHorizon is how far ahead an instant may lie for a change
// to schedule its River timer at once. Most instants are hours or days
// away (a first response due tomorrow morning); scheduling their timers
// then was a fifth of the server's CPU per new request, spent in the
// single SQLite writer. A farther instant gets its timer from the
// sweeper (every minute) once it comes within the horizon, so it still
// fires on time; the horizon is well above the sweeper's period, so a
// sweep or two may be missed without a timer being late.
const DefaultTimerHorizon = 15 * time.Minute

// aheadOverlap is how far before the watermark each sweep starts again:
// a change whose transaction was still open while the previous sweep read
// the clocks (PostgreSQL) is seen by the next one. Timers are unique by
// request and instant, so an instant scheduled twice has one timer.
const aheadOverlap = time.Minute

// aheadBatch is how many timers one sweep transaction schedules.
const aheadBatch = 1000

// SetTimerHorizon sets how far ahead an instant may lie for a change to
// schedule its timer at once (DefaultTimerHorizon unless set). Set it
// before the service runs; tests use it to follow a chain of timers
// hours apart.
func (s *Service) SetTimerHorizon(d time.Duration) { s.horizon = d }

// timerHorizon is the horizon set, or DefaultTimerHorizon.
func (s *Service) timerHorizon() time.Duration {
	if s.horizon <= 0 {
		return DefaultTimerHorizon
	}
	return s.horizon
}

// soon reports whether instant at is within the timer horizon, so that
// the change that set it schedules its timer.
func (s *Service) soon(at time.Time) bool { return !at.After(s.now().Add(s.timerHorizon())) }

// scheduleAhead schedules a timer for every open clock's instant that has
// come within the horizon since the last sweep (from the watermark, less
// the overlap, to now + horizon), in batches of one transaction each,
// and moves the watermark with each batch. It returns how many timers it
// asked for (River drops the ones that exist).
func (s *Service) scheduleAhead(ctx context.Context) (int, error) {
	if s.jobs == nil {
		return 0, nil
	}
	now := s.now()
	to := now.Add(s.timerHorizon())
	n := 0
	var after time.Time
	var afterID int64
	for first := true; ; first = false {
		var batch []store.SLAInstant
		err := s.store.Tx(ctx, func(q store.Querier) error {
			if first {
				mark, err := s.store.SLATimerWatermark(ctx, q)
				if err != nil {
					return err
				}
				after = now
				if mark != nil && mark.Add(-aheadOverlap).After(after) {
					after = mark.Add(-aheadOverlap)
				}
			}
			var err error
			if batch, err = s.store.UpcomingSLAInstants(ctx, q, after, afterID, to, aheadBatch); err != nil {
				return err
			}
			for _, in := range batch {
				if err := s.jobs.ScheduleSLA(ctx, q, in.RequestID, in.At); err != nil {
					return err
				}
			}
			mark := to
			if len(batch) == aheadBatch {
				mark = batch[len(batch)-1].At
			}
			return s.store.SetSLATimerWatermark(ctx, q, mark)
		})
		if err != nil {
			return n, err
		}
		n += len(batch)
		if len(batch) < aheadBatch {
			return n, nil
		}
		last := batch[len(batch)-1]
		after, afterID = last.At, last.RequestID
	}
}
