package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/model"
)

type faultSpikesInput struct {
	PeriodQuery
	Interval string `query:"interval" enum:"week,month" doc:"Default: week for periods up to half a year, else month."`
}

type faultSpikesOutput struct {
	Body analytics.FaultSpikes
}

func (s *server) registerAnalyticsFaults() {
	register(s, huma.Operation{
		OperationID: "analytics-fault-codes", Method: http.MethodGet, Path: "/api/v1/analytics/fault-codes",
		Summary: "Fault-code rate spikes per product model", Tags: []string{"analytics"},
		Description: "Repair orders opened in the period (with a unit, so a product model), counted per model, fault code and " +
			"week (from Monday) or month in the store's time zone. Each count is compared with the model's own baseline for " +
			"that interval: `expected` = `others` (the other models' repair orders opened in the interval) × the code's rate on " +
			"the model per repair order of the other models over the period's other intervals (leave one out, with Jeffreys' " +
			"half count); it is a spike when count ≥ `min_count` (3) and P(X ≥ count) < `spike_p` (0.00135, " +
			"the one-sided 3σ tail) for X ~ Poisson(expected) — `ucl` is the smallest such count and `p_value` the tail. " +
			"Series with a spike come first.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *faultSpikesInput) (*faultSpikesOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		out, err := s.d.Analytics.FaultSpikes(ctx, principalFrom(ctx), pr, in.Interval, langOf(ctx))
		if err != nil {
			return nil, at("query", err)
		}
		return &faultSpikesOutput{Body: out}, nil
	})
}
