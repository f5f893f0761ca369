package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// savedTab is a saved view in the queue: its tab, and what its rename and
// delete forms need.
type savedTab struct {
	Tab
	ID, Version int64
	// Editable: the viewer may rename and delete it (its owner, or an
	// admin), as the API allows.
	Editable bool
	// Name is the rename field's value: the view's name, or the name as
	// typed when the rename came back with RenameError.
	Name        string
	RenameError string
	// ConfirmDelete asks before deleting the view.
	ConfirmDelete bool
}

// viewEdit is a rename or delete form that comes back to the queue: the
// view, the name and version as sent, and the error or the question.
type viewEdit struct {
	ID            int64
	Name          string
	Version       int64
	Error         string
	ConfirmDelete bool
}

// savedTabOf is the queue's entry for saved view v, with edit laid over
// it when the form that came back is v's.
func savedTabOf(p *model.Principal, v model.SavedView, tab Tab, edit *viewEdit) savedTab {
	st := savedTab{Tab: tab, ID: v.ID, Version: v.Version, Editable: request.MayChangeView(*p, v), Name: v.Name}
	if edit != nil && edit.ID == v.ID {
		st.ConfirmDelete = edit.ConfirmDelete
		if edit.Error != "" {
			st.Name, st.Version, st.RenameError = edit.Name, edit.Version, edit.Error
		}
	}
	return st
}

// queueBack is the queue filter a view form returns to (its "query",
// the queue's own query string).
func queueBack(f url.Values) queueQuery {
	vals, err := url.ParseQuery(f.Get("query"))
	if err != nil {
		vals = url.Values{}
	}
	return parseQueueQuery(vals)
}

// viewForm reads a saved view's rename or delete form: the view's id,
// the form and the queue filter to return to; !ok when the answer is
// written (a bad id or form).
func (s *server) viewForm(w http.ResponseWriter, r *http.Request) (int64, url.Values, queueQuery, bool) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return 0, nil, queueQuery{}, false
	}
	f, ok := s.readForm(w, r)
	if !ok {
		return 0, nil, queueQuery{}, false
	}
	return id, f, queueBack(f), true
}

// viewFormError is the sentence for a refused view name or version: an
// empty name is asked for in words, the rest as the domain says it (a
// name already taken, a view someone changed meanwhile).
func (s *server) viewFormError(r *http.Request, name string, err error) string {
	if model.ErrorCode(err) == model.EINVALID && strings.TrimSpace(name) == "" {
		return s.tr(r, "views.name_required")
	}
	return s.errText(r, err)
}

// viewGone re-renders the queue q when the view a rename or delete form
// names is not there (deleted meanwhile, or never the viewer's to see):
// 404 with a sentence saying so, nothing changed.
func (s *server) viewGone(w http.ResponseWriter, r *http.Request, q queueQuery) {
	s.showQueue(w, r, q, http.StatusNotFound, func(pg *queuePage) { pg.ViewError = s.tr(r, "views.gone") })
}

// queueRenameView renames saved view id (its owner, or an admin) under
// the version the form read, and goes back to the queue; a refused name
// or a view changed meanwhile comes back with the name as typed and a
// sentence, a view deleted meanwhile with a sentence saying so (404).
// Someone else's personal view is 404 too, a shared one 403.
func (s *server) queueRenameView(w http.ResponseWriter, r *http.Request) {
	id, f, q, ok := s.viewForm(w, r)
	if !ok {
		return
	}
	name := f.Get("name")
	version, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	_, err := s.d.Requests.UpdateView(r.Context(), *principalOf(r), id, request.ViewPatch{Name: &name, Version: version})
	if err != nil {
		switch model.ErrorCode(err) {
		case model.ENOTFOUND:
			s.viewGone(w, r, q)
		case model.EINVALID, model.ECONFLICT:
			s.showQueue(w, r, q, statusOf(err), func(pg *queuePage) {
				pg.ViewEdit = &viewEdit{ID: id, Name: name, Version: version, Error: s.viewFormError(r, name, err)}
			})
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.flash(r, "flash.view_renamed")
	http.Redirect(w, r, "/queue?"+q.values().Encode(), http.StatusSeeOther)
}

// queueDeleteView deletes saved view id (its owner, or an admin) once
// the form says confirm=yes; before that the queue comes back asking, as
// bulk cancelling does. The form carries the version the viewer saw: a
// view renamed or reshared since is kept and the queue says so (409), one
// deleted meanwhile is 404 with a sentence. Someone else's personal view
// is 404, a shared one 403, asked or not.
func (s *server) queueDeleteView(w http.ResponseWriter, r *http.Request) {
	id, f, q, ok := s.viewForm(w, r)
	if !ok {
		return
	}
	p := principalOf(r)
	version, err := strconv.ParseInt(f.Get("version"), 10, 64)
	if err != nil || version <= 0 {
		version = -1 // no version read: nothing to delete safely
	}
	if f.Get("confirm") == "yes" {
		err = s.d.Requests.DeleteView(r.Context(), *p, id, version)
	} else {
		err = s.askDeleteView(r, *p, id, version)
	}
	switch code := model.ErrorCode(err); {
	case err == nil && f.Get("confirm") == "yes":
		s.flash(r, "flash.view_deleted")
		http.Redirect(w, r, "/queue?"+q.values().Encode(), http.StatusSeeOther)
	case err == nil:
		s.showQueue(w, r, q, http.StatusOK, func(pg *queuePage) { pg.ViewEdit = &viewEdit{ID: id, ConfirmDelete: true} })
	case code == model.ENOTFOUND:
		s.viewGone(w, r, q)
	case code == model.ECONFLICT:
		s.showQueue(w, r, q, http.StatusConflict, func(pg *queuePage) {
			pg.ViewEdit, pg.ViewError = &viewEdit{ID: id}, s.tr(r, "views.delete_stale")
		})
	default:
		s.fail(w, r, err)
	}
}

// askDeleteView checks, before asking to confirm, that p may delete view
// id and that it is still at version: the view p saw.
func (s *server) askDeleteView(r *http.Request, p model.Principal, id, version int64) error {
	v, err := s.d.Requests.View(r.Context(), p, id)
	switch {
	case err != nil:
		return err
	case !request.MayChangeView(p, *v):
		return model.Errorf(model.EFORBIDDEN, "only the view's owner or an admin may change it")
	case v.Version != version:
		return model.StaleVersion(v.Version, "the view was changed meanwhile; reload and try again")
	}
	return nil
}
