package store

import (
	"context"
	"encoding/json"

	"github.com/aftercare/aftercare/internal/model"
)

// FeedbackRows are feedback records with their ids, for bulk inserts
// (the demo seeder): invitations with the hash of their link (and the
// link's secret while it can be used), responses, follow-up calls and
// their attempts, complaints and compensation. References between them
// use the ids given.
type FeedbackRows struct {
	Invitations   []SeedInvitation
	Responses     []model.SurveyResponse
	Followups     []model.Followup
	Attempts      []model.FollowupAttempt
	Complaints    []model.Complaint
	Compensations []model.Compensation
}

// SeedInvitation is an invitation with its link's hash.
type SeedInvitation struct {
	model.Invitation
	Hash []byte
}

// InsertFeedback bulk-inserts feedback records in one transaction. The
// caller keeps the store's invariants (one invitation per request, a
// response's snapshot as the request was, a done follow-up's outcome).
func (s *Store) InsertFeedback(ctx context.Context, rows FeedbackRows) error {
	return s.Tx(ctx, func(q Querier) error {
		invs := rows.Invitations
		err := s.bulkInsert(ctx, q, "survey_invitations", []string{"id", "request_id", "customer_id", "template_version", "status",
			"reason", "token_hash", "token", "scheduled_at", "sent_at", "reminded_at", "expires_at", "answered_at", "created_at"},
			len(invs), func(a []any, i int) []any {
				v := &invs[i]
				var hash, token any
				if v.Hash != nil {
					hash = v.Hash
				}
				if v.Token != "" {
					token = v.Token
				}
				return append(a, v.ID, v.RequestID, v.CustomerID, v.TemplateVersion, string(v.Status), v.Reason, hash, token,
					v.ScheduledAt, v.SentAt, v.RemindedAt, v.ExpiresAt, v.AnsweredAt, v.CreatedAt)
			})
		if err != nil {
			return err
		}
		fus := rows.Followups
		err = s.bulkInsert(ctx, q, "followups", []string{"id", "request_id", "reason", "status", "outcome", "due_at", "attempts",
			"done_at", "done_by", "created_at"}, len(fus), func(a []any, i int) []any {
			f := &fus[i]
			return append(a, f.ID, f.RequestID, string(f.Reason), string(f.Status), string(f.Outcome), f.DueAt, f.Attempts,
				f.DoneAt, f.DoneBy, f.CreatedAt)
		})
		if err != nil {
			return err
		}
		atts := rows.Attempts
		err = s.bulkInsert(ctx, q, "followup_attempts", []string{"id", "followup_id", "called_at", "by_id", "by_name", "reachability", "note"},
			len(atts), func(a []any, i int) []any {
				t := &atts[i]
				return append(a, t.ID, t.FollowupID, t.At, t.ByID, t.ByName, string(t.Reachability), t.Note)
			})
		if err != nil {
			return err
		}
		resps := rows.Responses
		cols := []string{"id", "request_id", "invitation_id", "followup_id", "customer_id", "channel", "request_type", "team_id",
			"agent_id", "product_id", "category_id", "template_version", "locale", "csat", "nps", "ces", "technical", "efficiency",
			"convenience", "process", "price", "comment", "sentiment_label", "sentiment_score", "sentiment_aspects", "answered_at"}
		var bad error
		err = s.bulkInsert(ctx, q, "survey_responses", cols, len(resps), func(a []any, i int) []any {
			r := &resps[i]
			var label, score any
			aspects := "[]"
			if r.Sentiment != nil {
				label, score = r.Sentiment.Label, r.Sentiment.Score
				if len(r.Sentiment.Aspects) > 0 {
					b, err := json.Marshal(r.Sentiment.Aspects)
					if err != nil {
						bad = err
					}
					aspects = string(b)
				}
			}
			return append(a, r.ID, r.RequestID, r.InvitationID, r.FollowupID, r.CustomerID, string(r.Channel), string(r.RequestType),
				r.TeamID, r.AgentID, r.ProductID, r.CategoryID, r.TemplateVersion, r.Locale, r.CSAT, r.NPS, r.CES, r.Technical,
				r.Efficiency, r.Convenience, r.Process, r.Price, r.Comment, label, score, aspects, r.AnsweredAt)
		})
		if err != nil {
			return err
		}
		if bad != nil {
			return bad
		}
		cs := rows.Complaints
		err = s.bulkInsert(ctx, q, "complaints", []string{"request_id", "severity", "deadline_at", "escalation_level", "escalated_at",
			"escalated_to", "created_at"}, len(cs), func(a []any, i int) []any {
			c := &cs[i]
			return append(a, c.RequestID, c.Severity, c.DeadlineAt, c.EscalationLevel, c.EscalatedAt, c.EscalatedTo, c.CreatedAt)
		})
		if err != nil {
			return err
		}
		comps := rows.Compensations
		err = s.bulkInsert(ctx, q, "compensations", []string{"id", "request_id", "kind", "amount", "currency", "note", "status",
			"requested_by_id", "requested_by", "decided_by_id", "decided_by", "decided_at", "created_at"}, len(comps),
			func(a []any, i int) []any {
				c := &comps[i]
				return append(a, c.ID, c.RequestID, string(c.Kind), c.Amount, c.Currency, c.Note, string(c.Status), c.RequestedByID,
					c.RequestedBy, c.DecidedByID, c.DecidedBy, c.DecidedAt, c.CreatedAt)
			})
		if err != nil {
			return err
		}
		var tables []string
		for _, t := range []struct {
			name string
			n    int
		}{{"survey_invitations", len(invs)}, {"followups", len(fus)}, {"followup_attempts", len(atts)},
			{"survey_responses", len(resps)}, {"compensations", len(comps)}} {
			if t.n > 0 {
				tables = append(tables, t.name)
			}
		}
		return s.syncIdentity(ctx, q, tables...)
	})
}
