package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// outboundPage is the admins' view of the outbound mail log: every mail
// queued for the relay with its status, newest first.
type outboundPage struct {
	Base
	// Relay names the relay (without its password); empty: none, and the
	// page says that nothing is queued.
	Relay    string
	Status   string
	Statuses []Option
	Items    []model.OutboundMail
	// NextURL pages on; FirstURL goes back to the newest mail.
	NextURL, FirstURL     string
	ExportCSV, ExportXLSX string
}

// outboundLog renders one page of the outbound mail log, or downloads it
// (with the page's filter) as CSV or XLSX.
func (s *server) outboundLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := model.OutboundFilter{Status: model.OutboundStatus(q.Get("status")), Cursor: q.Get("cursor"), Limit: 50}
	if format := q.Get("format"); format != "" {
		s.outboundExport(w, r, f, format)
		return
	}
	page, err := s.d.Mail.List(r.Context(), *principalOf(r), f)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			http.Redirect(w, r, "/admin/outbound", http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	p := outboundPage{Base: s.base(r, "mail"), Relay: s.d.Mail.RelayName(), Status: string(f.Status), Items: page.Items}
	p.Statuses = []Option{{Value: "", Label: s.tr(r, "outbound.all_statuses"), Selected: f.Status == ""}}
	for _, st := range model.OutboundStatuses() {
		p.Statuses = append(p.Statuses, Option{Value: string(st), Label: s.tr(r, "outbound.status."+string(st)), Selected: st == f.Status})
	}
	link := func(extra url.Values) string {
		v := url.Values{}
		if f.Status != "" {
			v.Set("status", string(f.Status))
		}
		for k, x := range extra {
			v[k] = x
		}
		if len(v) == 0 {
			return "/admin/outbound"
		}
		return "/admin/outbound?" + v.Encode()
	}
	if page.NextCursor != "" {
		p.NextURL = link(url.Values{"cursor": {page.NextCursor}})
	}
	if f.Cursor != "" {
		p.FirstURL = link(nil)
	}
	p.ExportCSV, p.ExportXLSX = link(url.Values{"format": {"csv"}}), link(url.Values{"format": {"xlsx"}})
	s.render(w, r, http.StatusOK, "outbound", p)
}

// outboundExport writes every logged mail matching f, newest first.
func (s *server) outboundExport(w http.ResponseWriter, r *http.Request, f model.OutboundFilter, format string) {
	ft, err := export.ParseFormat(format)
	if err != nil {
		s.notFound(w, r)
		return
	}
	f.Cursor, f.Limit = "", store.MaxPageSize
	p := *principalOf(r)
	page, err := s.d.Mail.List(r.Context(), p, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ew, err := s.startExport(w, r, ft, "outbound-mail", string(f.Status), s.tr(r, "outbound.title"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tr := func(key string) string { return s.tr(r, key) }
	ew.Row(tr("outbound.col.created"), tr("outbound.col.kind"), tr("outbound.col.to"), tr("mail.col.subject"),
		tr("outbound.col.status"), tr("mail.attempts"), tr("outbound.col.sent"), tr("mail.col.request"),
		tr("mail.col.message_id"), tr("outbound.col.error"))
	loc := s.d.Store.Location()
	for {
		for _, m := range page.Items {
			sent := ""
			if m.SentAt != nil {
				sent = m.SentAt.In(loc).Format("2006-01-02 15:04:05")
			}
			ew.Row(m.CreatedAt.In(loc), tr("outbound.kind."+string(m.Kind)), m.To, m.Subject,
				tr("outbound.status."+string(m.Status)), m.Attempts, sent, m.RequestNumber, m.MessageID, m.LastError)
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
		if page, err = s.d.Mail.List(r.Context(), p, f); err != nil {
			s.log.Error("outbound mail export", "err", err) // the file is cut short
			return
		}
	}
	if err := ew.Close(); err != nil {
		s.log.Error("outbound mail export", "err", err)
	}
}

// outboundShowPage shows one logged mail with its text.
type outboundShowPage struct {
	Base
	Mail      *model.OutboundMail
	CanResend bool
}

func (s *server) outboundShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	m, err := s.d.Mail.Get(r.Context(), *principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "outbound_show", outboundShowPage{Base: s.base(r, "mail"), Mail: m,
		CanResend: s.d.Mail.Enabled() && !m.Sensitive && m.Status != model.OutQueued})
}

// outboundResend queues a copy of a logged mail and shows the copy.
func (s *server) outboundResend(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	m, err := s.d.Mail.Resend(r.Context(), *principalOf(r), id)
	switch model.ErrorCode(err) {
	case "":
		s.flash(r, "flash.mail_resent")
		http.Redirect(w, r, "/admin/outbound/"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
	case model.ECONFLICT:
		s.flash(r, "flash.mail_not_resent")
		http.Redirect(w, r, "/admin/outbound/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	default:
		s.fail(w, r, err)
	}
}
