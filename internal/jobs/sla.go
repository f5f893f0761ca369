package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/aftercare/aftercare/internal/store"
)

// SLA records SLA warnings and breaches (sla.Service).
type SLA interface {
	FireRequest(ctx context.Context, requestID int64, at time.Time) (time.Duration, error)
	Sweep(ctx context.Context) (int, error)
}

// SLATimerArgs is a request's timer: it fires at the request's nearest
// warning or due instant, records what has come and leaves one timer for
// the next instant (sla.Service.FireRequest). Its arguments name the
// request and the instant, and River keeps one job per arguments, so a
// timer is scheduled once however often the clocks are saved; when an
// instant moves earlier, the new instant gets a job of its own. Jobs
// written before one timer per request carried the clock, round and alert
// too; they decode into this and fire as the request's timer.
type SLATimerArgs struct {
	RequestID int64     `json:"request_id" river:"unique"`
	At        time.Time `json:"at" river:"unique"`
}

// Kind implements river.JobArgs.
func (SLATimerArgs) Kind() string { return "sla_timer" }

// SLASweepArgs is the sweeper: every minute it records the warnings and
// breaches no timer recorded (a node down at the instant, a lost job).
type SLASweepArgs struct{}

// Kind implements river.JobArgs.
func (SLASweepArgs) Kind() string { return "sla_sweep" }

type slaTimerWorker struct {
	river.WorkerDefaults[SLATimerArgs]
	s SLA
}

func (w *slaTimerWorker) Work(ctx context.Context, job *river.Job[SLATimerArgs]) error {
	return snooze(w.s.FireRequest(ctx, job.Args.RequestID, job.Args.At))
}

type slaSweepWorker struct {
	river.WorkerDefaults[SLASweepArgs]
	s SLA
}

func (w *slaSweepWorker) Work(ctx context.Context, job *river.Job[SLASweepArgs]) error {
	_, err := w.s.Sweep(ctx)
	return err
}

// slaSweepEvery is how often the sweeper runs.
const slaSweepEvery = time.Minute

func addSLAWorkers(workers *river.Workers, s SLA, every time.Duration) *river.PeriodicJob {
	river.AddWorker(workers, &slaTimerWorker{s: s})
	river.AddWorker(workers, &slaSweepWorker{s: s})
	if every <= 0 {
		every = slaSweepEvery
	}
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return SLASweepArgs{}, nil },
		&river.PeriodicJobOpts{ID: "sla_sweep", RunOnStart: true})
}

// ScheduleSLA inserts the request's timer due at at in the store
// transaction q, unique by request and instant (any state: a timer that
// ran is not scheduled again). It implements sla.Scheduler.
func (r *Runner) ScheduleSLA(ctx context.Context, q store.Querier, requestID int64, at time.Time) error {
	tx := store.TxOf(q)
	if tx == nil {
		return fmt.Errorf("jobs: schedule sla timer: not in a transaction")
	}
	if r.insertTx == nil {
		return fmt.Errorf("jobs: schedule sla timer: the runner has no client")
	}
	return r.insertTx(ctx, tx, SLATimerArgs{RequestID: requestID, At: at.UTC()},
		&river.InsertOpts{ScheduledAt: at, UniqueOpts: river.UniqueOpts{ByArgs: true}})
}
