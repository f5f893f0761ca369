package survey

import (
	"context"
	"crypto/sha256"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// Answers are a customer's answers as submitted: nil for a rating left
// out. Dimensions holds the five dimension ratings by key.
type Answers struct {
	CSAT       *int
	NPS        *int
	CES        *int
	Dimensions map[model.QuestionKey]*int
	Comment    string
}

// fieldOf is the input field a question's answer comes in, as the JSON
// body and the form name it (dimensions.price).
func fieldOf(k model.QuestionKey) string {
	if k.IsDimension() {
		return "dimensions." + string(k)
	}
	return string(k)
}

// scores validates a against template t and returns them as Scores.
// CSAT is required; every rating must be in its question's range and
// asked by t. Errors name the field (csat, nps, dimensions.price, comment).
func (a Answers) scores(t *model.SurveyTemplate) (model.Scores, error) {
	var sc model.Scores
	ratings := map[model.QuestionKey]*int{model.QCSAT: a.CSAT, model.QNPS: a.NPS, model.QCES: a.CES}
	for k, v := range a.Dimensions {
		if !k.IsDimension() {
			return sc, model.FieldError("dimensions."+string(k), "must be one of technical, efficiency, convenience, process, price")
		}
		ratings[k] = v
	}
	for _, k := range model.QuestionKeys() {
		if k == model.QComment {
			continue
		}
		v := ratings[k]
		if v == nil {
			if k == model.QCSAT {
				return sc, model.FieldError("csat", "is required")
			}
			continue
		}
		if lo, hi := k.Range(); *v < lo || *v > hi {
			return sc, model.FieldError(fieldOf(k), "must be between %d and %d", lo, hi)
		}
		if !t.Asks(k) {
			return sc, model.FieldError(fieldOf(k), "this question is not asked in this survey")
		}
		x := *v
		sc.SetRating(k, &x)
	}
	sc.Comment = strings.TrimSpace(a.Comment)
	if sc.Comment != "" && !t.Asks(model.QComment) {
		return sc, model.FieldError("comment", "this question is not asked in this survey")
	}
	if utf8.RuneCountInString(sc.Comment) > MaxComment {
		return sc, model.FieldError("comment", "must be at most %d characters", MaxComment)
	}
	return sc, nil
}

// sentiment scores a comment (nil without a comment or a scorer).
func (s *Service) sentiment(comment string) *model.CommentSentiment {
	if comment == "" || s.opts.Scorer == nil {
		return nil
	}
	cs, ok := s.opts.Scorer(comment)
	if !ok {
		return nil
	}
	return &cs
}

// Public is what the public survey page shows for a link: the template
// version the invitation was sent with, in the customer's language.
type Public struct {
	Invitation *model.Invitation
	Template   *model.SurveyTemplate
	Request    *model.Request
	// Lang is the customer's language (zh-CN or en), the page's default.
	Lang string
}

// hashOf is the lookup key of a survey link's secret.
func hashOf(token string) []byte {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return sum[:]
}

// Open finds the survey of a link: ENOTFOUND for an unknown, not yet
// sent or expired link, ECONFLICT for one answered already.
func (s *Service) Open(ctx context.Context, token string) (*Public, error) {
	if token == "" || len(token) > 200 {
		return nil, gone()
	}
	inv, err := s.store.InvitationByTokenHash(ctx, hashOf(token))
	if model.IsNotFound(err) {
		return nil, gone()
	} else if err != nil {
		return nil, err
	}
	switch {
	case inv.Status == model.InvitationAnswered:
		return nil, model.Conflict("token", "this survey has already been answered; thank you")
	case !inv.Usable(s.now()):
		return nil, gone()
	}
	t, err := s.store.SurveyTemplate(ctx, inv.TemplateVersion)
	if err != nil {
		return nil, err
	}
	r, err := s.store.RequestByNumber(ctx, inv.RequestNumber)
	if err != nil {
		return nil, err
	}
	c, err := s.store.CustomerByID(ctx, inv.CustomerID)
	if err != nil {
		return nil, err
	}
	lang := i18n.Normalize(c.Locale)
	if lang == "" {
		lang = i18n.ZhCN
	}
	return &Public{Invitation: inv, Template: t, Request: r, Lang: lang}, nil
}

func gone() error { return model.Errorf(model.ENOTFOUND, "this survey link is unknown or has expired") }

// Answer stores the answers to the survey of a link, once, with the
// comment's sentiment; via is the channel it came through (web for the
// page, api for JSON). An unknown, unsent or expired link is ENOTFOUND, an
// answered one ECONFLICT, answers out of range EINVALID naming the field.
func (s *Service) Answer(ctx context.Context, token string, a Answers, via model.Channel, lang string) (*model.SurveyResponse, error) {
	pub, err := s.Open(ctx, token)
	if err != nil {
		return nil, err
	}
	sc, err := a.scores(pub.Template)
	if err != nil {
		return nil, err
	}
	r := &model.SurveyResponse{Channel: via, Scores: sc, Sentiment: s.sentiment(sc.Comment), Locale: i18n.Normalize(lang)}
	if err := s.store.AnswerInvitation(ctx, hashOf(token), r); err != nil {
		return nil, err
	}
	return r, nil
}

// View is what staff see of a request's feedback: the invitation (nil
// when there is none) with its status as of now and its link while it can
// be used, the responses, and the follow-up call.
type View struct {
	Request    *model.Request
	Invitation *model.Invitation
	Status     model.InvitationStatus
	URL        string
	Responses  []model.SurveyResponse
	Followup   *model.Followup
	Attempts   []model.FollowupAttempt
}

// RequestFeedback returns the feedback of a request for staff who may see
// surveys.
func (s *Service) RequestFeedback(ctx context.Context, p model.Principal, number string) (*View, error) {
	if !p.IsStaff() || !p.Can(model.PermSurveyRead) {
		return nil, forbidden()
	}
	r, err := s.store.RequestByNumber(ctx, strings.ToUpper(strings.TrimSpace(number)))
	if err != nil {
		return nil, err
	}
	v := &View{Request: r}
	inv, err := s.store.InvitationOfRequest(ctx, r.ID)
	switch {
	case err == nil:
		v.Invitation, v.Status = inv, inv.Effective(s.now())
		if inv.Usable(s.now()) && inv.Token != "" {
			v.URL = s.URL(inv.Token)
		}
	case !model.IsNotFound(err):
		return nil, err
	}
	if v.Responses, err = s.store.ResponsesOfRequest(ctx, r.ID); err != nil {
		return nil, err
	}
	fu, atts, err := s.store.FollowupOfRequest(ctx, r.ID)
	switch {
	case err == nil:
		v.Followup, v.Attempts = fu, atts
	case !model.IsNotFound(err):
		return nil, err
	}
	return v, nil
}

// Pending is an open survey the portal shows its customer.
type Pending struct {
	RequestNumber string
	// Path is the link on this site (/s/…), URL the same under the base URL.
	Path     string
	URL      string
	Reminded bool
}

// PendingFor returns the customer's surveys that can be answered now,
// newest first, for the portal's banner; other principals get none.
func (s *Service) PendingFor(ctx context.Context, p model.Principal) ([]Pending, error) {
	if !p.IsCustomer() || !p.Can(model.PermRequestRead) {
		return nil, nil
	}
	invs, err := s.store.OpenInvitations(ctx, p.ID, s.now())
	if err != nil {
		return nil, err
	}
	var out []Pending
	for _, inv := range invs {
		if inv.Token != "" {
			out = append(out, Pending{RequestNumber: inv.RequestNumber, Path: "/s/" + inv.Token, URL: s.URL(inv.Token),
				Reminded: inv.RemindedAt != nil})
		}
	}
	return out, nil
}
