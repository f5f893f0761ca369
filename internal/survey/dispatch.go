package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"hash/fnv"
	"time"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// FollowupSampled reports whether the request numbered number is in the
// share (0…1) of resolved requests that get a follow-up call. It is a
// pure function of the number — FNV-1a (64-bit) of the number, modulo
// 10,000, below share × 10,000 — so the same request is always in or out,
// whichever node resolves it, and tests can predict it.
func FollowupSampled(number string, share float64) bool {
	h := fnv.New64a()
	h.Write([]byte(number))
	return float64(h.Sum64()%10000) < share*10000
}

// onStatus is the status hook (store.OnStatusChange): resolving a request
// plans its survey and follow-up call; closing a complaint needs its call
// done.
func (s *Service) onStatus(ctx context.Context, q store.Querier, c store.StatusChange) error {
	switch c.To {
	case model.StatusResolved:
		return s.planFeedback(ctx, q, c)
	case model.StatusClosed:
		return s.store.ComplaintClosableTx(ctx, q, c.Request)
	}
	return nil
}

// planFeedback records the invitation (sent after Delay, unless the
// customer's cool-down suppresses it) and the follow-up call of a request
// being resolved, and schedules the sending, all in the resolving
// transaction.
func (s *Service) planFeedback(ctx context.Context, q store.Querier, c store.StatusChange) error {
	plan := store.FeedbackPlan{Request: c.Request, At: c.At, SendAt: c.At.Add(s.opts.Delay), By: c.By,
		FollowupDue: c.At.Add(s.opts.FollowupAfter)}
	if s.opts.Cooldown > 0 {
		since := c.At.Add(-s.opts.Cooldown)
		plan.CooldownSince = &since
	}
	switch {
	case c.Request.Type == model.TypeComplaint:
		r := model.FollowupComplaint
		plan.Followup = &r
	case FollowupSampled(c.Request.Number, s.opts.FollowupShare):
		r := model.FollowupSample
		plan.Followup = &r
	}
	out, err := s.store.PlanFeedbackTx(ctx, q, plan)
	if err != nil || out.Invitation == nil || out.Invitation.Status != model.InvitationScheduled {
		return err
	}
	job := Job{Kind: JobSend, ID: out.Invitation.ID}
	if s.opts.Delay > 0 {
		job.At = plan.SendAt
	}
	return s.jobs.Schedule(ctx, q, job)
}

// onCreate is the create hook (store.OnRequestCreated): a complaint gets
// the default severity, its deadline, and the job that escalates it when
// the deadline passes unresolved.
func (s *Service) onCreate(ctx context.Context, q store.Querier, r *model.Request) error {
	if r.Type != model.TypeComplaint {
		return nil
	}
	c := &model.Complaint{RequestID: r.ID, Severity: DefaultSeverity, DeadlineAt: s.deadline(DefaultSeverity, r.CreatedAt),
		CreatedAt: r.CreatedAt}
	if err := s.store.CreateComplaintTx(ctx, q, c); err != nil {
		return err
	}
	return s.jobs.Schedule(ctx, q, Job{Kind: JobEscalate, ID: r.ID, Level: 1, At: c.DeadlineAt})
}

// deadline is when a complaint of severity created at created is due.
func (s *Service) deadline(severity int, created time.Time) time.Time {
	return created.Add(time.Duration(s.opts.ComplaintHours[severity-1]) * time.Hour)
}

// Send sends a scheduled invitation: a fresh single-use link (only its
// SHA-256 is looked up; the secret itself is kept until the link is
// answered or expires, see store.SentLink), the e-mail when a Mailer
// exists, and the jobs for the reminder and the expiry, in one
// transaction. It returns how long to wait when the invitation is not due
// yet by the store's clock (the job snoozes), and does nothing for an
// invitation that is gone, sent or suppressed.
func (s *Service) Send(ctx context.Context, id int64) (time.Duration, error) {
	inv, err := s.store.Invitation(ctx, id)
	if model.IsNotFound(err) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if inv.Status != model.InvitationScheduled {
		return 0, nil
	}
	now := s.now()
	if wait := inv.ScheduledAt.Sub(now); wait > 0 {
		return wait, nil
	}
	token := "sv_" + rand.Text()
	sum := sha256.Sum256([]byte(token))
	link := store.SentLink{Token: token, Hash: sum[:], ExpiresAt: now.Add(LinkTTL)}
	_, _, err = s.store.SendInvitation(ctx, id, link, func(ctx context.Context, q store.Querier, inv *model.Invitation) error {
		if err := s.mail(ctx, q, MailInvitation, inv, token); err != nil {
			return err
		}
		if ReminderAfter < LinkTTL {
			if err := s.jobs.Schedule(ctx, q, Job{Kind: JobRemind, ID: inv.ID, At: inv.SentAt.Add(ReminderAfter)}); err != nil {
				return err
			}
		}
		return s.jobs.Schedule(ctx, q, Job{Kind: JobExpire, ID: inv.ID, At: *inv.ExpiresAt})
	})
	return 0, err
}

func (s *Service) mail(ctx context.Context, q store.Querier, kind MessageKind, inv *model.Invitation, token string) error {
	if s.opts.Mailer == nil {
		return nil
	}
	return s.opts.Mailer.QueueSurveyMail(ctx, q, Message{Kind: kind, CustomerID: inv.CustomerID,
		RequestNumber: inv.RequestNumber, URL: s.URL(token), ExpiresAt: *inv.ExpiresAt})
}

// Remind sends the one reminder of an invitation still unanswered
// ReminderAfter after it was sent (the portal keeps showing it; the
// Mailer, when there is one, queues the e-mail). It returns how long to
// wait when it is not due yet, and does nothing when answered, expired or
// reminded already.
func (s *Service) Remind(ctx context.Context, id int64) (time.Duration, error) {
	inv, err := s.store.Invitation(ctx, id)
	if model.IsNotFound(err) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if inv.Status != model.InvitationSent || inv.RemindedAt != nil || inv.SentAt == nil {
		return 0, nil
	}
	if wait := inv.SentAt.Add(ReminderAfter).Sub(s.now()); wait > 0 {
		return wait, nil
	}
	_, err = s.store.RemindInvitation(ctx, id, func(ctx context.Context, q store.Querier, inv *model.Invitation) error {
		return s.mail(ctx, q, MailReminder, inv, inv.Token)
	})
	return 0, err
}

// Expire marks an unanswered invitation expired once its link's time is
// over and forgets the link's secret; it returns how long to wait when
// that time has not come.
func (s *Service) Expire(ctx context.Context, id int64) (time.Duration, error) {
	inv, err := s.store.Invitation(ctx, id)
	if model.IsNotFound(err) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	if inv.Status != model.InvitationSent || inv.ExpiresAt == nil {
		return 0, nil
	}
	if wait := inv.ExpiresAt.Sub(s.now()); wait > 0 {
		return wait, nil
	}
	_, err = s.store.ExpireInvitation(ctx, id)
	return 0, err
}

// ExpireDue expires every link past its time (a periodic sweep behind
// the per-invitation expiry jobs) and returns how many.
func (s *Service) ExpireDue(ctx context.Context) (int64, error) { return s.store.ExpireLinks(ctx) }
