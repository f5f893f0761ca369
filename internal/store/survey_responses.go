package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/aftercare/aftercare/internal/model"
)

// insertResponse stores r with a snapshot of what the analytics group it
// by, read from the request as it is now (inside q's transaction): type,
// team, assignee, product (of its unit), category, and the customer's
// language when r has none. r.ID and the snapshot fields are filled.
func insertResponse(ctx context.Context, q Querier, r *model.SurveyResponse) error {
	var locale string
	err := q.QueryRow(ctx, `SELECT r.type, r.customer_id, r.team_id, r.assignee_id, un.product_id, r.category_id, c.locale
		FROM requests r JOIN customers c ON c.id = r.customer_id LEFT JOIN units un ON un.id = r.unit_id
		WHERE r.id = $1`, r.RequestID).
		Scan(&r.RequestType, &r.CustomerID, &r.TeamID, &r.AgentID, &r.ProductID, &r.CategoryID, &locale)
	if err != nil {
		return notFound(err, "request")
	}
	if r.Locale == "" {
		r.Locale = locale
	}
	var label *int
	var score *float64
	aspects := "[]"
	if r.Sentiment != nil {
		label, score = &r.Sentiment.Label, &r.Sentiment.Score
		if len(r.Sentiment.Aspects) > 0 {
			b, err := json.Marshal(r.Sentiment.Aspects)
			if err != nil {
				return err
			}
			aspects = string(b)
		}
	}
	return q.QueryRow(ctx, `INSERT INTO survey_responses (request_id, invitation_id, followup_id, customer_id, channel,
		request_type, team_id, agent_id, product_id, category_id, template_version, locale, csat, nps, ces, technical,
		efficiency, convenience, process, price, comment, sentiment_label, sentiment_score, sentiment_aspects, answered_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,
		$24, $25) RETURNING id`,
		r.RequestID, r.InvitationID, r.FollowupID, r.CustomerID, r.Channel, r.RequestType, r.TeamID, r.AgentID,
		r.ProductID, r.CategoryID, r.TemplateVersion, r.Locale, r.CSAT, r.NPS, r.CES, r.Technical, r.Efficiency,
		r.Convenience, r.Process, r.Price, r.Comment, label, score, aspects, r.AnsweredAt).Scan(&r.ID)
}

// errSurveyGone is the answer for an unknown, expired or not yet sent
// survey link: the same for each, so a link says nothing about others.
func errSurveyGone() error {
	return model.Errorf(model.ENOTFOUND, "this survey link is unknown or has expired")
}

// errSurveyAnswered is the answer for a link used before.
func errSurveyAnswered() error {
	return model.Conflict("token", "this survey has already been answered; thank you")
}

// AnswerInvitation stores the answer to the survey whose link hashes to
// hash, once: the invitation is locked, must be sent and unexpired
// (ENOTFOUND otherwise) and unanswered (ECONFLICT), and becomes answered
// with its link's secret forgotten, in the transaction that stores r. r
// gets the invitation's request, customer and template version.
func (s *Store) AnswerInvitation(ctx context.Context, hash []byte, r *model.SurveyResponse) error {
	return s.Tx(ctx, func(q Querier) error {
		var inv model.Invitation
		err := q.QueryRow(ctx, `SELECT id, request_id, template_version, status, expires_at FROM survey_invitations
			WHERE token_hash = $1`+s.forUpdate(), hash).Scan(&inv.ID, &inv.RequestID, &inv.TemplateVersion, &inv.Status, &inv.ExpiresAt)
		if err == sql.ErrNoRows {
			return errSurveyGone()
		} else if err != nil {
			return err
		}
		now := s.Now()
		switch {
		case inv.Status == model.InvitationAnswered:
			return errSurveyAnswered()
		case !inv.Usable(now):
			return errSurveyGone()
		}
		r.RequestID, r.InvitationID, r.TemplateVersion, r.AnsweredAt = inv.RequestID, &inv.ID, inv.TemplateVersion, now
		if err := insertResponse(ctx, q, r); err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `UPDATE survey_invitations SET status = 'answered', answered_at = $1, token = NULL
			WHERE id = $2`, now, inv.ID); err != nil {
			return err
		}
		by := Actor{Kind: model.AuthorCustomer, ID: &r.CustomerID, Channel: r.Channel}
		return insertEvent(ctx, q, r.RequestID, by, "survey", string(model.InvitationSent), string(model.InvitationAnswered), now)
	})
}

const responseSelect = `SELECT s.id, s.request_id, r.number, s.invitation_id, s.followup_id, s.customer_id, c.name, s.channel,
	s.request_type, s.team_id, COALESCE(t.name, ''), s.agent_id, COALESCE(a.name, ''), s.product_id, COALESCE(p.name, ''),
	s.category_id, COALESCE(g.name_zh, ''), COALESCE(g.name_en, ''), s.template_version, s.locale, s.csat, s.nps, s.ces,
	s.technical, s.efficiency, s.convenience, s.process, s.price, s.comment, s.sentiment_label, s.sentiment_score,
	s.sentiment_aspects, s.answered_at, rp.centre_id, COALESCE(sc.name, '')
	FROM survey_responses s
	JOIN requests r ON r.id = s.request_id
	JOIN customers c ON c.id = s.customer_id
	LEFT JOIN teams t ON t.id = s.team_id
	LEFT JOIN users a ON a.id = s.agent_id
	LEFT JOIN products p ON p.id = s.product_id
	LEFT JOIN categories g ON g.id = s.category_id
	LEFT JOIN repairs rp ON rp.request_id = s.request_id
	LEFT JOIN service_centres sc ON sc.id = rp.centre_id `

func scanResponse(row Row, s *model.SurveyResponse) error {
	var label *int
	var score *float64
	var aspects string
	err := row.Scan(&s.ID, &s.RequestID, &s.RequestNumber, &s.InvitationID, &s.FollowupID, &s.CustomerID, &s.CustomerName,
		&s.Channel, &s.RequestType, &s.TeamID, &s.TeamName, &s.AgentID, &s.AgentName, &s.ProductID, &s.ProductName,
		&s.CategoryID, &s.CategoryZh, &s.CategoryEn, &s.TemplateVersion, &s.Locale, &s.CSAT, &s.NPS, &s.CES,
		&s.Technical, &s.Efficiency, &s.Convenience, &s.Process, &s.Price, &s.Comment, &label, &score, &aspects, &s.AnsweredAt,
		&s.CentreID, &s.CentreName)
	if err != nil {
		return err
	}
	if label != nil && score != nil {
		s.Sentiment = &model.CommentSentiment{Label: *label, Score: *score}
		if err := json.Unmarshal([]byte(aspects), &s.Sentiment.Aspects); err != nil {
			return fmt.Errorf("store: response %d aspects: %w", s.ID, err)
		}
	}
	return nil
}

// ListResponses returns the responses answered in [f.From, f.To), newest
// first, a page at a time: a keyset range scan of the answered_at index,
// so a period costs what it holds whatever the table's size. Analytics
// and exports walk the pages.
func (s *Store) ListResponses(ctx context.Context, f model.ResponseFilter) (model.ResponsePage, error) {
	if f.Limit <= 0 {
		f.Limit = DefaultPageSize
	}
	if f.Limit > MaxPageSize {
		return model.ResponsePage{}, model.FieldError("limit", "must be at most %d", MaxPageSize)
	}
	query := responseSelect + "WHERE s.answered_at >= $1 AND s.answered_at < $2"
	args := []any{f.From, f.To}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, "responses")
		if err != nil {
			return model.ResponsePage{}, err
		}
		args = append(args, c.At, c.ID)
		query += " AND (s.answered_at, s.id) < ($3, $4)"
	}
	query += " ORDER BY s.answered_at DESC, s.id DESC LIMIT " + strconv.Itoa(f.Limit+1)
	rows, err := s.Read().Query(ctx, query, args...)
	if err != nil {
		return model.ResponsePage{}, fmt.Errorf("list responses: %w", err)
	}
	defer rows.Close()
	page := model.ResponsePage{Items: make([]model.SurveyResponse, 0, f.Limit)}
	for rows.Next() {
		var r model.SurveyResponse
		if err := scanResponse(rows, &r); err != nil {
			return model.ResponsePage{}, err
		}
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return model.ResponsePage{}, err
	}
	if len(page.Items) > f.Limit {
		page.Items = page.Items[:f.Limit]
		last := page.Items[f.Limit-1]
		page.NextCursor = cursor{Sort: "responses", At: last.AnsweredAt, ID: last.ID}.encode()
	}
	return page, nil
}

// ResponsesOfRequest returns a request's responses (web or API, and phone),
// oldest first.
func (s *Store) ResponsesOfRequest(ctx context.Context, requestID int64) ([]model.SurveyResponse, error) {
	rows, err := s.Read().Query(ctx, responseSelect+"WHERE s.request_id = $1 ORDER BY s.answered_at, s.id", requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []model.SurveyResponse
	for rows.Next() {
		var r model.SurveyResponse
		if err := scanResponse(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
