package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// maxExportRows bounds one export; a note row says when it was cut.
const maxExportRows = 100_000

// queueExport downloads every request of a queue view (the same filters
// and order as the page) as CSV or XLSX, walking the keyset pages so that
// memory stays flat whatever the size. Headings, types, priorities,
// statuses and channels are in the reader's language; times in the
// store's time zone.
func (s *server) queueExport(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	format, err := export.ParseFormat(r.URL.Query().Get("format"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	q := parseQueueQuery(r.URL.Query())
	if id, err := strconv.ParseInt(r.URL.Query().Get("view"), 10, 64); err == nil {
		// A saved view's link: export what the view shows.
		if q, err = s.savedViewQuery(r, id, r.URL.Query()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	q.Cursor = ""
	f := q.filter(p, s.d.Store.Now())
	f.Limit = store.MaxPageSize
	res, err := s.d.Requests.List(r.Context(), *p, f)
	if err != nil {
		if model.ErrorCode(err) == model.EINVALID {
			http.Redirect(w, r, "/queue?"+q.values().Encode(), http.StatusSeeOther)
			return
		}
		s.serverError(w, r, err)
		return
	}
	loc := s.d.Store.Location()
	ew, err := s.startExport(w, r, format, "queue", r.URL.RawQuery, s.tr(r, "export.sheet"))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tr := func(key string) string { return s.tr(r, key) }
	ew.Row(tr("queue.col.number"), tr("queue.col.subject"), tr("queue.col.customer"), tr("queue.col.type"),
		tr("queue.col.priority"), tr("queue.col.status"), tr("queue.col.assignee"), tr("export.col.team"),
		tr("export.col.channel"), tr("export.col.created"), tr("queue.col.updated"))
	rows := 0
	for {
		for _, it := range res.Items {
			if rows == maxExportRows {
				ew.Row(s.tr(r, "export.too_many", maxExportRows))
				s.closeExport(r, ew)
				return
			}
			ew.Row(it.Number, it.Subject, it.CustomerName, tr("type."+string(it.Type)), tr("priority."+string(it.Priority)),
				tr("status."+string(it.Status)), it.AssigneeName, it.TeamName, tr("channel."+string(it.Channel)),
				it.CreatedAt.In(loc), it.UpdatedAt.In(loc))
			rows++
		}
		if res.NextCursor == "" {
			break
		}
		f.Cursor = res.NextCursor
		if res, err = s.d.Requests.List(r.Context(), *p, f); err != nil {
			// The response has started: all that can be done is stop
			// and log; the truncated file will not open as complete.
			s.log.Error("queue export", "err", err)
			return
		}
	}
	s.closeExport(r, ew)
}

func (s *server) closeExport(r *http.Request, ew export.Writer) {
	if err := ew.Close(); err != nil {
		s.log.Error("queue export", "err", err, "path", r.URL.Path)
	}
}

// startExport records the download in the audit log (what: "queue",
// detail: its filters), sets the headers of a file download named
// aftercare-<what>-<local time>.<format>, and returns the table writer.
// Nothing is written when it fails, so the caller can still answer 500.
func (s *server) startExport(w http.ResponseWriter, r *http.Request, format export.Format, what, detail, sheet string) (export.Writer, error) {
	rec := model.Audit(r.Context(), *principalOf(r), model.AuditExportDone, what+" "+detail, string(format))
	if err := s.d.Store.RecordAudit(r.Context(), rec); err != nil {
		return nil, err
	}
	stamp := s.d.Store.Now().In(s.d.Store.Location()).Format("20060102-1504")
	w.Header().Set("Content-Type", format.ContentType())
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="aftercare-%s-%s.%s"`, what, stamp, format))
	w.Header().Set("Cache-Control", "no-store")
	return export.New(format, w, sheet)
}
