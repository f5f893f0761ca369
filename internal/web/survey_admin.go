package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// surveyAdminPage is the admins' editor of the survey template: both
// languages side by side, each question on or off; saving makes a new
// version (answers keep the version they answered).
type surveyAdminPage struct {
	Base
	Version   int
	CreatedAt string
	CreatedBy string
	TitleZh   string
	TitleEn   string
	IntroZh   string
	IntroEn   string
	Questions []adminQuestion
	Errors    FieldErrors
}

// adminQuestion is one question in the editor; Index names its fields.
type adminQuestion struct {
	Index   int
	Key     string
	Label   string // the question's name in the reader's language
	Enabled bool
	Locked  bool // csat is always asked
	TextZh  string
	TextEn  string
	ErrZh   string
	ErrEn   string
}

func (s *server) surveyAdminFrom(r *http.Request, t *model.SurveyTemplate, fe FieldErrors) surveyAdminPage {
	page := surveyAdminPage{Base: s.base(r, "survey"), Version: t.Version, CreatedBy: t.CreatedBy, TitleZh: t.TitleZh,
		TitleEn: t.TitleEn, IntroZh: t.IntroZh, IntroEn: t.IntroEn, Errors: fe}
	if !t.CreatedAt.IsZero() {
		page.CreatedAt = t.CreatedAt.In(s.d.Store.Location()).Format("2006-01-02 15:04")
	}
	for i, q := range t.Questions {
		field := fmt.Sprintf("questions[%d]", i)
		page.Questions = append(page.Questions, adminQuestion{Index: i, Key: string(q.Key), Label: s.tr(r, "survey.question."+string(q.Key)),
			Enabled: q.Enabled, Locked: q.Key == model.QCSAT, TextZh: q.TextZh, TextEn: q.TextEn,
			ErrZh: fe.Get(field + ".text_zh"), ErrEn: fe.Get(field + ".text_en")})
	}
	return page
}

// surveyAdmin renders the editor with the latest version.
func (s *server) surveyAdmin(w http.ResponseWriter, r *http.Request) {
	t, err := s.d.Feedback.Template(r.Context(), *principalOf(r), 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_survey", s.surveyAdminFrom(r, t, FieldErrors{}))
}

// surveyAdminSave stores the edited survey as a new version; an error
// shows the editor again with what was typed and the error beside its
// field.
func (s *server) surveyAdminSave(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	base, _ := strconv.Atoi(f.Get("version"))
	in := survey.TemplateInput{Base: base, TitleZh: f.Get("title_zh"), TitleEn: f.Get("title_en"),
		IntroZh: f.Get("intro_zh"), IntroEn: f.Get("intro_en")}
	for i, k := range model.QuestionKeys() {
		field := fmt.Sprintf("questions[%d]", i)
		in.Questions = append(in.Questions, model.Question{Key: k, Enabled: k == model.QCSAT || f.Get(field+".enabled") == "on",
			TextZh: f.Get(field + ".text_zh"), TextEn: f.Get(field + ".text_en")})
	}
	t, err := s.d.Feedback.SaveTemplate(r.Context(), *principalOf(r), in)
	if err == nil {
		s.flash(r, "flash.survey_saved")
		http.Redirect(w, r, "/admin/survey", http.StatusSeeOther)
		return
	}
	if c := model.ErrorCode(err); c != model.EINVALID && c != model.ECONFLICT {
		s.fail(w, r, err)
		return
	}
	fields := []string{"title_zh", "title_en", "intro_zh", "intro_en"}
	for i := range model.QuestionKeys() {
		fields = append(fields, fmt.Sprintf("questions[%d].text_zh", i), fmt.Sprintf("questions[%d].text_en", i))
	}
	edited := &model.SurveyTemplate{Version: base, TitleZh: in.TitleZh, TitleEn: in.TitleEn, IntroZh: in.IntroZh,
		IntroEn: in.IntroEn, Questions: in.Questions}
	if t != nil {
		edited.Version = t.Version
	}
	s.render(w, r, statusOf(err), "admin_survey", s.surveyAdminFrom(r, edited, s.errorsFrom(r, err, fields...)))
}
