package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// DimensionRatings are the five service-dimension ratings (1–5) of a
// survey answer; each may be left out.
type DimensionRatings struct {
	Technical   *int `json:"technical,omitempty" minimum:"1" maximum:"5" doc:"The problem was really fixed."`
	Efficiency  *int `json:"efficiency,omitempty" minimum:"1" maximum:"5" doc:"It was fast."`
	Convenience *int `json:"convenience,omitempty" minimum:"1" maximum:"5" doc:"It was convenient."`
	Process     *int `json:"process,omitempty" minimum:"1" maximum:"5" doc:"I always knew where it stood."`
	Price       *int `json:"price,omitempty" minimum:"1" maximum:"5" doc:"The price was fair and clear."`
}

// SurveyAnswer is an answer to the satisfaction survey.
type SurveyAnswer struct {
	CSAT       *int              `json:"csat" minimum:"1" maximum:"5" doc:"Overall satisfaction, 1–5 (required)."`
	NPS        *int              `json:"nps,omitempty" minimum:"0" maximum:"10" doc:"Likelihood to recommend, 0–10."`
	CES        *int              `json:"ces,omitempty" minimum:"1" maximum:"7" doc:"\"Made it easy to handle my issue\", 1–7."`
	Dimensions *DimensionRatings `json:"dimensions,omitempty"`
	Comment    string            `json:"comment,omitempty" maxLength:"2000"`
}

func (a *SurveyAnswer) answers() survey.Answers {
	out := survey.Answers{CSAT: a.CSAT, NPS: a.NPS, CES: a.CES, Comment: a.Comment}
	if d := a.Dimensions; d != nil {
		out.Dimensions = map[model.QuestionKey]*int{model.QTechnical: d.Technical, model.QEfficiency: d.Efficiency,
			model.QConvenience: d.Convenience, model.QProcess: d.Process, model.QPrice: d.Price}
	}
	return out
}

// Sentiment is the sentiment model's reading of a comment.
type Sentiment struct {
	Label   string                `json:"label" enum:"positive,negative"`
	Score   float64               `json:"score" doc:"Probability that the comment is positive."`
	Aspects []model.CommentAspect `json:"aspects" doc:"Service aspects the comment mentions, each with its polarity (-1, 0, 1) and dimension."`
}

// SurveyResponse is one answered survey as staff see it.
type SurveyResponse struct {
	ID              int64            `json:"id"`
	RequestNumber   string           `json:"request_number"`
	Channel         model.Channel    `json:"channel" enum:"web,email,phone,api,device" doc:"web: the survey page; api: JSON; phone: a follow-up call."`
	AnsweredAt      time.Time        `json:"answered_at"`
	TemplateVersion int              `json:"template_version"`
	CSAT            int              `json:"csat"`
	NPS             *int             `json:"nps" nullable:"true"`
	CES             *int             `json:"ces" nullable:"true"`
	Dimensions      DimensionRatings `json:"dimensions"`
	Comment         string           `json:"comment"`
	Sentiment       *Sentiment       `json:"sentiment,omitempty" doc:"Absent without a comment."`
	Team            string           `json:"team" doc:"When answered."`
	Agent           string           `json:"agent" doc:"The assignee when answered."`
	Product         string           `json:"product"`
	CategoryZh      string           `json:"category_zh"`
	CategoryEn      string           `json:"category_en"`
}

func toSurveyResponse(r *model.SurveyResponse) SurveyResponse {
	out := SurveyResponse{ID: r.ID, RequestNumber: r.RequestNumber, Channel: r.Channel, AnsweredAt: r.AnsweredAt,
		TemplateVersion: r.TemplateVersion, CSAT: r.CSAT, NPS: r.NPS, CES: r.CES, Comment: r.Comment,
		Dimensions: DimensionRatings{Technical: r.Technical, Efficiency: r.Efficiency, Convenience: r.Convenience,
			Process: r.Process, Price: r.Price},
		Team: r.TeamName, Agent: r.AgentName, Product: r.ProductName, CategoryZh: r.CategoryZh, CategoryEn: r.CategoryEn}
	if sn := r.Sentiment; sn != nil {
		out.Sentiment = &Sentiment{Label: "negative", Score: sn.Score, Aspects: sn.Aspects}
		if sn.Label == 1 {
			out.Sentiment.Label = "positive"
		}
		if out.Sentiment.Aspects == nil {
			out.Sentiment.Aspects = []model.CommentAspect{}
		}
	}
	return out
}

// SurveyStatus is a request's survey as staff see it.
type SurveyStatus struct {
	RequestNumber   string                 `json:"request_number"`
	Status          model.InvitationStatus `json:"status" enum:"scheduled,sent,answered,expired,suppressed"`
	URL             string                 `json:"url,omitempty" doc:"The survey's link (ends with /s/{token}), while it can be answered: sent, unanswered, unexpired."`
	Reason          string                 `json:"reason,omitempty" doc:"Why it was suppressed: cooldown (the customer had a survey within --survey-cooldown-days)."`
	TemplateVersion int                    `json:"template_version"`
	ScheduledAt     time.Time              `json:"scheduled_at"`
	SentAt          *time.Time             `json:"sent_at,omitempty"`
	RemindedAt      *time.Time             `json:"reminded_at,omitempty"`
	ExpiresAt       *time.Time             `json:"expires_at,omitempty"`
	AnsweredAt      *time.Time             `json:"answered_at,omitempty"`
	Responses       []SurveyResponse       `json:"responses" doc:"Answers on the web or by API, and on follow-up calls (channel phone)."`
	Followup        *Followup              `json:"followup,omitempty" doc:"The follow-up call, when one was planned."`
}

type surveyStatusOutput struct {
	Body SurveyStatus
}

// PublicQuestion is one question of the public survey.
type PublicQuestion struct {
	Key    model.QuestionKey `json:"key" enum:"csat,nps,ces,technical,efficiency,convenience,process,price,comment"`
	Field  string            `json:"field" doc:"Where the answer goes in the response body (dimensions.price)."`
	TextZh string            `json:"text_zh"`
	TextEn string            `json:"text_en"`
	Min    int               `json:"min" doc:"0 for the comment."`
	Max    int               `json:"max"`
}

// PublicSurvey is the survey a link opens.
type PublicSurvey struct {
	RequestNumber   string           `json:"request_number"`
	Subject         string           `json:"subject"`
	Lang            string           `json:"lang" enum:"zh-CN,en" doc:"The customer's language."`
	TemplateVersion int              `json:"template_version"`
	TitleZh         string           `json:"title_zh"`
	TitleEn         string           `json:"title_en"`
	IntroZh         string           `json:"intro_zh"`
	IntroEn         string           `json:"intro_en"`
	Questions       []PublicQuestion `json:"questions" doc:"The questions asked, in order."`
	ExpiresAt       time.Time        `json:"expires_at"`
}

type tokenInput struct {
	Token string `path:"token" maxLength:"200" doc:"The token of the survey link /s/{token}."`
}

type publicSurveyOutput struct {
	Body PublicSurvey
}

type answerInput struct {
	Token string `path:"token" maxLength:"200"`
	Body  SurveyAnswer
}

// AnswerReceipt confirms an answer.
type AnswerReceipt struct {
	ID            int64     `json:"id"`
	RequestNumber string    `json:"request_number"`
	AnsweredAt    time.Time `json:"answered_at"`
}

type answerOutput struct {
	Body AnswerReceipt
}

func (s *server) registerSurveys() {
	// The token is the credential: a rate limit per client, then the
	// link's check, before the body is read.
	tokenCheck := func(ctx context.Context, hctx huma.Context) error {
		if err := s.d.Feedback.Allow(ctx); err != nil {
			return err
		}
		_, err := s.d.Feedback.Open(ctx, hctx.Param("token"))
		return err
	}
	const who = "the survey link's token is the credential (rate-limited per client)"
	registerPublic(s, huma.Operation{
		OperationID: "get-survey", Method: http.MethodGet, Path: "/api/v1/surveys/{token}",
		Summary: "Read the survey of a link", Tags: []string{"surveys"},
		Description: "The questions of the template version the link was sent with, in both languages. " +
			"An unknown, expired or not yet sent link is 404; an answered one 409.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusTooManyRequests},
	}, who, tokenCheck, func(ctx context.Context, in *tokenInput) (*publicSurveyOutput, error) {
		pub, err := s.d.Feedback.Open(ctx, in.Token)
		if err != nil {
			return nil, err
		}
		t := pub.Template
		out := PublicSurvey{RequestNumber: pub.Request.Number, Subject: pub.Request.Subject, Lang: pub.Lang,
			TemplateVersion: t.Version, TitleZh: t.TitleZh, TitleEn: t.TitleEn, IntroZh: t.IntroZh, IntroEn: t.IntroEn,
			Questions: []PublicQuestion{}, ExpiresAt: *pub.Invitation.ExpiresAt}
		for _, q := range t.Questions {
			if !q.Enabled {
				continue
			}
			lo, hi := q.Key.Range()
			field := string(q.Key)
			if q.Key.IsDimension() {
				field = "dimensions." + field
			}
			out.Questions = append(out.Questions, PublicQuestion{Key: q.Key, Field: field, TextZh: q.TextZh, TextEn: q.TextEn, Min: lo, Max: hi})
		}
		return &publicSurveyOutput{Body: out}, nil
	})

	registerPublic(s, huma.Operation{
		OperationID: "answer-survey", Method: http.MethodPost, Path: "/api/v1/surveys/{token}/response",
		Summary: "Answer the survey of a link", Tags: []string{"surveys"}, DefaultStatus: http.StatusCreated,
		Description: "Once per link: a second answer is 409; an unknown or expired link (14 days after it was sent) " +
			"is 404; a value out of range, or a question this survey does not ask, is 422 naming the field " +
			"(body.dimensions.price). The comment is scored by the sentiment model.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity, http.StatusTooManyRequests},
	}, who, tokenCheck, func(ctx context.Context, in *answerInput) (*answerOutput, error) {
		r, err := s.d.Feedback.Answer(ctx, in.Token, in.Body.answers(), model.ChannelAPI, "")
		if err != nil {
			return nil, err
		}
		v, err := s.d.Store.Invitation(ctx, *r.InvitationID)
		if err != nil {
			return nil, err
		}
		return &answerOutput{Body: AnswerReceipt{ID: r.ID, RequestNumber: v.RequestNumber, AnsweredAt: r.AnsweredAt}}, nil
	})

	register(s, huma.Operation{
		OperationID: "get-request-survey", Method: http.MethodGet, Path: "/api/v1/requests/{number}/survey",
		Summary: "A request's survey: status, link and answers", Tags: []string{"surveys"},
		Description: "The invitation a resolved request sent (404 before it was resolved), its status as of now, " +
			"its link while it can be answered, the answers and the follow-up call.",
		Errors: []int{http.StatusNotFound},
	}, can(model.PermSurveyRead), func(ctx context.Context, in *numberInput) (*surveyStatusOutput, error) {
		v, err := s.d.Feedback.RequestFeedback(ctx, principalFrom(ctx), in.Number)
		if err != nil {
			return nil, err
		}
		if v.Invitation == nil {
			return nil, model.Errorf(model.ENOTFOUND, "this request has no survey yet; it gets one when it is resolved")
		}
		inv := v.Invitation
		out := SurveyStatus{RequestNumber: v.Request.Number, Status: v.Status, URL: v.URL, Reason: inv.Reason,
			TemplateVersion: inv.TemplateVersion, ScheduledAt: inv.ScheduledAt, SentAt: inv.SentAt, RemindedAt: inv.RemindedAt,
			ExpiresAt: inv.ExpiresAt, AnsweredAt: inv.AnsweredAt, Responses: []SurveyResponse{}}
		for i := range v.Responses {
			out.Responses = append(out.Responses, toSurveyResponse(&v.Responses[i]))
		}
		if v.Followup != nil {
			f := toFollowup(v.Followup, v.Attempts)
			out.Followup = &f
		}
		return &surveyStatusOutput{Body: out}, nil
	})
}
