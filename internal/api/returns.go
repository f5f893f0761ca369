package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/repair"
)

// ReturnPolicy is a category's return and exchange policy.
type ReturnPolicy struct {
	Category      string `json:"category"`
	ReturnDays    int    `json:"return_days" doc:"Calendar days from the day after delivery (else purchase)."`
	ExchangeDays  int    `json:"exchange_days"`
	OutsideWindow string `json:"outside_window" enum:"reject,review"`
	Default       bool   `json:"default,omitempty" doc:"No policy recorded: the default (7-day return, 15-day exchange, reject)."`
}

func toPolicy(p model.ReturnPolicy) ReturnPolicy {
	return ReturnPolicy{Category: p.Category, ReturnDays: p.ReturnDays, ExchangeDays: p.ExchangeDays,
		OutsideWindow: p.OutsideWindow, Default: p.Default}
}

// Return is a return or exchange of a request's unit.
type Return struct {
	ID                int64      `json:"id"`
	RequestNumber     string     `json:"request_number"`
	Serial            string     `json:"serial"`
	Kind              string     `json:"kind" enum:"return,exchange"`
	CustomerReason    string     `json:"customer_reason,omitempty" doc:"What the customer gave as the reason."`
	Decision          string     `json:"decision" enum:"approved,rejected,review"`
	Reason            string     `json:"reason" doc:"Why, in the reader's language."`
	WindowEndsOn      string     `json:"window_ends_on" format:"date" doc:"The window's last day (store's time zone)."`
	Status            string     `json:"status" enum:"approved,rejected,review,received,inspected,refunded,replaced"`
	NextStatuses      []string   `json:"next_statuses"`
	RefundAmount      int64      `json:"refund_amount" doc:"Minor units."`
	Currency          string     `json:"currency"`
	ReplacementSerial string     `json:"replacement_serial,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	ClosedAt          *time.Time `json:"closed_at,omitempty"`
}

func toReturn(ctx context.Context, rt *model.Return) Return {
	out := Return{ID: rt.ID, RequestNumber: rt.RequestNumber, Serial: rt.Serial, Kind: string(rt.Kind), CustomerReason: rt.Reason,
		Decision: rt.Decision, Reason: returnReason(ctx, rt), WindowEndsOn: rt.WindowEndsOn.Format(time.DateOnly),
		Status: rt.Status, NextStatuses: []string{}, RefundAmount: rt.RefundAmount, Currency: rt.Currency,
		ReplacementSerial: rt.ReplacementSerial, CreatedAt: rt.CreatedAt, ClosedAt: rt.ClosedAt}
	for _, st := range model.NextReturnStatuses(rt.Status) {
		if (st == model.ReturnRefunded && rt.Kind != model.ReturnRefund) || (st == model.ReturnReplaced && rt.Kind != model.ReturnExchange) {
			continue
		}
		out.NextStatuses = append(out.NextStatuses, st)
	}
	return out
}

// returnReason says the decision in the reader's language.
func returnReason(ctx context.Context, rt *model.Return) string {
	env := envFrom(ctx)
	end := rt.WindowEndsOn.Format(time.DateOnly)
	switch {
	case rt.Decision == model.ReturnApproved && rt.DecisionReason == "inside the window":
		return env.t("inside the window, which ends on %s: approved", end)
	case rt.Decision == model.ReturnRejected && rt.DecisionReason == "outside the window":
		return env.t("outside the window, which ended on %s", end)
	case rt.Decision == model.ReturnReview:
		return env.t("outside the window, which ended on %s: an agent will review it", end)
	}
	return rt.DecisionReason
}

type putPolicyInput struct {
	Category string `path:"category"`
	Body     struct {
		ReturnDays    int    `json:"return_days" minimum:"0" maximum:"365"`
		ExchangeDays  int    `json:"exchange_days" minimum:"0" maximum:"365"`
		OutsideWindow string `json:"outside_window" enum:"reject,review"`
	}
}

type policyOutput struct {
	Body ReturnPolicy
}

type policiesOutput struct {
	Body struct {
		Items []ReturnPolicy `json:"items"`
	}
}

type askReturnInput struct {
	Number string `path:"number"`
	Body   struct {
		Kind   string `json:"kind" enum:"return,exchange"`
		Reason string `json:"reason,omitempty" maxLength:"1000"`
	}
}

type returnOutput struct {
	Body Return
}

type listReturnsInput struct {
	Status string `query:"status" enum:"approved,rejected,review,received,inspected,refunded,replaced," doc:"Only returns in this status; empty lists all."`
}

type returnListOutput struct {
	Body struct {
		Items []Return `json:"items"`
	}
}

type returnIDInput struct {
	ID int64 `path:"id"`
}

type decideReturnInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Approved bool   `json:"approved"`
		Reason   string `json:"reason,omitempty" maxLength:"1000"`
	}
}

type stepReturnInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Status            string `json:"status" enum:"received,inspected,refunded,replaced"`
		RefundAmount      int64  `json:"refund_amount,omitempty" minimum:"0" doc:"refunded: minor units."`
		ReplacementSerial string `json:"replacement_serial,omitempty" maxLength:"64" doc:"replaced: the new unit's serial."`
	}
}

func (s *server) registerReturns() {
	conflicts := []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity}
	register(s, huma.Operation{
		OperationID: "put-return-policy", Method: http.MethodPut, Path: "/api/v1/return-policies/{category}",
		Summary: "Set a product category's return and exchange policy", Tags: []string{"returns"},
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermReturnPolicy), func(ctx context.Context, in *putPolicyInput) (*policyOutput, error) {
		p, err := s.d.Repairs.PutReturnPolicy(ctx, principalFrom(ctx), in.Category, repair.PolicyInput{ReturnDays: in.Body.ReturnDays,
			ExchangeDays: in.Body.ExchangeDays, OutsideWindow: in.Body.OutsideWindow})
		if err != nil {
			return nil, err
		}
		return &policyOutput{Body: toPolicy(*p)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-return-policies", Method: http.MethodGet, Path: "/api/v1/return-policies",
		Summary: "The recorded return policies (other categories get the default)", Tags: []string{"returns"},
	}, can(model.PermReturnHandle), func(ctx context.Context, _ *struct{}) (*policiesOutput, error) {
		list, err := s.d.Repairs.ReturnPolicies(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		out := &policiesOutput{}
		out.Body.Items = make([]ReturnPolicy, len(list))
		for i := range list {
			out.Body.Items[i] = toPolicy(list[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "ask-return", Method: http.MethodPost, Path: "/api/v1/requests/{number}/return",
		Summary: "Ask for a return or exchange of a request's unit", Tags: []string{"returns"}, DefaultStatus: http.StatusCreated,
		Description: "Decided at once by the category's policy: the window counts calendar days in the store's time zone from the " +
			"day after the unit's delivered_at (else its purchase date); inside it the return is approved, outside it rejected " +
			"with the reason, or left for review when the policy says so. One return per request (409 for a second).",
		Errors: conflicts,
	}, can(model.PermReturnOpen), func(ctx context.Context, in *askReturnInput) (*returnOutput, error) {
		rt, err := s.d.Repairs.AskReturn(ctx, principalFrom(ctx), in.Number, repair.ReturnInput{Kind: model.ReturnKind(in.Body.Kind),
			Reason: in.Body.Reason})
		if err != nil {
			return nil, err
		}
		return &returnOutput{Body: toReturn(ctx, rt)}, nil
	})

	register(s, huma.Operation{
		OperationID: "list-returns", Method: http.MethodGet, Path: "/api/v1/returns",
		Summary: "Returns and exchanges, most recently changed first (at most 300)", Tags: []string{"returns"},
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermReturnHandle), func(ctx context.Context, in *listReturnsInput) (*returnListOutput, error) {
		list, err := s.d.Repairs.ListReturns(ctx, principalFrom(ctx), in.Status)
		if err != nil {
			return nil, err
		}
		out := &returnListOutput{}
		out.Body.Items = make([]Return, len(list))
		for i := range list {
			out.Body.Items[i] = toReturn(ctx, &list[i])
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "get-return", Method: http.MethodGet, Path: "/api/v1/returns/{id}",
		Summary: "A return or exchange", Tags: []string{"returns"}, Errors: []int{http.StatusNotFound},
	}, anyone(), func(ctx context.Context, in *returnIDInput) (*returnOutput, error) {
		rt, err := s.d.Repairs.GetReturn(ctx, principalFrom(ctx), in.ID)
		if err != nil {
			return nil, err
		}
		return &returnOutput{Body: toReturn(ctx, rt)}, nil
	})

	register(s, huma.Operation{
		OperationID: "decide-return", Method: http.MethodPost, Path: "/api/v1/returns/{id}/decision",
		Summary: "Approve or reject a return under review", Tags: []string{"returns"}, Errors: conflicts,
	}, can(model.PermReturnHandle), func(ctx context.Context, in *decideReturnInput) (*returnOutput, error) {
		rt, err := s.d.Repairs.DecideReturn(ctx, principalFrom(ctx), in.ID, in.Body.Approved, in.Body.Reason)
		if err != nil {
			return nil, err
		}
		return &returnOutput{Body: toReturn(ctx, rt)}, nil
	})

	register(s, huma.Operation{
		OperationID: "step-return", Method: http.MethodPost, Path: "/api/v1/returns/{id}/status",
		Summary: "Record receipt, inspection, refund or replacement", Tags: []string{"returns"},
		Description: "approved → received → inspected → refunded (a return, with refund_amount) or replaced (an exchange, with " +
			"replacement_serial); any other step is 409.",
		Errors: conflicts,
	}, can(model.PermReturnHandle), func(ctx context.Context, in *stepReturnInput) (*returnOutput, error) {
		rt, err := s.d.Repairs.StepReturn(ctx, principalFrom(ctx), in.ID, repair.ReturnStepInput{Status: in.Body.Status,
			RefundAmount: in.Body.RefundAmount, ReplacementSerial: in.Body.ReplacementSerial})
		if err != nil {
			return nil, err
		}
		return &returnOutput{Body: toReturn(ctx, rt)}, nil
	})
}
