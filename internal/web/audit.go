package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// auditPage is the admins' view of the audit log: who created or changed
// staff users, issued or revoked tokens, invites and reset links, and
// downloaded exports, newest first.
type auditPage struct {
	Base
	Action  string
	Actions []Option
	Items   []model.AuditEntry
	// NextURL pages on; FirstURL goes back to the newest entries.
	NextURL, FirstURL     string
	ExportCSV, ExportXLSX string
}

// auditLog renders one page of the audit log, or downloads all of it
// (with the page's filter) as CSV or XLSX.
func (s *server) auditLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := model.AuditFilter{Action: q.Get("action"), Cursor: q.Get("cursor"), Limit: 50}
	if format := q.Get("format"); format != "" {
		s.auditExport(w, r, f, format)
		return
	}
	page, err := s.d.Store.ListAudit(r.Context(), f)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			http.Redirect(w, r, "/admin/audit", http.StatusSeeOther)
			return
		}
		s.serverError(w, r, err)
		return
	}
	p := auditPage{Base: s.base(r, "audit"), Action: f.Action, Items: page.Items}
	p.Actions = []Option{{Value: "", Label: s.tr(r, "audit.all_actions"), Selected: f.Action == ""}}
	for _, a := range model.AuditActions() {
		p.Actions = append(p.Actions, Option{Value: a, Label: s.tr(r, "audit.action."+a), Selected: a == f.Action})
	}
	link := func(extra url.Values) string {
		v := url.Values{}
		if f.Action != "" {
			v.Set("action", f.Action)
		}
		for k, x := range extra {
			v[k] = x
		}
		if len(v) == 0 {
			return "/admin/audit"
		}
		return "/admin/audit?" + v.Encode()
	}
	if page.NextCursor != "" {
		p.NextURL = link(url.Values{"cursor": {page.NextCursor}})
	}
	if f.Cursor != "" {
		p.FirstURL = link(nil)
	}
	p.ExportCSV, p.ExportXLSX = link(url.Values{"format": {"csv"}}), link(url.Values{"format": {"xlsx"}})
	s.render(w, r, http.StatusOK, "audit", p)
}

// auditExport writes every entry matching f, newest first, walking the
// pages so memory stays flat.
func (s *server) auditExport(w http.ResponseWriter, r *http.Request, f model.AuditFilter, format string) {
	ft, err := export.ParseFormat(format)
	if err != nil {
		s.notFound(w, r)
		return
	}
	f.Cursor, f.Limit = "", store.MaxPageSize
	page, err := s.d.Store.ListAudit(r.Context(), f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	loc := s.d.Store.Location()
	ew, err := s.startExport(w, r, ft, "audit", f.Action, s.tr(r, "audit.title"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tr := func(key string) string { return s.tr(r, key) }
	ew.Row(tr("audit.col.at"), tr("audit.col.actor"), tr("audit.col.action"), tr("audit.col.target"),
		tr("audit.col.detail"), tr("audit.col.from"))
	for {
		for _, e := range page.Items {
			ew.Row(e.At.In(loc), actorLabel(e), tr("audit.action."+e.Action), e.Target, e.Detail, e.ClientAddr)
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
		if page, err = s.d.Store.ListAudit(r.Context(), f); err != nil {
			s.log.Error("audit export", "err", err) // the file is cut short
			return
		}
	}
	if err := ew.Close(); err != nil {
		s.log.Error("audit export", "err", err)
	}
}

// actorLabel names who acted: "Wang Fang (staff #3)".
func actorLabel(e model.AuditEntry) string {
	if e.ActorID != nil {
		return fmt.Sprintf("%s (%s #%d)", e.ActorName, e.ActorKind, *e.ActorID)
	}
	return fmt.Sprintf("%s (%s)", e.ActorName, e.ActorKind)
}
