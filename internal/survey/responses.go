package survey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aftercare/aftercare/internal/export"
	"github.com/aftercare/aftercare/internal/i18n"
	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/store"
	"github.com/aftercare/aftercare/internal/text/sentiment"
)

// Responses returns one page of the responses answered in period, newest
// first (managers and admins).
func (s *Service) Responses(ctx context.Context, p model.Principal, period model.Period, limit int, cursor string) (model.ResponsePage, error) {
	if !p.Can(model.PermFeedbackAnalyze) {
		return model.ResponsePage{}, forbidden()
	}
	if limit < 0 {
		return model.ResponsePage{}, model.FieldError("limit", "must be between 1 and %d", store.MaxPageSize)
	}
	from, to := period.Bounds()
	return s.store.ListResponses(ctx, model.ResponseFilter{From: from, To: to, Limit: limit, Cursor: cursor})
}

// Stats counts the invitations of period by status, for the response
// rate (managers and admins).
func (s *Service) Stats(ctx context.Context, p model.Principal, period model.Period) (model.SurveyStats, error) {
	if !p.Can(model.PermFeedbackAnalyze) {
		return model.SurveyStats{}, forbidden()
	}
	from, to := period.Bounds()
	return s.store.SurveyStats(ctx, from, to)
}

// ComplaintRates returns the complaint rate of period by product, team or
// month (managers and admins).
func (s *Service) ComplaintRates(ctx context.Context, p model.Principal, period model.Period, by string) ([]model.ComplaintRate, error) {
	if !p.Can(model.PermFeedbackAnalyze) {
		return nil, forbidden()
	}
	from, to := period.Bounds()
	return s.store.ComplaintRates(ctx, from, to, by)
}

// ExportColumns are the columns of the responses export, in order (the
// interface the analytics and outside tools rely on; they are the same
// in every language). "sentiment" is each comment's label as scored when
// it was answered, on its own; "sentiment_batch" is its label when the
// period's comments are read together, with the decision threshold
// adapted to them (see BatchScorer).
func ExportColumns() []string {
	return []string{"request_number", "answered_at", "channel", "team", "agent", "product", "category", "csat", "nps",
		"ces", "technical", "efficiency", "convenience", "process", "price", "comment", "sentiment", "sentiment_batch"}
}

// PeriodSentiment reads the comments answered in period together (at
// most maxExportRows responses) and returns their labels by response ID
// and how the batch was adapted; ok is false without a batch scorer or
// when it cannot score.
func (s *Service) PeriodSentiment(ctx context.Context, period model.Period) (map[int64]int, sentiment.Adaptation, bool, error) {
	if s.opts.BatchScorer == nil {
		return nil, sentiment.Adaptation{}, false, nil
	}
	from, to := period.Bounds()
	f := model.ResponseFilter{From: from, To: to, Limit: store.MaxPageSize}
	var ids []int64
	var texts []string
	for rows := 0; rows < maxExportRows; {
		page, err := s.store.ListResponses(ctx, f)
		if err != nil {
			return nil, sentiment.Adaptation{}, false, err
		}
		for i := range page.Items {
			if rows == maxExportRows {
				break
			}
			rows++
			if r := &page.Items[i]; strings.TrimSpace(r.Comment) != "" {
				ids = append(ids, r.ID)
				texts = append(texts, r.Comment)
			}
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	labels, ad, ok := s.opts.BatchScorer(texts)
	if !ok || len(labels) != len(ids) {
		return nil, ad, false, nil
	}
	out := make(map[int64]int, len(ids))
	for i, id := range ids {
		out[id] = labels[i]
	}
	if ad.Used {
		s.log.InfoContext(ctx, "survey: period comments read with an adapted sentiment threshold", "comments", len(ids), "method", ad.Method)
	}
	return out, ad, true, nil
}

// maxExportRows bounds one export; a last row says when it was cut.
const maxExportRows = 100_000

// StartExport checks that p may export the responses of period and
// records the download in the audit log (what the file holds: the period
// and format). The caller then sets its headers and calls WriteExport.
func (s *Service) StartExport(ctx context.Context, p model.Principal, period model.Period, format export.Format) error {
	if !p.Can(model.PermFeedbackAnalyze) {
		return forbidden()
	}
	what := fmt.Sprintf("survey responses %s to %s", period.From.Format("2006-01-02"), period.To.Format("2006-01-02"))
	return s.store.RecordAudit(ctx, model.Audit(ctx, p, model.AuditExportDone, what, string(format)))
}

// WriteExport writes one row per response answered in period, oldest
// pages last (newest first), to w: ExportColumns, times in the store's
// time zone, category names in lang, sentiment "positive" or "negative"
// (empty without a comment), ratings empty when not given. It walks the
// keyset pages, so memory stays flat whatever the period holds, except
// for the period's comments, which are first read together for the
// sentiment_batch column (PeriodSentiment).
func (s *Service) WriteExport(ctx context.Context, period model.Period, lang string, w export.Writer) error {
	batch, _, _, err := s.PeriodSentiment(ctx, period)
	if err != nil {
		return err
	}
	cols := ExportColumns()
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = c
	}
	if err := w.Row(head...); err != nil {
		return err
	}
	from, to := period.Bounds()
	f := model.ResponseFilter{From: from, To: to, Limit: store.MaxPageSize}
	loc, rows := s.store.Location(), 0
	for {
		page, err := s.store.ListResponses(ctx, f)
		if err != nil {
			return err
		}
		for i := range page.Items {
			if rows == maxExportRows {
				return w.Row(fmt.Sprintf("cut at %d rows: choose a shorter period", maxExportRows))
			}
			if err := w.Row(exportRow(&page.Items[i], lang, loc, batch)...); err != nil {
				return err
			}
			rows++
		}
		if page.NextCursor == "" {
			return nil
		}
		f.Cursor = page.NextCursor
	}
}

func exportRow(r *model.SurveyResponse, lang string, loc *time.Location, batch map[int64]int) []any {
	rating := func(v *int) any {
		if v == nil {
			return ""
		}
		return *v
	}
	category := r.CategoryZh
	if lang == i18n.En && r.CategoryEn != "" {
		category = r.CategoryEn
	}
	word := func(label int) string {
		if label == 1 {
			return "positive"
		}
		return "negative"
	}
	single, together := "", ""
	if r.Sentiment != nil {
		single = word(r.Sentiment.Label)
	}
	if l, ok := batch[r.ID]; ok {
		together = word(l)
	}
	return []any{r.RequestNumber, r.AnsweredAt.In(loc), string(r.Channel), r.TeamName, r.AgentName, r.ProductName, category,
		r.CSAT, rating(r.NPS), rating(r.CES), rating(r.Technical), rating(r.Efficiency), rating(r.Convenience),
		rating(r.Process), rating(r.Price), r.Comment, single, together}
}
