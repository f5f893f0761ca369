package survey

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// Limits of a template's texts, in characters.
const (
	maxTitle    = 200
	maxIntro    = 2000
	maxQuestion = 500
)

// DefaultTemplate is version 1 of the survey: every question asked, in
// the wording of the service dimensions (product.md capability 7).
func DefaultTemplate() *model.SurveyTemplate {
	q := func(k model.QuestionKey, zh, en string) model.Question {
		return model.Question{Key: k, Enabled: true, TextZh: zh, TextEn: en}
	}
	return &model.SurveyTemplate{
		TitleZh: "服务满意度调查",
		TitleEn: "How did we do?",
		IntroZh: "感谢您使用我们的售后服务。请花一分钟告诉我们这次服务的体验，您的意见会帮助我们改进。",
		IntroEn: "Thank you for using our after-sales service. Please take a minute to tell us how it went; your answers help us improve.",
		Questions: []model.Question{
			q(model.QCSAT, "总体而言，您对本次服务满意吗？", "Overall, how satisfied are you with this service?"),
			q(model.QNPS, "您有多大可能向亲友推荐我们的服务？", "How likely are you to recommend our service to a friend or colleague?"),
			q(model.QCES, "我们让问题的处理变得很容易。", "We made it easy to handle your issue."),
			q(model.QTechnical, "问题真正得到了解决（专业技术）", "The problem was really fixed (technical competence)"),
			q(model.QEfficiency, "服务很快（服务效率）", "It was fast (efficiency and speed)"),
			q(model.QConvenience, "服务很方便（网点与便利）", "It was convenient (network and convenience)"),
			q(model.QProcess, "我一直清楚处理进展（流程规范）", "I always knew where it stood (process and management)"),
			q(model.QPrice, "价格公道、收费清楚（价格收费）", "The price was fair and clear (price and fees)"),
			q(model.QComment, "还有什么想告诉我们的吗？", "Anything else you would like to tell us?"),
		},
	}
}

// Template returns a template version (0: the latest) for staff.
func (s *Service) Template(ctx context.Context, p model.Principal, version int) (*model.SurveyTemplate, error) {
	if !p.Can(model.PermSurveyRead) {
		return nil, forbidden()
	}
	if version < 0 {
		return nil, model.FieldError("version", "must be a positive version number")
	}
	return s.store.SurveyTemplate(ctx, version)
}

// TemplateInput is an edited template: Base is the version the editor
// started from (optimistic locking), Questions one entry per question
// key, in any order.
type TemplateInput struct {
	Base      int
	TitleZh   string
	TitleEn   string
	IntroZh   string
	IntroEn   string
	Questions []model.Question
}

// SaveTemplate validates in and stores it as a new version (admins);
// responses keep the version they answered. A save based on an older
// version than the latest is ECONFLICT.
func (s *Service) SaveTemplate(ctx context.Context, p model.Principal, in TemplateInput) (*model.SurveyTemplate, error) {
	if !p.Can(model.PermSurveyManage) {
		return nil, forbidden()
	}
	t, err := checkTemplate(in)
	if err != nil {
		return nil, err
	}
	t.CreatedBy = p.Name
	if t.CreatedBy == "" {
		t.CreatedBy = p.Email
	}
	if in.Base <= 0 {
		return nil, model.FieldError("version", "is required (send the version you edited)")
	}
	enabled := 0
	for _, q := range t.Questions {
		if q.Enabled {
			enabled++
		}
	}
	detail := fmt.Sprintf("from version %d; %d of %d questions asked", in.Base, enabled, len(t.Questions))
	if err := s.store.SaveSurveyTemplate(ctx, t, in.Base, model.Audit(ctx, p, model.AuditSurveyTemplate, "", detail)); err != nil {
		return nil, err
	}
	return t, nil
}

// checkTemplate validates an edited template and returns it with its
// questions in survey order. Fields are named as in the JSON body
// (title_zh, questions[2].text_en).
func checkTemplate(in TemplateInput) (*model.SurveyTemplate, error) {
	t := &model.SurveyTemplate{TitleZh: strings.TrimSpace(in.TitleZh), TitleEn: strings.TrimSpace(in.TitleEn),
		IntroZh: strings.TrimSpace(in.IntroZh), IntroEn: strings.TrimSpace(in.IntroEn)}
	for _, f := range []struct {
		name, v string
		max     int
		need    bool
	}{{"title_zh", t.TitleZh, maxTitle, true}, {"title_en", t.TitleEn, maxTitle, true},
		{"intro_zh", t.IntroZh, maxIntro, false}, {"intro_en", t.IntroEn, maxIntro, false}} {
		if f.need && f.v == "" {
			return nil, model.FieldError(f.name, "is required")
		}
		if utf8.RuneCountInString(f.v) > f.max {
			return nil, model.FieldError(f.name, "must be at most %d characters", f.max)
		}
	}
	byKey := map[model.QuestionKey]model.Question{}
	for i, q := range in.Questions {
		field := fmt.Sprintf("questions[%d]", i)
		known := false
		for _, k := range model.QuestionKeys() {
			known = known || k == q.Key
		}
		if !known {
			return nil, model.FieldError(field+".key", "must be one of csat, nps, ces, technical, efficiency, convenience, process, price, comment")
		}
		if _, dup := byKey[q.Key]; dup {
			return nil, model.FieldError(field+".key", "question %s is listed twice", q.Key)
		}
		q.TextZh, q.TextEn = strings.TrimSpace(q.TextZh), strings.TrimSpace(q.TextEn)
		if q.Key == model.QCSAT && !q.Enabled {
			return nil, model.FieldError(field+".enabled", "the overall satisfaction question is always asked")
		}
		for _, txt := range []struct{ name, v string }{{".text_zh", q.TextZh}, {".text_en", q.TextEn}} {
			if q.Enabled && txt.v == "" {
				return nil, model.FieldError(field+txt.name, "is required")
			}
			if utf8.RuneCountInString(txt.v) > maxQuestion {
				return nil, model.FieldError(field+txt.name, "must be at most %d characters", maxQuestion)
			}
		}
		byKey[q.Key] = q
	}
	for _, k := range model.QuestionKeys() {
		q, ok := byKey[k]
		if !ok {
			return nil, model.FieldError("questions", "question %s is missing", k)
		}
		t.Questions = append(t.Questions, q)
	}
	return t, nil
}
