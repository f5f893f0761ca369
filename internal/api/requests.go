package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/request"
)

// Request is a service request as the API shows it.
type Request struct {
	ID           int64             `json:"id"`
	Number       string            `json:"number" example:"SR-2026-000123"`
	Status       model.Status      `json:"status" enum:"new,open,pending,on_hold,resolved,closed,cancelled"`
	Type         model.RequestType `json:"type" enum:"repair,return,exchange,refund,support,installation,maintenance,complaint,inquiry"`
	Priority     model.Priority    `json:"priority" enum:"low,normal,high,urgent"`
	Channel      model.Channel     `json:"channel" enum:"web,email,phone,api,device"`
	Subject      string            `json:"subject"`
	Description  string            `json:"description"`
	CustomerID   int64             `json:"customer_id"`
	CustomerName string            `json:"customer_name"`
	Serial       string            `json:"serial" doc:"Empty when the request is about no particular unit."`
	CategoryID   *int64            `json:"category_id" nullable:"true"`
	AssigneeID   *int64            `json:"assignee_id" nullable:"true"`
	AssigneeName string            `json:"assignee_name"`
	TeamID       *int64            `json:"team_id" nullable:"true"`
	TeamName     string            `json:"team_name"`
	Version      int64             `json:"version" doc:"Send it back (or If-Match) when changing the request."`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
	ResolvedAt   *time.Time        `json:"resolved_at" nullable:"true"`
	ClosedAt     *time.Time        `json:"closed_at" nullable:"true"`
	NextStatuses []model.Status    `json:"next_statuses" doc:"Statuses the workflow allows next."`
	Tags         []string          `json:"tags" doc:"Sorted; change them with POST /api/v1/requests/{number}/tags."`
	MergedInto   string            `json:"merged_into,omitempty" doc:"The request this one was merged into (it is closed; the conversation continues there). Filled when one request is read."`
}

func toRequest(r *model.Request) Request {
	next := model.NextStatuses(r.Status)
	if r.MergedIntoID != nil {
		next = nil // a merged request stays closed
	}
	if next == nil {
		next = []model.Status{}
	}
	tags := r.Tags
	if tags == nil {
		tags = []string{}
	}
	return Request{ID: r.ID, Number: r.Number, Status: r.Status, Type: r.Type, Priority: r.Priority,
		Channel: r.Channel, Subject: r.Subject, Description: r.Description, CustomerID: r.CustomerID,
		CustomerName: r.CustomerName, Serial: r.Serial, CategoryID: r.CategoryID, AssigneeID: r.AssigneeID,
		AssigneeName: r.AssigneeName, TeamID: r.TeamID, TeamName: r.TeamName, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, ResolvedAt: r.ResolvedAt, ClosedAt: r.ClosedAt,
		NextStatuses: next, Tags: tags, MergedInto: r.MergedInto}
}

// RequestDetail is a request with the conversation and timeline its
// reader may see.
type RequestDetail struct {
	Request
	Messages []Message `json:"messages"`
	Timeline []Event   `json:"timeline"`
	// SLA is the request's live SLA state (staff only).
	SLA *RequestSLA `json:"sla,omitempty" doc:"Staff only: the policy, whether the clocks stand paused, each clock's due, met and breached, and the stored time metrics."`
}

// Event is one entry of a request's timeline.
type Event struct {
	ID        int64            `json:"id"`
	Kind      string           `json:"kind" doc:"created, status, reopened, priority, type, assignee, team, category, tier, message, note, attachment, sla_warning, sla_breached (old_value: the clock; new_value: its due time), rule (old_value: the rule's name; new_value: the action, then its details, tab-separated)"`
	ActorKind model.AuthorKind `json:"actor_kind" enum:"staff,customer,system"`
	ActorName string           `json:"actor_name"`
	Channel   model.Channel    `json:"channel"`
	OldValue  string           `json:"old_value"`
	NewValue  string           `json:"new_value"`
	CreatedAt time.Time        `json:"created_at"`
}

type numberInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
}

type requestOutput struct {
	ETag string `header:"ETag" doc:"The quoted version, for If-Match."`
	Body Request
}

func requestOut(r *model.Request) *requestOutput {
	return &requestOutput{ETag: etag(r.Version), Body: toRequest(r)}
}

func etag(version int64) string { return strconv.Quote(strconv.FormatInt(version, 10)) }

type requestDetailOutput struct {
	ETag string `header:"ETag" doc:"The quoted version, for If-Match."`
	Body RequestDetail
}

type createRequestInput struct {
	Body struct {
		Type        model.RequestType `json:"type" enum:"repair,return,exchange,refund,support,installation,maintenance,complaint,inquiry"`
		Subject     string            `json:"subject" maxLength:"200"`
		Description string            `json:"description,omitempty" maxLength:"20000"`
		CustomerID  int64             `json:"customer_id,omitempty" doc:"Required from staff; a customer token omits it."`
		Serial      string            `json:"serial,omitempty" doc:"A unit of the customer."`
		Channel     model.Channel     `json:"channel,omitempty" enum:"web,email,phone,api,device" doc:"Staff only; default web. A customer's request gets api."`
		Priority    model.Priority    `json:"priority,omitempty" enum:"low,normal,high,urgent" doc:"Staff only; default normal."`
		CategoryID  *int64            `json:"category_id,omitempty"`
	}
}

type listRequestsInput struct {
	Status     []string `query:"status,explode" doc:"Repeat or comma-separate; none means every status." example:"new,open"`
	Type       string   `query:"type" enum:"repair,return,exchange,refund,support,installation,maintenance,complaint,inquiry"`
	Priority   string   `query:"priority" enum:"low,normal,high,urgent"`
	CustomerID int64    `query:"customer_id" doc:"Ignored for customers, who see only their own."`
	AssigneeID int64    `query:"assignee_id"`
	TeamID     int64    `query:"team_id"`
	Tag        string   `query:"tag" doc:"Only requests carrying this tag."`
	View       int64    `query:"view" doc:"A view of GET /api/v1/views (staff): its filters, with any other filter given here laid over them."`
	Q          string   `query:"q" doc:"A whole request number, or words searched in numbers, subjects, descriptions, messages (customers: not internal notes), customers' names, e-mails and phones, and serials; Chinese as character bigrams. Results come ranked (sort is then ignored): on PostgreSQL newer blocks of 1,000 request ids first, best match first within a block; on SQLite best match first."`
	Sort       string   `query:"sort" enum:"created,updated,priority,due" doc:"Default created (newest first). due: the nearest open SLA due time first (overdue ones first of all); requests without a running clock last."`
	DueBefore  string   `query:"due_before" doc:"RFC 3339: only requests with an open SLA clock due before this instant (overdue included)."`
	Limit      int      `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor     string   `query:"cursor" doc:"next_cursor (or prev_cursor) of the page you were on."`
}

// RequestPage is one page of requests.
type RequestPage struct {
	Items      []Request `json:"items"`
	NextCursor string    `json:"next_cursor" doc:"Opaque; empty on the last page."`
	PrevCursor string    `json:"prev_cursor,omitempty" doc:"Opaque: pass it as cursor for the page before this one; absent on the first page."`
}

type requestPageOutput struct {
	Body RequestPage
}

type statusInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
	Body   struct {
		Status  model.Status  `json:"status" enum:"new,open,pending,on_hold,resolved,closed,cancelled"`
		Channel model.Channel `json:"channel,omitempty" enum:"web,email,phone,api,device"`
	}
}

type patchInput struct {
	Number  string `path:"number" example:"SR-2026-000123"`
	IfMatch string `header:"If-Match" doc:"The ETag you read (\"3\"), instead of body.version."`
	Body    struct {
		Priority   *model.Priority `json:"priority,omitempty" enum:"low,normal,high,urgent"`
		CategoryID *int64          `json:"category_id,omitempty" minimum:"0" doc:"0 clears."`
		AssigneeID *int64          `json:"assignee_id,omitempty" minimum:"0" doc:"0 clears."`
		TeamID     *int64          `json:"team_id,omitempty" minimum:"0" doc:"0 clears."`
		Version    *int64          `json:"version,omitempty" minimum:"1" doc:"The version you read; wins over If-Match."`
		Channel    model.Channel   `json:"channel,omitempty" enum:"web,email,phone,api,device"`
	}
}

func (s *server) registerRequests() {
	register(s, huma.Operation{
		OperationID: "create-request", Method: http.MethodPost, Path: createRequestPath,
		Summary: "Open a service request", Tags: []string{"requests"}, DefaultStatus: http.StatusCreated,
		Description: "An unknown serial (or one of another customer) is 422 at body.serial. " +
			"Customers may set neither priority nor channel (422 naming the field): their requests get the normal " +
			"priority and the channel api.\n\n" +
			"Files come along as multipart/form-data: the part \"request\" holds the JSON body, each part \"files\" " +
			"one file (the creator's first message carries them). Each file is checked as an upload is: the type is " +
			"detected from the content (other than " + joinTypes() + " is 415 at body.files[i]), at most 20 MiB " +
			"(413), 60 MiB in all (413 at body), no more files than a request may hold (413). Every file is checked " +
			"before anything is written, and the request and its files are stored together or not at all. " +
			"Sending files needs the right to upload.",
		Errors:      []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity},
		Middlewares: huma.Middlewares{s.withNewRequestFiles},
	}, can(model.PermRequestOpen), func(ctx context.Context, in *createRequestInput) (*createdRequestOutput, error) {
		b, p := in.Body, principalFrom(ctx)
		r, err := s.d.Requests.Create(ctx, p, request.CreateInput{Type: b.Type, Subject: b.Subject,
			Description: b.Description, CustomerID: b.CustomerID, Serial: b.Serial, Channel: b.Channel,
			Priority: b.Priority, CategoryID: b.CategoryID, Via: model.ChannelAPI, Files: stagedFiles(ctx)})
		if err != nil {
			return nil, err
		}
		if full, err := s.d.Store.RequestByNumber(ctx, r.Number); err == nil {
			r = full // with display names
		}
		out := &createdRequestOutput{ETag: etag(r.Version), Body: CreatedRequest{Request: toRequest(r), Attachments: []Attachment{}}}
		if len(stagedFiles(ctx)) == 0 {
			return out, nil
		}
		v, err := s.d.Requests.Get(ctx, p, r.Number)
		if err != nil {
			return nil, err
		}
		for _, m := range v.Messages {
			for i := range m.Attachments {
				out.Body.Attachments = append(out.Body.Attachments, toAttachment(&m.Attachments[i]))
			}
		}
		return out, nil
	})
	documentNewRequestFiles(s.api.OpenAPI())

	register(s, huma.Operation{
		OperationID: "get-request", Method: http.MethodGet, Path: "/api/v1/requests/{number}",
		Summary: "Get a request with its messages and timeline", Tags: []string{"requests"},
		Description: "Customers see only their own requests (another's is 404) and never internal notes.",
		Errors:      []int{http.StatusNotFound},
	}, can(model.PermRequestRead), func(ctx context.Context, in *numberInput) (*requestDetailOutput, error) {
		p := principalFrom(ctx)
		v, err := s.d.Requests.Get(ctx, p, in.Number)
		if err != nil {
			return nil, err
		}
		d := RequestDetail{Request: toRequest(v.Request), Messages: make([]Message, len(v.Messages)), Timeline: []Event{}}
		for i := range v.Messages {
			d.Messages[i] = toMessage(&v.Messages[i])
		}
		for _, e := range v.Events {
			d.Timeline = append(d.Timeline, Event{ID: e.ID, Kind: e.Kind, ActorKind: e.ActorKind, ActorName: e.ActorName,
				Channel: e.Channel, OldValue: e.OldValue, NewValue: e.NewValue, CreatedAt: e.CreatedAt})
		}
		if !p.IsCustomer() && s.d.SLA != nil {
			view, err := s.d.SLA.RequestView(ctx, v.Request.ID)
			if err != nil {
				return nil, err
			}
			if view != nil {
				d.SLA = toRequestSLA(view)
			}
		}
		return &requestDetailOutput{ETag: etag(v.Request.Version), Body: d}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-requests", Method: http.MethodGet, Path: "/api/v1/requests",
		Summary: "List requests (keyset pagination)", Tags: []string{"requests"},
		Description: "Pass next_cursor as cursor for the next page, prev_cursor for the one before. Customers see only their own requests.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, can(model.PermRequestRead), func(ctx context.Context, in *listRequestsInput) (*requestPageOutput, error) {
		f := model.RequestFilter{Type: model.RequestType(in.Type), Priority: model.Priority(in.Priority),
			CustomerID: in.CustomerID, AssigneeID: in.AssigneeID, TeamID: in.TeamID, Query: in.Q, Tag: in.Tag,
			Sort: in.Sort, Limit: in.Limit, Cursor: in.Cursor}
		if in.DueBefore != "" {
			t, err := time.Parse(time.RFC3339, in.DueBefore)
			if err != nil {
				return nil, at("query", model.FieldError("due_before", "must be an RFC 3339 instant"))
			}
			f.DueBefore = &t
		}
		for _, v := range in.Status {
			for _, st := range strings.Split(v, ",") {
				if st = strings.TrimSpace(st); st != "" {
					f.Statuses = append(f.Statuses, model.Status(st))
				}
			}
		}
		if in.View != 0 {
			var err error
			if f, err = s.applyView(ctx, in.View, f); err != nil {
				return nil, at("query", err)
			}
		}
		page, err := s.d.Requests.List(ctx, principalFrom(ctx), f)
		if err != nil {
			return nil, at("query", err)
		}
		out := &requestPageOutput{Body: RequestPage{Items: make([]Request, len(page.Items)), NextCursor: page.NextCursor, PrevCursor: page.PrevCursor}}
		for i := range page.Items {
			out.Body.Items[i] = toRequest(&page.Items[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "change-request-status", Method: http.MethodPost, Path: "/api/v1/requests/{number}/status",
		Summary: "Move a request through the workflow", Tags: []string{"requests"},
		Description: "A transition the workflow forbids is 409 and changes nothing. " +
			"Customers may only cancel or reopen their own requests.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermRequestStatus), func(ctx context.Context, in *statusInput) (*requestOutput, error) {
		r, err := s.d.Requests.ChangeStatus(ctx, principalFrom(ctx), in.Number, in.Body.Status, in.Body.Channel)
		if err != nil {
			return nil, err
		}
		return requestOut(r), nil
	})

	register(s, huma.Operation{
		OperationID: "update-request", Method: http.MethodPatch, Path: "/api/v1/requests/{number}",
		Summary: "Change priority, category, assignee or team", Tags: []string{"requests"},
		Description: "Optimistic locking: send the version you read (body.version or If-Match: \"<version>\"); " +
			"a stale version is 409. 0 clears a reference.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, staffOnRequest(s), func(ctx context.Context, in *patchInput) (*requestOutput, error) {
		b := in.Body
		patch := model.RequestPatch{Priority: b.Priority, CategoryID: b.CategoryID, AssigneeID: b.AssigneeID, TeamID: b.TeamID}
		switch {
		case b.Version != nil:
			patch.Version = *b.Version
		case in.IfMatch != "":
			v, err := parseETag(in.IfMatch)
			if err != nil {
				return nil, at("header", err)
			}
			patch.Version = v
		}
		r, err := s.d.Requests.Update(ctx, principalFrom(ctx), in.Number, patch, b.Channel)
		if err != nil {
			return nil, err
		}
		return requestOut(r), nil
	})
}

// staffOnRequest lets in staff who may assign or classify requests
// (which fields each may change is the request service's check); a
// customer gets 404 for a request it may not see and 403 for its own,
// before the body is read.
func staffOnRequest(s *server) access {
	return access{who: whoHolds(model.PermRequestAssign) + "; priority, team and category: " + whoHolds(model.PermRequestClassify),
		check: func(ctx context.Context, hctx huma.Context, p model.Principal) error {
			if p.IsStaff() {
				if p.Can(model.PermRequestAssign) || p.Can(model.PermRequestClassify) {
					return nil
				}
				return forbidden()
			}
			if _, err := s.d.Requests.Get(ctx, p, hctx.Param("number")); err != nil {
				return err
			}
			return forbidden()
		}}
}

// parseETag reads a version from If-Match: "3", W/"3" or 3.
func parseETag(h string) (int64, error) {
	h = strings.TrimPrefix(strings.TrimSpace(h), "W/")
	v, err := strconv.ParseInt(strings.Trim(h, `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, model.FieldError("If-Match", "The If-Match header must hold a version such as \"3\".")
	}
	return v, nil
}
