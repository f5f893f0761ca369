package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/survey"
)

// Feedback does the feedback loop's scheduled work (survey.Service). Each
// method returns how long to wait when, by the store's clock, the work is
// not due yet; the job then snoozes that long.
type Feedback interface {
	Send(ctx context.Context, invitationID int64) (time.Duration, error)
	Remind(ctx context.Context, invitationID int64) (time.Duration, error)
	Expire(ctx context.Context, invitationID int64) (time.Duration, error)
	Escalate(ctx context.Context, requestID int64, level int) (time.Duration, error)
	ExpireDue(ctx context.Context) (int64, error)
}

// SurveySweepArgs expires every survey link past its time, hourly: a
// safety net behind the per-invitation expiry jobs.
type SurveySweepArgs struct{}

// Kind implements river.JobArgs.
func (SurveySweepArgs) Kind() string { return "survey_expiry_sweep" }

type surveySweepWorker struct {
	river.WorkerDefaults[SurveySweepArgs]
	f Feedback
}

func (w *surveySweepWorker) Work(ctx context.Context, job *river.Job[SurveySweepArgs]) error {
	_, err := w.f.ExpireDue(ctx)
	return err
}

// SurveySendArgs sends a survey invitation once its delay is over.
type SurveySendArgs struct {
	InvitationID int64 `json:"invitation_id"`
}

// Kind implements river.JobArgs.
func (SurveySendArgs) Kind() string { return string(survey.JobSend) }

// SurveyRemindArgs sends the one reminder of an unanswered invitation.
type SurveyRemindArgs struct {
	InvitationID int64 `json:"invitation_id"`
}

// Kind implements river.JobArgs.
func (SurveyRemindArgs) Kind() string { return string(survey.JobRemind) }

// SurveyExpireArgs expires an unanswered invitation's link.
type SurveyExpireArgs struct {
	InvitationID int64 `json:"invitation_id"`
}

// Kind implements river.JobArgs.
func (SurveyExpireArgs) Kind() string { return string(survey.JobExpire) }

// EscalateArgs escalates a complaint request to Level once its deadline
// for that level has passed.
type EscalateArgs struct {
	RequestID int64 `json:"request_id"`
	Level     int   `json:"level"`
}

// Kind implements river.JobArgs.
func (EscalateArgs) Kind() string { return string(survey.JobEscalate) }

// snooze turns a wait into River's snooze.
func snooze(wait time.Duration, err error) error {
	if err != nil {
		return err
	}
	if wait > 0 {
		return river.JobSnooze(wait)
	}
	return nil
}

type surveySendWorker struct {
	river.WorkerDefaults[SurveySendArgs]
	f Feedback
}

func (w *surveySendWorker) Work(ctx context.Context, job *river.Job[SurveySendArgs]) error {
	return snooze(w.f.Send(ctx, job.Args.InvitationID))
}

type surveyRemindWorker struct {
	river.WorkerDefaults[SurveyRemindArgs]
	f Feedback
}

func (w *surveyRemindWorker) Work(ctx context.Context, job *river.Job[SurveyRemindArgs]) error {
	return snooze(w.f.Remind(ctx, job.Args.InvitationID))
}

type surveyExpireWorker struct {
	river.WorkerDefaults[SurveyExpireArgs]
	f Feedback
}

func (w *surveyExpireWorker) Work(ctx context.Context, job *river.Job[SurveyExpireArgs]) error {
	return snooze(w.f.Expire(ctx, job.Args.InvitationID))
}

type escalateWorker struct {
	river.WorkerDefaults[EscalateArgs]
	f Feedback
}

func (w *escalateWorker) Work(ctx context.Context, job *river.Job[EscalateArgs]) error {
	return snooze(w.f.Escalate(ctx, job.Args.RequestID, job.Args.Level))
}

func addFeedbackWorkers(workers *river.Workers, f Feedback) *river.PeriodicJob {
	river.AddWorker(workers, &surveySweepWorker{f: f})
	river.AddWorker(workers, &surveySendWorker{f: f})
	river.AddWorker(workers, &surveyRemindWorker{f: f})
	river.AddWorker(workers, &surveyExpireWorker{f: f})
	river.AddWorker(workers, &escalateWorker{f: f})
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return SurveySweepArgs{}, nil },
		&river.PeriodicJobOpts{ID: "survey_expiry_sweep", RunOnStart: true})
}

// Schedule inserts job in the store transaction q (River's InsertTx on
// the driver's transaction), so it exists exactly when q commits: on
// SQLite the single write connection is the transaction's, and a second
// connection would wait for it forever. It implements survey.Scheduler.
func (r *Runner) Schedule(ctx context.Context, q store.Querier, job survey.Job) error {
	var args river.JobArgs
	switch job.Kind {
	case survey.JobSend:
		args = SurveySendArgs{InvitationID: job.ID}
	case survey.JobRemind:
		args = SurveyRemindArgs{InvitationID: job.ID}
	case survey.JobExpire:
		args = SurveyExpireArgs{InvitationID: job.ID}
	case survey.JobEscalate:
		args = EscalateArgs{RequestID: job.ID, Level: job.Level}
	default:
		return fmt.Errorf("jobs: unknown job kind %q", job.Kind)
	}
	var opts *river.InsertOpts
	if !job.At.IsZero() {
		opts = &river.InsertOpts{ScheduledAt: job.At}
	}
	tx := store.TxOf(q)
	if tx == nil {
		return fmt.Errorf("jobs: schedule %s: not in a transaction", job.Kind)
	}
	if r.insertTx == nil {
		return fmt.Errorf("jobs: schedule %s: the runner has no client", job.Kind)
	}
	return r.insertTx(ctx, tx, args, opts)
}

// insertFunc returns the InsertTx of a River client for its driver's
// transaction type.
func insertFunc[TTx any](c *river.Client[TTx]) func(context.Context, any, river.JobArgs, *river.InsertOpts) error {
	return func(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) error {
		t, ok := tx.(TTx)
		if !ok {
			return fmt.Errorf("jobs: transaction %T is not the River driver's", tx)
		}
		_, err := c.InsertTx(txContext(ctx, tx), t, args, opts)
		return err
	}
}

// txContext is the context for River's inserts into a store transaction:
// on SQLite that transaction may be shared by several callers (the
// store's group commit), and a statement interrupted because one caller
// went away could roll back the others' work, so the insert runs to its
// end (it is short) whatever ctx does. PostgreSQL keeps ctx.
func txContext(ctx context.Context, tx any) context.Context {
	if _, ok := tx.(*sql.Tx); ok {
		return context.WithoutCancel(ctx)
	}
	return ctx
}
