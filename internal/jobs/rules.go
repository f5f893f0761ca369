package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// IdleRules fires the request.idle automation rules (rules.Service).
type IdleRules interface {
	RunIdle(ctx context.Context) (int, error)
}

// RuleIdleArgs checks for requests left idle: a periodic job, run by one
// node (River's leader), reading an indexed range of requests by their
// last update, never every request.
type RuleIdleArgs struct{}

// Kind implements river.JobArgs.
func (RuleIdleArgs) Kind() string { return "rule_idle" }

type ruleIdleWorker struct {
	river.WorkerDefaults[RuleIdleArgs]
	r IdleRules
}

func (w *ruleIdleWorker) Work(ctx context.Context, _ *river.Job[RuleIdleArgs]) error {
	_, err := w.r.RunIdle(ctx)
	return err
}

func addIdleWorker(workers *river.Workers, r IdleRules, every time.Duration) *river.PeriodicJob {
	river.AddWorker(workers, &ruleIdleWorker{r: r})
	if every <= 0 {
		every = time.Minute
	}
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return RuleIdleArgs{}, nil },
		&river.PeriodicJobOpts{ID: "rule_idle", RunOnStart: true})
}
