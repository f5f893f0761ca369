package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

const invitationSelect = `SELECT i.id, i.request_id, r.number, i.customer_id, i.template_version, i.status, i.reason,
	i.scheduled_at, i.sent_at, i.reminded_at, i.expires_at, i.answered_at, i.created_at, COALESCE(i.token, '')
	FROM survey_invitations i JOIN requests r ON r.id = i.request_id `

func scanInvitation(row Row, i *model.Invitation) error {
	return row.Scan(&i.ID, &i.RequestID, &i.RequestNumber, &i.CustomerID, &i.TemplateVersion, &i.Status, &i.Reason,
		&i.ScheduledAt, &i.SentAt, &i.RemindedAt, &i.ExpiresAt, &i.AnsweredAt, &i.CreatedAt, &i.Token)
}

// FeedbackPlan is what resolving a request starts: a survey invitation
// sent at SendAt (suppressed when the customer already had one since
// CooldownSince; nil means no limit) and, when Followup is set, a
// follow-up call due then.
type FeedbackPlan struct {
	Request       *model.Request
	At            time.Time
	SendAt        time.Time
	CooldownSince *time.Time
	Followup      *model.FollowupReason
	FollowupDue   time.Time
	By            Actor
}

// PlannedFeedback says what PlanFeedbackTx created: the invitation (nil
// when the request already had one) and whether a follow-up call was
// added.
type PlannedFeedback struct {
	Invitation *model.Invitation
	Followup   bool
}

// PlanFeedbackTx records what resolving a request starts, inside the
// resolving transaction q (a status hook): at most one invitation per
// request, ever (a request resolved again after a reopen is not asked
// twice), suppressed when the customer had an invitation that was not
// itself suppressed since plan.CooldownSince; and the follow-up call, at
// most one per request. The customer's row is locked first so that two
// of their requests resolved at once cannot both pass the cool-down.
func (s *Store) PlanFeedbackTx(ctx context.Context, q Querier, plan FeedbackPlan) (PlannedFeedback, error) {
	var out PlannedFeedback
	r := plan.Request
	var one int
	err := q.QueryRow(ctx, "SELECT 1 FROM survey_invitations WHERE request_id = $1", r.ID).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var cid int64
		if err := q.QueryRow(ctx, "SELECT id FROM customers WHERE id = $1"+s.forUpdate(), r.CustomerID).Scan(&cid); err != nil {
			return out, notFound(err, "customer")
		}
		inv := &model.Invitation{RequestID: r.ID, RequestNumber: r.Number, CustomerID: r.CustomerID,
			Status: model.InvitationScheduled, ScheduledAt: plan.SendAt, CreatedAt: plan.At}
		if plan.CooldownSince != nil {
			err := q.QueryRow(ctx, `SELECT 1 FROM survey_invitations WHERE customer_id = $1 AND created_at >= $2
				AND status <> 'suppressed' LIMIT 1`, r.CustomerID, *plan.CooldownSince).Scan(&one)
			if err == nil {
				inv.Status, inv.Reason = model.InvitationSuppressed, "cooldown"
			} else if !errors.Is(err, sql.ErrNoRows) {
				return out, err
			}
		}
		if inv.TemplateVersion, err = latestTemplateVersion(ctx, q); err != nil {
			return out, err
		}
		err = q.QueryRow(ctx, `INSERT INTO survey_invitations (request_id, customer_id, template_version, status, reason,
			scheduled_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			inv.RequestID, inv.CustomerID, inv.TemplateVersion, inv.Status, inv.Reason, inv.ScheduledAt, inv.CreatedAt).Scan(&inv.ID)
		if err != nil {
			return out, err
		}
		if err := insertEvent(ctx, q, r.ID, plan.By, "survey", "", string(inv.Status), plan.At); err != nil {
			return out, err
		}
		out.Invitation = inv
	case err != nil:
		return out, err
	}
	if plan.Followup != nil {
		n, err := q.Exec(ctx, `INSERT INTO followups (request_id, reason, status, due_at, created_at)
			VALUES ($1, $2, 'open', $3, $4) ON CONFLICT (request_id) DO NOTHING`, r.ID, *plan.Followup, plan.FollowupDue, plan.At)
		if err != nil {
			return out, err
		}
		if n > 0 {
			out.Followup = true
			if err := insertEvent(ctx, q, r.ID, plan.By, "followup", "", "planned", plan.At); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// SentLink is what sending an invitation stores: the link's secret (kept
// until the link is answered or expires), its hash, and the expiry.
type SentLink struct {
	Token     string
	Hash      []byte
	ExpiresAt time.Time
}

// InvitationHook runs inside the transaction that sends an invitation or
// its reminder (the e-mail is queued there, the next jobs scheduled).
type InvitationHook func(ctx context.Context, q Querier, inv *model.Invitation) error

// SendInvitation marks a scheduled invitation sent with link, on the
// latest template version, and runs hook in the same transaction. It
// reports false, changing nothing, when the invitation is no longer
// scheduled (sent already by another worker, say).
func (s *Store) SendInvitation(ctx context.Context, id int64, link SentLink, hook InvitationHook) (*model.Invitation, bool, error) {
	var inv model.Invitation
	sent := false
	err := s.Tx(ctx, func(q Querier) error {
		version, err := latestTemplateVersion(ctx, q)
		if err != nil {
			return err
		}
		now := s.Now()
		n, err := q.Exec(ctx, `UPDATE survey_invitations SET status = 'sent', token_hash = $1, token = $2, sent_at = $3,
			expires_at = $4, template_version = $5 WHERE id = $6 AND status = 'scheduled'`,
			link.Hash, link.Token, now, link.ExpiresAt, version, id)
		if err != nil || n == 0 {
			return err
		}
		sent = true
		if err := scanInvitation(q.QueryRow(ctx, invitationSelect+"WHERE i.id = $1", id), &inv); err != nil {
			return err
		}
		if err := insertEvent(ctx, q, inv.RequestID, Actor{Kind: model.AuthorSystem, Name: "survey", Channel: model.ChannelWeb},
			"survey", string(model.InvitationScheduled), string(model.InvitationSent), now); err != nil {
			return err
		}
		if hook != nil {
			return hook(ctx, q, &inv)
		}
		return nil
	})
	if err != nil || !sent {
		return nil, false, err
	}
	return &inv, true, nil
}

// RemindInvitation records the one reminder of a sent invitation that is
// still unanswered and unexpired, running hook (the reminder e-mail) in
// the same transaction. It reports false when there is nothing to remind:
// answered, expired, or reminded already.
func (s *Store) RemindInvitation(ctx context.Context, id int64, hook InvitationHook) (bool, error) {
	reminded := false
	err := s.Tx(ctx, func(q Querier) error {
		now := s.Now()
		n, err := q.Exec(ctx, `UPDATE survey_invitations SET reminded_at = $1
			WHERE id = $2 AND status = 'sent' AND reminded_at IS NULL AND expires_at > $1`, now, id)
		if err != nil || n == 0 {
			return err
		}
		reminded = true
		var inv model.Invitation
		if err := scanInvitation(q.QueryRow(ctx, invitationSelect+"WHERE i.id = $1", id), &inv); err != nil {
			return err
		}
		if hook != nil {
			return hook(ctx, q, &inv)
		}
		return nil
	})
	return reminded, err
}

// ExpireInvitation marks a sent invitation whose link has expired as
// expired and forgets the link's secret. It reports false when it was
// answered, or is not expired yet.
func (s *Store) ExpireInvitation(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := s.Tx(ctx, func(q Querier) error {
		var err error
		n, err = q.Exec(ctx, `UPDATE survey_invitations SET status = 'expired', token = NULL
			WHERE id = $1 AND status = 'sent' AND expires_at <= $2`, id, s.Now())
		return err
	})
	return n > 0, err
}

// ExpireLinks marks every sent invitation whose link has expired as
// expired and forgets the links' secrets, returning how many. It backs up
// the per-invitation expiry jobs (and covers invitations that have none,
// such as demo data).
func (s *Store) ExpireLinks(ctx context.Context) (int64, error) {
	var n int64
	err := s.Tx(ctx, func(q Querier) error {
		var err error
		n, err = q.Exec(ctx, `UPDATE survey_invitations SET status = 'expired', token = NULL
			WHERE status = 'sent' AND expires_at <= $1`, s.Now())
		return err
	})
	return n, err
}

// Invitation returns an invitation by id.
func (s *Store) Invitation(ctx context.Context, id int64) (*model.Invitation, error) {
	var inv model.Invitation
	if err := scanInvitation(s.Read().QueryRow(ctx, invitationSelect+"WHERE i.id = $1", id), &inv); err != nil {
		return nil, notFound(err, "survey")
	}
	return &inv, nil
}

// InvitationOfRequest returns the invitation of a request.
func (s *Store) InvitationOfRequest(ctx context.Context, requestID int64) (*model.Invitation, error) {
	var inv model.Invitation
	if err := scanInvitation(s.Read().QueryRow(ctx, invitationSelect+"WHERE i.request_id = $1", requestID), &inv); err != nil {
		return nil, notFound(err, "survey")
	}
	return &inv, nil
}

// InvitationByTokenHash returns the invitation whose link hashes to hash.
func (s *Store) InvitationByTokenHash(ctx context.Context, hash []byte) (*model.Invitation, error) {
	var inv model.Invitation
	if err := scanInvitation(s.Read().QueryRow(ctx, invitationSelect+"WHERE i.token_hash = $1", hash), &inv); err != nil {
		return nil, notFound(err, "survey")
	}
	return &inv, nil
}

// OpenInvitations returns a customer's invitations whose links can be
// answered at now (sent, unanswered, unexpired), newest first, for the
// portal's banner.
func (s *Store) OpenInvitations(ctx context.Context, customerID int64, now time.Time) ([]model.Invitation, error) {
	rows, err := s.Read().Query(ctx, invitationSelect+`WHERE i.customer_id = $1 AND i.status = 'sent' AND i.expires_at > $2
		ORDER BY i.sent_at DESC LIMIT 20`, customerID, now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.Invitation
	for rows.Next() {
		var inv model.Invitation
		if err := scanInvitation(rows, &inv); err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// SurveyStats counts the invitations created in [from, to) by status
// (a sent one past its expiry counts as expired) and the phone answers
// taken on follow-up calls in the period.
func (s *Store) SurveyStats(ctx context.Context, from, to time.Time) (model.SurveyStats, error) {
	var st model.SurveyStats
	rows, err := s.Read().Query(ctx, `SELECT CASE WHEN status = 'sent' AND expires_at <= $3 THEN 'expired' ELSE status END,
		COUNT(*) FROM survey_invitations WHERE created_at >= $1 AND created_at < $2 GROUP BY 1`, from, to, s.Now())
	if err != nil {
		return st, err
	}
	defer rows.Close()
	for rows.Next() {
		var status model.InvitationStatus
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return st, err
		}
		switch status {
		case model.InvitationScheduled:
			st.Scheduled += n
		case model.InvitationSent:
			st.Sent += n
		case model.InvitationAnswered:
			st.Answered += n
		case model.InvitationExpired:
			st.Expired += n
		case model.InvitationSuppressed:
			st.Suppressed += n
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	err = s.Read().QueryRow(ctx, `SELECT COUNT(*) FROM survey_responses WHERE answered_at >= $1 AND answered_at < $2
		AND followup_id IS NOT NULL`, from, to).Scan(&st.PhoneResponses)
	return st, err
}
