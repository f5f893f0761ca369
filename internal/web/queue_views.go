package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// viewQuery is the queue filter that shows view v to a viewer of team
// (0: none; "my team" is then empty).
func viewQuery(v model.SavedView, team int64) queueQuery {
	vf := v.Filters
	q := queueQuery{Statuses: vf.Statuses, Type: string(vf.Type), Priority: string(vf.Priority), Mine: vf.Mine,
		Unassigned: vf.Unassigned, Team: vf.TeamID, Assignee: vf.AssigneeID, Tag: vf.Tag, Q: vf.Query, Sort: vf.Sort, Soon: vf.DueSoon}
	if vf.MyTeam {
		q.Team = team
		if team == 0 {
			q.Team = -1
		}
	}
	switch {
	case len(vf.Statuses) == 0:
		q.View, q.Statuses = viewAll, nil
	case slices.Equal(vf.Statuses, openWork()):
		q.View, q.Statuses = viewOpen, nil
	}
	if q.Sort == "" {
		q.Sort = "created"
	}
	return q
}

// viewFilters is the saved-view form of queue filter q.
func (q queueQuery) viewFilters() model.ViewFilters {
	vf := model.ViewFilters{Type: model.RequestType(q.Type), Priority: model.Priority(q.Priority), Mine: q.Mine,
		Unassigned: q.Unassigned, TeamID: q.Team, AssigneeID: q.Assignee, Tag: q.Tag, Query: q.Q, DueSoon: q.Soon}
	if q.View != viewAll {
		vf.Statuses = q.Statuses
		if q.View == viewOpen {
			vf.Statuses = openWork()
		}
	}
	if q.Sort != "created" {
		vf.Sort = q.Sort
	}
	return vf
}

// openSavedView answers /queue?view=ID as GET /api/v1/requests?view=ID
// does: the view's filters (a built-in, one's own or a shared view), with
// any other filter in the link laid over them, as the queue's own link.
// Another person's personal view, like one that does not exist, is a
// sentence above the open work.
func (s *server) openSavedView(w http.ResponseWriter, r *http.Request, id int64, vals url.Values) {
	q, err := s.savedViewQuery(r, id, vals)
	if model.ErrorCode(err) == model.ENOTFOUND {
		s.unknownView(w, r, http.StatusNotFound)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/queue?"+q.values().Encode(), http.StatusSeeOther)
}

// savedViewQuery is the queue query of saved view id (a built-in, one's
// own or a shared view) with the other filters of vals laid over it; a
// view the viewer may not see is ENOTFOUND.
func (s *server) savedViewQuery(r *http.Request, id int64, vals url.Values) (queueQuery, error) {
	p := principalOf(r)
	v, err := s.d.Requests.View(r.Context(), *p, id)
	if err != nil {
		return queueQuery{}, err
	}
	team, err := s.viewerTeam(r, p)
	if err != nil {
		return queueQuery{}, err
	}
	q := viewQuery(*v, team)
	vals = maps.Clone(vals)
	vals.Del("view")
	over := parseQueueQuery(vals)
	if len(over.Statuses) > 0 && vals.Has("status") {
		q.View, q.Statuses = "", over.Statuses
	}
	for _, o := range []struct {
		to  *string
		val string
	}{{&q.Type, over.Type}, {&q.Priority, over.Priority}, {&q.Q, over.Q}, {&q.Tag, over.Tag}} {
		if o.val != "" {
			*o.to = o.val
		}
	}
	if vals.Has("sort") {
		q.Sort = over.Sort
	}
	if over.Team != 0 {
		q.Team = over.Team
	}
	if over.Assignee != 0 {
		q.Assignee = over.Assignee
	}
	q.Mine, q.Unassigned, q.Soon = q.Mine || over.Mine, q.Unassigned || over.Unassigned, q.Soon || over.Soon
	return q, nil
}

// unknownView shows the open work with a sentence saying that the view
// asked for is not one the viewer has, with status (404 for a view id,
// 422 for a name the queue does not know).
func (s *server) unknownView(w http.ResponseWriter, r *http.Request, status int) {
	s.showQueue(w, r, parseQueueQuery(url.Values{}), status, func(pg *queuePage) {
		pg.Error = s.tr(r, "queue.view.unknown")
	})
}

// viewerTeam is p's team (0: none), for the "my team" view.
func (s *server) viewerTeam(r *http.Request, p *model.Principal) (int64, error) {
	u, err := s.d.Store.UserByID(r.Context(), p.ID)
	if err != nil || u.TeamID == nil {
		return 0, err
	}
	return *u.TeamID, nil
}

// builtinLabel is the tab label key of a built-in view.
func builtinLabel(name string) string {
	switch name {
	case "all_open":
		return "queue.tab.open"
	case "due_soon":
		return "queue.tab.soon"
	}
	return "queue.tab." + name // mine, my_team, unassigned
}

// loadQueueViews fills the queue's tabs (the built-in views with their
// counts, then "all") and the saved views, marking the one q shows.
func (s *server) loadQueueViews(r *http.Request, p *model.Principal, q queueQuery, page *queuePage) error {
	views, err := s.d.Requests.Views(r.Context(), *p, true)
	if err != nil {
		return err
	}
	team, err := s.viewerTeam(r, p)
	if err != nil {
		return err
	}
	page.CanShare = p.Can(model.PermViewShare)
	current := q.values().Encode()
	page.Tabs, page.Saved = nil, nil
	for _, v := range views {
		enc := viewQuery(v, team).values().Encode()
		tab := Tab{URL: "/queue?" + enc, Active: enc == current, Count: v.Count, CountMore: v.CountMore, Shared: v.Shared, Label: v.Name}
		if request.IsBuiltinView(v.ID) {
			if v.ID == request.ViewMyTeam && team == 0 {
				continue // no team: nothing to show
			}
			tab.Label = s.tr(r, builtinLabel(v.Name))
			page.Tabs = append(page.Tabs, tab)
			continue
		}
		page.Saved = append(page.Saved, savedTabOf(p, v, tab, page.ViewEdit))
	}
	all := queueQuery{View: viewAll, Sort: "created"}.values().Encode()
	page.Tabs = append(page.Tabs, Tab{Label: s.tr(r, "queue.tab.all"), URL: "/queue?" + all, Active: all == current, Count: -1})
	return nil
}

// queueSaveView saves the queue's current filter (the form's "query",
// the queue's own query string) as a view named by the form and opens it;
// a refused name comes back on the queue with the name as typed.
func (s *server) queueSaveView(w http.ResponseWriter, r *http.Request) {
	f, ok := s.readForm(w, r)
	if !ok {
		return
	}
	q := queueBack(f)
	name := f.Get("name")
	_, err := s.d.Requests.CreateView(r.Context(), *principalOf(r), request.ViewInput{Name: name, Shared: f.Get("shared") == "1",
		Filters: q.viewFilters()})
	if err != nil {
		if c := model.ErrorCode(err); c != model.EINVALID && c != model.ECONFLICT {
			s.fail(w, r, err)
			return
		}
		s.showQueue(w, r, q, statusOf(err), func(pg *queuePage) { pg.SaveName, pg.SaveError = name, s.viewFormError(r, name, err) })
		return
	}
	s.flash(r, "flash.view_saved")
	http.Redirect(w, r, "/queue?"+q.values().Encode(), http.StatusSeeOther)
}
