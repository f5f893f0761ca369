package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// questionView is one survey question ready to render, on the public
// survey page and on the follow-up call screen: the wording in the page's
// language, the scale with the chosen value, and its error.
type questionView struct {
	Key   string
	Field string // the form name (csat, dimensions.price, comment)
	Text  string
	// Scale holds the choices of a rating; empty for the comment.
	Scale     []scaleChoice
	Low, High string // what the ends of the scale mean
	Comment   string
	Error     string
}

// scaleChoice is one value of a rating scale.
type scaleChoice struct {
	Value   int
	Checked bool
}

// questionViews turns the questions t asks into views in lang, with the
// values of a form being re-shown and its errors.
func (s *server) questionViews(t *model.SurveyTemplate, lang string, values url.Values, fe FieldErrors) []questionView {
	var out []questionView
	for _, q := range t.Questions {
		if !q.Enabled {
			continue
		}
		field := string(q.Key)
		if q.Key.IsDimension() {
			field = "dimensions." + field
		}
		v := questionView{Key: string(q.Key), Field: field, Text: q.TextZh, Error: fe.Get(field)}
		if lang == i18n.En {
			v.Text = q.TextEn
		}
		if q.Key == model.QComment {
			v.Comment = values.Get(field)
			out = append(out, v)
			continue
		}
		scale := "dimension"
		if !q.Key.IsDimension() {
			scale = string(q.Key)
		}
		v.Low, v.High = s.i18n.T(lang, "survey.scale."+scale+".low"), s.i18n.T(lang, "survey.scale."+scale+".high")
		lo, hi := q.Key.Range()
		chosen := values.Get(field)
		for n := lo; n <= hi; n++ {
			v.Scale = append(v.Scale, scaleChoice{Value: n, Checked: chosen == strconv.Itoa(n)})
		}
		out = append(out, v)
	}
	return out
}

// answersFrom reads survey answers from a form: a rating left empty is
// not given; one that is not a whole number is an error at its field.
func (s *server) answersFrom(r *http.Request, values url.Values) (survey.Answers, FieldErrors) {
	a := survey.Answers{Dimensions: map[model.QuestionKey]*int{}, Comment: values.Get("comment")}
	fe := FieldErrors{Fields: map[string]string{}}
	for _, k := range model.QuestionKeys() {
		if k == model.QComment {
			continue
		}
		field := string(k)
		if k.IsDimension() {
			field = "dimensions." + field
		}
		raw := strings.TrimSpace(values.Get(field))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			lo, hi := k.Range()
			fe.Fields[field] = s.i18n.Error(langOf(r), model.FieldError(field, "must be between %d and %d", lo, hi))
			continue
		}
		switch {
		case k == model.QCSAT:
			a.CSAT = &n
		case k == model.QNPS:
			a.NPS = &n
		case k == model.QCES:
			a.CES = &n
		default:
			a.Dimensions[k] = &n
		}
	}
	return a, fe
}

// surveyFields are the form names a survey's errors may concern.
func surveyFields() []string {
	out := []string{}
	for _, k := range model.QuestionKeys() {
		if k.IsDimension() {
			out = append(out, "dimensions."+string(k))
		} else {
			out = append(out, string(k))
		}
	}
	return out
}
