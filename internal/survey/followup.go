package survey

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// maxNote bounds a call note, in characters.
const maxNote = 2000

// Followups returns one page of the follow-up queue. Open calls are
// listed once due unless all is set (then the ones planned for later
// too).
func (s *Service) Followups(ctx context.Context, p model.Principal, f model.FollowupFilter, all bool) (model.FollowupPage, error) {
	if !p.Can(model.PermFollowupCall) {
		return model.FollowupPage{}, forbidden()
	}
	switch f.Status {
	case "", model.FollowupOpen:
		f.Status = model.FollowupOpen
		if !all {
			f.DueBy = s.now()
		}
	case model.FollowupDone:
	default:
		return model.FollowupPage{}, model.FieldError("status", "must be open or done")
	}
	if f.Limit < 0 {
		return model.FollowupPage{}, model.FieldError("limit", "must be between 1 and %d", store.MaxPageSize)
	}
	return s.store.ListFollowups(ctx, f)
}

// Followup returns one follow-up call with its attempts and the template
// to ask (the latest version).
func (s *Service) Followup(ctx context.Context, p model.Principal, id int64) (*model.Followup, []model.FollowupAttempt, *model.SurveyTemplate, error) {
	if !p.Can(model.PermFollowupCall) {
		return nil, nil, nil, forbidden()
	}
	f, atts, err := s.store.Followup(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	t, err := s.store.SurveyTemplate(ctx, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	return f, atts, t, nil
}

// CallInput is one call of a follow-up: how it went, a note, and the
// customer's answers to the survey's questions when they were reached
// and answered (nil otherwise).
type CallInput struct {
	Reachability model.Reachability
	Note         string
	Answers      *Answers
}

// RecordCall records a call attempt. Reaching the customer, a refusal or
// a wrong number finishes the follow-up; no answer finishes it at the
// MaxCallAttempts-th attempt. Answers, allowed only when the customer
// was reached, are stored as a survey response from the phone channel on
// the latest template version, with the comment's sentiment.
func (s *Service) RecordCall(ctx context.Context, p model.Principal, id int64, in CallInput) (*model.Followup, error) {
	if !p.Can(model.PermFollowupCall) || !p.IsStaff() {
		return nil, forbidden()
	}
	if !in.Reachability.Valid() {
		return nil, model.FieldError("reachability", "must be one of reached, no_answer, wrong_number, refused")
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > maxNote {
		return nil, model.FieldError("note", "must be at most %d characters", maxNote)
	}
	f, _, err := s.store.Followup(ctx, id)
	if err != nil {
		return nil, err
	}
	out := store.CallOutcome{Attempt: model.FollowupAttempt{Reachability: in.Reachability, Note: in.Note}}
	switch in.Reachability {
	case model.Reached, model.Refused, model.WrongNumber:
		out.Finishes = true
	case model.NoAnswer:
		out.Finishes = f.Attempts+1 >= MaxCallAttempts
	}
	if in.Answers != nil {
		if in.Reachability != model.Reached {
			return nil, model.FieldError("reachability", "answers are recorded only when the customer was reached")
		}
		t, err := s.store.SurveyTemplate(ctx, 0)
		if err != nil {
			return nil, err
		}
		sc, err := in.Answers.scores(t)
		if err != nil {
			return nil, err
		}
		out.Response = &model.SurveyResponse{Scores: sc, Sentiment: s.sentiment(sc.Comment), TemplateVersion: t.Version,
			Locale: f.CustomerLang}
	}
	id64 := p.ID
	return s.store.RecordCall(ctx, id, out, store.Actor{Kind: model.AuthorStaff, ID: &id64, Name: p.Name, Channel: model.ChannelPhone})
}
