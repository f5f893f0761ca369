// Package request runs service requests (工单): creation, the status
// workflow, assignment, messages and attachments, with the authorization
// rules of each action. Handlers call it with the authenticated principal.
package request

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aftercare/aftercare/internal/blob"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
)

// Limits on text fields.
const (
	MaxSubject     = 200
	MaxDescription = 20000
	MaxBody        = 20000
)

// Service is the request domain logic.
type Service struct {
	store        *store.Store
	reopenPeriod time.Duration
	attachDir    string
	blobs        blob.Store
	limits       Limits
	now          func() time.Time
}

// Options configures a Service.
type Options struct {
	// ReopenPeriod is how long after closing a request may be reopened.
	ReopenPeriod time.Duration
	// AttachmentDir is where uploads are staged while they are received
	// and checked (per node, temporary), and where files are kept when
	// Blobs is nil.
	AttachmentDir string
	// Blobs keeps the files (attachments, proofs of purchase); nil keeps
	// them under AttachmentDir. On PostgreSQL the app passes the
	// database's blob store, so that every node serves every file.
	Blobs blob.Store
	// Limits bound uploads; the zero value means DefaultLimits().
	Limits Limits
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// NewService returns a request service.
func NewService(st *store.Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits()
	}
	if opts.Blobs == nil {
		opts.Blobs = blob.NewDir(opts.AttachmentDir)
	}
	return &Service{store: st, reopenPeriod: opts.ReopenPeriod, attachDir: opts.AttachmentDir, blobs: opts.Blobs,
		limits: opts.Limits, now: opts.Now}
}

func forbidden() error { return model.Errorf(model.EFORBIDDEN, "your role may not do this") }

// customerSets refuses a field a customer may not choose: it is set by
// the interface the customer uses or by staff.
func customerSets(field string) error {
	return model.FieldError(field, "customers cannot set %s", field)
}

// notFound is what a customer gets for another customer's request: the
// same answer as for a number that does not exist.
func notFound() error { return model.Errorf(model.ENOTFOUND, "request not found") }

// ActorOf turns a principal into a timeline actor on channel ch.
func ActorOf(p model.Principal, ch model.Channel) store.Actor {
	id := p.ID
	kind := model.AuthorStaff
	if p.IsCustomer() {
		kind = model.AuthorCustomer
	}
	return store.Actor{Kind: kind, ID: &id, Name: p.Name, Channel: ch}
}

// CreateInput is a new request as submitted.
type CreateInput struct {
	Type        model.RequestType
	Subject     string
	Description string
	// CustomerID is required from staff; a customer creates for itself
	// (0 or its own id).
	CustomerID int64
	Serial     string
	// Channel and Priority are chosen by staff (default web and normal).
	// A customer may set neither: its request gets the channel it came
	// through (Via) and the normal priority.
	Channel    model.Channel
	Priority   model.Priority
	CategoryID *int64
	// Via is the interface the request came through (web for the portal,
	// api for the JSON API).
	Via model.Channel
	// AssignToMe makes the staff member who logs the request its assignee
	// (a call logged at the desk stays with the agent who took it).
	AssignToMe bool
	// Files are files sent with the request (see Stage): they come on a
	// first public message of the creator, in the same transaction as the
	// request. They are consumed: stored with it, or removed.
	Files []*Staged
}

// Create validates and stores a new request.
func (s *Service) Create(ctx context.Context, p model.Principal, in CreateInput) (*model.Request, error) {
	defer discardAll(in.Files)
	if !p.Can(model.PermRequestOpen) || (len(in.Files) > 0 && !p.Can(model.PermAttachmentUpload)) {
		return nil, forbidden()
	}
	if p.IsCustomer() {
		switch {
		case in.CustomerID != 0 && in.CustomerID != p.ID:
			return nil, model.FieldError("customer_id", "customers create requests for themselves only; omit customer_id")
		case in.Priority != "":
			return nil, customerSets("priority")
		case in.Channel != "":
			return nil, customerSets("channel")
		}
		in.CustomerID, in.Channel = p.ID, in.Via
	}
	in.Subject = strings.TrimSpace(in.Subject)
	switch {
	case !in.Type.Valid():
		return nil, model.FieldError("type", "must be one of repair, return, exchange, refund, support, installation, maintenance, complaint, inquiry")
	case in.Subject == "":
		return nil, model.FieldError("subject", "is required")
	case utf8.RuneCountInString(in.Subject) > MaxSubject:
		return nil, model.FieldError("subject", "must be at most %d characters", MaxSubject)
	case utf8.RuneCountInString(in.Description) > MaxDescription:
		return nil, model.FieldError("description", "must be at most %d characters", MaxDescription)
	case in.CustomerID <= 0:
		return nil, model.FieldError("customer_id", "is required")
	}
	if in.Channel == "" {
		in.Channel = model.ChannelWeb
	}
	if !in.Channel.Valid() {
		return nil, model.FieldError("channel", "must be one of web, email, phone, api, device")
	}
	if in.Priority == "" {
		in.Priority = model.PriorityNormal
	}
	if !in.Priority.Valid() {
		return nil, model.FieldError("priority", "must be one of low, normal, high, urgent")
	}
	nr := store.NewRequest{
		Type: in.Type, Priority: in.Priority, Channel: in.Channel, Subject: in.Subject,
		Description: in.Description, CustomerID: in.CustomerID, Serial: in.Serial, CategoryID: in.CategoryID,
	}
	if in.AssignToMe && p.IsStaff() && p.Can(model.PermRequestAssign) {
		me := p.ID
		nr.AssigneeID = &me
	}
	if len(in.Files) == 0 {
		return s.store.CreateRequest(ctx, nr, ActorOf(p, in.Channel))
	}
	// The files are stored first, so that a committed row always has its
	// file; when the transaction fails they are removed again.
	files, err := s.placeIn(ctx, "new", 0, in.Files)
	if err != nil {
		return nil, err
	}
	r, err := s.store.CreateRequestWithFiles(ctx, nr, files, ActorOf(p, in.Channel), s.uploadLimits())
	if err != nil {
		s.unplace(ctx, files)
		return nil, err
	}
	return r, nil
}

// View is a request with what the principal may see of its conversation
// and timeline.
type View struct {
	Request  *model.Request
	Messages []model.Message
	Events   []model.Event
}

// get returns the request if p may see it; another customer's request is
// ENOTFOUND, exactly as a number that does not exist.
func (s *Service) get(ctx context.Context, p model.Principal, number string) (*model.Request, error) {
	r, err := s.store.RequestByNumber(ctx, strings.ToUpper(strings.TrimSpace(number)))
	if err != nil {
		return nil, err
	}
	if !p.Can(model.PermRequestRead) || (p.IsCustomer() && r.CustomerID != p.ID) {
		return nil, notFound()
	}
	if p.IsCustomer() {
		r.Tags = nil // staff's labels
	}
	return r, nil
}

// Find returns the request if p may see it (ENOTFOUND otherwise), without
// its conversation.
func (s *Service) Find(ctx context.Context, p model.Principal, number string) (*model.Request, error) {
	return s.get(ctx, p, number)
}

// Get returns a request with its messages and timeline. Customers never
// see internal notes.
func (s *Service) Get(ctx context.Context, p model.Principal, number string) (*View, error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	msgs, err := s.store.Messages(ctx, r.ID, p.IsStaff())
	if err != nil {
		return nil, err
	}
	evs, err := s.store.Events(ctx, r.ID, p.IsStaff())
	if err != nil {
		return nil, err
	}
	return &View{Request: r, Messages: msgs, Events: evs}, nil
}

// List returns one page of requests; customers see only their own.
func (s *Service) List(ctx context.Context, p model.Principal, f model.RequestFilter) (model.RequestPage, error) {
	switch {
	case !p.Can(model.PermRequestRead):
		return model.RequestPage{}, forbidden()
	case p.IsCustomer():
		f.CustomerID, f.SearchPublic = p.ID, true
	}
	for _, st := range f.Statuses {
		if !st.Valid() {
			return model.RequestPage{}, model.FieldError("status", "The status filter names an unknown status, “%s”.", st)
		}
	}
	if f.Type != "" && !f.Type.Valid() {
		return model.RequestPage{}, model.FieldError("type", "The type filter names an unknown request type, “%s”.", f.Type)
	}
	if f.Priority != "" && !f.Priority.Valid() {
		return model.RequestPage{}, model.FieldError("priority", "The priority filter names an unknown priority, “%s”.", f.Priority)
	}
	if f.Tag != "" && p.IsCustomer() {
		return model.RequestPage{}, model.FieldError("tag", "tags are for staff; customers cannot filter by them")
	}
	if f.Tag != "" {
		t, err := model.NormalizeTag("tag", f.Tag)
		if err != nil {
			return model.RequestPage{}, err
		}
		f.Tag = t
	}
	if f.Limit < 0 {
		return model.RequestPage{}, model.FieldError("limit", "must be between 1 and %d", store.MaxPageSize)
	}
	page, err := s.store.ListRequests(ctx, f)
	if p.IsCustomer() {
		for i := range page.Items {
			page.Items[i].Tags = nil // staff's labels
		}
	}
	return page, err
}

// ReplyInput is a public reply or internal note.
type ReplyInput struct {
	Body       string
	Visibility model.Visibility // default public
	// Channel is where staff took the message (default web); customers
	// may not set it: their messages get Via.
	Channel model.Channel
	Via     model.Channel
	// Link are earlier uploads of the author to attach.
	Link []int64
	// Files are files received with the message (see Stage); they are
	// stored only if the message is.
	Files []*Staged
	// MacroID, when set, is a macro whose field changes are made with the
	// message, in its transaction; an empty Body takes the macro's text in
	// the customer's language.
	MacroID int64
}

// checkReply validates a reply of p on r before anything is stored.
func (s *Service) checkReply(p model.Principal, r *model.Request, in *ReplyInput) error {
	if in.Visibility == "" {
		in.Visibility = model.VisibilityPublic
	}
	if !in.Visibility.Valid() {
		return model.FieldError("visibility", "must be public or internal")
	}
	perm := model.PermRequestReply
	if in.Visibility == model.VisibilityInternal {
		perm = model.PermRequestNote
	}
	if !p.Can(perm) {
		return forbidden()
	}
	if strings.TrimSpace(in.Body) == "" {
		return model.FieldError("body", "is required")
	}
	if r.MergedIntoID != nil {
		return model.Conflict("status", "this request was merged into %s; continue there", r.MergedInto)
	}
	if utf8.RuneCountInString(in.Body) > MaxBody {
		return model.FieldError("body", "must be at most %d characters", MaxBody)
	}
	if p.IsCustomer() {
		if in.Channel != "" {
			return customerSets("channel")
		}
		in.Channel = in.Via
		if r.Status == model.StatusCancelled {
			return model.Conflict("status", "this request is cancelled")
		}
	}
	if in.Channel == "" {
		in.Channel = model.ChannelWeb
	}
	if !in.Channel.Valid() {
		return model.FieldError("channel", "must be one of web, email, phone, api, device")
	}
	return nil
}

// CheckReply validates a reply before its files are received, so that a
// reply that will fail stores nothing; Reply checks again.
func (s *Service) CheckReply(ctx context.Context, p model.Principal, number string, in ReplyInput) error {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return err
	}
	return s.checkReply(p, r, &in)
}

// Reply appends a public message or internal note with its files, in one
// transaction. Customers may write only public messages on their own
// requests and link only their own uploads; a cancelled request takes no
// more messages from customers and no files from anyone. The staged files
// are consumed: stored with the message, or removed when it fails.
func (s *Service) Reply(ctx context.Context, p model.Principal, number string, in ReplyInput) (*model.Message, error) {
	defer discardAll(in.Files)
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	var set *store.BulkSet
	if in.MacroID != 0 {
		if set, err = s.replyMacro(ctx, p, r, &in); err != nil {
			return nil, err
		}
	}
	if err := s.checkReply(p, r, &in); err != nil {
		return nil, err
	}
	m := &model.Message{AuthorKind: model.AuthorStaff, AuthorID: &p.ID, AuthorName: p.Name, Visibility: in.Visibility,
		Channel: in.Channel, Body: in.Body}
	if p.IsCustomer() {
		m.AuthorKind = model.AuthorCustomer
	}
	files, err := s.place(ctx, r, in.Files)
	if err != nil {
		return nil, err
	}
	switch {
	case set != nil:
		err = s.store.AddMessageWith(ctx, r.Number, m, in.Link, files, ActorOf(p, in.Channel), s.uploadLimits(), *set, s.reopenCheck)
	case p.IsCustomer() && in.Visibility == model.VisibilityPublic:
		// A customer's reply to a resolved or closed request reopens it
		// (within the reopen period), so that it reaches someone.
		_, err = s.store.AddReplyReopening(ctx, r.Number, m, in.Link, files, ActorOf(p, in.Channel), s.uploadLimits(), s.reopenCheck)
	default:
		err = s.store.AddMessage(ctx, r.Number, m, in.Link, files, ActorOf(p, in.Channel), s.uploadLimits())
	}
	if err != nil {
		s.unplace(ctx, files)
		return nil, err
	}
	return m, nil
}

// ReopenAllowed reports whether request r could be reopened now: not a
// closed request past the reopen period. The portal offers a new request
// instead of a reply or a Reopen button that would fail.
func (s *Service) ReopenAllowed(r *model.Request) bool {
	if r.Status != model.StatusResolved && r.Status != model.StatusClosed {
		return true
	}
	return s.reopenCheck(r, model.StatusOpen) == nil
}

// ChangeStatus moves a request through the workflow. Staff may make any
// transition the workflow allows; customers may only cancel their request
// or reopen it. A closed request reopens only within the reopen period.
func (s *Service) ChangeStatus(ctx context.Context, p model.Principal, number string, to model.Status, ch model.Channel) (*model.Request, error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	if !to.Valid() {
		return nil, model.FieldError("status", "must be one of new, open, pending, on_hold, resolved, closed, cancelled")
	}
	if r.MergedIntoID != nil {
		return nil, model.Conflict("status", "this request was merged into %s; continue there", r.MergedInto)
	}
	if r.Status == to && p.Can(model.PermRequestStatus) && MayMove(p, r.Status, to) {
		return r, nil // already there: nothing to change, nothing to refuse
	}
	if !MayMove(p, r.Status, to) {
		return nil, forbidden()
	}
	if ch == "" {
		ch = model.ChannelWeb
	}
	return s.store.ChangeStatus(ctx, r.Number, to, ActorOf(p, ch), s.reopenCheck)
}

// MayMove reports whether p may move a request from one status to
// another (the workflow itself is the store's check): customers only
// cancel or reopen their own; technicians do everything else but cancel —
// cancelling drops the customer's request without the work being done,
// the desk's decision or the customer's. The request page offers only the
// moves this allows.
func MayMove(p model.Principal, from, to model.Status) bool {
	switch {
	case !p.Can(model.PermRequestStatus):
		return false
	case p.IsCustomer():
		return to == model.StatusCancelled || model.IsReopen(from, to)
	case p.Role == model.RoleTechnician:
		return to != model.StatusCancelled
	}
	return true
}

// reopenCheck refuses to reopen a request closed longer than the reopen
// period ago (a store.StatusCheck).
func (s *Service) reopenCheck(cur *model.Request, to model.Status) error {
	if cur.Status != model.StatusClosed || to != model.StatusOpen || cur.ClosedAt == nil {
		return nil
	}
	if s.reopenPeriod <= 0 {
		return model.Conflict("status", "closed requests cannot be reopened; open a new request instead")
	}
	if s.now().Sub(*cur.ClosedAt) > s.reopenPeriod {
		return model.Conflict("status", "closed more than %d days ago; open a new request instead", int(s.reopenPeriod.Hours()/24))
	}
	return nil
}

// Update changes priority, category, team or assignee under optimistic
// locking. Staff only: the assignee needs model.PermRequestAssign;
// priority, team and category need model.PermRequestClassify (a field sent
// with its current value is no change and needs nothing).
func (s *Service) Update(ctx context.Context, p model.Principal, number string, patch model.RequestPatch, ch model.Channel) (*model.Request, error) {
	r, err := s.get(ctx, p, number)
	if err != nil {
		return nil, err
	}
	if !p.IsStaff() {
		return nil, forbidden()
	}
	if patch.Priority != nil && !patch.Priority.Valid() {
		return nil, model.FieldError("priority", "must be one of low, normal, high, urgent")
	}
	classifies := (patch.Priority != nil && *patch.Priority != r.Priority) ||
		changesRef(patch.TeamID, r.TeamID) || changesRef(patch.CategoryID, r.CategoryID)
	if (classifies && !p.Can(model.PermRequestClassify)) || (changesRef(patch.AssigneeID, r.AssigneeID) && !p.Can(model.PermRequestAssign)) {
		return nil, forbidden()
	}
	if patch.Version <= 0 {
		return nil, model.FieldError("version", "is required (send the version you read, or If-Match)")
	}
	if patch = withoutNoOps(r, patch); isEmpty(patch) {
		return r, nil // every value sent is already set: nothing to write, nothing stale
	}
	if ch == "" {
		ch = model.ChannelWeb
	}
	return s.store.PatchRequest(ctx, r.Number, patch, ActorOf(p, ch))
}

// changesRef reports whether a patch value (0 clears) differs from the
// current reference.
func changesRef(v, cur *int64) bool {
	if v == nil {
		return false
	}
	if cur == nil {
		return *v != 0
	}
	return *v != *cur
}
