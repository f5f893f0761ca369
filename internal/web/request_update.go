package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
)

// requestUpdate sets priority, assignee, team and category under
// optimistic locking: the form carries the version it was rendered from,
// and a stale one brings the page back with the conflict explained and
// the agent's choices still selected.
func (s *server) requestUpdate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readActionForm(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	number := strings.ToUpper(r.PathValue("number"))
	draft := draftOf(f)
	sel := selection{Priority: f.Get("priority"), Assignee: f.Get("assignee"), Team: f.Get("team"), Category: f.Get("category")}
	fe := FieldErrors{Fields: map[string]string{}}
	ref := func(field, name, v string) *int64 {
		if !f.Has(name) {
			return nil // not on the form (a field the viewer may not change): no change
		}
		if v == "" {
			var zero int64
			return &zero // clears the reference
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			fe.Fields[field] = s.tr(r, "form.invalid")
			return nil
		}
		return &id
	}
	patch := model.RequestPatch{AssigneeID: ref("assignee_id", "assignee", sel.Assignee),
		TeamID: ref("team_id", "team", sel.Team), CategoryID: ref("category_id", "category", sel.Category)}
	if f.Has("priority") {
		prio := model.Priority(sel.Priority)
		patch.Priority = &prio
	}
	patch.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	if len(fe.Fields) > 0 {
		s.rerenderRequest(w, r, http.StatusUnprocessableEntity, &sel, func(pg *requestPage) { pg.UpdateErrors, pg.Reply = fe, draft })
		return
	}
	if _, err := s.d.Requests.Update(r.Context(), *p, number, patch, model.ChannelWeb); err != nil {
		if c := model.ErrorCode(err); c == model.ENOTFOUND || c == model.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), &sel, func(pg *requestPage) {
			pg.UpdateErrors, pg.Reply = s.errorsFrom(r, err, "priority", "assignee_id", "team_id", "category_id"), draft
		})
		return
	}
	s.keepDraft(r, number, draft)
	s.flash(r, "flash.saved")
	http.Redirect(w, r, requestURL(number), http.StatusSeeOther)
}
