package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
)

// mailPage is the admins' view of the inbound mail log: every message
// received by SMTP or IMAP with what became of it, newest first.
type mailPage struct {
	Base
	Items []model.InboundMail
	Log   logNav
}

// mailLog renders one page of the inbound mail log, or downloads it (with
// the page's filter) as CSV or XLSX.
func (s *server) mailLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := model.InboundFilter{Outcome: model.MailOutcome(q.Get("outcome")), Cursor: q.Get("cursor"), Limit: 50}
	p := *principalOf(r)
	list := func(ctx context.Context, cursor string, limit int) ([]model.InboundMail, string, error) {
		f := f
		f.Cursor, f.Limit = cursor, limit
		page, err := s.d.Inbound.List(ctx, p, f)
		return page.Items, page.NextCursor, err
	}
	if format := q.Get("format"); format != "" {
		tr := func(key string) string { return s.tr(r, key) }
		loc := s.d.Store.Location()
		logExport(s, w, r, format, "mail", string(f.Outcome), tr("mail.title"),
			[]any{tr("mail.col.received"), tr("mail.col.from"), tr("mail.col.subject"), tr("mail.col.message_id"),
				tr("mail.col.outcome"), tr("mail.col.request"), tr("mail.col.reason"), tr("mail.col.source")},
			list, func(ew export.Writer, m model.InboundMail) {
				ew.Row(m.ReceivedAt.In(loc), m.From, m.Subject, m.MessageID, tr("mail.outcome."+string(m.Outcome)),
					m.RequestNumber, m.Reason, m.Source)
			})
		return
	}
	items, next, err := list(r.Context(), f.Cursor, f.Limit)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			http.Redirect(w, r, "/admin/mail", http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	options := []Option{{Value: "", Label: s.tr(r, "mail.all_outcomes"), Selected: f.Outcome == ""}}
	for _, o := range model.MailOutcomes() {
		options = append(options, Option{Value: string(o), Label: s.tr(r, "mail.outcome."+string(o)), Selected: o == f.Outcome})
	}
	s.render(w, r, http.StatusOK, "mail", mailPage{Base: s.base(r, "mail"), Items: items,
		Log: newLogNav("/admin/mail", "outcome", "mail.filter.outcome", string(f.Outcome), f.Cursor, next, options)})
}

// mailShowPage shows one logged message: its log entry and the raw
// message as text.
type mailShowPage struct {
	Base
	Mail *model.InboundMail
	// Raw is the message as received, as text (bytes that are not UTF-8
	// shown as �); Shortened says only its beginning is shown.
	Raw       string
	Shortened bool
	CanRetry  bool
}

// maxRawShown bounds the raw message shown on the page (the download has
// all of it).
const maxRawShown = 1 << 20

func (s *server) mailShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	p := *principalOf(r)
	m, err := s.d.Inbound.Get(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	raw, err := s.d.Inbound.Raw(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := mailShowPage{Base: s.base(r, "mail"), Mail: m, CanRetry: m.Outcome == model.MailFailed}
	if len(raw) > maxRawShown {
		raw, page.Shortened = raw[:maxRawShown], true
	}
	page.Raw = strings.ToValidUTF8(string(raw), "\uFFFD")
	if !utf8.ValidString(page.Raw) {
		page.Raw = ""
	}
	s.render(w, r, http.StatusOK, "mail_show", page)
}

// mailRaw downloads a logged message exactly as received.
func (s *server) mailRaw(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	raw, err := s.d.Inbound.Raw(r.Context(), *principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "message/rfc822")
	h.Set("Content-Disposition", `attachment; filename="message-`+strconv.FormatInt(id, 10)+`.eml"`)
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(raw)
}

// mailRetry processes a failed message again now.
func (s *server) mailRetry(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	_, err = s.d.Inbound.Retry(r.Context(), *principalOf(r), id)
	switch model.ErrorCode(err) {
	case "":
		s.flash(r, "flash.mail_retried")
	case model.ENOTFOUND:
		s.fail(w, r, err)
		return
	case model.ECONFLICT:
		s.flash(r, "flash.mail_not_failed")
	default:
		s.flash(r, "flash.mail_failed_again")
	}
	http.Redirect(w, r, "/admin/mail/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
