// Package sentiment scores the sentiment of Chinese and English comments
// and finds the service aspects they talk about. The model is trained by
// "aftercare train sentiment" and embedded in the binary.
package sentiment

import (
	"errors"

	"github.com/aftercare/aftercare/internal/model"
)

// Aspect is a service aspect a comment mentions, with the sentiment
// expressed about it.
type Aspect struct {
	// Name is the aspect key: price, attitude, speed, quality, convenience,
	// process, …
	Name string `json:"name"`
	// Dimension is the service-quality dimension the aspect maps onto.
	Dimension model.Dimension `json:"dimension"`
	// Polarity is -1 (negative), 0 (neutral or unclear) or 1 (positive).
	Polarity int `json:"polarity"`
	// Term is the text that triggered the aspect.
	Term string `json:"term"`
}

// Prediction is the result of scoring one text.
type Prediction struct {
	Label   int      `json:"label"` // 1 positive, 0 negative
	Score   float64  `json:"score"` // calibrated probability that the text is positive
	Aspects []Aspect `json:"aspects"`
}

// Model is a trained sentiment model. It is safe for concurrent use.
type Model struct{}

// Load returns the embedded model.
func Load() (*Model, error) { return nil, errors.New("sentiment: not implemented yet") }

// Predict scores one text.
func (m *Model) Predict(text string) Prediction { return Prediction{} }
