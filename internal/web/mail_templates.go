package web

import (
	"net/http"

	"github.com/aftercare/aftercare/internal/mailout"
	"github.com/aftercare/aftercare/internal/model"
)

// mailTemplatesPage lists every kind of mail with its template in each
// language, edited or built in.
type mailTemplatesPage struct {
	Base
	Rows []mailTemplateRow
}

// mailTemplateRow is one kind of mail: its templates by language.
type mailTemplateRow struct {
	Kind      string
	Templates []model.MailTemplate
}

func (s *server) mailTemplates(w http.ResponseWriter, r *http.Request) {
	all, err := s.d.Mail.Templates(r.Context(), *principalOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := mailTemplatesPage{Base: s.base(r, "mail")}
	for _, t := range all {
		if n := len(page.Rows); n == 0 || page.Rows[n-1].Kind != string(t.Kind) {
			page.Rows = append(page.Rows, mailTemplateRow{Kind: string(t.Kind)})
		}
		row := &page.Rows[len(page.Rows)-1]
		row.Templates = append(row.Templates, t)
	}
	s.render(w, r, http.StatusOK, "mail_templates", page)
}

// mailTemplatePage edits one kind's template in one language; Default
// is the built-in text, shown beside it.
type mailTemplatePage struct {
	Base
	Template model.MailTemplate
	Default  model.MailTemplate
	Errors   FieldErrors
}

func (s *server) mailTemplateForm(w http.ResponseWriter, r *http.Request) {
	kind, locale := model.MailKind(r.PathValue("kind")), r.PathValue("locale")
	t, err := s.d.Mail.Template(r.Context(), *principalOf(r), kind, locale)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "mail_template", mailTemplatePage{Base: s.base(r, "mail"), Template: t,
		Default: mailout.Default(kind, locale)})
}

// mailTemplateSave stores an edited template; an error shows the form
// again with what was typed and the message beside its field.
func (s *server) mailTemplateSave(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	kind, locale := model.MailKind(r.PathValue("kind")), r.PathValue("locale")
	t := model.MailTemplate{Kind: kind, Locale: locale, Subject: r.PostForm.Get("subject"), Body: r.PostForm.Get("body")}
	_, err := s.d.Mail.SaveTemplate(r.Context(), *principalOf(r), t)
	if err == nil {
		s.flash(r, "flash.mail_template_saved")
		http.Redirect(w, r, "/admin/mail-templates", http.StatusSeeOther)
		return
	}
	if model.ErrorCode(err) != model.EINVALID {
		s.fail(w, r, err)
		return
	}
	t.Custom = true
	s.render(w, r, statusOf(err), "mail_template", mailTemplatePage{Base: s.base(r, "mail"), Template: t,
		Default: mailout.Default(kind, locale), Errors: s.errorsFrom(r, err, "subject", "body")})
}

// mailTemplateReset goes back to the built-in text.
func (s *server) mailTemplateReset(w http.ResponseWriter, r *http.Request) {
	kind, locale := model.MailKind(r.PathValue("kind")), r.PathValue("locale")
	if _, err := s.d.Mail.ResetTemplate(r.Context(), *principalOf(r), kind, locale); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.mail_template_reset")
	http.Redirect(w, r, "/admin/mail-templates", http.StatusSeeOther)
}

// notificationsPage lets a staff user choose their e-mail notifications.
type notificationsPage struct {
	Base
	// Enabled is false without a relay: nothing is sent whatever is chosen.
	Enabled bool
	Items   []notificationItem
}

type notificationItem struct {
	Kind string
	On   bool
}

func (s *server) notifications(w http.ResponseWriter, r *http.Request) {
	prefs, err := s.d.Mail.Preferences(r.Context(), *principalOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := notificationsPage{Base: s.base(r, "notifications"), Enabled: s.d.Mail.Enabled()}
	for _, k := range model.NotifyKinds() {
		page.Items = append(page.Items, notificationItem{Kind: string(k), On: prefs[k]})
	}
	s.render(w, r, http.StatusOK, "notifications", page)
}

// notificationsSave stores the choices: a box not ticked is off.
func (s *server) notificationsSave(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	prefs := map[model.MailKind]bool{}
	for _, k := range model.NotifyKinds() {
		prefs[k] = r.PostForm.Get(string(k)) == "on"
	}
	if _, err := s.d.Mail.SetPreferences(r.Context(), *principalOf(r), prefs); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.notifications_saved")
	http.Redirect(w, r, "/settings/notifications", http.StatusSeeOther)
}
