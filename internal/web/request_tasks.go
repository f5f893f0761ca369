package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// taskRow is a follow-up task on the request page: open ones first, each
// with its due time in the store's zone and whether it is overdue.
type taskRow struct {
	ID        int64
	Title     string
	Due       string
	Overdue   bool
	Done      bool
	DoneAt    string
	CreatedBy string
}

// tasksPanel is the request's follow-up tasks (automation rules'
// create_task); CanTick lets the viewer mark them done.
type tasksPanel struct {
	Open, Done []taskRow
	CanTick    bool
}

// loadTasksPanel reads the request's tasks; nil when it has none.
func (s *server) loadTasksPanel(r *http.Request, number string) (*tasksPanel, error) {
	p := principalOf(r)
	ts, err := s.d.Requests.Tasks(r.Context(), *p, number)
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	loc, now := s.d.Store.Location(), s.d.Store.Now()
	tp := &tasksPanel{CanTick: p.Can(model.PermRequestNote)}
	for _, t := range ts {
		row := taskRow{ID: t.ID, Title: t.Title, CreatedBy: t.CreatedBy, Done: t.DoneAt != nil}
		if t.DueAt != nil {
			row.Due = t.DueAt.In(loc).Format("2006-01-02 15:04")
			row.Overdue = t.DoneAt == nil && t.DueAt.Before(now)
		}
		if t.DoneAt != nil {
			row.DoneAt = t.DoneAt.In(loc).Format("2006-01-02 15:04")
			tp.Done = append(tp.Done, row)
		} else {
			tp.Open = append(tp.Open, row)
		}
	}
	return tp, nil
}

// requestTaskDone marks a follow-up task done (done=0: open again) and
// comes back to the request with the reply draft kept.
func (s *server) requestTaskDone(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	_, changed, err := s.d.Requests.SetTaskDone(r.Context(), *principalOf(r), number, id, f.Get("done") != "0", model.ChannelWeb)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.keepDraft(r, number, draftOf(f))
	if changed {
		s.flash(r, "flash.saved")
	}
	http.Redirect(w, r, requestURL(number)+"#tasks", http.StatusSeeOther)
}
