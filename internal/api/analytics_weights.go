package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/model"
)

type weightsPut struct {
	Body struct {
		Matrix string `json:"matrix" minLength:"1" maxLength:"2000" doc:"AHP pairwise comparison matrix of the index's six indicators in order (technical, efficiency, convenience, process, price, csat): Saaty's 1–9 scale, rows separated by ';', cells by ',', fractions allowed."`
	}
}

type weightsOutput struct {
	Body analytics.ExpertWeights
}

func (s *server) registerAnalyticsWeights() {
	tags := []string{"analytics"}
	register(s, huma.Operation{
		OperationID: "get-index-weights", Method: http.MethodGet, Path: "/api/v1/analytics/expert-weights",
		Summary: "The composite index's stored expert weights", Tags: tags,
		Description: "The AHP matrix an admin entered, its principal-eigenvector weights, λmax, CI and consistency ratio, " +
			"who entered it and when; `stored` false (and no matrix) when none is stored: the index uses entropy weights.",
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, _ *struct{}) (*weightsOutput, error) {
		ew, err := s.d.Analytics.StoredWeights(ctx, principalFrom(ctx))
		if err != nil {
			return nil, err
		}
		if ew == nil {
			ew = &analytics.ExpertWeights{}
		}
		return &weightsOutput{Body: *ew}, nil
	})
	register(s, huma.Operation{
		OperationID: "put-index-weights", Method: http.MethodPut, Path: "/api/v1/analytics/expert-weights",
		Summary: "Store the composite index's expert weights", Tags: tags, Errors: []int{http.StatusUnprocessableEntity},
		Description: "Admins. The index of every manager then uses these weights unless `ahp=` or `entropy=true` is given. " +
			"A matrix that is not 6×6, not reciprocal or inconsistent (CR ≥ 0.10, the CR is in the message) is 422 at " +
			"body.matrix. Recorded in the audit log.",
	}, can(model.PermIndexWeights), func(ctx context.Context, in *weightsPut) (*weightsOutput, error) {
		ew, err := s.d.Analytics.SaveWeights(ctx, principalFrom(ctx), in.Body.Matrix)
		if err != nil {
			return nil, at("body", err)
		}
		return &weightsOutput{Body: ew}, nil
	})
	register(s, huma.Operation{
		OperationID: "delete-index-weights", Method: http.MethodDelete, Path: "/api/v1/analytics/expert-weights",
		Summary: "Go back to entropy weights", Tags: tags, DefaultStatus: http.StatusNoContent,
		Description: "Admins. Removes the stored expert weights, if any. Recorded in the audit log.",
	}, can(model.PermIndexWeights), func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		return nil, s.d.Analytics.ClearWeights(ctx, principalFrom(ctx))
	})
}
