package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// SLA records SLA warnings and breaches (sla.Service).
type SLA interface {
	Fire(ctx context.Context, t store.SLATimer) (time.Duration, error)
	Sweep(ctx context.Context) (int, error)
}

// SLATimerArgs fires at a clock's warning or due instant. Its arguments
// name the instant, and River keeps one job per arguments, so a timer is
// scheduled once however often its clock is saved; when the due time
// moves, the new instant gets a job of its own and the old one finds its
// instant gone and does nothing.
type SLATimerArgs struct {
	RequestID int64           `json:"request_id" river:"unique"`
	Clock     model.ClockKind `json:"clock" river:"unique"`
	Cycle     int             `json:"cycle" river:"unique"`
	Alert     model.SLAAlert  `json:"alert" river:"unique"`
	At        time.Time       `json:"at" river:"unique"`
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
	a := job.Args
	return snooze(w.s.Fire(ctx, store.SLATimer{RequestID: a.RequestID, Kind: a.Clock, Cycle: a.Cycle, Alert: a.Alert, At: a.At}))
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

// ScheduleSLA inserts the timers ts in the store transaction q, in one
// insert, each unique by its arguments (any state: a timer that ran is not
// scheduled again). It implements sla.Scheduler.
func (r *Runner) ScheduleSLA(ctx context.Context, q store.Querier, ts ...store.SLATimer) error {
	tx := store.TxOf(q)
	if tx == nil {
		return fmt.Errorf("jobs: schedule sla timer: not in a transaction")
	}
	if r.insertManyTx == nil {
		return fmt.Errorf("jobs: schedule sla timer: the runner has no client")
	}
	if len(ts) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(ts))
	for i, t := range ts {
		params[i] = river.InsertManyParams{
			Args:       SLATimerArgs{RequestID: t.RequestID, Clock: t.Kind, Cycle: t.Cycle, Alert: t.Alert, At: t.At.UTC()},
			InsertOpts: &river.InsertOpts{ScheduledAt: t.At, UniqueOpts: river.UniqueOpts{ByArgs: true}},
		}
	}
	return r.insertManyTx(ctx, tx, params)
}
