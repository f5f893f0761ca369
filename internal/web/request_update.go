package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// requestUpdate sets priority, assignee, team and category. The form
// carries the values it showed and the time of the last change it saw:
// only the fields this person changed are sent (request.Service.Edit),
// so a change someone else made meanwhile to another field stands. When
// they changed one of this person's fields, the page comes back saying
// who changed what since then, the person's choices still selected; the
// form then carries the new values, so saving again is a decision made
// knowing the other change.
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
	ref := func(field, name string) *int64 {
		if !f.Has(name) {
			return nil // not on the form (a field the viewer may not change): no change
		}
		v := f.Get(name)
		if v == "" {
			var zero int64
			return &zero // clears the reference
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			if field != "" {
				fe.Fields[field] = s.tr(r, "form.invalid")
			}
			return nil
		}
		return &id
	}
	patch := model.RequestPatch{AssigneeID: ref("assignee_id", "assignee"),
		TeamID: ref("team_id", "team"), CategoryID: ref("category_id", "category")}
	if f.Has("priority") {
		prio := model.Priority(sel.Priority)
		patch.Priority = &prio
	}
	// What the form showed (a form without it — an older page — counts
	// every field as edited).
	was := model.RequestPatch{AssigneeID: ref("", "was_assignee"), TeamID: ref("", "was_team"), CategoryID: ref("", "was_category")}
	if f.Has("was_priority") {
		prio := model.Priority(f.Get("was_priority"))
		was.Priority = &prio
	}
	patch.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	if len(fe.Fields) > 0 {
		s.rerenderRequest(w, r, http.StatusUnprocessableEntity, &sel, func(pg *requestPage) { pg.UpdateErrors, pg.Reply = fe, draft })
		return
	}
	_, changed, err := s.d.Requests.Edit(r.Context(), *p, number, was, patch, model.ChannelWeb)
	if err != nil {
		code := model.ErrorCode(err)
		if code == model.ENOTFOUND || code == model.EINTERNAL {
			s.fail(w, r, err)
			return
		}
		s.rerenderRequest(w, r, statusOf(err), &sel, func(pg *requestPage) {
			pg.Reply = draft
			if code != model.ECONFLICT {
				pg.UpdateErrors = s.errorsFrom(r, err, "priority", "assignee_id", "team_id", "category_id")
				return
			}
			pg.UpdateErrors = FieldErrors{Form: s.errText(r, err)}
			loaded, _ := time.Parse(time.RFC3339Nano, f.Get("loaded_at"))
			pg.ChangedMeanwhile = changedSince(pg.Timeline, loaded)
		})
		return
	}
	s.keepDraft(r, number, draft)
	if changed {
		s.flash(r, "flash.saved")
	} else {
		s.flash(r, "flash.nothing_changed")
	}
	http.Redirect(w, r, requestURL(number), http.StatusSeeOther)
}

// changedSince are the timeline's events (who changed what) after the
// moment a form was loaded; all of them when that moment is unknown.
func changedSince(items []TimelineItem, loaded time.Time) []TimelineItem {
	var out []TimelineItem
	for _, it := range items {
		if it.Event != nil && it.At.After(loaded) {
			out = append(out, it)
		}
	}
	return out
}
