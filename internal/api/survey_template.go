package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// SurveyQuestion is one question of a template version.
type SurveyQuestion struct {
	Key     model.QuestionKey `json:"key" enum:"csat,nps,ces,technical,efficiency,convenience,process,price,comment"`
	Enabled bool              `json:"enabled" doc:"Whether the survey asks it; csat always."`
	TextZh  string            `json:"text_zh" maxLength:"500"`
	TextEn  string            `json:"text_en" maxLength:"500"`
}

// SurveyTemplate is one version of the survey.
type SurveyTemplate struct {
	Version   int              `json:"version"`
	TitleZh   string           `json:"title_zh"`
	TitleEn   string           `json:"title_en"`
	IntroZh   string           `json:"intro_zh"`
	IntroEn   string           `json:"intro_en"`
	Questions []SurveyQuestion `json:"questions"`
	CreatedAt time.Time        `json:"created_at"`
	CreatedBy string           `json:"created_by"`
}

func toSurveyTemplate(t *model.SurveyTemplate) SurveyTemplate {
	out := SurveyTemplate{Version: t.Version, TitleZh: t.TitleZh, TitleEn: t.TitleEn, IntroZh: t.IntroZh, IntroEn: t.IntroEn,
		Questions: []SurveyQuestion{}, CreatedAt: t.CreatedAt, CreatedBy: t.CreatedBy}
	for _, q := range t.Questions {
		out.Questions = append(out.Questions, SurveyQuestion(q))
	}
	return out
}

type templateInput struct {
	Version int `query:"version" minimum:"0" doc:"A version; 0 or none: the latest."`
}

type templateOutput struct {
	Body SurveyTemplate
}

type saveTemplateInput struct {
	Body struct {
		Version   int              `json:"version" minimum:"1" doc:"The version you edited; 409 when a newer one exists."`
		TitleZh   string           `json:"title_zh" maxLength:"200"`
		TitleEn   string           `json:"title_en" maxLength:"200"`
		IntroZh   string           `json:"intro_zh,omitempty" maxLength:"2000"`
		IntroEn   string           `json:"intro_en,omitempty" maxLength:"2000"`
		Questions []SurveyQuestion `json:"questions" doc:"Every question key once."`
	}
}

func (s *server) registerSurveyTemplate() {
	register(s, huma.Operation{
		OperationID: "get-survey-template", Method: http.MethodGet, Path: "/api/v1/survey-template",
		Summary: "The survey template (latest or one version)", Tags: []string{"surveys"},
		Errors: []int{http.StatusNotFound},
	}, can(model.PermSurveyRead), func(ctx context.Context, in *templateInput) (*templateOutput, error) {
		t, err := s.d.Feedback.Template(ctx, principalFrom(ctx), in.Version)
		if err != nil {
			return nil, at("query", err)
		}
		return &templateOutput{Body: toSurveyTemplate(t)}, nil
	})

	register(s, huma.Operation{
		OperationID: "save-survey-template", Method: http.MethodPut, Path: "/api/v1/survey-template",
		Summary: "Edit the survey (a new version)", Tags: []string{"surveys"},
		Description: "Stores a new version; invitations sent from now on use it, answers keep the version they answered. " +
			"Recorded in the audit log.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermSurveyManage), func(ctx context.Context, in *saveTemplateInput) (*templateOutput, error) {
		b := in.Body
		ti := survey.TemplateInput{Base: b.Version, TitleZh: b.TitleZh, TitleEn: b.TitleEn, IntroZh: b.IntroZh, IntroEn: b.IntroEn}
		for _, q := range b.Questions {
			ti.Questions = append(ti.Questions, model.Question(q))
		}
		t, err := s.d.Feedback.SaveTemplate(ctx, principalFrom(ctx), ti)
		if err != nil {
			return nil, err
		}
		return &templateOutput{Body: toSurveyTemplate(t)}, nil
	})
}
