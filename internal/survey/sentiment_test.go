package survey

import (
	"testing"
	"time"

	"github.com/aftercare/aftercare/internal/model"
)

// TestBatchScorer: the batch scorer reads comments with the same model as
// the single-comment scorer; a batch too small to adapt gets the same
// labels, and says adaptation was requested but not used.
func TestBatchScorer(t *testing.T) {
	sm := NewSentimentModel(t.Logf)
	one, batch := sm.Scorer(), sm.BatchScorer()
	texts := []string{"师傅很专业，服务周到", "等了三天没人来，太失望了", "Quick and friendly.", "Rude staff, never again."}
	labels, ad, ok := batch(texts)
	if !ok || len(labels) != len(texts) {
		t.Fatalf("batch scorer: %v %v %v", labels, ad, ok)
	}
	if !ad.Requested || ad.Used {
		t.Errorf("adaptation %+v, want requested and, for %d comments, not used", ad, len(texts))
	}
	for i, text := range texts {
		s, ok := one(text)
		if !ok || s.Label != labels[i] {
			t.Errorf("%q: batch label %d, single %+v", text, labels[i], s)
		}
	}
}

// TestExportRowSentimentColumns: "sentiment" is the stored single-comment
// label, "sentiment_batch" the period's batch label, empty for a response
// the batch did not read.
func TestExportRowSentimentColumns(t *testing.T) {
	r := &model.SurveyResponse{ID: 7, AnsweredAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}
	r.Comment = "房间有点小，但服务很周到"
	r.Sentiment = &model.CommentSentiment{Label: 0}
	cols := ExportColumns()
	for _, c := range []struct {
		batch map[int64]int
		want  string
	}{{map[int64]int{7: 1}, "positive"}, {map[int64]int{8: 1}, ""}, {nil, ""}} {
		row := exportRow(r, "en", time.UTC, c.batch)
		if len(row) != len(cols) {
			t.Fatalf("row has %d cells, header %d", len(row), len(cols))
		}
		if row[len(row)-2] != "negative" || row[len(row)-1] != c.want {
			t.Errorf("batch %v: sentiment cells %v %v, want negative %q", c.batch, row[len(row)-2], row[len(row)-1], c.want)
		}
	}
}
