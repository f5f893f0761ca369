package survey

import (
	"sync"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/text/sentiment"
)

// SentimentModel is the embedded sentiment model, loaded on the first
// comment (decoding takes tens of milliseconds, which start-up and tests
// without comments need not pay) and shared by the single-comment and the
// batch scorer. When the model cannot load, comments stay unscored and
// the error is reported once through logf.
type SentimentModel struct {
	load func() (*sentiment.Model, error)
	warn sync.Once
	logf func(msg string, args ...any)
}

// NewSentimentModel returns the lazily loaded embedded model.
func NewSentimentModel(logf func(msg string, args ...any)) *SentimentModel {
	return &SentimentModel{load: sync.OnceValues(sentiment.Load), logf: logf}
}

func (s *SentimentModel) model() *sentiment.Model {
	m, err := s.load()
	if err != nil {
		s.warn.Do(func() { s.logf("survey: sentiment model unavailable; comments stay unscored", "err", err) })
		return nil
	}
	return m
}

// Scorer scores one comment at a time, as it is answered.
func (s *SentimentModel) Scorer() CommentScorer {
	return func(text string) (model.CommentSentiment, bool) {
		m := s.model()
		if m == nil {
			return model.CommentSentiment{}, false
		}
		p := m.Predict(text)
		out := model.CommentSentiment{Label: p.Label, Score: p.Score}
		for _, a := range p.Aspects {
			out.Aspects = append(out.Aspects, model.CommentAspect{Name: a.Name, Dimension: a.Dimension, Polarity: a.Polarity, Term: a.Term})
		}
		return out, true
	}
}

// BatchScorer labels a period's comments together, with the decision
// threshold adapted to them (sentiment.Model.ScoreBatch).
func (s *SentimentModel) BatchScorer() BatchScorer {
	return func(texts []string) ([]int, sentiment.Adaptation, bool) {
		m := s.model()
		if m == nil {
			return nil, sentiment.Adaptation{}, false
		}
		b := m.ScoreBatch(texts, true)
		labels := make([]int, b.Len())
		for i := range labels {
			if b.Score(i) >= 0.5 {
				labels[i] = 1
			}
		}
		return labels, b.Adaptation(), true
	}
}

// SentimentScorer scores comments one at a time with the embedded model
// (see SentimentModel).
func SentimentScorer(logf func(msg string, args ...any)) CommentScorer {
	return NewSentimentModel(logf).Scorer()
}
