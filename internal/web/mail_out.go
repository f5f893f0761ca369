package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
)

// outboundPage is the admins' view of the outbound mail log: every mail
// queued for the relay with its status, newest first.
type outboundPage struct {
	Base
	// Relay names the relay (without its password); empty: none, and the
	// page says that nothing is queued.
	Relay string
	Items []model.OutboundMail
	Log   logNav
}

// outboundLog renders one page of the outbound mail log, or downloads it
// (with the page's filter) as CSV or XLSX.
func (s *server) outboundLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := model.OutboundFilter{Status: model.OutboundStatus(q.Get("status")), Cursor: q.Get("cursor"), Limit: 50}
	p := *principalOf(r)
	list := func(ctx context.Context, cursor string, limit int) ([]model.OutboundMail, string, error) {
		f := f
		f.Cursor, f.Limit = cursor, limit
		page, err := s.d.Mail.List(ctx, p, f)
		return page.Items, page.NextCursor, err
	}
	if format := q.Get("format"); format != "" {
		tr := func(key string) string { return s.tr(r, key) }
		loc := s.d.Store.Location()
		logExport(s, w, r, format, "outbound-mail", string(f.Status), tr("outbound.title"),
			[]any{tr("outbound.col.created"), tr("outbound.col.kind"), tr("outbound.col.to"), tr("mail.col.subject"),
				tr("outbound.col.status"), tr("mail.attempts"), tr("outbound.col.sent"), tr("mail.col.request"),
				tr("mail.col.message_id"), tr("outbound.col.error")},
			list, func(ew export.Writer, m model.OutboundMail) {
				sent := ""
				if m.SentAt != nil {
					sent = m.SentAt.In(loc).Format("2006-01-02 15:04:05")
				}
				ew.Row(m.CreatedAt.In(loc), tr("outbound.kind."+string(m.Kind)), m.To, m.Subject,
					tr("outbound.status."+string(m.State())), m.Attempts, sent, m.RequestNumber, m.MessageID, m.LastError)
			})
		return
	}
	items, next, err := list(r.Context(), f.Cursor, f.Limit)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			http.Redirect(w, r, "/admin/outbound", http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	options := []Option{{Value: "", Label: s.tr(r, "outbound.all_statuses"), Selected: f.Status == ""}}
	for _, st := range model.OutboundStatuses() {
		options = append(options, Option{Value: string(st), Label: s.tr(r, "outbound.status."+string(st)), Selected: st == f.Status})
	}
	s.render(w, r, http.StatusOK, "outbound", outboundPage{Base: s.base(r, "mail"), Relay: s.d.Mail.RelayName(), Items: items,
		Log: newLogNav("/admin/outbound", "status", "outbound.col.status", string(f.Status), f.Cursor, next, options)})
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
