package web

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/webhook"
)

// webhooksPage is the admins' list of outgoing webhooks with the form
// that adds one.
type webhooksPage struct {
	Base
	Items []model.Webhook
	// NextURL pages on; FirstURL goes back to the first page.
	NextURL, FirstURL string
	Form              webhookForm
	Events            []eventOption
	Errors            FieldErrors
}

// webhookForm is what the create and edit forms hold.
type webhookForm struct {
	URL, Secret, Description string
	Active                   bool
}

// eventOption is one event checkbox.
type eventOption struct {
	Value, Label string
	Checked      bool
	// Later is set for events accepted in subscriptions but published by
	// capabilities still to come.
	Later bool
}

// published are the event types published today.
func published(e model.EventType) bool {
	switch e {
	case model.EventRequestCreated, model.EventRequestUpdated, model.EventRequestStatusChanged, model.EventMessageCreated:
		return true
	}
	return false
}

// eventOptions lists every event type with the chosen ones checked.
func (s *server) eventOptions(r *http.Request, chosen []string) []eventOption {
	var out []eventOption
	for _, e := range model.EventTypes() {
		o := eventOption{Value: string(e), Label: s.tr(r, "event."+string(e)), Later: !published(e)}
		for _, c := range chosen {
			o.Checked = o.Checked || c == string(e)
		}
		out = append(out, o)
	}
	return out
}

// webhookErrors places a webhook error beside its field; events[i] goes
// beside the event checkboxes.
func (s *server) webhookErrors(r *http.Request, err error) FieldErrors {
	var e *model.Error
	if asError(err, &e) && strings.HasPrefix(e.Field, "events[") {
		return fieldError("events", s.errText(r, err))
	}
	return s.errorsFrom(r, err, "url", "events", "secret", "description")
}

// newSecret is the secret the create form suggests: the admin copies it
// to the receiver before saving, since it is never shown afterwards.
func newSecret() string { return "whsec_" + rand.Text() }

// webhookList renders one page of webhooks and the form to add one.
func (s *server) webhookList(w http.ResponseWriter, r *http.Request) {
	page := &webhooksPage{Base: s.base(r, "webhooks"), Form: webhookForm{Secret: newSecret(), Active: true},
		Events: s.eventOptions(r, nil)}
	s.renderWebhookList(w, r, http.StatusOK, page)
}

func (s *server) renderWebhookList(w http.ResponseWriter, r *http.Request, status int, page *webhooksPage) {
	cursor := r.URL.Query().Get("cursor")
	list, err := s.d.Webhooks.List(r.Context(), *principalOf(r), 50, cursor)
	if model.ErrorCode(err) == model.EINVALID {
		http.Redirect(w, r, "/admin/webhooks", http.StatusSeeOther)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Items = list.Items
	if list.NextCursor != "" {
		page.NextURL = "/admin/webhooks?" + url.Values{"cursor": {list.NextCursor}}.Encode()
	}
	if cursor != "" {
		page.FirstURL = "/admin/webhooks"
	}
	s.render(w, r, status, "webhooks", page)
}

// webhookCreate adds a webhook and opens its page; bad input brings the
// list back with the form as typed and the message beside the field.
func (s *server) webhookCreate(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	in := webhook.Input{URL: f.Get("url"), Events: f["events"], Secret: strings.TrimSpace(f.Get("secret")),
		Description: f.Get("description")}
	if in.Secret == "" {
		// Never generate one here: it would be shown nowhere.
		s.rerenderWebhookList(w, r, in, fieldError("secret", s.tr(r, "form.required")), http.StatusUnprocessableEntity)
		return
	}
	hook, _, err := s.d.Webhooks.Create(r.Context(), *principalOf(r), in)
	if err != nil {
		if code := model.ErrorCode(err); code != model.EINVALID {
			s.fail(w, r, err)
			return
		}
		s.rerenderWebhookList(w, r, in, s.webhookErrors(r, err), statusOf(err))
		return
	}
	s.flash(r, "flash.webhook_created")
	http.Redirect(w, r, webhookURL(hook.ID), http.StatusSeeOther)
}

func (s *server) rerenderWebhookList(w http.ResponseWriter, r *http.Request, in webhook.Input, fe FieldErrors, status int) {
	page := &webhooksPage{Base: s.base(r, "webhooks"), Errors: fe, Events: s.eventOptions(r, in.Events),
		Form: webhookForm{URL: in.URL, Secret: in.Secret, Description: in.Description, Active: true}}
	s.renderWebhookList(w, r, status, page)
}

func webhookURL(id int64) string { return "/admin/webhooks/" + strconv.FormatInt(id, 10) }

// pathID reads a positive id from the path, or answers 404.
func (s *server) pathID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return 0, false
	}
	return id, true
}
