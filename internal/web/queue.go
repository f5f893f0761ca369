package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// Queue views: presets over the status filter.
const (
	viewOpen = "work" // open work: new, open, pending, on hold
	viewAll  = "all"
)

// openWork is what the "open work" preset shows.
func openWork() []model.Status {
	return []model.Status{model.StatusNew, model.StatusOpen, model.StatusPending, model.StatusOnHold}
}

// queueQuery is the queue's filter, read from and written to the query
// string so that every view is a link.
type queueQuery struct {
	View       string // a preset or a status; "" when Statuses came as status=…
	Statuses   []model.Status
	Type       string
	Priority   string
	Mine       bool
	Unassigned bool
	Team       int64
	Assignee   int64
	Tag        string
	Q          string
	Sort       string
	Cursor     string
	// Soon keeps requests whose nearest SLA due time is within the next
	// model.DueSoonMinutes (the "breaching soon" tab).
	Soon bool
}

// parseQueueQuery reads the filter from the URL; unknown values are kept
// so that the domain service names the bad one.
func parseQueueQuery(v url.Values) queueQuery {
	q := queueQuery{Type: v.Get("type"), Priority: v.Get("priority"), Q: strings.TrimSpace(v.Get("q")), Tag: strings.TrimSpace(v.Get("tag")),
		Sort: v.Get("sort"), Cursor: v.Get("cursor"), Mine: v.Get("mine") == "1", Unassigned: v.Get("unassigned") == "1",
		Soon: v.Get("soon") == "1"}
	q.Team, _ = strconv.ParseInt(v.Get("team"), 10, 64)
	q.Assignee, _ = strconv.ParseInt(v.Get("assignee"), 10, 64)
	for _, st := range v["status"] {
		if st != "" {
			q.Statuses = append(q.Statuses, model.Status(st))
		}
	}
	if len(q.Statuses) == 0 {
		q.View = v.Get("view")
		switch q.View {
		case "", viewOpen:
			q.View = viewOpen
			q.Statuses = openWork()
		case viewAll:
		default:
			q.Statuses = []model.Status{model.Status(q.View)}
		}
	}
	if q.Sort == "" {
		q.Sort = "created"
	}
	return q
}

// filter is the domain filter of q for principal p at now.
func (q queueQuery) filter(p *model.Principal, now time.Time) model.RequestFilter {
	f := model.RequestFilter{Statuses: q.Statuses, Type: model.RequestType(q.Type), Priority: model.Priority(q.Priority),
		Unassigned: q.Unassigned, TeamID: q.Team, Query: q.Q, Tag: q.Tag, Sort: q.Sort, Cursor: q.Cursor}
	if q.Assignee != 0 {
		f.AssigneeID = q.Assignee
	}
	if q.Mine {
		f.AssigneeID = p.ID
	}
	if q.Soon {
		// Due within the next model.DueSoonMinutes, that instant included
		// (instants are stored to the microsecond).
		until := now.Add(model.DueSoonMinutes*time.Minute + time.Microsecond)
		f.DueAfter, f.DueBefore = &now, &until
	}
	return f
}

// values encodes the filter (without the cursor).
func (q queueQuery) values() url.Values {
	v := url.Values{}
	if q.View != "" {
		v.Set("view", q.View)
	} else {
		for _, st := range q.Statuses {
			v.Add("status", string(st))
		}
	}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("type", q.Type)
	set("priority", q.Priority)
	set("q", q.Q)
	set("tag", q.Tag)
	if q.Sort != "created" {
		set("sort", q.Sort)
	}
	if q.Mine {
		v.Set("mine", "1")
	}
	if q.Unassigned {
		v.Set("unassigned", "1")
	}
	if q.Soon {
		v.Set("soon", "1")
	}
	if q.Team != 0 {
		v.Set("team", strconv.FormatInt(q.Team, 10))
	}
	if q.Assignee != 0 {
		v.Set("assignee", strconv.FormatInt(q.Assignee, 10))
	}
	return v
}

// queuePage is the agent queue.
type queuePage struct {
	Base
	Query      queueQuery
	Tabs       []Tab
	Views      []Option
	Types      []Option
	Priorities []Option
	Teams      []Option
	Sorts      []Option
	// Heads are the column heads that sort the queue, by order.
	Heads map[string]sortHead
	// TagSuggestions are the most used tags, for the tag filter.
	TagSuggestions []string
	Items          []model.Request
	// NextURL is the next page's link ("" on the last page); PrevURL
	// the previous page's and FirstURL the first page's ("" on the first
	// page).
	NextURL  string
	PrevURL  string
	FirstURL string
	// Count says how many requests the filter finds ("More than 1,000
	// requests" past queueCountUpTo).
	Count string
	// ExportCSV and ExportXLSX download every request of this view; empty
	// for a role that may not export.
	ExportCSV, ExportXLSX string
	// Error is a translated message about a bad filter.
	Error string
	// Partial is set for an htmx update, which replaces the tabs out of band.
	Partial bool
	// Dues are the SLA due cells by request id (requests with a running
	// clock).
	Dues map[int64]dueCell
	// Saved are the saved views (own and shared) with counts.
	Saved []savedTab
	// ViewEdit is a rename or delete form of a saved view that came back
	// (refused, or asking to confirm the deletion).
	ViewEdit *viewEdit
	// ViewError says why a rename or delete of a saved view did nothing
	// (the view was deleted, or changed before the deletion).
	ViewError string
	// The "save this filter as a view" form: the name typed, the error,
	// and whether the viewer may share views.
	SaveName  string
	SaveError string
	CanShare  bool
	// SaveQuery is the filter the form saves (the queue's query string);
	// BackURL is the queue's link with it.
	SaveQuery, BackURL string
	// Bulk is the bulk-action bar; BulkError and BulkChecked come from a
	// refused action (set by the caller before the bar is loaded).
	Bulk        *bulkBar
	BulkError   string
	BulkChecked map[string]bool
	// BulkForm is the bulk form as sent, when it comes back (refused, or
	// asking to confirm BulkConfirm cancellations).
	BulkForm    url.Values
	BulkConfirm int
}

// dueCell is a request's nearest SLA due time in the queue: local time,
// and "overdue" or "soon" for its colour.
type dueCell struct {
	At    string
	Class string
}

// Tab is a view of the queue: a link with the number of requests it
// shows (Count < 0: not counted).
type Tab struct {
	Label, URL string
	Active     bool
	// Count is -1 for a tab without a count; CountMore marks a count
	// that stopped at model.ViewCountCap ("1000+").
	Count     int
	CountMore bool
	Shared    bool
}

// queue shows the agent queue. An htmx request for the results (a filter
// change) gets only the table, the rest the whole page.
func (s *server) queue(w http.ResponseWriter, r *http.Request) {
	vals := r.URL.Query()
	if id, err := strconv.ParseInt(vals.Get("view"), 10, 64); err == nil {
		s.openSavedView(w, r, id, vals)
		return
	}
	q := parseQueueQuery(vals)
	if q.View != "" && q.View != viewOpen && q.View != viewAll && !model.Status(q.View).Valid() {
		s.unknownView(w, r, http.StatusUnprocessableEntity)
		return
	}
	s.showQueue(w, r, q, http.StatusOK, nil)
}

// showQueue renders the queue for q with status (unless the filter is
// bad); edit, when not nil, adjusts the page (a refused "save view" form).
func (s *server) showQueue(w http.ResponseWriter, r *http.Request, q queueQuery, status int, edit func(*queuePage)) {
	p := principalOf(r)
	now := s.d.Store.Now()
	f := q.filter(p, now)
	f.CountUpTo = queueCountUpTo
	page := queuePage{Base: s.base(r, "queue"), Query: q, Dues: map[int64]dueCell{}, Heads: s.sortHeads(r, q)}
	page.SaveQuery = q.values().Encode()
	page.BackURL = "/queue?" + page.SaveQuery
	if edit != nil {
		edit(&page)
	}
	res, err := s.d.Requests.List(r.Context(), *p, f)
	switch {
	case err == nil:
		page.Items = res.Items
		for _, it := range res.Items {
			if it.SLADueAt == nil {
				continue
			}
			c := dueCell{At: it.SLADueAt.In(s.d.Store.Location()).Format("01-02 15:04")}
			switch {
			case !now.Before(*it.SLADueAt):
				c.Class = "overdue"
			case it.SLADueAt.Sub(now) <= model.DueSoonMinutes*time.Minute:
				c.Class = "soon"
			}
			page.Dues[it.ID] = c
		}
		base := "/queue"
		if enc := q.values().Encode(); enc != "" {
			base += "?" + enc
		}
		if res.NextCursor != "" {
			nv := q.values()
			nv.Set("cursor", res.NextCursor)
			page.NextURL = "/queue?" + nv.Encode()
		}
		if res.PrevCursor != "" {
			page.FirstURL = base
			pv := q.values()
			pv.Set("cursor", res.PrevCursor)
			page.PrevURL = "/queue?" + pv.Encode()
		}
		page.Count = s.countText(r, res.Count, res.CountMore)
		if p.Can(model.PermRequestExport) { // no export links for whom the export refuses
			ev := q.values()
			ev.Set("format", "csv")
			page.ExportCSV = "/queue/export?" + ev.Encode()
			ev.Set("format", "xlsx")
			page.ExportXLSX = "/queue/export?" + ev.Encode()
		}
	case model.ErrorCode(err) == model.EINVALID:
		page.Error = s.errText(r, err)
		status = http.StatusUnprocessableEntity
	default:
		s.serverError(w, r, err)
		return
	}
	if err := s.loadQueueViews(r, p, q, &page); err != nil {
		s.serverError(w, r, err)
		return
	}
	bar, err := s.loadBulkBar(r, q)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	bar.Error = page.BulkError
	if page.BulkChecked != nil {
		bar.Checked = page.BulkChecked
	}
	if page.BulkForm != nil {
		bar.refill(page.BulkForm)
	}
	bar.Confirm = page.BulkConfirm
	page.Bulk = bar
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true" &&
		r.Header.Get("HX-Target") == "queue-results" {
		page.Partial = true
		s.renderBlock(w, r, status, "queue", "queue_partial", page)
		return
	}
	teams, err := s.d.Store.ListTeams(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tags, err := s.d.Store.TagSuggestions(r.Context(), "", 50)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, t := range tags {
		page.TagSuggestions = append(page.TagSuggestions, t.Tag)
	}
	page.Views = []Option{{Value: viewOpen, Label: s.tr(r, "queue.view.open"), Selected: q.View == viewOpen},
		{Value: viewAll, Label: s.tr(r, "queue.view.all"), Selected: q.View == viewAll}}
	for _, st := range model.Statuses {
		page.Views = append(page.Views, Option{Value: string(st), Label: s.tr(r, "status."+string(st)), Selected: q.View == string(st)})
	}
	page.Types = []Option{{Value: "", Label: s.tr(r, "queue.any_type")}}
	for _, t := range model.RequestTypes {
		page.Types = append(page.Types, Option{Value: string(t), Label: s.tr(r, "type."+string(t)), Selected: q.Type == string(t)})
	}
	page.Priorities = []Option{{Value: "", Label: s.tr(r, "queue.any_priority")}}
	for _, pr := range slices.Backward(model.Priorities) {
		page.Priorities = append(page.Priorities, Option{Value: string(pr), Label: s.tr(r, "priority."+string(pr)), Selected: q.Priority == string(pr)})
	}
	page.Teams = []Option{{Value: "", Label: s.tr(r, "queue.any_team")}}
	for _, t := range teams {
		id := strconv.FormatInt(t.ID, 10)
		page.Teams = append(page.Teams, Option{Value: id, Label: t.Name, Selected: q.Team == t.ID})
	}
	for _, so := range queueSorts() {
		page.Sorts = append(page.Sorts, Option{Value: so, Label: s.tr(r, "queue.sort."+so), Selected: q.Sort == so})
	}
	s.render(w, r, status, "queue", page)
}

// queueCountUpTo is where the queue stops counting: past it the count
// says "more than 1,000", and counting reads at most that many index
// entries whatever the size of the table.
const queueCountUpTo = 1000

// countText is the queue's result count in words.
func (s *server) countText(r *http.Request, n int, more bool) string {
	switch {
	case more:
		return s.tr(r, "queue.count.more", thousands(n))
	case n == 1:
		return s.tr(r, "queue.count.one")
	}
	return s.tr(r, "queue.count.other", thousands(n))
}

// thousands writes n with a comma between thousands (1,000), as both
// languages write counts.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
