package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// requestPage is the staff view of one request.
type requestPage struct {
	Base
	// Assist is the knowledge base's help for the agent (kb_assist.go).
	Assist      *assistPanel
	Req         *model.Request
	Customer    *model.Customer
	Category    string
	Entitlement *model.Entitlement
	Timeline    []TimelineItem
	// NextStatuses are the workflow's targets from the current status.
	NextStatuses []model.Status
	// The update form: options with the selection, and the version read.
	Priorities []Option
	Assignees  []Option
	Teams      []Option
	Categories []Option
	Version    int64
	// Was is what the update form showed (the request's values, whatever
	// is selected) and LoadedAt the time of the last change it saw: the
	// form sends only what this person changed, and a conflict lists the
	// changes made since (ChangedMeanwhile).
	Was              selection
	LoadedAt         string
	ChangedMeanwhile []TimelineItem
	// Reply is what the agent typed, kept when the page is re-rendered
	// after an error.
	Reply        replyForm
	ReplyErrors  FieldErrors
	UpdateErrors FieldErrors
	StatusError  string
	// ConfirmCancel asks "cancel this request?" before cancelling it.
	ConfirmCancel bool
	// InviteURL is a freshly made portal invite link, shown once;
	// InviteError says why none was made.
	InviteURL   string
	InviteError string
	// What the viewer's role allows (model.Grants): the classification
	// fields and the invite button are shown only to those who may use
	// them.
	CanClassify bool
	CanInvite   bool
	// HasPassword says the customer already has a portal password (then
	// no invite can be made: the customer resets it).
	HasPassword bool
	// EmailBounce is set when mail to the customer's address bounced.
	EmailBounce *model.EmailBounce
	// Feedback is the survey, follow-up call and complaint panel.
	Feedback *feedbackPanel
	// Repair is the request's repair order; without one, staff who may
	// open it get the form (mode, centre).
	Repair        *model.Repair
	Return        *model.Return // the request's return or exchange, if any
	CanOpenRepair bool
	RepairCentres []Option
	RepairError   string
	// SLA is the SLA card (nil: the request has no clocks).
	SLA *slaCard
	// Mail is the e-mail sent about the request, newest first, each with
	// where it stands; CanReadMailLog links each to the outbound log.
	Mail           []model.OutboundMail
	CanReadMailLog bool
	// Tags is the tag editor (nil: the viewer may not change tags).
	Tags *tagsPanel
	// Tasks are the request's follow-up tasks (nil: none).
	Tasks *tasksPanel
	// Tier is the customer's tier, with its select for those who may set
	// it (nil: no SLA service).
	Tier *customerTierPanel
	// CanMerge shows the merge form (staff who change statuses, on a
	// request still open); MergeInto and MergeError bring it back after
	// a refusal.
	CanMerge   bool
	MergeInto  string
	MergeError string
	// CustomerPanel is the customer's contact data, units, other
	// requests, open repairs and ratings (nil: the viewer may not read
	// customer records).
	CustomerPanel *customerPanel
	// Macros are the viewer's macros with their text filled in for this
	// request in the customer's language (the reply box's picker).
	Macros []macroOption
}

// macroOption is one macro of the reply box's picker.
type macroOption struct {
	ID         int64
	Name, Text string
}

// replyForm is the reply or note being written.
type replyForm struct {
	Body     string
	Internal bool
	// MacroID is the macro chosen in the picker (0: none): its field
	// changes are made with the reply.
	MacroID int64
}

// selection is what the update form shows as selected.
type selection struct {
	Priority                 string
	Assignee, Team, Category string
}

// requestShow renders the staff request page.
func (s *server) requestShow(w http.ResponseWriter, r *http.Request) {
	page, err := s.loadRequestPage(r, nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Reply = s.takeDraft(r, page.Req.Number)
	s.render(w, r, http.StatusOK, "request", page)
}

// loadRequestPage loads everything the staff request page shows. sel,
// when not nil, overrides the update form's selection (after a conflict,
// the agent's choices are kept).
func (s *server) loadRequestPage(r *http.Request, sel *selection) (*requestPage, error) {
	ctx := r.Context()
	p := principalOf(r)
	view, err := s.d.Requests.Get(ctx, *p, r.PathValue("number"))
	if err != nil {
		return nil, err
	}
	users, err := s.d.Store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	teams, err := s.d.Store.ListTeams(ctx)
	if err != nil {
		return nil, err
	}
	cats, err := s.d.Store.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	req := view.Request
	cust, err := s.d.Store.CustomerByID(ctx, req.CustomerID)
	if err != nil {
		return nil, err
	}
	page := &requestPage{Base: s.base(r, "queue"), Req: req, Customer: cust, NextStatuses: nextStatuses(*p, req.Status), Version: req.Version,
		CanClassify: p.Can(model.PermRequestClassify), CanInvite: p.Can(model.PermCustomerInvite), HasPassword: cust.PasswordHash != ""}
	if req.MergedIntoID != nil {
		page.NextStatuses = nil // a merged request stays closed
	}
	page.CanMerge = p.Can(model.PermRequestStatus) && req.MergedIntoID == nil &&
		req.Status != model.StatusClosed && req.Status != model.StatusCancelled
	if page.SLA, err = s.loadSLACard(r, req.ID); err != nil {
		return nil, err
	}
	if p.Can(model.PermRequestReply) {
		ms, texts, err := s.d.Requests.RenderMacros(ctx, *p, req, "")
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			page.Macros = append(page.Macros, macroOption{ID: m.ID, Name: m.Name, Text: texts[m.ID]})
		}
	}
	if b, bouncing, err := s.d.Store.CustomerEmailBounce(ctx, cust.ID); err != nil {
		return nil, err
	} else if bouncing {
		page.EmailBounce = &b
	}
	if req.Serial != "" {
		ent, err := s.d.Catalog.Entitlement(ctx, *p, req.Serial)
		switch {
		case err == nil:
			page.Entitlement = ent
		case !model.IsNotFound(err):
			return nil, err
		}
	}
	cur := selection{Priority: string(req.Priority), Assignee: idOf(req.AssigneeID), Team: idOf(req.TeamID), Category: idOf(req.CategoryID)}
	page.Was, page.LoadedAt = cur, req.UpdatedAt.UTC().Format(time.RFC3339Nano)
	if sel != nil {
		cur = *sel
	}
	names := namer{users: map[string]string{}, teams: map[string]string{}, categories: map[string]string{}}
	for _, pr := range model.Priorities {
		page.Priorities = append(page.Priorities, Option{Value: string(pr), Label: s.tr(r, "priority."+string(pr)), Selected: cur.Priority == string(pr)})
	}
	page.Assignees = []Option{{Value: "", Label: s.tr(r, "request.nobody")}}
	for _, u := range users {
		id := strconv.FormatInt(u.ID, 10)
		names.users[id] = u.Name
		if u.Active || id == cur.Assignee {
			page.Assignees = append(page.Assignees, Option{Value: id, Label: u.Name, Selected: id == cur.Assignee})
		}
	}
	page.Teams = []Option{{Value: "", Label: s.tr(r, "request.no_team")}}
	for _, t := range teams {
		id := strconv.FormatInt(t.ID, 10)
		names.teams[id] = t.Name
		page.Teams = append(page.Teams, Option{Value: id, Label: t.Name, Selected: id == cur.Team})
	}
	page.Categories = []Option{{Value: "", Label: s.tr(r, "request.no_category")}}
	for _, c := range cats {
		id := strconv.FormatInt(c.ID, 10)
		name := c.NameZh
		if langOf(r) == i18n.En && c.NameEn != "" {
			name = c.NameEn
		}
		names.categories[id] = name
		page.Categories = append(page.Categories, Option{Value: id, Label: name, Selected: id == cur.Category})
	}
	page.Category = names.categories[idOf(req.CategoryID)]
	if p.Can(model.PermKBRead) {
		if page.Assist, err = s.loadAssist(r, req, names.categories); err != nil {
			return nil, err
		}
	}
	page.Timeline = s.timeline(r, view.Messages, view.Events, names, false)
	markMentions(page.Timeline, users)
	if page.Mail, err = s.d.Mail.ForRequest(ctx, *p, req); err != nil {
		return nil, err
	}
	page.CanReadMailLog = p.Can(model.PermMailRead)
	if page.Feedback, err = s.loadFeedbackPanel(r, req); err != nil {
		return nil, err
	}
	if err := s.loadRepairPanel(r, page); err != nil {
		return nil, err
	}
	if page.CanClassify {
		if page.Tags, err = s.loadTagsPanel(r, req); err != nil {
			return nil, err
		}
	}
	if page.Tasks, err = s.loadTasksPanel(r, req.Number); err != nil {
		return nil, err
	}
	if page.Tier, err = s.loadCustomerTierPanel(r, req.CustomerID, nil); err != nil {
		return nil, err
	}
	if page.CustomerPanel, err = s.loadCustomerPanel(r, req); err != nil {
		return nil, err
	}
	return page, nil
}

// rerenderRequest shows the request page again after a failed action,
// with what the agent typed; a request that vanished is a 404.
func (s *server) rerenderRequest(w http.ResponseWriter, r *http.Request, status int, sel *selection, edit func(*requestPage)) {
	page, err := s.loadRequestPage(r, sel)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	edit(page)
	s.render(w, r, status, "request", page)
}

// requestURL is the staff page of a request.
func requestURL(number string) string { return "/requests/" + number }

// nextStatuses are the workflow's moves from a status that p may make:
// the request page shows no button that would be refused.
func nextStatuses(p model.Principal, from model.Status) []model.Status {
	var out []model.Status
	for _, to := range model.NextStatuses(from) {
		if request.MayMove(p, from, to) {
			out = append(out, to)
		}
	}
	return out
}
