package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// ViewFilters is the filter a saved view keeps, in the names of
// GET /api/v1/requests.
type ViewFilters struct {
	Status     []model.Status    `json:"status,omitempty" doc:"Statuses; none means every status."`
	Type       model.RequestType `json:"type,omitempty" enum:"repair,return,exchange,refund,support,installation,maintenance,complaint,inquiry"`
	Priority   model.Priority    `json:"priority,omitempty" enum:"low,normal,high,urgent"`
	AssigneeID int64             `json:"assignee_id,omitempty"`
	Mine       bool              `json:"mine,omitempty" doc:"Assigned to whoever opens the view."`
	Unassigned bool              `json:"unassigned,omitempty"`
	TeamID     int64             `json:"team_id,omitempty"`
	MyTeam     bool              `json:"my_team,omitempty" doc:"The team of whoever opens the view."`
	Tag        string            `json:"tag,omitempty"`
	Q          string            `json:"q,omitempty" doc:"Search words, as ?q=."`
	Sort       string            `json:"sort,omitempty" enum:"created,updated,priority,due"`
	DueSoon    bool              `json:"due_soon,omitempty" doc:"Only requests whose nearest SLA due time lies within the next two hours."`
}

func (f ViewFilters) model() model.ViewFilters {
	return model.ViewFilters{Statuses: f.Status, Type: f.Type, Priority: f.Priority, AssigneeID: f.AssigneeID, Mine: f.Mine,
		Unassigned: f.Unassigned, TeamID: f.TeamID, MyTeam: f.MyTeam, Tag: f.Tag, Query: f.Q, Sort: f.Sort, DueSoon: f.DueSoon}
}

func toViewFilters(f model.ViewFilters) ViewFilters {
	return ViewFilters{Status: f.Statuses, Type: f.Type, Priority: f.Priority, AssigneeID: f.AssigneeID, Mine: f.Mine,
		Unassigned: f.Unassigned, TeamID: f.TeamID, MyTeam: f.MyTeam, Tag: f.Tag, Q: f.Query, Sort: f.Sort, DueSoon: f.DueSoon}
}

// View is a saved queue view, or a built-in one (negative id, no owner).
type View struct {
	ID        int64       `json:"id" doc:"Built-in views: -1 all open, -2 mine, -3 my team, -4 unassigned, -5 breaching soon."`
	Name      string      `json:"name" doc:"Built-in views: all_open, mine, my_team, unassigned, due_soon."`
	Builtin   bool        `json:"builtin"`
	Shared    bool        `json:"shared"`
	OwnerID   int64       `json:"owner_id,omitempty"`
	OwnerName string      `json:"owner_name,omitempty"`
	Filters   ViewFilters `json:"filters"`
	Count     int         `json:"count" doc:"Requests the view shows now, counted up to 1000."`
	CountMore bool        `json:"count_more,omitempty" doc:"True when the view shows more than 1000 requests (count is then 1000)."`
	CreatedAt *time.Time  `json:"created_at,omitempty"`
	Version   int64       `json:"version,omitempty" doc:"Saved views: send it back with PATCH (409 when the view changed meanwhile)."`
}

func toView(v *model.SavedView) View {
	out := View{ID: v.ID, Name: v.Name, Builtin: request.IsBuiltinView(v.ID), Shared: v.Shared, OwnerID: v.OwnerID,
		OwnerName: v.OwnerName, Filters: toViewFilters(v.Filters), Count: v.Count, CountMore: v.CountMore, Version: v.Version}
	if !v.CreatedAt.IsZero() {
		at := v.CreatedAt
		out.CreatedAt = &at
	}
	return out
}

type createViewInput struct {
	Body struct {
		Name    string      `json:"name" maxLength:"80" example:"VIP screens"`
		Shared  bool        `json:"shared,omitempty" doc:"Share with all staff (needs view.share)."`
		Filters ViewFilters `json:"filters"`
	}
}

type deleteViewInput struct {
	ID      int64  `path:"id"`
	IfMatch string `header:"If-Match" doc:"The view's version you read (\"3\"): a view changed since is not deleted (409). Without it the view is deleted whatever its version."`
}

type updateViewInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Name    *string      `json:"name,omitempty" maxLength:"80"`
		Shared  *bool        `json:"shared,omitempty" doc:"Share with all staff (needs view.share) or take back to its owner."`
		Filters *ViewFilters `json:"filters,omitempty" doc:"Replaces the view's filters as a whole."`
		Version int64        `json:"version" doc:"The version you read (409 when it changed meanwhile)."`
	}
}

type viewOutput struct {
	Body View
}

type viewsOutput struct {
	Body struct {
		Items []View `json:"items"`
	}
}

func (s *server) registerViews() {
	register(s, huma.Operation{
		OperationID: "list-views", Method: http.MethodGet, Path: "/api/v1/views",
		Summary: "List queue views with their counts", Tags: []string{"views"},
		Description: "The built-in views (all open, mine, my team, unassigned, breaching soon), then the caller's own " +
			"and the shared ones by name; each with the number of requests it shows now. " +
			"Open one with GET /api/v1/requests?view={id}.",
	}, staffCan(model.PermRequestRead), func(ctx context.Context, _ *struct{}) (*viewsOutput, error) {
		views, err := s.d.Requests.Views(ctx, principalFrom(ctx), true)
		if err != nil {
			return nil, err
		}
		out := &viewsOutput{}
		out.Body.Items = make([]View, len(views))
		for i := range views {
			out.Body.Items[i] = toView(&views[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "create-view", Method: http.MethodPost, Path: "/api/v1/views",
		Summary: "Save a queue view", Tags: []string{"views"}, DefaultStatus: http.StatusCreated,
		Description: "Every filter is checked as GET /api/v1/requests checks it (422 naming body.filters.<name>); " +
			"shared: true without view.share is 422 at body.shared; a name the caller already gives a view (or, " +
			"for a shared view, a shared view's name) is 409 at body.name. The answer counts as GET /api/v1/views does.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestRead), func(ctx context.Context, in *createViewInput) (*viewOutput, error) {
		v, err := s.d.Requests.CreateView(ctx, principalFrom(ctx), request.ViewInput{Name: in.Body.Name, Shared: in.Body.Shared,
			Filters: in.Body.Filters.model()})
		if err != nil {
			return nil, err
		}
		return &viewOutput{Body: toView(v)}, nil
	})

	register(s, huma.Operation{
		OperationID: "update-view", Method: http.MethodPatch, Path: "/api/v1/views/{id}",
		Summary: "Rename, share or refilter a saved view", Tags: []string{"views"},
		Description: "Changes the fields sent; its owner or an admin only (403 for a built-in view or someone else's " +
			"shared view; 404 for someone else's personal view). Sharing needs view.share (422 at body.shared); " +
			"a taken name is 409 at body.name; a stale version is 409 at body.version.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestRead), func(ctx context.Context, in *updateViewInput) (*viewOutput, error) {
		patch := request.ViewPatch{Name: in.Body.Name, Shared: in.Body.Shared, Version: in.Body.Version}
		if in.Body.Filters != nil {
			f := in.Body.Filters.model()
			patch.Filters = &f
		}
		v, err := s.d.Requests.UpdateView(ctx, principalFrom(ctx), in.ID, patch)
		if err != nil {
			return nil, err
		}
		return &viewOutput{Body: toView(v)}, nil
	})

	register(s, huma.Operation{
		OperationID: "delete-view", Method: http.MethodDelete, Path: "/api/v1/views/{id}",
		Summary: "Delete a saved view", Tags: []string{"views"}, DefaultStatus: http.StatusNoContent,
		Description: "Its owner or an admin only (403 for a built-in view or someone else's shared view; 404 for " +
			"someone else's personal view or one already deleted). A shared view goes from every staff member's queue. " +
			"Optimistic locking as PATCH: with If-Match: \"<version>\" a view renamed, reshared or refiltered since " +
			"is kept and the answer is 409 at header.If-Match; without If-Match the view is deleted as it is.",
		Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, staffCan(model.PermRequestRead), func(ctx context.Context, in *deleteViewInput) (*struct{}, error) {
		var version int64
		if in.IfMatch != "" {
			v, err := parseETag(in.IfMatch)
			if err != nil {
				return nil, at("header", err)
			}
			version = v
		}
		return nil, ifMatchConflict(s.d.Requests.DeleteView(ctx, principalFrom(ctx), in.ID, version))
	})
}

// ifMatchConflict places a stale-version conflict of a call that took
// its version from If-Match at header.If-Match, where the client sent it.
func ifMatchConflict(err error) error {
	var me *model.Error
	if !errors.As(err, &me) || me.Code != model.ECONFLICT || me.Field != "version" {
		return err
	}
	stale := *me
	stale.Field = "If-Match"
	return at("header", &stale)
}

// applyView starts f from saved view id and lays the explicitly given
// filters of f over it.
func (s *server) applyView(ctx context.Context, id int64, f model.RequestFilter) (model.RequestFilter, error) {
	vf, err := s.d.Requests.ViewFilter(ctx, principalFrom(ctx), id)
	if err != nil {
		if model.IsNotFound(err) {
			return f, model.FieldError("view", "There is no view %d that you may use; choose one of your views or a shared one.", id)
		}
		return f, err
	}
	if len(f.Statuses) > 0 {
		vf.Statuses = f.Statuses
	}
	if f.Type != "" {
		vf.Type = f.Type
	}
	if f.Priority != "" {
		vf.Priority = f.Priority
	}
	if f.CustomerID != 0 {
		vf.CustomerID = f.CustomerID
	}
	if f.AssigneeID != 0 {
		vf.AssigneeID = f.AssigneeID
	}
	if f.TeamID != 0 {
		vf.TeamID = f.TeamID
	}
	if f.Tag != "" {
		vf.Tag = f.Tag
	}
	if f.Query != "" {
		vf.Query = f.Query
	}
	if f.DueBefore != nil {
		vf.DueBefore = f.DueBefore
	}
	if f.Sort != "" {
		vf.Sort = f.Sort
	}
	vf.Limit, vf.Cursor = f.Limit, f.Cursor
	return vf, nil
}
