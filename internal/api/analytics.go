package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/analytics"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

type satisfactionInput struct {
	PeriodQuery
	GroupBy string `query:"group_by" enum:"product,category,centre,team,agent,channel,month" doc:"Group the responses (default: overall only). centre is the service centre of the request's repair order; responses to requests without one form the group with key \"\"."`
}

type satisfactionOutput struct {
	Body analytics.Satisfaction
}

type driversOutput struct {
	Body analytics.Drivers
}

type indexInput struct {
	PeriodQuery
	Level   string `query:"level" enum:"centre,team,month" default:"centre"`
	AHP     string `query:"ahp" doc:"Expert weights instead of entropy weights: an AHP pairwise comparison matrix of the six indicators in order (Saaty's 1–9 scale; rows separated by ';', cells by ',', fractions allowed), e.g. 1,1,3,1,1,1;… An inconsistent matrix (CR ≥ 0.10) is 422 at query.ahp with its CR. Without it the weights an admin stored (PUT /api/v1/analytics/expert-weights) are used, if any."`
	Entropy bool   `query:"entropy" doc:"Entropy weights even when an admin stored expert weights."`
}

type trendInput struct {
	PeriodQuery
	Interval string `query:"interval" enum:"week,month" doc:"Default: week for periods up to half a year, else month."`
	GroupBy  string `query:"group_by" enum:"product,category,centre,team,agent,channel,month" doc:"With key: only that group's responses (e.g. one centre)."`
	Key      string `query:"key" doc:"The key of the group (as in the satisfaction groups)."`
}

type trendOutput struct {
	Body analytics.Trend
}

type indexOutput struct {
	Body analytics.Index
}

// lang is the language of the caller (labels such as category names).
func langOf(ctx context.Context) string {
	if e := envFrom(ctx); e != nil {
		return e.lang
	}
	return i18n.En
}

func (s *server) registerAnalytics() {
	s.registerAnalyticsComments()
	s.registerAnalyticsIndicators()
	s.registerAnalyticsFaults()
	s.registerAnalyticsWeights()
	register(s, huma.Operation{
		OperationID: "analytics-satisfaction", Method: http.MethodGet, Path: "/api/v1/analytics/satisfaction",
		Summary: "CSAT, NPS, CES and the dimension ratings of a period, overall and by group", Tags: []string{"analytics"},
		Description: "Responses answered from `from` to `to` (both inclusive, store time zone; default the last 90 days). " +
			"CSAT is the share of 4–5 with a Wilson 95 % interval, NPS in points, the CES value is the mean (z interval) " +
			"with `agree` the share of 5–7; computed as `aftercare analyze csat|nps|ces` computes them on the responses " +
			"export. `unreliable` marks an interval wider than ±10 points or n below 30; `value` is null when n is 0.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *satisfactionInput) (*satisfactionOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		g, err := analytics.ParseGroupBy(in.GroupBy)
		if err != nil {
			return nil, at("query", err)
		}
		out, err := s.d.Analytics.Satisfaction(ctx, principalFrom(ctx), pr, g, langOf(ctx))
		if err != nil {
			return nil, at("query", err)
		}
		return &satisfactionOutput{Body: out}, nil
	})

	register(s, huma.Operation{
		OperationID: "analytics-drivers", Method: http.MethodGet, Path: "/api/v1/analytics/drivers",
		Summary: "Which dimension drives overall satisfaction in a period", Tags: []string{"analytics"},
		Description: "The JSON of `aftercare analyze drivers --target csat --predictors technical,efficiency,convenience,process,price` " +
			"on the period's responses export: complete cases, Pearson r, standardised β, Johnson's relative weights and " +
			"their shares, Shapley/LMG and the IPA quadrant of each dimension (`concentrate` is quadrant I, \"concentrate here\"). " +
			"Too few complete answers is 422 naming `from`.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *PeriodQuery) (*driversOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		out, err := s.d.Analytics.Drivers(ctx, principalFrom(ctx), pr)
		if err != nil {
			return nil, at("query", err)
		}
		return &driversOutput{Body: out}, nil
	})

	register(s, huma.Operation{
		OperationID: "analytics-index", Method: http.MethodGet, Path: "/api/v1/analytics/index",
		Summary: "Composite service-quality index ranking centres, teams or months", Tags: []string{"analytics"},
		Description: "Indicators: the mean rating of each of the five dimensions and the CSAT share, per unit with at least " +
			"30 responses (others are listed in `excluded`). Entropy weights of the min–max normalised values (as " +
			"`aftercare analyze entropy --normalize minmax` computes them on the index table), score = 100 Σ w·x′ (0–100), rank 1 best.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *indexInput) (*indexOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		expert, err := s.d.Analytics.ChooseWeights(ctx, principalFrom(ctx), "ahp", in.AHP, in.Entropy)
		if err != nil {
			return nil, at("query", err)
		}
		out, err := s.d.Analytics.IndexWith(ctx, principalFrom(ctx), pr, analytics.GroupBy(in.Level), expert, langOf(ctx))
		if err != nil {
			return nil, at("query", err)
		}
		return &indexOutput{Body: out}, nil
	})

	register(s, huma.Operation{
		OperationID: "analytics-trend", Method: http.MethodGet, Path: "/api/v1/analytics/trend",
		Summary: "p-chart of the CSAT share by week or month", Tags: []string{"analytics"},
		Description: "Points oldest first: n, satisfied (4–5), p, and the 3σ limits p̄ ± 3·sqrt(p̄(1−p̄)/n) of each point's n " +
			"around the centre line `cl` (p̄ of the period); `alert` is `above` or `below` when p leaves its limits.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *trendInput) (*trendOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		g, err := analytics.ParseGroupBy(in.GroupBy)
		if err != nil {
			return nil, at("query", err)
		}
		out, err := s.d.Analytics.Trend(ctx, principalFrom(ctx), pr, in.Interval, g, in.Key, langOf(ctx))
		if err != nil {
			return nil, at("query", err)
		}
		return &trendOutput{Body: out}, nil
	})
}
