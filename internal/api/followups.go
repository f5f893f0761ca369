package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// Followup is a follow-up call (回访) with its attempts.
type Followup struct {
	ID            int64                `json:"id"`
	RequestNumber string               `json:"request_number"`
	Subject       string               `json:"subject"`
	CustomerName  string               `json:"customer_name"`
	CustomerPhone string               `json:"customer_phone"`
	Reason        model.FollowupReason `json:"reason" enum:"sample,complaint" doc:"sample: in --followup-share of resolved requests; complaint: every complaint."`
	Status        model.FollowupStatus `json:"status" enum:"open,done"`
	Outcome       model.Reachability   `json:"outcome,omitempty" doc:"How the call that finished it went."`
	DueAt         time.Time            `json:"due_at"`
	Attempts      []CallAttempt        `json:"attempts"`
	DoneAt        *time.Time           `json:"done_at,omitempty"`
	DoneBy        string               `json:"done_by,omitempty"`
	ResponseID    *int64               `json:"response_id,omitempty" doc:"The answers taken on the call (a survey response with channel phone)."`
}

// CallAttempt is one call of a follow-up.
type CallAttempt struct {
	At           time.Time          `json:"at"`
	By           string             `json:"by"`
	Reachability model.Reachability `json:"reachability" enum:"reached,no_answer,wrong_number,refused"`
	Note         string             `json:"note"`
}

func toFollowup(f *model.Followup, atts []model.FollowupAttempt) Followup {
	out := Followup{ID: f.ID, RequestNumber: f.RequestNumber, Subject: f.Subject, CustomerName: f.CustomerName,
		CustomerPhone: f.CustomerPhone, Reason: f.Reason, Status: f.Status, Outcome: f.Outcome, DueAt: f.DueAt,
		Attempts: []CallAttempt{}, DoneAt: f.DoneAt, DoneBy: f.DoneBy, ResponseID: f.ResponseID}
	for _, a := range atts {
		out.Attempts = append(out.Attempts, CallAttempt{At: a.At, By: a.ByName, Reachability: a.Reachability, Note: a.Note})
	}
	return out
}

type followupListInput struct {
	Status string `query:"status" enum:"open,done" default:"open"`
	All    bool   `query:"all" doc:"With status open: also calls not due yet."`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page."`
}

// FollowupPage is one page of the follow-up queue, oldest due first.
type FollowupPage struct {
	Items      []Followup `json:"items" doc:"Without their attempts; read one call for them."`
	NextCursor string     `json:"next_cursor"`
}

type followupPageOutput struct {
	Body FollowupPage
}

type followupIDInput struct {
	ID int64 `path:"id"`
}

type followupOutput struct {
	Body Followup
}

type callInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Reachability model.Reachability `json:"reachability" enum:"reached,no_answer,wrong_number,refused"`
		Note         string             `json:"note,omitempty" maxLength:"2000"`
		Answers      *SurveyAnswer      `json:"answers,omitempty" doc:"The customer's answers, when reached; stored as a survey response with channel phone."`
	}
}

func (s *server) registerFollowups() {
	register(s, huma.Operation{
		OperationID: "list-followups", Method: http.MethodGet, Path: "/api/v1/followups",
		Summary: "The follow-up call queue", Tags: []string{"follow-ups"},
		Description: "Open calls due now (all=true: also later ones), or done calls; oldest due first, keyset-paginated.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, can(model.PermFollowupCall), func(ctx context.Context, in *followupListInput) (*followupPageOutput, error) {
		page, err := s.d.Feedback.Followups(ctx, principalFrom(ctx), model.FollowupFilter{Status: model.FollowupStatus(in.Status),
			Limit: in.Limit, Cursor: in.Cursor}, in.All)
		if err != nil {
			return nil, at("query", err)
		}
		out := &followupPageOutput{Body: FollowupPage{Items: []Followup{}, NextCursor: page.NextCursor}}
		for i := range page.Items {
			out.Body.Items = append(out.Body.Items, toFollowup(&page.Items[i], nil))
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-followup", Method: http.MethodGet, Path: "/api/v1/followups/{id}",
		Summary: "A follow-up call with its attempts", Tags: []string{"follow-ups"},
		Errors: []int{http.StatusNotFound},
	}, can(model.PermFollowupCall), func(ctx context.Context, in *followupIDInput) (*followupOutput, error) {
		f, atts, _, err := s.d.Feedback.Followup(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &followupOutput{Body: toFollowup(f, atts)}, nil
	})

	register(s, huma.Operation{
		OperationID: "record-call", Method: http.MethodPost, Path: "/api/v1/followups/{id}/calls",
		Summary: "Record a follow-up call", Tags: []string{"follow-ups"}, DefaultStatus: http.StatusCreated,
		Description: "reached, refused and wrong_number finish the follow-up; no_answer finishes it at the third attempt. " +
			"Answers (only when reached) count as a survey response from the phone channel. A done follow-up is 409.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermFollowupCall), func(ctx context.Context, in *callInput) (*followupOutput, error) {
		ci := survey.CallInput{Reachability: in.Body.Reachability, Note: in.Body.Note}
		if in.Body.Answers != nil {
			a := in.Body.Answers.answers()
			ci.Answers = &a
		}
		f, err := s.d.Feedback.RecordCall(ctx, principalFrom(ctx), in.ID, ci)
		if err != nil {
			return nil, answersAt(err)
		}
		_, atts, _, err := s.d.Feedback.Followup(ctx, principalFrom(ctx), f.ID)
		if err != nil {
			return nil, err
		}
		return &followupOutput{Body: toFollowup(f, atts)}, nil
	})
}

// answersAt locates an error about the answers of a call at
// body.answers.<field> (the domain names csat, dimensions.price …).
func answersAt(err error) error {
	var me *model.Error
	if errors.As(err, &me) && me.Field != "" && me.Field != "reachability" && me.Field != "note" {
		return me.WithField(me.Code, "answers."+me.Field)
	}
	return err
}
