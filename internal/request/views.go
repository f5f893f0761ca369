package request

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/model"
)

// Built-in views have negative ids so they never meet a saved one.
const (
	ViewAllOpen    int64 = -1
	ViewMine       int64 = -2
	ViewMyTeam     int64 = -3
	ViewUnassigned int64 = -4
	ViewDueSoon    int64 = -5
)

// MaxViewName bounds a view's name.
const MaxViewName = 80

// openWork is what "open" means in the built-in views.
func openWork() []model.Status {
	return []model.Status{model.StatusNew, model.StatusOpen, model.StatusPending, model.StatusOnHold}
}

// builtinViews are the views every staff user has; their names are i18n
// keys (view.builtin.<key>).
func builtinViews() []model.SavedView {
	return []model.SavedView{
		{ID: ViewAllOpen, Name: "all_open", Filters: model.ViewFilters{Statuses: openWork()}},
		{ID: ViewMine, Name: "mine", Filters: model.ViewFilters{Statuses: openWork(), Mine: true}},
		{ID: ViewMyTeam, Name: "my_team", Filters: model.ViewFilters{Statuses: openWork(), MyTeam: true}},
		{ID: ViewUnassigned, Name: "unassigned", Filters: model.ViewFilters{Statuses: openWork(), Unassigned: true}},
		{ID: ViewDueSoon, Name: "due_soon", Filters: model.ViewFilters{Statuses: openWork(), DueSoon: true, Sort: "due"}},
	}
}

// IsBuiltinView reports whether id names a built-in view.
func IsBuiltinView(id int64) bool { return id < 0 && id >= ViewDueSoon }

func staffOnly(p model.Principal) error {
	if !p.IsStaff() || !p.Can(model.PermRequestRead) {
		return forbidden()
	}
	return nil
}

// Views returns the views p may use: the built-in ones, then p's own and
// the shared ones by name; with counts, each with the number of requests
// it shows now.
func (s *Service) Views(ctx context.Context, p model.Principal, counts bool) ([]model.SavedView, error) {
	if err := staffOnly(p); err != nil {
		return nil, err
	}
	saved, err := s.store.ViewsFor(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	views := append(builtinViews(), saved...)
	if !counts {
		return views, nil
	}
	team, err := s.teamOf(ctx, p)
	if err != nil {
		return nil, err
	}
	for i := range views {
		if err := s.countView(ctx, p, team, &views[i]); err != nil {
			return nil, err
		}
	}
	return views, nil
}

// countView fills v's count as p (of team) sees it.
func (s *Service) countView(ctx context.Context, p model.Principal, team int64, v *model.SavedView) error {
	f, err := s.filterOf(p, team, v.Filters)
	if err != nil {
		return err
	}
	v.Count, v.CountMore, err = s.store.CountRequests(ctx, f, model.ViewCountCap)
	return err
}

// View returns one view p may use (a built-in, its own or a shared one);
// another user's personal view is ENOTFOUND.
func (s *Service) View(ctx context.Context, p model.Principal, id int64) (*model.SavedView, error) {
	if err := staffOnly(p); err != nil {
		return nil, err
	}
	if IsBuiltinView(id) {
		for _, v := range builtinViews() {
			if v.ID == id {
				return &v, nil
			}
		}
	}
	v, err := s.store.ViewByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !v.Shared && v.OwnerID != p.ID {
		return nil, model.Errorf(model.ENOTFOUND, "view not found")
	}
	return v, nil
}

// ViewFilter is the request filter of view id for p: "mine" is p's
// requests, "my team" those of p's team, "breaching soon" those due
// within model.DueSoonMinutes from now.
func (s *Service) ViewFilter(ctx context.Context, p model.Principal, id int64) (model.RequestFilter, error) {
	v, err := s.View(ctx, p, id)
	if err != nil {
		return model.RequestFilter{}, err
	}
	team, err := s.teamOf(ctx, p)
	if err != nil {
		return model.RequestFilter{}, err
	}
	return s.filterOf(p, team, v.Filters)
}

// teamOf returns p's team (0: none).
func (s *Service) teamOf(ctx context.Context, p model.Principal) (int64, error) {
	u, err := s.store.UserByID(ctx, p.ID)
	if err != nil {
		return 0, err
	}
	if u.TeamID == nil {
		return 0, nil
	}
	return *u.TeamID, nil
}

// filterOf turns view filters into a request filter for p.
func (s *Service) filterOf(p model.Principal, team int64, vf model.ViewFilters) (model.RequestFilter, error) {
	f := model.RequestFilter{Statuses: vf.Statuses, Type: vf.Type, Priority: vf.Priority, AssigneeID: vf.AssigneeID,
		Unassigned: vf.Unassigned, TeamID: vf.TeamID, Tag: vf.Tag, Query: vf.Query, Sort: vf.Sort}
	if vf.Mine {
		f.AssigneeID = p.ID
	}
	if vf.MyTeam {
		f.TeamID = team
		if team == 0 {
			f.TeamID = -1 // no team: the view is empty
		}
	}
	if vf.DueSoon {
		now := s.now()
		until := now.Add(model.DueSoonMinutes*time.Minute + time.Microsecond)
		f.DueAfter, f.DueBefore = &now, &until
	}
	return f, nil
}

// ViewInput is a new saved view.
type ViewInput struct {
	Name    string
	Shared  bool
	Filters model.ViewFilters
}

// CreateView saves a view for p; sharing it needs model.PermViewShare.
// Every filter is checked as the request list checks it, so a view never
// fails when opened.
func (s *Service) CreateView(ctx context.Context, p model.Principal, in ViewInput) (*model.SavedView, error) {
	if err := staffOnly(p); err != nil {
		return nil, err
	}
	if in.Shared && !p.Can(model.PermViewShare) {
		return nil, model.FieldError("shared", "your role may not share views; save it as a personal view")
	}
	name, err := checkViewName(in.Name)
	if err != nil {
		return nil, err
	}
	in.Name = name
	vf, err := checkViewFilters(in.Filters)
	if err != nil {
		return nil, err
	}
	v := &model.SavedView{OwnerID: p.ID, OwnerName: p.Name, Name: in.Name, Shared: in.Shared, Filters: vf}
	if err := s.store.CreateView(ctx, v); err != nil {
		return nil, err
	}
	return s.counted(ctx, p, v)
}

// checkViewFilters validates and normalises view filters, naming the bad
// one as filters.<name>.
func checkViewFilters(vf model.ViewFilters) (model.ViewFilters, error) {
	for _, st := range vf.Statuses {
		if !st.Valid() {
			return vf, model.FieldError("filters.status", "The status filter names an unknown status, “%s”.", st)
		}
	}
	switch {
	case vf.Type != "" && !vf.Type.Valid():
		return vf, model.FieldError("filters.type", "The type filter names an unknown request type, “%s”.", vf.Type)
	case vf.Priority != "" && !vf.Priority.Valid():
		return vf, model.FieldError("filters.priority", "The priority filter names an unknown priority, “%s”.", vf.Priority)
	case vf.Sort != "" && !slices.Contains([]string{"created", "updated", "priority", "due"}, vf.Sort):
		return vf, model.FieldError("filters.sort", "must be created, updated, priority or due")
	case vf.AssigneeID < 0 || vf.TeamID < 0:
		return vf, model.FieldError("filters", "ids must be positive")
	case (vf.Mine || vf.AssigneeID != 0) && vf.Unassigned:
		return vf, model.FieldError("filters.unassigned", "cannot be combined with an assignee")
	}
	if vf.Tag != "" {
		t, err := model.NormalizeTag("filters.tag", vf.Tag)
		if err != nil {
			return vf, err
		}
		vf.Tag = t
	}
	vf.Query = strings.TrimSpace(vf.Query)
	return vf, nil
}

// ViewPatch changes a saved view: the fields given, under optimistic
// locking (Version is the version read).
type ViewPatch struct {
	Name    *string
	Shared  *bool
	Filters *model.ViewFilters
	Version int64
}

// editableView returns saved view id if p may change it: its owner or an
// admin. Another user's personal view is ENOTFOUND, as View says; a
// built-in or another user's shared view is EFORBIDDEN.
func (s *Service) editableView(ctx context.Context, p model.Principal, id int64) (*model.SavedView, error) {
	v, err := s.View(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if IsBuiltinView(id) {
		return nil, model.Errorf(model.EFORBIDDEN, "built-in views cannot be changed")
	}
	if !MayChangeView(p, *v) {
		return nil, model.Errorf(model.EFORBIDDEN, "only the view's owner or an admin may change it")
	}
	return v, nil
}

// MayChangeView reports whether p may rename, reshare or delete view v:
// a saved view of p's own, or any saved view for an admin; never a
// built-in one.
func MayChangeView(p model.Principal, v model.SavedView) bool {
	return !IsBuiltinView(v.ID) && (v.OwnerID == p.ID || p.Role == model.RoleAdmin)
}

// UpdateView renames, (un)shares or refilters saved view id (its owner
// or an admin); sharing it needs model.PermViewShare, as CreateView says.
// The answer carries the view's count, as Views does.
func (s *Service) UpdateView(ctx context.Context, p model.Principal, id int64, in ViewPatch) (*model.SavedView, error) {
	v, err := s.editableView(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if in.Version <= 0 {
		return nil, model.FieldError("version", "is required (send the version you read)")
	}
	v.Version = in.Version
	if in.Name != nil {
		if v.Name, err = checkViewName(*in.Name); err != nil {
			return nil, err
		}
	}
	if in.Shared != nil {
		if *in.Shared && !v.Shared && !p.Can(model.PermViewShare) {
			return nil, model.FieldError("shared", "your role may not share views; save it as a personal view")
		}
		v.Shared = *in.Shared
	}
	if in.Filters != nil {
		if v.Filters, err = checkViewFilters(*in.Filters); err != nil {
			return nil, err
		}
	}
	if err := s.store.UpdateView(ctx, v); err != nil {
		return nil, err
	}
	return s.counted(ctx, p, v)
}

// counted is v with its count, counted as Views counts, so that a client
// sees the same number in the answer to a change as in the list.
func (s *Service) counted(ctx context.Context, p model.Principal, v *model.SavedView) (*model.SavedView, error) {
	team, err := s.teamOf(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := s.countView(ctx, p, team, v); err != nil {
		return nil, err
	}
	return v, nil
}

// DeleteView removes saved view id (its owner or an admin) if it is still
// at version, the version p read (0: any version, for API clients that
// send none). A view changed meanwhile is ECONFLICT at version: p deletes
// what p saw, not what someone renamed or reshared since.
func (s *Service) DeleteView(ctx context.Context, p model.Principal, id, version int64) error {
	if _, err := s.editableView(ctx, p, id); err != nil {
		return err
	}
	return s.store.DeleteView(ctx, id, version)
}

// checkViewName trims a view's name and checks it is given and short
// enough.
func checkViewName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", model.FieldError("name", "is required")
	case utf8.RuneCountInString(name) > MaxViewName:
		return "", model.FieldError("name", "must be at most %d characters", MaxViewName)
	}
	return name, nil
}
