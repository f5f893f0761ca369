package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// surveyPage is the public survey a link opens: no login, the customer's
// language unless the reader picks another, every question of the
// template version the link was sent with, errors beside their fields.
type surveyPage struct {
	Base
	Number    string
	Subject   string
	Title     string
	Intro     string
	Action    string
	Questions []questionView
	Errors    FieldErrors
	// Gone says why no form is shown: "answered", or "unknown" for an
	// unknown or expired link (both 404).
	Gone string
}

// surveyLang is the language of the public survey: the header's switcher
// (its cookie), then the customer's language; ?lang= carries it to the
// thank-you page, which knows no customer.
func surveyLang(r *http.Request, customer string) string {
	if c, err := r.Cookie(langCookie); err == nil {
		if l := i18n.Normalize(c.Value); l != "" {
			return l
		}
	}
	if l := i18n.Normalize(r.URL.Query().Get("lang")); l != "" {
		return l
	}
	if customer != "" {
		return customer
	}
	return langOf(r)
}

// withPageLang returns r showing pages in lang.
func withPageLang(r *http.Request, lang string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), langKey, lang))
}

// surveyShow renders the survey of /s/{token}, or the page saying the
// link is unknown, expired or used (404).
func (s *server) surveyShow(w http.ResponseWriter, r *http.Request) {
	if err := s.d.Feedback.Allow(r.Context()); err != nil {
		s.tooMany(w, r)
		return
	}
	s.surveyRender(w, r, nil, FieldErrors{})
}

// surveyRender renders the survey of the request's link with values and
// their errors (after a failed post), or the page saying it is gone.
func (s *server) surveyRender(w http.ResponseWriter, r *http.Request, values url.Values, fe FieldErrors) {
	token := r.PathValue("token")
	pub, err := s.d.Feedback.Open(r.Context(), token)
	if err != nil {
		switch model.ErrorCode(err) {
		case model.ECONFLICT, model.ENOTFOUND:
			gone := "unknown"
			if model.ErrorCode(err) == model.ECONFLICT {
				gone = "answered"
			}
			r = withPageLang(r, surveyLang(r, ""))
			s.render(w, r, http.StatusNotFound, "survey", surveyPage{Base: s.publicBase(r), Gone: gone})
		default:
			s.fail(w, r, err)
		}
		return
	}
	lang := surveyLang(r, pub.Lang)
	r = withPageLang(r, lang)
	t := pub.Template
	page := surveyPage{Base: s.publicBase(r), Number: pub.Request.Number, Subject: pub.Request.Subject,
		Title: t.TitleZh, Intro: t.IntroZh, Action: "/s/" + token, Errors: fe,
		Questions: s.questionViews(t, lang, values, fe)}
	if lang == i18n.En {
		page.Title, page.Intro = t.TitleEn, t.IntroEn
	}
	status := http.StatusOK
	if fe.Any() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "survey", page)
}

// surveySubmit stores the answers of /s/{token} and shows the thanks; a
// bad answer brings the form back with the error beside its question.
func (s *server) surveySubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if err := s.d.Feedback.Allow(r.Context()); err != nil {
		s.tooMany(w, r)
		return
	}
	pub, err := s.d.Feedback.Open(r.Context(), r.PathValue("token"))
	if err != nil {
		s.surveyRender(w, r, nil, FieldErrors{}) // says why
		return
	}
	r = withPageLang(r, surveyLang(r, pub.Lang))
	answers, fe := s.answersFrom(r, r.PostForm)
	if fe.Any() {
		s.surveyRender(w, r, r.PostForm, fe)
		return
	}
	_, err = s.d.Feedback.Answer(r.Context(), r.PathValue("token"), answers, model.ChannelWeb, langOf(r))
	switch model.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/s/done?lang="+langOf(r), http.StatusSeeOther)
	case model.EINVALID:
		s.surveyRender(w, r, r.PostForm, s.errorsFrom(r, err, surveyFields()...))
	case model.ENOTFOUND, model.ECONFLICT:
		s.surveyRender(w, r, nil, FieldErrors{})
	default:
		s.fail(w, r, err)
	}
}

// surveyDone is the thank-you page after answering.
func (s *server) surveyDone(w http.ResponseWriter, r *http.Request) {
	r = withPageLang(r, surveyLang(r, ""))
	s.render(w, r, http.StatusOK, "survey", surveyPage{Base: s.publicBase(r), Gone: "thanks"})
}

// publicBase is the Base of the public survey pages: the customers'
// (portal) look, whoever opens them.
func (s *server) publicBase(r *http.Request) Base {
	b := s.base(r, "")
	b.Portal = true
	return b
}

// tooMany renders the page for a client over the public survey's rate
// limit (429).
func (s *server) tooMany(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "2")
	s.render(w, r, http.StatusTooManyRequests, "error", errorPage{Base: s.base(r, ""), Status: http.StatusTooManyRequests,
		TitleKey: "error.429.title", MessageKey: "error.429.message"})
}

// pendingSurveys are the customer's open surveys for the portal's banner
// (none when the service fails: the banner is not worth a failed page).
func (s *server) pendingSurveys(r *http.Request) []survey.Pending {
	p := principalOf(r)
	if p == nil {
		return nil
	}
	list, err := s.d.Feedback.PendingFor(r.Context(), *p)
	if err != nil {
		s.log.Warn("web: pending surveys", "err", err)
		return nil
	}
	return list
}
