package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// mailPage is the admins' view of the inbound mail log: every message
// received by SMTP or IMAP with what became of it, newest first.
type mailPage struct {
	Base
	Outcome  string
	Outcomes []Option
	Items    []model.InboundMail
	// NextURL pages on; FirstURL goes back to the newest messages.
	NextURL, FirstURL     string
	ExportCSV, ExportXLSX string
}

// mailLog renders one page of the inbound mail log, or downloads it (with
// the page's filter) as CSV or XLSX.
func (s *server) mailLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := model.InboundFilter{Outcome: model.MailOutcome(q.Get("outcome")), Cursor: q.Get("cursor"), Limit: 50}
	if format := q.Get("format"); format != "" {
		s.mailExport(w, r, f, format)
		return
	}
	page, err := s.d.Inbound.List(r.Context(), *principalOf(r), f)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			http.Redirect(w, r, "/admin/mail", http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	p := mailPage{Base: s.base(r, "mail"), Outcome: string(f.Outcome), Items: page.Items}
	p.Outcomes = []Option{{Value: "", Label: s.tr(r, "mail.all_outcomes"), Selected: f.Outcome == ""}}
	for _, o := range model.MailOutcomes() {
		p.Outcomes = append(p.Outcomes, Option{Value: string(o), Label: s.tr(r, "mail.outcome."+string(o)), Selected: o == f.Outcome})
	}
	link := func(extra url.Values) string {
		v := url.Values{}
		if f.Outcome != "" {
			v.Set("outcome", string(f.Outcome))
		}
		for k, x := range extra {
			v[k] = x
		}
		if len(v) == 0 {
			return "/admin/mail"
		}
		return "/admin/mail?" + v.Encode()
	}
	if page.NextCursor != "" {
		p.NextURL = link(url.Values{"cursor": {page.NextCursor}})
	}
	if f.Cursor != "" {
		p.FirstURL = link(nil)
	}
	p.ExportCSV, p.ExportXLSX = link(url.Values{"format": {"csv"}}), link(url.Values{"format": {"xlsx"}})
	s.render(w, r, http.StatusOK, "mail", p)
}

// mailExport writes every logged message matching f, newest first.
func (s *server) mailExport(w http.ResponseWriter, r *http.Request, f model.InboundFilter, format string) {
	ft, err := export.ParseFormat(format)
	if err != nil {
		s.notFound(w, r)
		return
	}
	f.Cursor, f.Limit = "", store.MaxPageSize
	p := *principalOf(r)
	page, err := s.d.Inbound.List(r.Context(), p, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ew, err := s.startExport(w, r, ft, "mail", string(f.Outcome), s.tr(r, "mail.title"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tr := func(key string) string { return s.tr(r, key) }
	ew.Row(tr("mail.col.received"), tr("mail.col.from"), tr("mail.col.subject"), tr("mail.col.message_id"),
		tr("mail.col.outcome"), tr("mail.col.request"), tr("mail.col.reason"), tr("mail.col.source"))
	loc := s.d.Store.Location()
	for {
		for _, m := range page.Items {
			ew.Row(m.ReceivedAt.In(loc), m.From, m.Subject, m.MessageID, tr("mail.outcome."+string(m.Outcome)),
				m.RequestNumber, m.Reason, m.Source)
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
		if page, err = s.d.Inbound.List(r.Context(), p, f); err != nil {
			s.log.Error("mail export", "err", err) // the file is cut short
			return
		}
	}
	if err := ew.Close(); err != nil {
		s.log.Error("mail export", "err", err)
	}
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
