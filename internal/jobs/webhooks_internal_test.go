package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/aftercare/aftercare/internal/webhook"
)

type recordingDeliverer struct{ got []webhook.Attempt }

func (r *recordingDeliverer) Deliver(_ context.Context, _ int64, at webhook.Attempt) error {
	r.got = append(r.got, at)
	return nil
}

// TestWebhookWorkerFollowsTheSchedule: River retries a failed delivery
// when the webhook schedule says, not on its own default backoff, and the
// worker tells each attempt whether it is the last and when the next is
// due (shown on the admin page).
func TestWebhookWorkerFollowsTheSchedule(t *testing.T) {
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	d := &recordingDeliverer{}
	w := &webhookWorker{deliverer: d, schedule: webhook.DefaultSchedule(), now: func() time.Time { return now }}
	for _, c := range []struct {
		attempt int
		want    time.Duration
	}{{1, 5 * time.Second}, {2, 30 * time.Second}, {3, 2 * time.Minute}, {4, 10 * time.Minute}, {5, time.Hour},
		{6, 6 * time.Hour}, {7, 24 * time.Hour}} {
		job := &river.Job[WebhookDeliveryArgs]{JobRow: &rivertype.JobRow{Attempt: c.attempt, MaxAttempts: 8}}
		if got := w.NextRetry(job).Sub(now); got != c.want {
			t.Errorf("retry after attempt %d: got %s, want %s", c.attempt, got, c.want)
		}
		if err := w.Work(context.Background(), job); err != nil {
			t.Fatal(err)
		}
		if at := d.got[len(d.got)-1]; at.Final || at.Next.Sub(now) != c.want {
			t.Errorf("attempt %d: told %+v, want not final, next in %s", c.attempt, at, c.want)
		}
	}
	last := &river.Job[WebhookDeliveryArgs]{JobRow: &rivertype.JobRow{Attempt: 8, MaxAttempts: 8}}
	manual := &river.Job[WebhookDeliveryArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 1}, Args: WebhookDeliveryArgs{Manual: true}}
	for _, job := range []*river.Job[WebhookDeliveryArgs]{last, manual} {
		if err := w.Work(context.Background(), job); err != nil {
			t.Fatal(err)
		}
		if at := d.got[len(d.got)-1]; !at.Final || !at.Next.IsZero() || at.Manual != job.Args.Manual {
			t.Errorf("attempt %d of %d (manual %v): told %+v, want final with no next", job.Attempt, job.MaxAttempts, job.Args.Manual, at)
		}
	}
}
