package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
)

// PeriodQuery is the period of an analytics or export call (embedded in
// their inputs; exported so that huma reads its fields).
type PeriodQuery struct {
	From string `query:"from" doc:"First day, YYYY-MM-DD in the store's time zone (default: 89 days before to)." example:"2026-01-01"`
	To   string `query:"to" doc:"Last day, inclusive (default: today)." example:"2026-03-31"`
}

func (p PeriodQuery) period(s *server) (model.Period, error) {
	pr, err := model.ParsePeriod(p.From, p.To, s.d.Store.Location(), s.d.Store.Now())
	return pr, at("query", err)
}

type responsesInput struct {
	PeriodQuery
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"25"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page."`
}

// ResponsePage is one page of survey responses, newest first.
type ResponsePage struct {
	Items      []SurveyResponse `json:"items"`
	NextCursor string           `json:"next_cursor"`
}

type responsePageOutput struct {
	Body ResponsePage
}

type exportInput struct {
	PeriodQuery
	Format string `query:"format" enum:"csv,xlsx" default:"csv"`
}

// SurveyStats counts a period's invitations (by the day they were
// created) by status.
type SurveyStats struct {
	From           string  `json:"from"`
	To             string  `json:"to"`
	Scheduled      int     `json:"scheduled"`
	Sent           int     `json:"sent" doc:"Sent and still open."`
	Answered       int     `json:"answered"`
	Expired        int     `json:"expired"`
	Suppressed     int     `json:"suppressed" doc:"Not sent: the customer had a survey within the cool-down."`
	Delivered      int     `json:"delivered" doc:"sent + answered + expired."`
	ResponseRate   float64 `json:"response_rate" doc:"answered ÷ delivered."`
	PhoneResponses int     `json:"phone_responses" doc:"Answers taken on follow-up calls in the period."`
}

type statsOutput struct {
	Body SurveyStats
}

type complaintRatesInput struct {
	PeriodQuery
	By string `query:"by" enum:"product,team,month" default:"team"`
}

// ComplaintRate is the share of a group's requests that were complaints.
type ComplaintRate struct {
	Key        string  `json:"key" doc:"Product or team id, or the month (2026-03); empty for none."`
	Label      string  `json:"label"`
	Requests   int     `json:"requests"`
	Complaints int     `json:"complaints"`
	Rate       float64 `json:"rate"`
}

type complaintRatesOutput struct {
	Body struct {
		Items []ComplaintRate `json:"items"`
	}
}

func (s *server) registerFeedback() {
	register(s, huma.Operation{
		OperationID: "list-survey-responses", Method: http.MethodGet, Path: "/api/v1/survey-responses",
		Summary: "Survey responses of a period", Tags: []string{"surveys"},
		Description: "Answered from `from` to `to` (both inclusive, store time zone; default the last 90 days), newest first, keyset-paginated.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *responsesInput) (*responsePageOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		page, err := s.d.Feedback.Responses(ctx, principalFrom(ctx), pr, in.Limit, in.Cursor)
		if err != nil {
			return nil, at("query", err)
		}
		out := &responsePageOutput{Body: ResponsePage{Items: []SurveyResponse{}, NextCursor: page.NextCursor}}
		for i := range page.Items {
			out.Body.Items = append(out.Body.Items, toSurveyResponse(&page.Items[i]))
		}
		return out, nil
	})

	register(s, huma.Operation{
		OperationID: "export-survey-responses", Method: http.MethodGet, Path: "/api/v1/survey-responses/export",
		Summary: "Download a period's survey responses (CSV or XLSX)", Tags: []string{"surveys"},
		Description: "One row per response, columns request_number, answered_at (store time zone), channel, team, agent, " +
			"product, category, csat, nps, ces, technical, efficiency, convenience, process, price, comment, sentiment " +
			"(positive, negative, or empty without a comment). CSV is UTF-8 with a byte-order mark. Recorded in the audit log.",
		Errors: []int{http.StatusUnprocessableEntity},
		Responses: map[string]*huma.Response{"200": {Description: "The file, as an attachment.", Content: map[string]*huma.MediaType{
			"text/csv":                {Schema: &huma.Schema{Type: huma.TypeString}},
			export.XLSX.ContentType(): {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *exportInput) (*huma.StreamResponse, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		format, err := export.ParseFormat(in.Format)
		if err != nil {
			return nil, at("query", model.FieldError("format", "must be csv or xlsx"))
		}
		p := principalFrom(ctx)
		if err := s.d.Feedback.StartExport(ctx, p, pr, format); err != nil {
			return nil, err
		}
		lang := i18n.En
		if e := envFrom(ctx); e != nil {
			lang = e.lang
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			name := fmt.Sprintf("aftercare-survey-responses-%s-%s.%s", pr.From.Format("20060102"), pr.To.Format("20060102"), format)
			hctx.SetHeader("Content-Type", format.ContentType())
			hctx.SetHeader("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
			hctx.SetStatus(http.StatusOK)
			w, err := export.New(format, hctx.BodyWriter(), "responses")
			if err == nil {
				err = s.d.Feedback.WriteExport(ctx, pr, lang, w)
				if cerr := w.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				// The response has started: log; the file will not open as complete.
				s.log.Error("api: survey export", "err", err)
			}
		}}, nil
	})

	register(s, huma.Operation{
		OperationID: "survey-stats", Method: http.MethodGet, Path: "/api/v1/survey-stats",
		Summary: "Survey response rate of a period", Tags: []string{"surveys"},
		Description: "Invitations created in the period by status, and the response rate.",
		Errors:      []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *PeriodQuery) (*statsOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		st, err := s.d.Feedback.Stats(ctx, principalFrom(ctx), pr)
		if err != nil {
			return nil, err
		}
		return &statsOutput{Body: SurveyStats{From: pr.From.Format("2006-01-02"), To: pr.To.Format("2006-01-02"),
			Scheduled: st.Scheduled, Sent: st.Sent, Answered: st.Answered, Expired: st.Expired, Suppressed: st.Suppressed,
			Delivered: st.Delivered(), ResponseRate: st.ResponseRate(), PhoneResponses: st.PhoneResponses}}, nil
	})

	register(s, huma.Operation{
		OperationID: "complaint-rates", Method: http.MethodGet, Path: "/api/v1/complaint-rates",
		Summary: "Complaint rate by product, team or month", Tags: []string{"complaints"},
		Description: "Of the requests created in the period, how many were complaints, per product (of the request's unit), " +
			"per team (service centre) or per calendar month.",
		Errors: []int{http.StatusUnprocessableEntity},
	}, can(model.PermFeedbackAnalyze), func(ctx context.Context, in *complaintRatesInput) (*complaintRatesOutput, error) {
		pr, err := in.period(s)
		if err != nil {
			return nil, err
		}
		rates, err := s.d.Feedback.ComplaintRates(ctx, principalFrom(ctx), pr, in.By)
		if err != nil {
			return nil, at("query", err)
		}
		out := &complaintRatesOutput{}
		out.Body.Items = []ComplaintRate{}
		for _, c := range rates {
			out.Body.Items = append(out.Body.Items, ComplaintRate{Key: c.Key, Label: c.Label, Requests: c.Requests,
				Complaints: c.Complaints, Rate: c.Rate()})
		}
		return out, nil
	})
}
