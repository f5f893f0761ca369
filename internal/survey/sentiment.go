package survey

import (
	"sync"

	"github.com/aftercare/aftercare/internal/model"
	"github.com/aftercare/aftercare/internal/text/sentiment"
)

// SentimentScorer scores comments with the embedded sentiment model,
// loaded on the first comment (decoding takes tens of milliseconds, which
// start-up and tests without comments need not pay). When the model
// cannot load, comments are stored unscored and the error is reported
// once through logf.
func SentimentScorer(logf func(msg string, args ...any)) CommentScorer {
	load := sync.OnceValues(sentiment.Load)
	var warn sync.Once
	return func(text string) (model.CommentSentiment, bool) {
		m, err := load()
		if err != nil {
			warn.Do(func() { logf("survey: sentiment model unavailable; comments stay unscored", "err", err) })
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
