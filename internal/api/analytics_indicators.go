package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/model"
)

type indicatorsInput struct {
	PeriodQuery
	Level string `query:"level" enum:"centre,team,agent,month" default:"centre"`
}

type indicatorsOutput struct {
	Body analytics.WorkIndicators
}

func (s *server) registerAnalyticsIndicators() {
	register(s, huma.Operation{
		OperationID: "analytics-indicators", Method: http.MethodGet, Path: "/api/v1/analytics/indicators",
		Summary: "Service-quality indicators computed from the work itself", Tags: []string{"analytics"},
		Description: "Over the requests resolved (repairs completed) in the period, overall and by centre (of the request's " +
			"repair order; requests without one in the row with key \"\"), team, agent or month: first-contact resolution, " +
			"reopen rate, rework rate, first response and resolution time (median business hours with P90, as the SLA " +
			"clocks stored them), SLA compliance (first-response and resolution clocks ended by their due time), requests, " +
			"quote acceptance, complaint rate. `indicators` lists those computed; an indicator whose data has not landed in " +
			"the product (QA first pass) is in `absent` and in no row: absent, not zero. A unit with nothing to compute an " +
			"indicator on has no value for it.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *indicatorsInput) (*indicatorsOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		out, err := s.d.Analytics.Indicators(ctx, principalFrom(ctx), pr, analytics.GroupBy(in.Level))
		if err != nil {
			return nil, at("query", err)
		}
		return &indicatorsOutput{Body: out}, nil
	})
}
