package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/webhook"
)

// deliveriesPerPage is how many deliveries the webhook page shows at once.
const deliveriesPerPage = 20

// webhookPage shows one webhook: its settings (editable), its recent
// deliveries with every attempt (status, error, duration) and a
// redeliver button, and the form that deletes it.
type webhookPage struct {
	Base
	Hook       *model.Webhook
	Form       webhookForm
	Events     []eventOption
	Errors     FieldErrors
	Deliveries []model.Delivery
	// OlderURL pages back through the deliveries; NewestURL returns.
	OlderURL, NewestURL string
}

// webhookShow renders a webhook's page; ?before= pages back through its
// deliveries.
func (s *server) webhookShow(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	page, err := s.loadWebhookPage(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Form = webhookForm{URL: page.Hook.URL, Description: page.Hook.Description, Active: page.Hook.Active}
	page.Events = s.eventOptions(r, eventStrings(page.Hook.Events))
	s.render(w, r, http.StatusOK, "webhook", page)
}

func eventStrings(events []model.EventType) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e)
	}
	return out
}

// loadWebhookPage reads the webhook and one page of its deliveries.
func (s *server) loadWebhookPage(r *http.Request, id int64) (*webhookPage, error) {
	p := *principalOf(r)
	hook, err := s.d.Webhooks.Get(r.Context(), p, id)
	if err != nil {
		return nil, err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	deliveries, err := s.d.Webhooks.Recent(r.Context(), p, id, deliveriesPerPage+1, max(before, 0))
	if err != nil {
		return nil, err
	}
	page := &webhookPage{Base: s.base(r, "webhooks"), Hook: hook, Deliveries: deliveries}
	if len(deliveries) > deliveriesPerPage {
		page.Deliveries = deliveries[:deliveriesPerPage]
		page.OlderURL = webhookURL(id) + "?before=" + strconv.FormatInt(page.Deliveries[deliveriesPerPage-1].ID, 10) + "#deliveries"
	}
	if before > 0 {
		page.NewestURL = webhookURL(id) + "#deliveries"
	}
	return page, nil
}

// webhookUpdate saves the edit form: URL, events, description, active,
// and a new secret when one is typed (blank keeps the current one).
func (s *server) webhookUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	form := webhookForm{URL: f.Get("url"), Description: f.Get("description"), Active: f.Get("active") == "on"}
	events := f["events"]
	in := webhook.PatchInput{URL: &form.URL, Description: &form.Description, Active: &form.Active, Events: events}
	if in.Events == nil {
		in.Events = []string{} // none ticked: an error, not "unchanged"
	}
	if secret := strings.TrimSpace(f.Get("secret")); secret != "" {
		in.Secret = &secret
	}
	if _, err := s.d.Webhooks.Update(r.Context(), *principalOf(r), id, in); err != nil {
		if model.ErrorCode(err) != model.EINVALID {
			s.fail(w, r, err)
			return
		}
		page, lerr := s.loadWebhookPage(r, id)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		page.Form, page.Events, page.Errors = form, s.eventOptions(r, events), s.webhookErrors(r, err)
		s.render(w, r, statusOf(err), "webhook", page)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, webhookURL(id), http.StatusSeeOther)
}

// webhookDelete removes a webhook and its delivery log.
func (s *server) webhookDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.d.Webhooks.Delete(r.Context(), *principalOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.webhook_deleted")
	http.Redirect(w, r, "/admin/webhooks", http.StatusSeeOther)
}

// webhookRedeliver queues one more attempt at a delivery and comes back
// to the webhook's page, where it shows once made.
func (s *server) webhookRedeliver(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	delivery, ok := s.pathID(w, r, "delivery")
	if !ok {
		return
	}
	if err := s.d.Webhooks.Redeliver(r.Context(), *principalOf(r), id, delivery); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.redelivery_queued")
	http.Redirect(w, r, webhookURL(id)+"#deliveries", http.StatusSeeOther)
}
