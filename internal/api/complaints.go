package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/survey"
)

// Compensation is compensation (赔偿) given on a complaint.
type Compensation struct {
	ID            int64                    `json:"id"`
	RequestNumber string                   `json:"request_number"`
	Kind          model.CompensationKind   `json:"kind" enum:"refund,voucher,free_repair,gift,other"`
	Amount        int64                    `json:"amount" doc:"In minor units (fen, cents) of currency."`
	Currency      string                   `json:"currency" example:"CNY"`
	Note          string                   `json:"note"`
	Status        model.CompensationStatus `json:"status" enum:"pending,approved,rejected" doc:"pending: above the approval threshold, waiting for a manager or admin."`
	RequestedBy   string                   `json:"requested_by"`
	DecidedBy     string                   `json:"decided_by" doc:"Who approved or rejected it."`
	DecidedAt     *time.Time               `json:"decided_at,omitempty"`
	CreatedAt     time.Time                `json:"created_at"`
}

func toCompensation(c *model.Compensation) Compensation {
	return Compensation{ID: c.ID, RequestNumber: c.RequestNumber, Kind: c.Kind, Amount: c.Amount, Currency: c.Currency,
		Note: c.Note, Status: c.Status, RequestedBy: c.RequestedBy, DecidedBy: c.DecidedBy, DecidedAt: c.DecidedAt,
		CreatedAt: c.CreatedAt}
}

// Complaint is what a complaint request carries.
type Complaint struct {
	RequestNumber     string         `json:"request_number"`
	Severity          int            `json:"severity" doc:"1 most serious … 3."`
	DeadlineAt        time.Time      `json:"deadline_at" doc:"Creation plus the hours of --complaint-hours for the severity; escalated when it passes unresolved."`
	EscalationLevel   int            `json:"escalation_level" doc:"0 none; 1 the team's manager; 2 an admin."`
	EscalatedAt       *time.Time     `json:"escalated_at,omitempty"`
	EscalatedTo       string         `json:"escalated_to,omitempty"`
	Compensations     []Compensation `json:"compensations"`
	ApprovalThreshold int64          `json:"approval_threshold" doc:"Compensation above it needs a manager or admin (minor units)."`
}

type complaintOutput struct {
	Body Complaint
}

type severityInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
	Body   struct {
		Severity int `json:"severity" minimum:"1" maximum:"3"`
	}
}

type compensationInput struct {
	Number string `path:"number" example:"SR-2026-000123"`
	Body   struct {
		Kind     model.CompensationKind `json:"kind" enum:"refund,voucher,free_repair,gift,other"`
		Amount   int64                  `json:"amount" minimum:"0" doc:"Minor units (fen, cents)."`
		Currency string                 `json:"currency,omitempty" doc:"Default --currency."`
		Note     string                 `json:"note,omitempty" maxLength:"2000"`
	}
}

type compensationOutput struct {
	Body Compensation
}

type compensationListOutput struct {
	Body struct {
		Items []Compensation `json:"items"`
	}
}

type decisionInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Decision string `json:"decision" enum:"approve,reject"`
	}
}

func (s *server) complaintOut(ctx context.Context, number string) (*complaintOutput, error) {
	v, err := s.d.Feedback.Complaint(ctx, principalFrom(ctx), number)
	if err != nil {
		return nil, err
	}
	c := v.Complaint
	out := Complaint{RequestNumber: v.Request.Number, Severity: c.Severity, DeadlineAt: c.DeadlineAt,
		EscalationLevel: c.EscalationLevel, EscalatedAt: c.EscalatedAt, EscalatedTo: c.EscalatedTo,
		Compensations: []Compensation{}, ApprovalThreshold: s.d.Feedback.ApprovalThreshold()}
	for i := range v.Compensations {
		out.Compensations = append(out.Compensations, toCompensation(&v.Compensations[i]))
	}
	return &complaintOutput{Body: out}, nil
}

func (s *server) registerComplaints() {
	register(s, huma.Operation{
		OperationID: "get-complaint", Method: http.MethodGet, Path: "/api/v1/requests/{number}/complaint",
		Summary: "A complaint's severity, deadline, escalation and compensation", Tags: []string{"complaints"},
		Description: "Another request type is 409.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermSurveyRead), func(ctx context.Context, in *numberInput) (*complaintOutput, error) {
		return s.complaintOut(ctx, in.Number)
	})

	register(s, huma.Operation{
		OperationID: "set-complaint-severity", Method: http.MethodPut, Path: "/api/v1/requests/{number}/complaint",
		Summary: "Set a complaint's severity", Tags: []string{"complaints"},
		Description: "The deadline follows from the creation time and the severity; the escalation is scheduled at it.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermComplaintHandle), func(ctx context.Context, in *severityInput) (*complaintOutput, error) {
		if _, err := s.d.Feedback.SetSeverity(ctx, principalFrom(ctx), in.Number, in.Body.Severity); err != nil {
			return nil, err
		}
		return s.complaintOut(ctx, in.Number)
	})

	register(s, huma.Operation{
		OperationID: "add-compensation", Method: http.MethodPost, Path: "/api/v1/requests/{number}/compensations",
		Summary: "Record compensation on a complaint", Tags: []string{"complaints"}, DefaultStatus: http.StatusCreated,
		Description: "Approved at once up to --compensation-approval-threshold, or when a manager or admin records it; " +
			"an agent's compensation above it stays pending until approved. Recorded in the audit log.",
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, can(model.PermComplaintHandle), func(ctx context.Context, in *compensationInput) (*compensationOutput, error) {
		b := in.Body
		c, err := s.d.Feedback.AddCompensation(ctx, principalFrom(ctx), in.Number, survey.CompensationInput{Kind: b.Kind,
			Amount: b.Amount, Currency: b.Currency, Note: b.Note})
		if err != nil {
			return nil, err
		}
		return &compensationOutput{Body: toCompensation(c)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-pending-compensations", Method: http.MethodGet, Path: "/api/v1/compensations",
		Summary: "Compensation waiting for approval", Tags: []string{"complaints"},
	}, can(model.PermCompensationApprove), func(ctx context.Context, _ *struct{}) (*compensationListOutput, error) {
		list, err := s.d.Feedback.PendingCompensations(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &compensationListOutput{}
		out.Body.Items = []Compensation{}
		for i := range list {
			out.Body.Items = append(out.Body.Items, toCompensation(&list[i]))
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "decide-compensation", Method: http.MethodPost, Path: "/api/v1/compensations/{id}/decision",
		Summary: "Approve or reject pending compensation", Tags: []string{"complaints"},
		Description: "One decided already is 409. Recorded in the audit log.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	}, can(model.PermCompensationApprove), func(ctx context.Context, in *decisionInput) (*compensationOutput, error) {
		c, err := s.d.Feedback.DecideCompensation(ctx, principalFrom(ctx), in.ID, in.Body.Decision == "approve")
		if err != nil {
			return nil, err
		}
		return &compensationOutput{Body: toCompensation(c)}, nil
	})
}
