package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/model"
)

type commentsInput struct {
	PeriodQuery
	Aspect    string `query:"aspect" doc:"An aspect the comments mention: price, attitude, speed, quality, convenience, process, delivery, packaging, loyalty."`
	Dimension string `query:"dimension" enum:"technical,efficiency,network,process,price,loyalty" doc:"Comments with an aspect mapped onto this dimension."`
	Polarity  string `query:"polarity" enum:"positive,negative" doc:"Of the aspect or dimension when one is given, else of the whole comment."`
	Limit     int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
}

type commentsOutput struct {
	Body analytics.Comments
}

// parsePolarity maps positive/negative to 1/−1 ("" is any).
func parsePolarity(s string) int {
	switch s {
	case "positive":
		return 1
	case "negative":
		return -1
	}
	return 0
}

func (s *server) registerAnalyticsComments() {
	register(s, huma.Operation{
		OperationID: "analytics-comments", Method: http.MethodGet, Path: "/api/v1/analytics/comments",
		Summary: "Comments of a period by sentiment, aspect and dimension", Tags: []string{"analytics"},
		Description: "Every comment is scored by the sentiment model, its aspects mapped onto the service-quality dimensions: " +
			"counts of positive and negative comments, of each aspect's mentions by polarity, the evidence per dimension " +
			"beside how many rated it, and the newest comments the filter selects (`matching` counts them all).",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *commentsInput) (*commentsOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		out, err := s.d.Analytics.Comments(ctx, principalFrom(ctx), pr, analytics.CommentFilter{Aspect: in.Aspect,
			Dimension: model.Dimension(in.Dimension), Polarity: parsePolarity(in.Polarity), Limit: in.Limit})
		if err != nil {
			return nil, at("query", err)
		}
		return &commentsOutput{Body: out}, nil
	})
}
